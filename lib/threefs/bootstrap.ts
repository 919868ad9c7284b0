/**
 * The bootstrap ConfigMap: the idempotent script (scripts/bootstrap.sh, with the shared scripts/common.sh
 * and scripts/chains.sh) and the placement it executes (placement.txt, the stack's placement lock), plus a
 * short hash the Job name carries so that the Job re-runs whenever its inputs change. The script's order
 * and the 3FS sources it follows are in its header.
 *
 * Scaling: the ConfigMap ships the placement once (one chain group per line, members as node:slot), never
 * the expanded per-target commands; the script expands them in the Job. A 1000-node, 99-targets-per-disk,
 * 3-replica plan is about 0.9 MiB whatever the disk count, while the expanded create-target file of a
 * 200-node, 16-disk, 30-targets-per-disk stack alone would be ~10 MiB.
 *
 * Growth and decommission: the bootstrap creates only the chains mgmtd does not have; membership changes
 * of existing chains are the migration Job's (lib/threefs/migrate.ts). Pure module: no cloud SDK imports.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { PARENT_DIRECTORY_MODE } from "../tenants/spec";
import { tenantInputProblems, tenantsTsv, type BootstrapTenant } from "./bootstrapTenants";
import { CHAIN_TABLE_ID, FDB_CLUSTER_FILE, NODE_ID_BASE, TENANT_TOKEN_DIR, TOKEN_FILE } from "./constants";
import { configPath } from "./args";
import { validateClusterId } from "./toml";

/** Keys of the bootstrap ConfigMap. */
export type BootstrapFileName = "bootstrap.sh" | "common.sh" | "chains.sh" | "chain-plan.json" | "placement.txt" | "plan.env" | "tenants.sh" | "tenants.tsv";

/** A chain group's members: [storage node id, slot], head first (lib/threefs/placementLock.ts). */
export type ChainMembers = ReadonlyArray<readonly [number, number]>;

/**
 * activeDeadlineSeconds the bootstrap Job should have (lib/k8s/threefs/jobs.ts): Kubernetes kills the
 * pod then, without the script's diagnostic. Every wait of the script ends by
 * BOOTSTRAP_TIME_BUDGET_SECONDS, which leaves BOOTSTRAP_WORK_MARGIN_SECONDS for the work between and
 * after the waits (create-target sessions, uploads, admin_cli start-ups).
 */
export const BOOTSTRAP_DEADLINE_SECONDS = 3600;

/** Seconds of a run reserved for work that is not waiting (see BOOTSTRAP_DEADLINE_SECONDS). */
export const BOOTSTRAP_WORK_MARGIN_SECONDS = 600;

/**
 * The script's total time budget for waiting (plan.env TIME_BUDGET, `timeouts.totalSeconds`): every wait
 * gives up, with the reason, by this many seconds after the script started, whatever its own limit.
 * Derive the Job's deadline as this + BOOTSTRAP_WORK_MARGIN_SECONDS (= BOOTSTRAP_DEADLINE_SECONDS).
 */
export const BOOTSTRAP_TIME_BUDGET_SECONDS = BOOTSTRAP_DEADLINE_SECONDS - BOOTSTRAP_WORK_MARGIN_SECONDS;

/** Seconds the script waits for each dependency before failing with the reason. */
export interface BootstrapTimeouts {
  /** For the FDB cluster file to appear, and then for FDB to answer (each its own wait). Default 600. */
  fdbSeconds: number;
  /** For mgmtd to answer `list-nodes` (FDB answers by then; mgmtd needs only FDB). Default 300. */
  mgmtdSeconds: number;
  /** For every storage node to be HEARTBEAT_CONNECTED. Default 900 (disks attach, pods pull images). */
  storageNodesSeconds: number;
  /**
   * For every planned target to be reported, creating again what is missing every 30 s (a storage node that
   * restarted or was down). Default 600.
   */
  targetsSeconds: number;
  /**
   * Limit of one admin_cli call (the `timeout` around it). A client blocks while FoundationDB does not
   * answer, and `stat` waits a minute for meta (MetaClient retry_total_time), so keep it above 60. Default 120.
   */
  cliSeconds: number;
  /**
   * All waits together, counted from the script's start: a wait gives up when this is used up even
   * before its own limit. Default and maximum BOOTSTRAP_TIME_BUDGET_SECONDS (the Job's deadline is
   * fixed at BOOTSTRAP_DEADLINE_SECONDS).
   */
  totalSeconds: number;
  /** Poll interval. Default 5. */
  pollSeconds: number;
  /**
   * For meta to serve `stat /` before the tenants' directories are made (only with tenants; last, so meta has
   * had the targets' time to start after init-cluster). Default 300. Bounded by the budget like the others.
   */
  metaSeconds: number;
}


