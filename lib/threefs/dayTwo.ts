/**
 * The ConfigMaps of the day-2 Jobs that act on Kubernetes objects (docs/operations.md): the declared
 * replacement of lost storage nodes (scripts/replace.sh), the health-gated roll (scripts/roll.sh) and the
 * target-health readiness gate (scripts/target-health.sh). Each is its script, the shared libraries it
 * sources, and a plan.env; the hash names the Job (or the Deployment's ConfigMap). What each does and the
 * sources it follows are in the script's header. The migration's ConfigMap is in migrate.ts.
 *
 * Pure module: no cloud SDK imports.
 */
import { storagePodName } from "./storageNodes";
import { bootstrapHash, chainPlan, placementEnv, CHAINS_SCRIPT, COMMON_SCRIPT, jobScript, placementText, type BootstrapInput } from "./bootstrap";
import { SERVICE_ACCOUNT_DIR, selectorQuery } from "./check";
import { TOKEN_FILE } from "./constants";
import { configPath } from "./args";

export const KUBE_SCRIPT: string = jobScript("kube.sh");
export const REPLACE_SCRIPT: string = jobScript("replace.sh");
export const ROLL_SCRIPT: string = jobScript("roll.sh");
export const TARGET_HEALTH_SCRIPT: string = jobScript("target-health.sh");

/** The storage pods' readiness gate the target-health Deployment sets (spec.readinessGates). */
export const CHAINS_SERVING_GATE = "threefs.io/chains-serving";
/** The pod template annotation the roll Job compares with the current template's hash. */
export const TEMPLATE_HASH_ANNOTATION = "threefs.io/template-hash";

/** activeDeadlineSeconds of the roll and replacement Jobs (a week: resyncs of whole nodes); budgets end before. */
export const DAY_TWO_DEADLINE_SECONDS = 7 * 86400;
const MARGIN_SECONDS = 600;

const env = (e: Record<string, string | number>) => Object.entries(e).map(([k, v]) => `${k}=${v}\n`).join("");

/** What the replacement Job needs: the bootstrap's placement and ids, the StatefulSet, the nodes. */
export interface ReplaceInput {
  namespace: string;
  /** The storage StatefulSet, zone 0's with zone spread (pods per storagePodName, claims `data<i>-<pod>`). */
  statefulSet: string;
  /** Storage node ids to bring back on new disks. */
  nodes: readonly number[];
  placement: BootstrapInput;
}

/** Problems with the nodes to replace (key-named by the caller). */
export function replaceProblems(nodes: readonly number[], storageIds: readonly number[]): string[] {
  const out: string[] = [];
  for (const n of nodes) if (!storageIds.includes(n)) out.push(`node ${n} is not a storage node of this stack (${storageIds[0]}..${storageIds.at(-1)})`);
  if (new Set(nodes).size !== nodes.length) out.push("a node is listed twice");
  return out;
}

/** The replacement ConfigMap data and hash. */
export function renderReplace(input: ReplaceInput): { files: Record<string, string>; hash: string } {
  const plan = chainPlan(input.placement);
  const files: Record<string, string> = {
    "replace.sh": REPLACE_SCRIPT,
    "common.sh": COMMON_SCRIPT,
    "chains.sh": CHAINS_SCRIPT,
    "kube.sh": KUBE_SCRIPT,
    "placement.txt": placementText(input.placement.chains, input.placement.desc),
    "plan.env": env({
      NAMESPACE: input.namespace,
      REPLACE: input.nodes.join(","),
      // Each node's pod, named once (storagePodName: with zone spread, its zone's StatefulSet).
      REPLACE_PODS: input.nodes.map((n) => `${n}:${storagePodName(input.statefulSet, n)}`).join(","),
      ...placementEnv(plan),
      TOKEN_FILE: input.placement.tokenFile ?? TOKEN_FILE,
      ADMIN_CLI_CONFIG: input.placement.adminCliConfig ?? configPath("admin_cli.toml"),
      SA_DIR: SERVICE_ACCOUNT_DIR,
      POLL_INTERVAL: 10,
      CLI_TIMEOUT: 120,
      // A new instance, its disks and the image pull: as long as a first start may take.
      NODE_TIMEOUT: 3600,
      TIME_BUDGET: DAY_TWO_DEADLINE_SECONDS - MARGIN_SECONDS,
    }),
  };
  return { files, hash: bootstrapHash(files) };
}

