/**
 * The consumer contract: the outputs of a threefs stack that other stacks may rely on, and a typed
 * reader for them.
 *
 * Versioning: `contractVersion` is exported by every threefs stack. Adding an output is compatible
 * (minor); renaming, removing or changing the meaning/type of one is breaking and bumps the major
 * number. `readThreeFsStack` refuses a stack whose major version differs from the one this file was
 * written against, so a consumer notices at `pulumi preview` time rather than at mount time.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Toleration } from "../lib/roles";

/** Version of the output contract, `major.minor`. */
export const CONTRACT_VERSION = "1.7";

/** Raw capacity ceiling of the storage tier. */
export interface StorageCapacity {
  /** Raw capacity of one storage node, GiB (disksPerNode × diskSizeGiB). */
  perNodeRawGiB: number;
  /** Usable share of one storage node, GiB (raw ÷ chain replicas). */
  perNodeUsableGiB: number;
  /** Raw capacity of all storage nodes, GiB. */
  totalRawGiB: number;
  /** Usable capacity, GiB (raw ÷ chain replicas). */
  usableGiB: number;
}

/**
 * What the storage tier can deliver, from the sizing model (lib/sizing, docs/sizing.md): published
 * instance and disk figures, the chain placement, and the assumptions listed in `assumptions`. Rates
 * are GB/s (10^9 bytes/s), sustained (baseline bandwidth), null where a figure is not published.
 */
export interface StorageSizing {
  /** Storage instance types the figures assume (the slowest of each figure among them). */
  instanceTypes: string[];
  /** Client reads one storage node can serve, GB/s. */
  perNodeReadGBps: number | null;
  /** One storage node's share of client writes (its ingest ÷ replicas), GB/s. */
  perNodeWriteGBps: number | null;
  /** Read ceiling of the storage tier, GB/s. */
  readGBps: number | null;
  /** Write ceiling of the storage tier (every write lands on each replica), GB/s. */
  writeGBps: number | null;
  /** Reads the client nodes can take: min(readGBps, client network), GB/s. */
  clientReadGBps: number | null;
  /** Writes the client nodes can push: min(writeGBps, client network), GB/s. */
  clientWriteGBps: number | null;
  /** Read ceiling while one storage node is lost, GB/s. */
  degradedReadGBps: number | null;
  /** What limits clientReadGBps and clientWriteGBps: network, instance disk bandwidth, disks or client network. */
  readLimit: string | null;
  writeLimit: string | null;
  /** Usable capacity, GiB (raw ÷ replicas). */
  usableGiB: number;
  /** Seconds to re-replicate a lost storage node's data onto its replacement (full disks, idle peers). */
  nodeRecoverySeconds: number | null;
  /** Which side bounds it: the replacement node (`receiver`) or the busiest peer (`sender`). */
  nodeRecoveryBound: string | null;
  /** Seconds to re-replicate one lost disk. */
  diskRecoverySeconds: number | null;
  /** Assumptions the figures rest on (keys of ASSUMPTIONS in lib/sizing/sources.ts). */
  assumptions: string[];
  /** Where the published figures come from (URLs). */
  sources: string[];
}

/**
 * What the stack's placement lock (stacks/<stack>.placement.json) changes against the lock it was planned
 * from: shown by `pulumi preview` so a reviewer sees what a PR moves (docs/operations.md).
 */
export interface PlacementChangeSummary {
  /** Chain groups added (one chain per disk index each). */
  newChains: number;
  /** Storage targets that move to another node (memberships moved × disks per node). */
  movedTargets: number;
  /** Memberships moved (each moves one target per disk index). */
  movedTargetsPerDisk: number;
  /** Memberships that must move for every node to hold at most its fair share of the old chains. */
  lowerBound: number;
  /** Storage node ids added to the placement. */
  addedNodes: number[];
  /** Storage node ids emptied by this change (decommission). */
  drainedNodes: number[];
  /** Chains whose preferred head changed. */
  newHeads: number;
  /** Pair spread of the placement: max − min chains two nodes share. */
  spread: number;
  /** Storage nodes and chain groups in the placement. */
  nodes: number;
  chainGroups: number;
  /** With `threefs:storage.zoneSpread`: the zones, and the chain groups that keep a replica when any one zone is lost. */
  zones?: { zones: number; chainsSurvivingZoneLoss: number; chains: number };
}