/** What the bootstrap does. */
export interface BootstrapInput {
  /**
   * The placement lock's chain groups: group number g = position + 1 becomes chain g on every disk; each
   * lists `replicas` members [node id, slot] (node ids nodeIdBegin … nodeIdBegin + storageNodes − 1, slots
   * 1–99 unique per node), head first. A node may hold no member (drained).
   */
  chains: readonly ChainMembers[];
  /** Targets per chain (1–5). Must not exceed storageNodes. */
  replicas: number;
  /** Targets per disk the placement was planned with (1–99); reported by the policy pack. */
  targetsPerDisk: number;
  /** Chains a file is striped over; 1 ≤ stripeSize ≤ number of chains (groups × disksPerNode). */
  stripeSize: number;
  /** Disks per storage node (1–999). */
  disksPerNode: number;
  /**
   * Concurrent admin_cli sessions creating targets (1–16), each a full admin_cli process (RDMA, storage and
   * mgmtd clients, libfdb_c). Default 1, as Alibaba's chart (one session for every create-target,
   * deploy/container/init.sh:32): nobody has measured a session's memory on ACK yet, and the Job's memory
   * limit must hold them all; the script logs the container's peak memory so a real run measures it.
   */
  createParallelism?: number;
  /** Storage nodes in the plan (the storage StatefulSet's replicas). */
  storageNodes: number;
  /** 3FS cluster id (logged and recorded in the plan; admin_cli reads it from admin_cli.toml). */
  clusterId: string;
  /** Chain table description: the stack name ([A-Za-z0-9._-], 1–64 characters). */
  desc: string;
  /** Chunk size in bytes for init-cluster: a power of two, 64 KiB – 64 MiB. Default 1048576. */
  chunkSize?: number;
  /** Node id of storage node index 0. Default NODE_ID_BASE.storage (10000). */
  nodeIdBegin?: number;
  /**
   * The planned storage node ids, ascending (lib/threefs/storageNodes.ts: one StatefulSet per zone leaves
   * gaps between the zones' id blocks). Default nodeIdBegin … nodeIdBegin + storageNodes − 1.
   */
  storageNodeIds?: readonly number[];
  /** Target id prefix `tp` (1–999). Default 10. */
  targetIdPrefix?: number;
  /** Chain id prefix `cp` (1–42, chain ids are u32). Default 10. */
  chainIdPrefix?: number;
  /** Smallest allowed replicas; pass 2 for prod (one node failure must not lose data). Default 1. */
  minReplicas?: number;
  /** Token file in the Job. Default TOKEN_FILE. */
  tokenFile?: string;
  /** FDB cluster file in the Job. Default FDB_CLUSTER_FILE. */
  fdbClusterFile?: string;
  /** admin_cli config in the Job. Default configPath("admin_cli.toml"). */
  adminCliConfig?: string;
  /** Waiting limits; each field defaults as documented in BootstrapTimeouts. */
  timeouts?: Partial<BootstrapTimeouts>;
  /** Tenants whose users and directories to ensure. Default none. */
  tenants?: BootstrapTenant[];
  /** Directory of the tenant-token files in the Job. Default TENANT_TOKEN_DIR. */
  tenantTokenDir?: string;
}

/** chain-plan.json. The policy pack reads replicas, targetsPerDisk and stripeSize. */
export interface ChainPlan {
  clusterId: string;
  desc: string;
  chainTableId: number;
  replicas: number;
  targetsPerDisk: number;
  stripeSize: number;
  disksPerNode: number;
  nodeIdBegin: number;
  storageNodes: number;
  /** Every planned storage node id (plan.env STORAGE_NODE_IDS; not in chain-plan.json). */
  storageNodeIds: number[];
  chunkSize: number;
  targetIdPrefix: number;
  chainIdPrefix: number;
  /** Chains in the table: chain groups × disksPerNode. */
  chainCount: number;
  /** Chain groups (placement.txt has their members). */
  groupCount: number;
}

/**
 * The default limits: the waits (FDB twice, mgmtd, storage, targets) add up to 3000 s, and whatever the
 * phases' own limits, every wait gives up by totalSeconds (BOOTSTRAP_TIME_BUDGET_SECONDS, 3000 s), within the
 * Job's BOOTSTRAP_DEADLINE_SECONDS (3600 s): a slow bring-up fails with the script's message, not by the
 * Job's deadline.
 */