/** The roles the roll restarts, in order. */
export const ROLL_ORDER = ["mgmtd", "meta", "storage", "fuse"] as const;
export type RollRole = (typeof ROLL_ORDER)[number];

export interface RollInput {
  namespace: string;
  /** Selector labels of each role's pods. */
  selectors: Record<RollRole, Record<string, string>>;
  /** The current pod template hash of each role. */
  templateHashes: Record<RollRole, string>;
}

/** The roll ConfigMap data and hash (a new hash, hence a new Job, whenever a template changes). */
export function renderRoll(input: RollInput): { files: Record<string, string>; hash: string } {
  const files: Record<string, string> = {
    "roll.sh": ROLL_SCRIPT,
    "common.sh": COMMON_SCRIPT,
    "kube.sh": KUBE_SCRIPT,
    "plan.env": env({
      NAMESPACE: input.namespace,
      // plan.env values hold no spaces (common.sh read_plan): comma-separated.
      ORDER: ROLL_ORDER.join(","),
      ...Object.fromEntries(ROLL_ORDER.map((r) => [`SELECTOR_${r.toUpperCase()}`, selectorQuery(input.selectors[r])])),
      ...Object.fromEntries(ROLL_ORDER.map((r) => [`HASH_${r.toUpperCase()}`, input.templateHashes[r]])),
      ADMIN_CLI_CONFIG: configPath("admin_cli.toml"),
      SA_DIR: SERVICE_ACCOUNT_DIR,
      POLL_INTERVAL: 10,
      CLI_TIMEOUT: 120,
      // Before each delete: a migration under way keeps chains resyncing; the roll waits for it.
      HEALTH_TIMEOUT: DAY_TWO_DEADLINE_SECONDS - MARGIN_SECONDS,
      // One pod: its start (mgmtd may wait out a lease, 60 s) and its targets' resync.
      POD_TIMEOUT: 7200,
      TIME_BUDGET: DAY_TWO_DEADLINE_SECONDS - MARGIN_SECONDS,
    }),
  };
  return { files, hash: bootstrapHash(files) };
}

export interface TargetHealthInput {
  namespace: string;
  /** Selector labels of the storage pods. */
  storageSelector: Record<string, string>;
  /** Chain replicas: a chain with fewer serving members is short. */
  replicas: number;
}

/** The target-health ConfigMap data and hash. */
export function renderTargetHealth(input: TargetHealthInput): { files: Record<string, string>; hash: string } {
  const files: Record<string, string> = {
    "target-health.sh": TARGET_HEALTH_SCRIPT,
    "common.sh": COMMON_SCRIPT,
    "kube.sh": KUBE_SCRIPT,
    "plan.env": env({
      NAMESPACE: input.namespace,
      STORAGE_SELECTOR: selectorQuery(input.storageSelector),
      GATE: CHAINS_SERVING_GATE,
      REPLICAS: input.replicas,
      ADMIN_CLI_CONFIG: configPath("admin_cli.toml"),
      SA_DIR: SERVICE_ACCOUNT_DIR,
      // Chain states change within seconds of a failure (MgmtdChainsUpdater, 1 s): a drain decided on a
      // state 10 s old is as good as the PDB can do.
      PERIOD: 10,
      FAIL_LIMIT: 6,
      CLI_TIMEOUT: 60,
    }),
  };
  return { files, hash: bootstrapHash(files) };
}
