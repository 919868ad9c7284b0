/**
 * fdb-restore: prints the steps that restore a stack's FoundationDB (all 3FS metadata) from its OSS
 * backup and brings 3FS up on it, and writes the FoundationDBRestore manifest the steps apply.
 * The plan is lib/backup/restore.ts; docs/backup.md explains each step.
 *
 *   npm run fdb-restore -- --stack prod --bucket "$(pulumi -s prod stack output backupBucket)" --out restore.yaml
 *
 * Options: --backup-name (default threefs:backup.name or the FDB cluster's name), --next-backup-name
 * (default <backup-name>-restored-<YYYYMMDD>). Exit codes: 0 printed; 2 bad arguments or config.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { restoreObject, restorePlan, type RestoreInput } from "../lib/backup/restore";
import { readStackConfig } from "../lib/sizing/stack";

export const USAGE = "usage: fdb-restore --stack NAME --bucket BUCKET --out FILE [--backup-name NAME] [--next-backup-name NAME] [--dir PROJECT_DIR]";

export function main(argv: string[], out: (l: string) => void = console.log, err: (l: string) => void = console.error, today = new Date()): number {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({ args: argv, options: { stack: { type: "string" }, bucket: { type: "string" }, out: { type: "string" }, "backup-name": { type: "string" }, "next-backup-name": { type: "string" }, dir: { type: "string" } } }).values as Record<string, string | undefined>;
  } catch (e) {
    err(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!values.stack || !values.out) {
    err(USAGE);
    return 2;
  }
  let cfg;
  try {
    cfg = readStackConfig(values.dir ?? path.join(__dirname, ".."), values.stack);
  } catch (e) {
    err((e as Error).message);
    return 2;
  }
  if (!cfg.backup.enabled) {
    err(`stack ${values.stack}: threefs:backup.enabled is false; there is no backup to restore from`);
    return 2;
  }
  const bucket = values.bucket ?? cfg.backup.bucketName;
  if (!bucket) {
    err("--bucket is required: the bucket name is generated at deploy time (pulumi stack output backupBucket)");
    return 2;
  }
  const prefix = `threefs-${cfg.stack}`;
  const clusterName = `${prefix}-fdb`;
  const backupName = values["backup-name"] ?? cfg.backup.name ?? clusterName;
  const stamp = today.toISOString().slice(0, 10).replace(/-/g, "");
  const input: RestoreInput = {
    stack: cfg.stack,
    namespace: prefix,
    prefix,
    clusterName,
    bucket,
    backupName,
    region: cfg.region,
    secureConnection: cfg.backup.secureConnection,
    mgmtdReplicas: cfg.meta.mgmtdReplicas,
    metaReplicas: cfg.meta.metaReplicas,
    nextBackupName: values["next-backup-name"] ?? `${backupName}-restored-${stamp}`.slice(0, 63),
  };
  fs.writeFileSync(values.out, stringify(restoreObject(input)));
  out(`Restore of ${clusterName} from ${bucket}/${backupName} (manifest: ${values.out})`);
  restorePlan(input, values.out).forEach((s, n) => {
    out("");
    out(`${n + 1}. ${s.title}`);
    out(`   ${s.why}`);
    for (const c of s.commands) out(`   $ ${c}`);
  });
  return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