export const DEFAULT_BOOTSTRAP_TIMEOUTS: Readonly<BootstrapTimeouts> = Object.freeze({
  fdbSeconds: 600,
  mgmtdSeconds: 300,
  storageNodesSeconds: 900,
  targetsSeconds: 600,
  cliSeconds: 120,
  totalSeconds: BOOTSTRAP_TIME_BUDGET_SECONDS,
  pollSeconds: 5,
  metaSeconds: 300,
});

/** The waiting limits of the phases, which run one after the other (not totalSeconds nor pollSeconds). */
export const BOOTSTRAP_PHASE_TIMEOUT_KEYS = ["fdbSeconds", "mgmtdSeconds", "storageNodesSeconds", "targetsSeconds"] as const;

/**
 * A script of lib/threefs/scripts, read once. Beside this module under jest/tsx; from a compiled
 * `bin/lib/threefs/`, tsc does not copy it, so the source tree's copy is used.
 */
export function jobScript(name: string): string {
  const candidates = [path.join(__dirname, "scripts", name), path.resolve(__dirname, "../../../lib/threefs/scripts", name)];
  for (const file of candidates) if (fs.existsSync(file)) return fs.readFileSync(file, "utf8");
  throw new Error(`${name} not found (looked in ${candidates.join(", ")})`);
}

/** The bootstrap script and the libraries it sources. */
export type { BootstrapTenant };

export const BOOTSTRAP_SCRIPT: string = jobScript("bootstrap.sh");
export const COMMON_SCRIPT: string = jobScript("common.sh");
export const CHAINS_SCRIPT: string = jobScript("chains.sh");
export const TENANTS_SCRIPT: string = jobScript("tenants.sh");

function intIn(out: string[], name: string, v: number, lo: number, hi: number): void {
  if (!Number.isInteger(v) || v < lo || v > hi) out.push(`${name}: must be an integer ${lo}–${hi}, got ${v}`);
}

/** The planned storage node ids. */
export function storageIdsOf(input: Pick<BootstrapInput, "storageNodeIds" | "nodeIdBegin" | "storageNodes">): number[] {
  const begin = input.nodeIdBegin ?? NODE_ID_BASE.storage;
  return input.storageNodeIds ? [...input.storageNodeIds] : Array.from({ length: input.storageNodes }, (_, i) => begin + i);
}

/** Checks every chain group: size, node range, distinct members, slots unique per node. */
function groupProblems(input: BootstrapInput): string[] {
  const out: string[] = [];
  const ids = storageIdsOf(input);
  const known = new Set(ids);
  const used = new Set<string>();
  input.chains.forEach((chain, gi) => {
    if (chain.length !== input.replicas) out.push(`chains[${gi}]: has ${chain.length} members, replicas is ${input.replicas}`);
    if (new Set(chain.map(([n]) => n)).size !== chain.length) out.push(`chains[${gi}]: lists a node twice`);
    for (const [n, s] of chain) {
      if (!known.has(n)) out.push(`chains[${gi}]: node ${n} is not a planned storage node (${ids[0]}..${ids.at(-1)})`);
      if (!Number.isInteger(s) || s < 1 || s > 99) out.push(`chains[${gi}]: slot ${s} is outside 1..99`);
      if (used.has(`${n}:${s}`)) out.push(`chains[${gi}]: node ${n} uses slot ${s} twice`);
      used.add(`${n}:${s}`);
    }
  });
  return out.slice(0, 20);
}

/**
 * Every problem with a bootstrap input, one line each (empty when valid).
 */
