/**
 * The FoundationDBBackup (apps.foundationdb.org/v1beta2, operator v2.33.0) that streams the 3FS metadata
 * cluster continuously into the OSS bucket, and the FoundationDBRestore that brings it back.
 *
 * How the operator uses the spec (FoundationDB/fdb-kubernetes-operator v2.33.0): it runs a Deployment of
 * `backup_agent` processes (internal/pod_models.go GetBackupDeployment) and `fdbbackup start` against
 * `blobstore://<accountName>/<backupName>?bucket=<bucket>&<urlParameters>` (api/v1beta2/
 * foundationdbbackup_types.go getURL). Agents and operator read the blob credentials from the JSON file
 * named by FDB_BLOB_CREDENTIALS (docs/manual/backup.md, "Configuring Your Account" and "Configuring the
 * Operator"): the agents through this spec's pod template, the operator through its own Deployment
 * (lib/fdb/operator.ts). Without explicit resources each agent would request 1 CPU and 8 GiB
 * (GetBackupDeployment defaults), so the spec sets them.
 *
 * TLS: with `secure_connection=1` FoundationDB needs a parseable certificate, key and CA file to start its
 * TLS layer even for the object store (docs/manual/backup.md, "Using Secure Connections"), which this
 * program does not manage; the default is plain HTTP to the VPC-internal endpoint (V4-signed requests,
 * the secret never sent; objects encrypted at rest by the bucket), and `secureConnection: true` expects
 * the user's TLS files in a Secret.
 *
 * Pure module: no cloud SDK imports.
 */
import type { ResourceRequirements } from "../fdb/spec";
import type { Toleration } from "../roles";

/** Where the credentials Secret is mounted in the agents and the operator, and the file inside. */
export const CREDENTIALS_DIR = "/var/backup-credentials";
export const CREDENTIALS_KEY = "credentials";
export const CREDENTIALS_FILE = `${CREDENTIALS_DIR}/${CREDENTIALS_KEY}`;
/** TLS files for secure connections (keys of the user's Secret). */
export const TLS_DIR = "/var/backup-tls";
export const TLS_KEYS = { cert: "cert.pem", key: "key.pem", ca: "ca.pem" } as const;

/** Inputs of {@link fdbBackupSpec}. */
export interface FdbBackupInput {
  /** The FoundationDBCluster to back up (same namespace). */
  clusterName: string;
  /** FDB version of the agents: the cluster's. */
  version: string;
  /** Registry of fdb-kubernetes-monitor (unified image, as the cluster). */
  imageRegistry: string;
  /** `accountName` (oss.ts accountName). */
  accountName: string;
  bucket: string;
  /** Name of the backup inside the bucket (its folder); restores name it. */
  backupName: string;
  region: string;
  secureConnection: boolean;
  /** Secret with the user's TLS files (secureConnection only). */
  tlsSecretName?: string;
  credentialsSecretName: string;
  agentCount: number;
  snapshotPeriodSeconds: number;
  /** Running, or Stopped during a restore (agents run, no backup). Default Running. */
  state?: "Running" | "Stopped";
  resources: ResourceRequirements;
  scheduling: { nodeSelector: Record<string, string>; tolerations: Toleration[] };
}

/** URL parameters: the region for V4 signing (oss.ts) and TLS on or off. */
export function urlParameters(region: string, secureConnection: boolean): string[] {
  return [`secure_connection=${secureConnection ? 1 : 0}`, `region=${region}`];
}

/** The `blobStoreConfiguration` shared by the backup and a restore. */
export function blobStoreConfiguration(i: Pick<FdbBackupInput, "accountName" | "bucket" | "backupName" | "region" | "secureConnection">) {
  return { accountName: i.accountName, backupName: i.backupName, bucket: i.bucket, urlParameters: urlParameters(i.region, i.secureConnection) };
}