/** A tenant (`threefs:tenants`) as consumers see it: where it may work and as whom. */
export interface TenantInfo {
  /** Its Kubernetes namespace (its kubeconfig can deploy there only). */
  namespace: string;
  /** uid and gid its pods must run as (the admission policy refuses anything else). */
  uid: number;
  gid: number;
  /** Its directory in 3FS, from the file system's root, e.g. /tenants/vision. */
  directory: string;
  /** The same directory on a client node: mountPath + directory. */
  hostPath: string;
  /** Secret in `namespace` holding the tenant's own (non-root) 3FS token under key `token`. */
  tokenSecretName: string;
}

/** Every output of a threefs stack. */
export interface ThreeFsStackOutputs {
  /** Contract version (see CONTRACT_VERSION). */
  contractVersion: string;
  /** Alibaba Cloud region, e.g. cn-beijing. */
  region: string;
  /** Zones the stack spans. */
  zones: string[];
  /** Environment profile: dev | staging | prod. */
  profile: string;
  /** VPC id. */
  vpcId: string;
  /** Node vSwitch ids, one per zone. */
  vswitchIds: string[];
  /** Terway pod vSwitch ids, one per zone. */
  podVswitchIds: string[];
  /** Security group of the cluster nodes. */
  securityGroupId: string;
  /**
   * ACK cluster id. Since contract 1.6: "" when the stack was given an existing cluster by kubeconfig alone
   * (`threefs:cluster.existing.kubeconfig` without `clusterId`); use `kubeconfig` then, and pass no
   * `clusterIdentifier` to a Kubernetes provider (as stacks/consumer does).
   */
  clusterId: string;
  /**
   * Kubeconfig of the ACK cluster (secret): fetched for the stack's cluster, or the one the stack was given.
   * @deprecated since 1.5: cluster-admin, for operators; read `operatorKubeconfig` for that and give
   * consumers a tenant's kubeconfig (`tenant(name)`). Removed in 2.0.
   */
  kubeconfig: string;
  /** Cluster-admin kubeconfig of the ACK cluster (secret). For operators only: consumers use a tenant's. */
  operatorKubeconfig: string;
  /** Node pool ids by pool name (`all` in the combined layout, else storage/meta/client). */
  nodePoolIds: Record<string, string>;
  /** Namespace of the 3FS services and the FoundationDB cluster. */
  namespace: string;
  /** Name of the FoundationDBCluster (in `namespace`). */
  fdbClusterName: string;
  /** ConfigMap in `namespace` whose key `cluster-file` is the FoundationDB connection string. */
  fdbClusterFileConfigMap: string;
  /** 3FS cluster id (also the FUSE file system name). */
  threefsClusterId: string;
  /** mgmtd address for 3FS clients, e.g. RDMA://<svc>.<ns>.svc.cluster.local:8000. */
  mgmtdAddress: string;
  /** Where 3FS is mounted on client nodes (hostPath for workloads). */
  mountPath: string;
  /** Node selector that lands a pod on a client node (where the mount exists). */
  clientNodeSelector: Record<string, string>;
  /** Tolerations a pod needs for client nodes (empty when client nodes are not tainted). */
  clientTolerations: Toleration[];
  /** Client nodes, i.e. nodes with the FUSE mount; 0 means no pod can mount 3FS (the mount helper refuses). */
  clientNodes: number;
  /** Host directory that is /dev/shm of the FUSE daemon on every client node; USRBIO pods mount it at /dev/shm. */
  usrbioShmHostPath: string;
  /** Root user token (secret). @deprecated since 1.5: for operators, read `operatorToken`; removed in 2.0. */
  token: string;
  /** The 3FS root user's token (secret). For operators and admin tooling only; no consumer needs it. */
  operatorToken: string;
  /** Tenants by name. */
  tenants: Record<string, TenantInfo>;
  /** Each tenant's namespace-scoped kubeconfig (its deployer ServiceAccount), by tenant name (secret). */
  tenantKubeconfigs: Record<string, string>;
  /** StorageClass names: EED for storage targets, ESSD for FoundationDB. */
  storageClasses: { eed: string; fdb: string };
  /** Storage capacity ceiling. */
  capacity: StorageCapacity;
  /** Name of the bootstrap Job of the current configuration. */
  bootstrapJobName: string;
  /**
   * Name of the post-deploy check Job of the current configuration (eRDMA on every pool, nodes connected,
   * chains serving, FUSE mounted, a write/read through the mount); `kubectl logs job/<name> -n <namespace>`.
   * Since contract 1.3.
   */
  checkJobName: string;
  /** Throughput ceilings, usable capacity and recovery times of the storage tier. */
  sizing: StorageSizing;
  /** Grafana with the 3FS dashboards: the in-cluster Service URL (reach it with `kubectl port-forward`) or
   * the configured external one; null when `threefs:monitoring` is off. (1.4) */
  grafanaUrl: string | null;
  /** The chain-health exporter's Prometheus endpoint (in-cluster URL); null when monitoring is off. (1.4) */
  metricsEndpoint: string | null;
  /** `ipv4:port` the 3FS services report metrics to (in-cluster or external collector); null: metrics go to the log. (1.4) */
  monitorCollectorAddress: string | null;
  /** OSS bucket of the continuous FoundationDB backup; null when `threefs:backup` is off. (1.4) */
  backupBucket: string | null;
  /** A kubectl command that prints the backup's state (running, restorable, URL); null when backup is off. (1.4) */
  backupStatusCommand: string | null;
  /** What the placement lock changes against the lock it was planned from. (1.7) */
  placementChange: PlacementChangeSummary;
  /** The migration Job of the current placement lock (not awaited by `pulumi up`; `kubectl logs job/<name>`). (1.7) */
  migrationJobName: string;
  /** The roll Job of the current pod templates: health-gated restarts, not awaited. (1.7) */
  rollJobName: string;
}

