/**
 * The migration Job's ConfigMap: scripts/migrate.sh (with common.sh and chains.sh), the placement it brings
 * the cluster to (placement.txt, the same file as the bootstrap's), its plan.env, and the hash naming the
 * Job `<prefix>-migrate-<hash>` (a changed placement or limit re-runs it; an unchanged one leaves the
 * finished Job alone). What the script does, its gates and its 3FS sources are in its header.
 *
 * The Job is not awaited by `pulumi up` (a migration resyncs whole targets: hours on full disks); its
 * progress is its log and the post-deploy check's `placement` line. Pure module: no cloud SDK imports.
 */
import { bootstrapHash, chainPlan, placementEnv, CHAINS_SCRIPT, COMMON_SCRIPT, jobScript, placementText, type BootstrapInput } from "./bootstrap";
import { TOKEN_FILE } from "./constants";
import { configPath } from "./args";

/** The migration script. */
export const MIGRATE_SCRIPT: string = jobScript("migrate.sh");

/** activeDeadlineSeconds of the migration Job: a week; the script stops by its budget below it. */
export const MIGRATE_DEADLINE_SECONDS = 7 * 86400;
/** Seconds kept between the script's budget and the deadline (the last round, the table upload). */
const MIGRATE_MARGIN_SECONDS = 600;

export type MigrateFileName = "migrate.sh" | "common.sh" | "chains.sh" | "placement.txt" | "plan.env";

/** How the migration runs. */
export interface MigrateOptions {
  /**
   * Resyncs one storage node may take part in at once, receiving or sending (1–16). A resync reads a whole
   * target from the chain's tail and writes it on the new member: more at once finishes sooner and loads
   * the nodes (and their clients) more. Default 2.
   */
  maxSyncsPerNode?: number;
  /** Balance chain heads (set-preferred-target-order, rotate-as-preferred-order). Default true. */
  heads?: boolean;
  /** Seconds without any progress before the run stops with the reason (a new run resumes). Default 7200. */
  stallSeconds?: number;
  /** Seconds between rounds. Default 10. */
  pollSeconds?: number;
  /** Limit of one admin_cli call (seconds). Default 120. */
  cliSeconds?: number;
}

/** Every problem with the options, one line each. */
export function validateMigrateOptions(o: MigrateOptions): string[] {
  const out: string[] = [];
  const check = (name: string, v: number | undefined, lo: number, hi: number) => {
    if (v !== undefined && !(Number.isInteger(v) && v >= lo && v <= hi)) out.push(`${name}: must be an integer ${lo}–${hi}, got ${v}`);
  };
  check("maxSyncsPerNode", o.maxSyncsPerNode, 1, 16);
  check("stallSeconds", o.stallSeconds, 60, 86400);
  check("pollSeconds", o.pollSeconds, 1, 600);
  check("cliSeconds", o.cliSeconds, 10, 3600);
  return out;
}

/**
 * The migration ConfigMap data and its hash.
 * @throws Error listing every input problem
 */
export function renderMigrate(input: BootstrapInput, options: MigrateOptions = {}): { files: Record<MigrateFileName, string>; hash: string } {
  const problems = validateMigrateOptions(options);
  if (problems.length > 0) throw new Error(`invalid migration options:\n  ${problems.join("\n  ")}`);
  const plan = chainPlan(input);
  const env: Record<string, string | number> = {
    CLUSTER_ID: plan.clusterId,
    DESC: plan.desc,
    ...placementEnv(plan),
    CHAIN_TABLE_ID: plan.chainTableId,
    TOKEN_FILE: input.tokenFile ?? TOKEN_FILE,
    ADMIN_CLI_CONFIG: input.adminCliConfig ?? configPath("admin_cli.toml"),
    POLL_INTERVAL: options.pollSeconds ?? 10,
    CLI_TIMEOUT: options.cliSeconds ?? 120,
    TIME_BUDGET: MIGRATE_DEADLINE_SECONDS - MIGRATE_MARGIN_SECONDS,
    MAX_SYNCS_PER_NODE: options.maxSyncsPerNode ?? 2,
    STALL_TIMEOUT: options.stallSeconds ?? 7200,
    HEADS: options.heads === false ? 0 : 1,
  };
  const files: Record<MigrateFileName, string> = {
    "migrate.sh": MIGRATE_SCRIPT,
    "common.sh": COMMON_SCRIPT,
    "chains.sh": CHAINS_SCRIPT,
    "placement.txt": placementText(input.chains, input.desc),
    "plan.env": Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join(""),
  };
  return { files, hash: bootstrapHash(files) };
}