export function validateBootstrapInput(input: BootstrapInput): string[] {
  const out: string[] = [];
  intIn(out, "storageNodes", input.storageNodes, 1, 100000);
  if (input.storageNodeIds) {
    const ids = input.storageNodeIds;
    if (ids.length !== input.storageNodes) out.push(`storageNodeIds: lists ${ids.length} ids, storageNodes is ${input.storageNodes}`);
    if (ids.some((n, i) => !Number.isInteger(n) || n < 1 || n > 999999 || (i > 0 && n <= ids[i - 1]))) out.push("storageNodeIds: must be ascending node ids 1..999999");
  }
  intIn(out, "replicas", input.replicas, 1, 5);
  const minReplicas = input.minReplicas ?? 1;
  if (input.replicas < minReplicas) out.push(`replicas: at least ${minReplicas} required here (one storage node failure must not lose data), got ${input.replicas}`);
  if (input.replicas > input.storageNodes) out.push(`replicas: ${input.replicas} replicas need at least ${input.replicas} storage nodes, the plan has ${input.storageNodes}`);
  intIn(out, "targetsPerDisk", input.targetsPerDisk, 1, 99);
  intIn(out, "disksPerNode", input.disksPerNode, 1, 999);
  intIn(out, "createParallelism", input.createParallelism ?? 1, 1, 16);
  intIn(out, "chains.length", input.chains.length, 1, 99999);
  const nodeIdBegin = input.nodeIdBegin ?? NODE_ID_BASE.storage;
  intIn(out, "nodeIdBegin", nodeIdBegin, 1, 999999 - input.storageNodes);
  intIn(out, "targetIdPrefix", input.targetIdPrefix ?? 10, 1, 999);
  intIn(out, "chainIdPrefix", input.chainIdPrefix ?? 10, 1, 42);
  const chains = input.chains.length * input.disksPerNode;
  if (!Number.isInteger(input.stripeSize) || input.stripeSize < 1 || input.stripeSize > chains) {
    out.push(`stripeSize: must be 1–${chains} (the chains in the table; 3FS fails file creation beyond), got ${input.stripeSize}`);
  }
  const chunk = input.chunkSize ?? 1048576;
  if (!Number.isInteger(chunk) || chunk < 65536 || chunk > 67108864 || (chunk & (chunk - 1)) !== 0) out.push(`chunkSize: must be a power of two from 64 KiB to 64 MiB, got ${chunk}`);
  const id = validateClusterId(input.clusterId);
  if (id) out.push(`clusterId: ${id}`);
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(input.desc)) out.push(`desc: use 1–64 of [A-Za-z0-9._-] (a stack name), got "${input.desc}"`);
  out.push(...tenantInputProblems(input.tenants ?? []));
  for (const [key, p] of [["tokenFile", input.tokenFile], ["fdbClusterFile", input.fdbClusterFile], ["adminCliConfig", input.adminCliConfig], ["tenantTokenDir", input.tenantTokenDir]] as const) {
    if (p !== undefined && !/^\/[A-Za-z0-9._/-]+$/.test(p)) out.push(`${key}: expected an absolute path of [A-Za-z0-9._/-], got "${p}"`);
  }
  for (const [key, v] of Object.entries(input.timeouts ?? {})) {
    if (!(key in DEFAULT_BOOTSTRAP_TIMEOUTS)) out.push(`timeouts.${key}: unknown limit`);
    else if (!(typeof v === "number" && Number.isInteger(v) && v >= (key === "pollSeconds" ? 1 : 10) && v <= 86400)) out.push(`timeouts.${key}: must be whole seconds, got ${v}`);
    else if (key === "totalSeconds" && v > BOOTSTRAP_TIME_BUDGET_SECONDS) {
      out.push(`timeouts.totalSeconds: at most ${BOOTSTRAP_TIME_BUDGET_SECONDS} (the Job's deadline is ${BOOTSTRAP_DEADLINE_SECONDS} s), got ${v}`);
    }
  }
  if (out.length === 0) out.push(...groupProblems(input));
  return out;
}

/**
 * The chain plan of an input (also chain-plan.json's content).
 * @throws Error listing every input problem
 */
export function chainPlan(input: BootstrapInput): ChainPlan {
  const problems = validateBootstrapInput(input);
  if (problems.length > 0) throw new Error(`invalid 3FS bootstrap input:\n  ${problems.join("\n  ")}`);
  return {
    clusterId: input.clusterId,
    desc: input.desc,
    chainTableId: CHAIN_TABLE_ID,
    replicas: input.replicas,
    targetsPerDisk: input.targetsPerDisk,
    stripeSize: input.stripeSize,
    disksPerNode: input.disksPerNode,
    nodeIdBegin: input.nodeIdBegin ?? NODE_ID_BASE.storage,
    storageNodes: input.storageNodes,
    storageNodeIds: storageIdsOf(input),
    chunkSize: input.chunkSize ?? 1048576,
    targetIdPrefix: input.targetIdPrefix ?? 10,
    chainIdPrefix: input.chainIdPrefix ?? 10,
    chainCount: input.chains.length * input.disksPerNode,
    groupCount: input.chains.length,
  };
}

/** chain-plan.json text: the scalars, one per line (the policy pack reads replicas, targetsPerDisk, stripeSize). */
function chainPlanJson(full: ChainPlan): string {
  const { storageNodeIds: _ids, ...plan } = full;
  return `{\n${Object.entries(plan).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(",\n")}\n}\n`;
}