/** Typed Outputs of a threefs stack. */
export type ThreeFsStackReference = { [K in keyof ThreeFsStackOutputs]: pulumi.Output<ThreeFsStackOutputs[K]> };

/** Keys a consumer may read; kept in sync with the interface by the type below. */
export const OUTPUT_KEYS = [
  "contractVersion",
  "region",
  "zones",
  "profile",
  "vpcId",
  "vswitchIds",
  "podVswitchIds",
  "securityGroupId",
  "clusterId",
  "kubeconfig",
  "operatorKubeconfig",
  "nodePoolIds",
  "namespace",
  "fdbClusterName",
  "fdbClusterFileConfigMap",
  "threefsClusterId",
  "mgmtdAddress",
  "mountPath",
  "clientNodeSelector",
  "clientTolerations",
  "clientNodes",
  "usrbioShmHostPath",
  "token",
  "operatorToken",
  "tenants",
  "tenantKubeconfigs",
  "storageClasses",
  "capacity",
  "bootstrapJobName",
  "checkJobName",
  "sizing",
  "grafanaUrl",
  "metricsEndpoint",
  "monitorCollectorAddress",
  "backupBucket",
  "backupStatusCommand",
  "placementChange",
  "migrationJobName",
  "rollJobName",
] as const satisfies readonly (keyof ThreeFsStackOutputs)[];

// Compile-time check that OUTPUT_KEYS lists every key of the interface.
type Missing = Exclude<keyof ThreeFsStackOutputs, (typeof OUTPUT_KEYS)[number]>;
const _allKeysListed: Missing extends never ? true : never = true;
void _allKeysListed;

