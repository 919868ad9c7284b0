/**
 * The restore of a stack's FoundationDB from its OSS backup, as an ordered list of steps (each a reason
 * and the exact commands) and the FoundationDBRestore object: what `npm run fdb-restore` prints and
 * writes, and what docs/backup.md walks through.
 *
 * Why this order (FoundationDB/fdb-kubernetes-operator v2.33.0 docs/manual/backup.md, "Restoring a
 * Backup"): `fdbrestore` needs an empty destination ("Attempted to restore into a non-empty destination
 * database") and backup agents connected to it ("Backup agents for restore": a FoundationDBBackup with
 * `backupState: Stopped` keeps the agents without starting a backup); the destination is locked until the
 * restore completes. 3FS must not write meanwhile: mgmtd and meta are the only 3FS processes that talk to
 * FoundationDB (storage and FUSE reach metadata through them), so they are scaled to zero first. The
 * backup that follows the restore gets a new name (`threefs:backup.name`), so the one restored from is
 * never overwritten.
 *
 * Pure module: no cloud SDK imports.
 */
import { ADMIN_CLI_PRIVATE_CONFIG } from "../k8s/threefs/clients";
import { backupStatusCommand, fdbRestoreSpec } from "./fdbBackup";
import { accountName } from "./oss";

/** Inputs of {@link restorePlan}. */
export interface RestoreInput {
  stack: string;
  namespace: string;
  /** Name prefix of the 3FS objects (`threefs-<stack>`). */
  prefix: string;
  /** The FoundationDBCluster (and FoundationDBBackup) name. */
  clusterName: string;
  bucket: string;
  /** The backup to restore from (its folder in the bucket). */
  backupName: string;
  region: string;
  secureConnection: boolean;
  mgmtdReplicas: number;
  metaReplicas: number;
  /** Name for the backup that starts after the restore. */
  nextBackupName: string;
}

export interface RestoreStep {
  title: string;
  why: string;
  commands: string[];
}

/** The FoundationDBRestore object (applied in step 5). */
export function restoreObject(i: RestoreInput): Record<string, unknown> {
  return {
    apiVersion: "apps.foundationdb.org/v1beta2",
    kind: "FoundationDBRestore",
    metadata: { name: `${i.clusterName}-restore`, namespace: i.namespace },
    spec: fdbRestoreSpec({ destinationClusterName: i.clusterName, accountName: accountName(i.bucket, i.region, i.secureConnection), bucket: i.bucket, backupName: i.backupName, region: i.region, secureConnection: i.secureConnection }),
  };
}

/** Pulumi URN of the stack's FoundationDBCluster (components/foundationDb.ts names it `<prefix>-cluster`). */
export function fdbClusterUrn(stack: string, prefix: string): string {
  return `urn:pulumi:${stack}::threefs::threefs:index:FoundationDb$kubernetes:apps.foundationdb.org/v1beta2:FoundationDBCluster::${prefix}-cluster`;
}

/**
 * The steps, in order. `restoreFile` is where the FoundationDBRestore manifest was written. The changes
 * while restoring are made with kubectl, not `pulumi up`: a full `pulumi up --refresh` would scale mgmtd
 * and meta back (and mgmtd writes to FoundationDB at once, so the restore would find it non-empty) and
 * set the backup running again. Pulumi is only used to recreate a lost cluster (targeted) and, at the
 * end, to adopt the new backup name with a refresh.
 */
