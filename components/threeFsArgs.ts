/**
 * Arguments of the ThreeFs component (components/threeFs.ts). Every size is validated when the
 * component is constructed (lib/k8s/threefs and lib/threefs), before any resource is registered.
 */
import type { StorageSet } from "../lib/threefs/storageNodes";
import type * as pulumi from "@pulumi/pulumi";
import type { PoolLayout } from "../lib/roles";
import type { Tenant } from "../lib/tenants/spec";
import type { ThreeFsCheckArgs } from "../lib/k8s/threefs/render";
import type { ImageSettings, Profile, RdmaPodSecurity, Resources } from "../lib/k8s/threefs/types";

/** Arguments of {@link ThreeFs}. */
export interface ThreeFsArgs {
  /**
   * Namespace of every 3FS object. It must exist: pass the Namespace resource's `metadata.name` so the
   * objects wait for it. The FDB cluster-file ConfigMap must be in the same namespace.
   */
  namespace: pulumi.Input<string>;
  /**
   * Stack-scoped prefix of every Kubernetes name, e.g. `threefs-dev`: a DNS-1035 label of at most 40
   * characters (StatefulSet names must stay ≤ 52 and Job names ≤ 63). Two stacks with different prefixes
   * can share a cluster, even a namespace. Changing it recreates everything.
   */
  prefix: string;
  /** Environment profile: labels every object (`threefs.io/profile`) for the policy pack; staging/prod need ≥ 2 chain replicas. */
  profile: Profile;
  /**
   * 3FS cluster id: lowercase letters, digits and '-', < 32 characters (it is the FUSE file system name).
   * Changing it means a new, empty file system.
   */
  clusterId: string;
  /**
   * Images `${registry}/3fs-{mgmtd,meta,storage,fuse,admin-cli}:${tag}[@${digests[component]}]`. `tag`
   * is shared and never latest/dev; Alibaba publishes only `main` (moving, one push per commit) and
   * `pr-<n>`, so also pin `digests` (one `sha256:…` per image: a digest names one image). `registry` may
   * point at a mirror (e.g. ACR). `pullPolicy` defaults to IfNotPresent.
   */
  images: ImageSettings;
  /** Node-pool layout (lib/roles): `combined` (one untainted pool) or `separate` (tainted pool per role). */
  layout: PoolLayout;
  /** mgmtd: replicas (1–99; node ids 1, 2, …; one primary, the others stand by) and per-container resources. */
  mgmtd: { replicas: number; resources: Resources };
  /** meta: replicas (1–9900; node ids 100, 101, …; clients spread requests over all) and resources. */
  meta: { replicas: number; resources: Resources };
  /**
   * storage: `nodes` pods (1–1000; node ids 10000 + ordinal; at most one per node, so ≤ storage nodes) in
   * `sets` (default one StatefulSet; with zone spread one per zone, lib/threefs/storageNodes.ts),
   * each with `disksPerNode` (1–64) claims of `diskSizeGiB` GiB (EED: 64–8192) on `storageClassName`.
   * The memory limit (≥ 2Gi) also sizes the storage service's pinned RDMA buffer pool (a quarter of it,
   * at most 8 GiB). `disksPerNode` and `diskSizeGiB` are fixed once the cluster holds data: changing
   * them replaces the storage StatefulSet and is a migration (docs/threefs.md, "Changing the disks").
   */
  storage: { nodes: number; sets?: StorageSet[]; disksPerNode: number; diskSizeGiB: number; storageClassName: pulumi.Input<string>; resources: Resources };
  /** FUSE client: mount point on client nodes (absolute, e.g. /mnt/3fs) and resources. */
  fuse: { mountPath: string; resources: Resources };
  /** Resources of the admin-cli pod and the bootstrap Job. */
  adminCli: { resources: Resources };
  /**
   * Chain table: CRAQ `replicas` (1–5; ≥ 2 outside dev), `targetsPerDisk` (1–99), `stripeSize` (chains
   * per file, ≤ chain groups × disks), `chunkSizeBytes` (power of two, 64 KiB–64 MiB; default 1 MiB) and the
   * `placement`: the placement lock's chain groups (stacks/<stack>.placement.json, lib/threefs/placementLock),
   * members [storage node id, slot] head first. A change re-runs the bootstrap Job (new chains) and the
   * migration Job (membership moves, heads). `desc`: the chain table's description in 3FS
   * (`upload-chain-table --desc`); default the prefix, the program passes the stack name.
   */
  chains: { replicas: number; targetsPerDisk: number; stripeSize: number; chunkSizeBytes?: number; placement: ReadonlyArray<ReadonlyArray<readonly [number, number]>>; desc?: string };
  /** Name of the FDB operator's `<cluster>-config` ConfigMap (key `cluster-file`) in `namespace`. */
  fdbClusterFileConfigMap: pulumi.Input<string>;
  /** `host:port` of a 3FS monitor collector; unset: metrics go to the log every 60 s. */
  monitorCollector?: string;
  /**
   * `enabled`: a Job on a client node writes 64 MiB through the mount, reads it back (O_DIRECT) and compares
   * digests (`pulumi up` fails if it does). `fio`: also a fio throughput Job (not awaited; read its
   * log). `fioImage`: an image with fio on PATH; default: the FUSE image installs Ubuntu's fio (egress).
   */
  smokeTest: { enabled: boolean; fio: boolean; fioImage?: string };
  /**
   * What the post-deploy check expects of the stack besides the 3FS plan: every node pool (selector,
   * planned nodes, the eRDMA resource), the client nodes' labels (empty: no client nodes, the check runs on
   * a meta node and skips FUSE and io), and the MiB it writes through the mount (0: no write).
   */
  check: ThreeFsCheckArgs;
  /**
   * Day-2 operations (docs/operations.md): `maxSyncsPerNode` (1–16, default 2) bounds the resyncs a storage
   * node takes part in while the migration Job moves chain members; `balanceHeads` (default true) sets
   * balanced chain heads with set-preferred-target-order; `replace` lists storage node ids whose instance and
   * disks were lost, which the replacement Job brings back on new disks with their target ids.
   */
  operations?: { maxSyncsPerNode?: number; balanceHeads?: boolean; replace?: number[] };
  /**
   * How mgmtd, meta, admin-cli and the Jobs run: `privileged` (default; what Alibaba's chart and
   * kvc-3fs-operator do, known to work) or `capabilities` (unprivileged with IPC_LOCK and SYS_RESOURCE;
   * hardening, unverified until the post-deploy check passes with it). Storage and FUSE are privileged
   * in both (blkid on the EED devices, Bidirectional mounts).
   */
  security?: { rdmaPods: RdmaPodSecurity };
  /**
   * prod: Pulumi-protect the token's RandomBytes and the storage StatefulSet (so a disk count or size
   * change, which replaces the StatefulSet, is refused). The disks' claims are retained when the
   * StatefulSet is deleted in every profile, protected or not.
   */
  protect: boolean;
  /** The cluster's Kubernetes version (e.g. 1.35.2-aliyun.1); when given it must be ≥ 1.32 (pod-index label). */
  kubernetesVersion?: string;
  /** Extra labels on every object (never in selectors); cannot override the 3FS labels. */
  labels?: Record<string, string>;
  /**
   * Tenants (resolved, lib/tenants/spec.ts) whose non-root 3FS users and directories the bootstrap
   * ensures. Each gets a token from 8 random bytes kept in state (protected with `protect`), shipped to the
   * bootstrap in the `<prefix>-tenant-tokens` Secret and exported as `tenantTokens`. Default none.
   */
  tenants?: readonly Tenant[];
}