/** Outputs that are secret in the producing stack. */
export const SECRET_OUTPUTS: ReadonlySet<keyof ThreeFsStackOutputs> = new Set(["kubeconfig", "operatorKubeconfig", "token", "operatorToken", "tenantKubeconfigs"]);

/** Throws when a stack's contract major version differs from ours. */
export function checkContractVersion(actual: string | undefined): void {
  const major = (v: string) => v.split(".")[0];
  if (actual === undefined) throw new Error(`threefs stack exports no contractVersion; expected ${CONTRACT_VERSION}`);
  if (major(actual) !== major(CONTRACT_VERSION)) {
    throw new Error(`threefs stack exports contract ${actual}, this consumer was written for ${CONTRACT_VERSION} (major version differs: check the changelog)`);
  }
}

/** What a pod needs to mount 3FS on a client node: the mount helper's input (consumer/). */
export interface ClientMount {
  /** Where the FUSE mount is on the node. */
  mountPath: string;
  /** Client nodes (0: none, nothing can mount 3FS). */
  nodes: number;
  nodeSelector: Record<string, string>;
  tolerations: Toleration[];
  /** The node's USRBIO shared-memory directory (host path). */
  usrbioShmHostPath: string;
}

/** One tenant, as a consumer stack reads it: only what the tenant may use. */
export interface ThreeFsTenantReference {
  name: string;
  /** Namespace, uid/gid, directory, token Secret. */
  info: pulumi.Output<TenantInfo>;
  /** The tenant's namespace-scoped kubeconfig (secret). */
  kubeconfig: pulumi.Output<string>;
  /** How to reach the mount. */
  client: pulumi.Output<ClientMount>;
}

/** The typed outputs plus accessors. */
export type ThreeFsStack = ThreeFsStackReference & {
  /** How to reach the mount. */
  client: pulumi.Output<ClientMount>;
  /**
   * One tenant's outputs. Fails (at preview, once the stack's outputs are known) when the stack has no
   * tenant of that name, listing those it has.
   */
  tenant(name: string): ThreeFsTenantReference;
};

/** Reads a threefs stack's outputs as typed Outputs, after checking the contract version. */
export function readThreeFsStack(ref: pulumi.StackReference): ThreeFsStack {
  const version = ref.getOutput("contractVersion").apply((v) => {
    checkContractVersion(v as string | undefined);
    return v as string;
  });
  const out: Partial<Record<keyof ThreeFsStackOutputs, pulumi.Output<unknown>>> = {};
  for (const key of OUTPUT_KEYS) {
    // Every value waits for the version check, so a mismatch fails before anything is deployed.
    const value = pulumi.all([version, ref.getOutput(key)]).apply(([, v]) => v);
    out[key] = SECRET_OUTPUTS.has(key) ? pulumi.secret(value) : value;
  }
  const refs = out as ThreeFsStackReference;
  const client = pulumi
    .all([refs.mountPath, refs.clientNodes, refs.clientNodeSelector, refs.clientTolerations, refs.usrbioShmHostPath])
    .apply(([mountPath, nodes, nodeSelector, tolerations, usrbioShmHostPath]): ClientMount => ({ mountPath, nodes, nodeSelector, tolerations, usrbioShmHostPath }));
  const tenant = (name: string): ThreeFsTenantReference => {
    const info = refs.tenants.apply((all) => {
      const t = all?.[name];
      if (!t) throw new pulumi.RunError(`threefs stack has no tenant "${name}" (tenants: ${Object.keys(all ?? {}).join(", ") || "none"}); add it to threefs:tenants`);
      return t;
    });
    const kubeconfig = pulumi.secret(pulumi.all([info, refs.tenantKubeconfigs]).apply(([, all]) => all[name]));
    return { name, info, kubeconfig, client };
  };
  return { ...refs, client, tenant };
}
