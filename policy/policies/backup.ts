/**
 * Backup policies. FoundationDB holds every 3FS inode, directory entry and the chain tables: losing it
 * loses the file system even when every storage target survives, so prod must back it up.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { PROFILE_CONFIG_SCHEMA, type ProfileConfig, TYPES, UNKNOWN_PROFILE_REASON, configWithDefaults, k8sName, rec, resolveProfile, str } from "./common";

/** Pulumi type tokens this module reads (the FDB operator's backup CR and OSS buckets). */
export const BACKUP_TYPES = {
  fdbBackup: "kubernetes:apps.foundationdb.org/v1beta2:FoundationDBBackup",
  ossBucket: "alicloud:oss/bucket:Bucket",
} as const;

/** Problems with the backups of one prod FoundationDBCluster. */
function clusterBackupProblems(cluster: PolicyResource, resources: readonly PolicyResource[]): string[] {
  const name = k8sName(cluster.props, cluster.name);
  const namespace = str(rec(cluster.props.metadata).namespace);
  const backups = resources.filter(
    (r) => r.type === BACKUP_TYPES.fdbBackup && str(rec(r.props.spec).clusterName) === name && (namespace === undefined || str(rec(r.props.metadata).namespace) === namespace),
  );
  if (backups.length === 0) return [`FoundationDBCluster '${name}' has no FoundationDBBackup (spec.clusterName: ${name}); set threefs:backup.enabled.`];
  const out: string[] = [];
  for (const b of backups) {
    const spec = rec(b.props.spec);
    const state = str(spec.backupState) ?? "Running";
    if (state !== "Running") out.push(`FoundationDBBackup '${k8sName(b.props, b.name)}' is ${state}, not Running.`);
    if ((str(spec.backupMode) ?? "continuous") !== "continuous") out.push(`FoundationDBBackup '${k8sName(b.props, b.name)}' is a one-time backup; prod needs a continuous one.`);
    const bucket = str(rec(spec.blobStoreConfiguration).bucket);
    const store = resources.find((r) => r.type === BACKUP_TYPES.ossBucket && str(r.props.bucket) === bucket);
    // An unknown bucket name (computed at deploy time) is not checked; a bucket of this stack is.
    if (store && str(rec(store.props.versioning).status) !== "Enabled") out.push(`OSS bucket '${bucket}' of the backup has no versioning: a deleted backup object could not be recovered.`);
  }
  return out;
}

/**
 * `threefs-fdb-backup-in-prod` (stack) — every prod FoundationDBCluster has a continuous, running
 * FoundationDBBackup, and its OSS bucket, when it is in the stack, is versioned.
 */
export function fdbBackupInProd(): StackValidationPolicy {
  return {
    name: "threefs-fdb-backup-in-prod",
    description: "Prod FoundationDB clusters (all 3FS metadata) must have a continuous backup to a versioned bucket.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: { properties: { profile: PROFILE_CONFIG_SCHEMA } },
    validateStack: (args, reportViolation) => {
      const config = configWithDefaults<ProfileConfig>(args, {});
      const clusters = args.resources.filter((r) => r.type === TYPES.fdbCluster);
      if (clusters.length === 0) return args.notApplicable("no FoundationDBCluster in the stack");
      const prod = clusters.filter((c) => resolveProfile(c, config) === "prod");
      if (prod.length === 0) {
        return args.notApplicable(clusters.some((c) => resolveProfile(c, config) === undefined) ? UNKNOWN_PROFILE_REASON : "no prod FoundationDBCluster");
      }
      for (const c of prod) for (const p of clusterBackupProblems(c, args.resources)) reportViolation(p, c.urn);
    },
  };
}

/** All backup policies, in pack order. */
export const backupPolicies: StackValidationPolicy[] = [fdbBackupInProd()];