export function restorePlan(i: RestoreInput, restoreFile: string): RestoreStep[] {
  const ns = `-n ${i.namespace}`;
  const agents = `deploy/${i.clusterName}-backup-agents`;
  const url = `blobstore://${accountName(i.bucket, i.region, i.secureConnection)}/${i.backupName}?bucket=${i.bucket}&secure_connection=${i.secureConnection ? 1 : 0}&region=${i.region}`;
  const blob = "--blob-credentials /var/backup-credentials/credentials";
  const sel = (c: string) => `-l app.kubernetes.io/instance=${i.prefix},app.kubernetes.io/component=${c}`;
  const urn = fdbClusterUrn(i.stack, i.prefix);
  return [
    {
      title: "Check the backup is restorable",
      why: "A restore needs a backup whose first snapshot finished; describe reads it from the bucket, so it works when the cluster is gone too.",
      commands: [backupStatusCommand(i.namespace, i.clusterName), `kubectl ${ns} exec ${agents} -- fdbbackup describe -d '${url}' ${blob}`],
    },
    {
      title: "Stop backing up, keep the agents",
      why: "With backupState Stopped the operator keeps the backup agents (the restore runs on them) and starts no backup of an empty or damaged cluster into the bucket.",
      commands: [
        `kubectl ${ns} patch foundationdbbackup ${i.clusterName} --type merge -p '{"spec":{"backupState":"Stopped"}}'`,
        `kubectl ${ns} get foundationdbbackup ${i.clusterName} -o jsonpath='{.status.backupDetails.running}'  # false`,
      ],
    },
    {
      title: "Stop 3FS's metadata services",
      why: "mgmtd and meta are the 3FS processes that use FoundationDB (storage and FUSE reach metadata through them); nothing may write while it is restored.",
      commands: [
        `kubectl ${ns} scale statefulset ${i.prefix}-meta ${i.prefix}-mgmtd --replicas=0`,
        `kubectl ${ns} wait --for=delete pod ${sel("meta")} --timeout=10m`,
        `kubectl ${ns} wait --for=delete pod ${sel("mgmtd")} --timeout=10m`,
      ],
    },
    {
      title: "Have an empty FoundationDB cluster",
      why: "fdbrestore refuses a non-empty destination. A lost cluster is recreated by a targeted refresh and up (nothing else changes); a damaged one is cleared (this destroys what is left: only after step 1 succeeded).",
      commands: [
        `pulumi -s ${i.stack} refresh --target '${urn}' --yes && pulumi -s ${i.stack} up --target '${urn}'  # only if the cluster is gone`,
        `kubectl ${ns} exec ${agents} -- fdbcli --exec 'getrange "" \\xff 1'`,
        `# only if that printed a key: kubectl ${ns} exec ${agents} -- fdbcli --exec 'writemode on; clearrange "" \\xff'`,
      ],
    },
    {
      title: "Restore",
      why: "The operator runs fdbrestore from the FoundationDBRestore; the cluster stays locked until it completes.",
      commands: [
        `kubectl apply -f ${restoreFile}`,
        `kubectl ${ns} get foundationdbrestore ${i.clusterName}-restore -w  # until STATE is completed`,
        `kubectl ${ns} exec ${agents} -- fdbrestore status --dest_cluster_file /var/dynamic-conf/fdb.cluster`,
      ],
    },
    {
      title: "Bring 3FS up on the restored metadata",
      why: "The storage targets never left their disks; mgmtd loads the chain tables from the restored FoundationDB and the chains serve again.",
      commands: [
        `kubectl ${ns} scale statefulset ${i.prefix}-mgmtd --replicas=${i.mgmtdReplicas}`,
        `kubectl ${ns} scale statefulset ${i.prefix}-meta --replicas=${i.metaReplicas}`,
        `kubectl ${ns} rollout status statefulset ${i.prefix}-mgmtd ${i.prefix}-meta --timeout=15m`,
      ],
    },
    {
      title: "Back up again, under a new name",
      why: `The refresh lets Pulumi see the kubectl changes; up sets the backup Running into a new folder, so ${i.backupName} (restored from) is never overwritten.`,
      commands: [
        `pulumi -s ${i.stack} config set --path threefs:backup.name ${i.nextBackupName}`,
        `pulumi -s ${i.stack} up --refresh --policy-pack policy`,
        `kubectl ${ns} delete foundationdbrestore ${i.clusterName}-restore`,
      ],
    },
    {
      title: "Verify",
      why: "Every chain SERVING, the bootstrap unchanged, the new backup running.",
      commands: [
        `kubectl ${ns} exec deploy/${i.prefix}-admin-cli -- admin_cli --cfg=${ADMIN_CLI_PRIVATE_CONFIG} list-chains`,
        `kubectl ${ns} exec deploy/${i.prefix}-admin-cli -- admin_cli --cfg=${ADMIN_CLI_PRIVATE_CONFIG} list-nodes`,
        backupStatusCommand(i.namespace, i.clusterName),
      ],
    },
  ];
}