/**
 * placement.txt: a comment, then one chain group per line (line order = group number), members
 * `<node id>:<slot>` head first. The bootstrap and migration scripts expand it (chains.sh).
 */
export function placementText(chains: readonly ChainMembers[], desc: string): string {
  const head = `# placement of ${desc}: one chain group per line (chain g on every disk); members <node id>:<slot>, head first\n`;
  return head + chains.map((c) => c.map(([n, s]) => `${n}:${s}`).join(" ")).join("\n") + "\n";
}

/**
 * The plan.env keys chains.sh expands the placement with (expand_placement), shared by every script that
 * sources it: the bootstrap, the check, the migration and the replacement.
 */
export function placementEnv(plan: ChainPlan): Record<string, string | number> {
  return {
    REPLICAS: plan.replicas,
    DISKS_PER_NODE: plan.disksPerNode,
    NODE_ID_BEGIN: plan.nodeIdBegin,
    STORAGE_NODES: plan.storageNodes,
    STORAGE_NODE_IDS: plan.storageNodeIds.join(","),
    TARGET_ID_PREFIX: plan.targetIdPrefix,
    CHAIN_ID_PREFIX: plan.chainIdPrefix,
    GROUP_COUNT: plan.groupCount,
  };
}

/** plan.env: the scalars the script reads (KEY=value, values without spaces). */
function planEnv(plan: ChainPlan, input: BootstrapInput): string {
  const t = { ...DEFAULT_BOOTSTRAP_TIMEOUTS, ...input.timeouts };
  const env: Record<string, string | number> = {
    CLUSTER_ID: plan.clusterId,
    DESC: plan.desc,
    ...placementEnv(plan),
    TARGETS_PER_DISK: plan.targetsPerDisk,
    STRIPE_SIZE: plan.stripeSize,
    CHUNK_SIZE: plan.chunkSize,
    CHAIN_TABLE_ID: plan.chainTableId,
    TOKEN_FILE: input.tokenFile ?? TOKEN_FILE,
    FDB_CLUSTER_FILE: input.fdbClusterFile ?? FDB_CLUSTER_FILE,
    ADMIN_CLI_CONFIG: input.adminCliConfig ?? configPath("admin_cli.toml"),
    POLL_INTERVAL: t.pollSeconds,
    CLI_TIMEOUT: t.cliSeconds,
    FDB_TIMEOUT: t.fdbSeconds,
    MGMTD_TIMEOUT: t.mgmtdSeconds,
    STORAGE_TIMEOUT: t.storageNodesSeconds,
    TARGETS_TIMEOUT: t.targetsSeconds,
    TIME_BUDGET: t.totalSeconds,
    CREATE_PARALLELISM: input.createParallelism ?? 1,
    TENANT_TOKEN_DIR: input.tenantTokenDir ?? TENANT_TOKEN_DIR,
    TENANT_PARENT_MODE: PARENT_DIRECTORY_MODE,
    META_TIMEOUT: t.metaSeconds,
  };
  return Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join("");
}


/** sha256 over the files (sorted by name), first 10 hex digits: short enough for a Job name. */
export function bootstrapHash(files: Record<string, string>): string {
  const h = createHash("sha256");
  for (const name of Object.keys(files).sort()) h.update(`${name}\0${files[name]}\0`);
  return h.digest("hex").slice(0, 10);
}

/**
 * The bootstrap ConfigMap data and its hash. Ship the files verbatim in one ConfigMap mounted at
 * BOOTSTRAP_DIR and run `bash <BOOTSTRAP_DIR>/bootstrap.sh` in the admin-cli image; no env is needed.
 * @throws Error listing every input problem
 */
export function renderBootstrap(input: BootstrapInput): { files: Record<BootstrapFileName, string>; hash: string } {
  const plan = chainPlan(input);
  const files: Record<BootstrapFileName, string> = {
    "bootstrap.sh": BOOTSTRAP_SCRIPT,
    "common.sh": COMMON_SCRIPT,
    "chains.sh": CHAINS_SCRIPT,
    "tenants.sh": TENANTS_SCRIPT,
    "chain-plan.json": chainPlanJson(plan),
    "placement.txt": placementText(input.chains, input.desc),
    "plan.env": planEnv(plan, input),
    "tenants.tsv": tenantsTsv(input.tenants ?? []),
  };
  return { files, hash: bootstrapHash(files) };
}