/** Env of a container that talks to the bucket: credentials file, and TLS files when secure. */
export function blobEnv(secureConnection: boolean): { name: string; value: string }[] {
  const env = [{ name: "FDB_BLOB_CREDENTIALS", value: CREDENTIALS_FILE }];
  if (secureConnection) {
    env.push(
      { name: "FDB_TLS_CERTIFICATE_FILE", value: `${TLS_DIR}/${TLS_KEYS.cert}` },
      { name: "FDB_TLS_KEY_FILE", value: `${TLS_DIR}/${TLS_KEYS.key}` },
      { name: "FDB_TLS_CA_FILE", value: `${TLS_DIR}/${TLS_KEYS.ca}` },
    );
  }
  return env;
}

/** Volumes and mounts for {@link blobEnv}. */
export function blobVolumes(credentialsSecretName: string, tlsSecretName: string | undefined) {
  const volumes: { name: string; secret: { secretName: string; defaultMode: number } }[] = [
    // 0444: the agents' user is the image's, not known here; only this pod's containers see the volume.
    { name: "backup-credentials", secret: { secretName: credentialsSecretName, defaultMode: 0o444 } },
  ];
  const mounts = [{ name: "backup-credentials", mountPath: CREDENTIALS_DIR, readOnly: true }];
  if (tlsSecretName) {
    volumes.push({ name: "backup-tls", secret: { secretName: tlsSecretName, defaultMode: 0o444 } });
    mounts.push({ name: "backup-tls", mountPath: TLS_DIR, readOnly: true });
  }
  return { volumes, mounts };
}

/** The FoundationDBBackup spec: continuous, running, agents on the meta nodes. */
export function fdbBackupSpec(i: FdbBackupInput): Record<string, unknown> {
  if (i.secureConnection && !i.tlsSecretName) throw new Error("secureConnection needs tlsSecretName (FoundationDB's TLS layer needs certificate, key and CA files)");
  if (!Number.isInteger(i.agentCount) || i.agentCount < 1) throw new Error(`agentCount must be ≥ 1, got ${i.agentCount}`);
  const { volumes, mounts } = blobVolumes(i.credentialsSecretName, i.secureConnection ? i.tlsSecretName : undefined);
  return {
    version: i.version,
    clusterName: i.clusterName,
    backupState: i.state ?? "Running",
    backupMode: "continuous",
    // Deleting the resource leaves the backup data alone (the bucket is retained too).
    deletionPolicy: "noop",
    agentCount: i.agentCount,
    snapshotPeriodSeconds: i.snapshotPeriodSeconds,
    imageType: "unified",
    mainContainer: { imageConfigs: [{ baseImage: `${i.imageRegistry}/fdb-kubernetes-monitor` }] },
    blobStoreConfiguration: blobStoreConfiguration(i),
    podTemplateSpec: {
      spec: {
        nodeSelector: { ...i.scheduling.nodeSelector },
        ...(i.scheduling.tolerations.length > 0 ? { tolerations: i.scheduling.tolerations.map((t) => ({ ...t })) } : {}),
        automountServiceAccountToken: false,
        volumes,
        containers: [{ name: "foundationdb", env: blobEnv(i.secureConnection), volumeMounts: mounts, resources: i.resources }],
      },
    },
  };
}

/** A FoundationDBRestore of this backup into `destinationClusterName` (which must be empty). */
export function fdbRestoreSpec(i: Pick<FdbBackupInput, "accountName" | "bucket" | "backupName" | "region" | "secureConnection"> & { destinationClusterName: string }) {
  return { destinationClusterName: i.destinationClusterName, blobStoreConfiguration: blobStoreConfiguration(i) };
}

/** The status command the stack exports: the backup's state, restorable flag and URL. */
export function backupStatusCommand(namespace: string, backupName: string): string {
  return `kubectl -n ${namespace} get foundationdbbackup ${backupName} -o jsonpath='{.status.backupDetails}'`;
}
