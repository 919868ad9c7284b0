/**
 * The post-deploy check's ConfigMap: scripts/check.sh (with common.sh), its plan.env (what the stack
 * should look like: node ids, chains, pools, selectors, the mount) and pools.json (per pool: node selector,
 * expected nodes, the eRDMA resource), plus the hash that names the check Job. The checks and their 3FS
 * sources are in the script's header.
 *
 * Pure module: no cloud SDK imports.
 */
import { bootstrapHash, chainPlan, placementEnv, jobScript, placementText, type BootstrapInput } from "./bootstrap";
import { CHAIN_TABLE_ID, TOKEN_FILE } from "./constants";
import { configPath } from "./args";

/** One node pool as the check expects it (lib/nodepools poolExpectations). */
export interface PoolExpectation {
  pool: string;
  /** Labels every node of the pool carries. */
  nodeSelector: Record<string, string>;
  /** Nodes the pool is planned with. */
  nodes: number;
  /** The extended resource every node must offer (aliyun/erdma). */
  resource: string;
}

/** What the check verifies. */
export interface CheckInput {
  namespace: string;
  mgmtdIds: number[];
  metaIds: number[];
  storageIds: number[];
  /** Chains the chain table must hold (groups × disks). */
  chains: number;
  pools: PoolExpectation[];
  /** Labels selecting the FUSE pods of this stack. */
  fuseSelector: Record<string, string>;
  /** Labels of the client nodes; empty when the stack has none (the FUSE and io checks are skipped). */
  clientSelector: Record<string, string>;
  /** FUSE mount point on client nodes (the check pod mounts it HostToContainer). */
  mountPath: string;
  /** MiB written and read back through the mount; 0 skips the io check. */
  writeMiB: number;
  /**
   * The placement (the bootstrap's input): the chains check counts a chain as serving once `replicas` of its
   * members serve (a migration adds members that resync), and the placement line reports how many chains are
   * at the placement lock (the migration's progress).
   */
  placement: BootstrapInput;
  /**
   * Seconds the checks may keep retrying (chains are newborn for 2 min after upload, storage nodes resync
   * after restarts). Default CHECK_TIME_BUDGET_SECONDS.
   */
  timeBudgetSeconds?: number;
}

/** The check Job's activeDeadlineSeconds; the script's budget ends well before it. */
export const CHECK_DEADLINE_SECONDS = 1500;
/** How long failing checks are retried by default. */
export const CHECK_TIME_BUDGET_SECONDS = 1200;

/** Where the check's ConfigMap is mounted. */
export const CHECK_DIR = "/opt/3fs-check";
/** The ServiceAccount token directory Kubernetes mounts (automountServiceAccountToken). */
export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

export type CheckFileName = "check.sh" | "common.sh" | "chains.sh" | "plan.env" | "placement.txt" | "pools.json";

/** A label selector as the API's `labelSelector` query value, URL-encoded (a=b,c=d). */
export function selectorQuery(labels: Record<string, string>): string {
  return encodeURIComponent(Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(","));
}

/** Every problem with a check input, one line each. */
export function validateCheckInput(input: CheckInput): string[] {
  const out: string[] = [];
  if (input.storageIds.length === 0 || input.mgmtdIds.length === 0 || input.metaIds.length === 0) out.push("the check needs mgmtd, meta and storage node ids");
  if (!Number.isInteger(input.chains) || input.chains < 1) out.push(`chains: must be ≥ 1, got ${input.chains}`);
  if (!Number.isInteger(input.writeMiB) || input.writeMiB < 0 || input.writeMiB > 1024) out.push(`writeMiB: must be 0–1024, got ${input.writeMiB}`);
  const budget = input.timeBudgetSeconds ?? CHECK_TIME_BUDGET_SECONDS;
  if (!Number.isInteger(budget) || budget < 60 || budget > CHECK_DEADLINE_SECONDS - 120) out.push(`timeBudgetSeconds: must be 60–${CHECK_DEADLINE_SECONDS - 120}, got ${budget}`);
  if (!/^\/[A-Za-z0-9._/-]+$/.test(input.mountPath)) out.push(`mountPath: expected an absolute path, got ${input.mountPath}`);
  return out;
}

/**
 * The check ConfigMap's files and the hash naming the check Job (so it re-runs when what it checks changes).
 * @throws Error listing every input problem
 */
export function renderCheck(input: CheckInput): { files: Record<CheckFileName, string>; hash: string } {
  const problems = validateCheckInput(input);
  if (problems.length > 0) throw new Error(`invalid 3FS check input:\n  ${problems.join("\n  ")}`);
  const plan = chainPlan(input.placement);
  const env: Record<string, string | number> = {
    NAMESPACE: input.namespace,
    ...placementEnv(plan),
    MGMTD_IDS: input.mgmtdIds.join(","),
    META_IDS: input.metaIds.join(","),
    STORAGE_IDS: input.storageIds.join(","),
    CHAIN_TABLE_ID,
    CHAINS: input.chains,
    FUSE_SELECTOR: selectorQuery(input.fuseSelector),
    CLIENT_SELECTOR: Object.keys(input.clientSelector).length === 0 ? "" : selectorQuery(input.clientSelector),
    MOUNT_PATH: input.mountPath,
    WRITE_MIB: input.writeMiB,
    TOKEN_FILE,
    ADMIN_CLI_CONFIG: configPath("admin_cli.toml"),
    SA_DIR: SERVICE_ACCOUNT_DIR,
    MOUNTINFO: "/proc/self/mountinfo",
    POLL_INTERVAL: 10,
    CLI_TIMEOUT: 120,
    TIME_BUDGET: input.timeBudgetSeconds ?? CHECK_TIME_BUDGET_SECONDS,
    TERMINATION_LOG: "/dev/termination-log",
  };
  const files: Record<CheckFileName, string> = {
    "check.sh": jobScript("check.sh"),
    "common.sh": jobScript("common.sh"),
    "chains.sh": jobScript("chains.sh"),
    "plan.env": Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join(""),
    "placement.txt": placementText(input.placement.chains, input.placement.desc),
    "pools.json": `${JSON.stringify(input.pools, null, 1)}\n`,
  };
  return { files, hash: bootstrapHash(files) };
}
