/**
 * Node pools and disks, planned from the stack configuration: which pools exist, their size, instance
 * types, labels, taints and zones; the OS image, container runtime limits and kubelet settings every
 * 3FS node needs; the two StorageClasses (EED for storage targets, ESSD for FoundationDB); and the
 * capacity the storage layout gives.
 *
 * Components (`components/nodePools.ts`, `components/disks.ts`) turn these plain objects into resources;
 * everything that can be decided without a cloud lives here and is tested on its own.
 *
 * Pure module: no cloud SDK imports.
 */
import type { StackConfigParsed } from "../../stacks/schema";
import { NODE_ROLES, roleLabelKey, roleTaint, type NodeRole, type PoolLayout, type Taint } from "../roles";
import { APP_NAME, APP_NAME_LABEL, COMPONENT_LABEL, OPEN_FILE_LIMIT, PROFILE_LABEL } from "../threefs/constants";

type DeepReadonly<T> = T extends (infer U)[] ? readonly DeepReadonly<U>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

/**
 * The part of the configuration node pools and disks depend on. Both the validated `StackConfig` and the
 * (not yet frozen) config that `stacks/rules.ts` checks satisfy it.
 */
export type NodePoolsConfig = DeepReadonly<
  Pick<StackConfigParsed, "profile" | "zones" | "nodePools" | "storage" | "meta" | "client" | "chains" | "fdb" | "protection">
> & {
  /** Stack name; when given, pools carry the stack's Terway configuration label ({@link terwayConfigName}). */
  readonly stack?: string;
};

/** Name of a pool: one per role (`separate`) or `all` (`combined`). Also the suffix of its resource name. */
export type PoolName = NodeRole | "all";

/**
 * Default OS image of every pool (`threefs:nodePools.imageType`): ContainerOS. Kubernetes 1.35 refuses
 * cgroup v1 (ACK 1.35 release notes, https://www.alibabacloud.com/help/doc-detail/3021327.html), and the
 * eRDMA agent special-cases ContainerOS: it recognises the `lifsea` kernel and installs the kernel's own
 * `kernel-modules` package for the erdma module, where on any other OS it downloads Alibaba's erdma
 * installer and builds the driver with DKMS against kernel-devel on every node
 * (alibabacloud-erdma-controller internal/drivers/utils.go:12-43, utils_linux.go:77-83, compat.go:24-38).
 * ContainerOS does not run instance types with local disks (ACK, ContainerOS overview,
 * https://www.alibabacloud.com/help/en/container-service-for-kubernetes/latest/containeros-overview).
 */
export const IMAGE_TYPE = "ContainerOS";

/**
 * Container runtime. The version is left to ACK on purpose: the node pool then gets the containerd release
 * ACK ships for the cluster's Kubernetes version (2.1.x for 1.33+). Pinning it would fail pool creation the
 * day ACK retires that patch release.
 */
export const RUNTIME_NAME = "containerd";

/**
 * The largest `limitMemLock` the ACK API accepts (2^53 − 1 bytes, 8 PiB): effectively unlimited. The API
 * takes a decimal string and has no `infinity`. RDMA pins (registers) every buffer it sends from or
 * receives into; 3FS registers its whole I/O buffer pool, gigabytes on a storage node, and the containerd
 * default (the host's 64 KiB) makes `ibv_reg_mr` fail. ACK raises the default to infinity only when it sees
 * an RDMA device while initialising the node; eRDMA interfaces attached by ack-erdma-controller after the
 * node is ready do not trigger that, so the limit is set explicitly.
 */
export const MEMLOCK_UNLIMITED = "9007199254740991";

/** Container ulimits set through the node pool's containerd configuration (`containerdConfig`). */
export interface ContainerdLimits {
  /** RLIMIT_MEMLOCK of every container, bytes, decimal string. */
  limitMemLock: string;
  /** RLIMIT_NOFILE of every container, decimal string. */
  limitNoFile: string;
}

/**
 * The containerd limits of every 3FS node: unlimited locked memory (RDMA memory registration) and the
 * 1,048,576 open files 3FS services run with (one descriptor per chunk file, RDMA queue and connection).
 * The open-file value equals ACK's current default; it is pinned so a changed default cannot starve 3FS.
 */
export function containerdConfig(): ContainerdLimits {
  return { limitMemLock: MEMLOCK_UNLIMITED, limitNoFile: String(OPEN_FILE_LIMIT) };
}

/** Kubelet settings of a node pool, in the string-typed shape `alicloud.cs.NodePool` takes. */
export interface KubeletSettings {
  /** Pull the 3FS, FDB and operator images in parallel: a new node becomes useful sooner. */
  serializeImagePulls: string;
  /** Rotate a container's stdout log at this size (kubelet default 10Mi), so service logs under load keep useful history. */
  containerLogMaxSize: string;
  /** Rotated log files kept per container (with the size: ≤ 500 MiB per container on the system disk). */
  containerLogMaxFiles: string;
}

/**
 * Kubelet configuration. Deliberately small: resource reservations, eviction thresholds and max pods keep
 * ACK's per-instance-type defaults (they scale with the node), and nothing 3FS needs is a kubelet setting —
 * its ulimits are containerd's ({@link containerdConfig}) and `fs.aio-max-nr` is raised by the storage pods'
 * privileged init container because it is not a namespaced sysctl.
 */
export function kubeletConfiguration(): KubeletSettings {
  return { serializeImagePulls: "false", containerLogMaxSize: "100Mi", containerLogMaxFiles: "5" };
}

/** One node pool, fully decided except for cloud ids (cluster, vSwitches, security group). */
export interface NodePoolPlan {
  /** `all` (combined layout) or the role it serves; suffix of the resource and pool names. */
  name: PoolName;
  /** Roles whose pods run here; the pool carries each role's label. */
  roles: readonly NodeRole[];
  /** Number of nodes (ACK's `desiredSize`). */
  size: number;
  /** Instance types, tried in order; all eRDMA-capable (validated). */
  instanceTypes: readonly string[];
  /** The config key the instance types come from, for messages. */
  instanceTypesKey: string;
  /** Kubernetes node labels: one `threefs.io/<role>=true` per role, and the profile. */
  labels: readonly { key: string; value: string }[];
  /** `NoSchedule` taints of dedicated pools; none in the combined pool. */
  taints: readonly Taint[];
  /** Indexes into the stack's node vSwitch list (one vSwitch per configured zone): the pool spans them all. */
  vswitchIndexes: readonly number[];
  /** How ACK spreads nodes over the vSwitches: BALANCE (even across zones) with several zones, else PRIORITY. */
  multiAzPolicy: "PRIORITY" | "BALANCE";
  /** OS image type, `threefs:nodePools.imageType` (see {@link IMAGE_TYPE}). */
  imageType: string;
  /** containerd registry mirrors, `registry=https://mirror[,…]` (ACK containerdConfig.registryMirrors). */
  registryMirrors: readonly string[];
  /**
   * ACK auto repair (node pool `management.autoRepair`): ACK restarts or replaces unhealthy nodes. On for
   * meta and client pools; off wherever storage runs, because replacing a storage node's instance deletes
   * its elastic ephemeral disks with it (they are attached DeleteWithInstance, see docs/node-pools.md): an
   * operator decides when a storage node is lost.
   */
  autoRepair: boolean;
  /** Container runtime, see {@link RUNTIME_NAME}. */
  runtimeName: string;
  /** System disk; never EED (not allowed as a system disk). */
  systemDisk: { category: string; sizeGiB: number };
  /** Container ulimits, see {@link containerdConfig}. */
  containerd: ContainerdLimits;
  /** Kubelet settings, see {@link kubeletConfiguration}. */
  kubelet: KubeletSettings;
}

/**
 * Nodes that carry each role's label under the layout. `separate`: each role's own `nodes`; `combined`: the
 * one pool's size (the largest of the three), for every role. The meta count is what FoundationDB can spread
 * its processes over.
 */
export function roleNodeCounts(cfg: NodePoolsConfig): Readonly<Record<NodeRole, number>> {
  if (cfg.nodePools.layout === "combined") {
    const n = combinedPoolSize(cfg);
    return { storage: n, meta: n, client: n };
  }
  return { storage: cfg.storage.nodes, meta: cfg.meta.nodes, client: cfg.client.nodes };
}

/** Size of the combined pool: big enough for every role's node count. */
function combinedPoolSize(cfg: NodePoolsConfig): number {
  return Math.max(cfg.storage.nodes, cfg.meta.nodes, cfg.client.nodes);
}

/**
 * The node pools of the stack. `combined`: one pool `all` with every role label and no taints, sized for the
 * largest role, on the storage instance types. `separate`: storage, meta and client pools (client only when
 * `client.nodes` > 0), each with its role label and `NoSchedule` taint, on the role's own instance types.
 */
export function planNodePools(cfg: NodePoolsConfig): NodePoolPlan[] {
  const layout: PoolLayout = cfg.nodePools.layout;
  if (layout === "combined") {
    return [pool(cfg, "all", NODE_ROLES, combinedPoolSize(cfg), cfg.storage.instanceTypes, "threefs:storage.instanceTypes")];
  }
  const pools: NodePoolPlan[] = [
    pool(cfg, "storage", ["storage"], cfg.storage.nodes, cfg.storage.instanceTypes, "threefs:storage.instanceTypes"),
    pool(cfg, "meta", ["meta"], cfg.meta.nodes, cfg.meta.instanceTypes, "threefs:meta.instanceTypes"),
  ];
  if (cfg.client.nodes > 0) pools.push(pool(cfg, "client", ["client"], cfg.client.nodes, cfg.client.instanceTypes, "threefs:client.instanceTypes"));
  return pools;
}

function pool(cfg: NodePoolsConfig, name: PoolName, roles: readonly NodeRole[], size: number, instanceTypes: readonly string[], key: string): NodePoolPlan {
  const layout = cfg.nodePools.layout;
  const labels = [...roles.map((r) => ({ key: roleLabelKey(r), value: "true" })), { key: PROFILE_LABEL, value: cfg.profile }, ...terwayConfigLabels(cfg)];
  const taints = roles.map((r) => roleTaint(r, layout)).filter((t): t is Taint => t !== undefined);
  return {
    name,
    roles: [...roles],
    size,
    instanceTypes: [...instanceTypes],
    instanceTypesKey: key,
    labels,
    taints,
    vswitchIndexes: cfg.zones.map((_, i) => i),
    multiAzPolicy: cfg.zones.length > 1 ? "BALANCE" : "PRIORITY",
    imageType: cfg.nodePools.imageType,
    registryMirrors: [...cfg.nodePools.registryMirrors],
    autoRepair: !roles.includes("storage"),
    runtimeName: RUNTIME_NAME,
    systemDisk: { category: cfg.nodePools.systemDiskCategory, sizeGiB: cfg.nodePools.systemDiskSizeGiB },
    containerd: containerdConfig(),
    kubelet: kubeletConfiguration(),
  };
}

/**
 * Node label through which Terway reads a per-node configuration: the daemon merges the `eni_conf` of the
 * kube-system ConfigMap named by the node's `terway-config` label over `eni-config` when it starts
 * (AliyunContainerService/terway docs/dynamic-config.md; types/daemon/dynamicconfig.go:27-47, 82-91).
 */
export const TERWAY_CONFIG_LABEL = "terway-config";

/** Name of the stack's Terway ConfigMap (kube-system), also the label value: ≤ 63 characters. */
export function terwayConfigName(stack: string): string {
  return `${storageClassPrefix(stack)}-eni`.slice(0, 63).replace(/[-.]+$/, "");
}

/**
 * The Terway ENI whitelist every 3FS node gets: Terway manages only ENIs tagged `creator=terway` (the tag
 * it puts on the ENIs it creates: terway types/aliyun.go:7-10, daemon/config.go:82,
 * pkg/controller/multi-ip/node/pool.go:2084), so it never adopts the eRDMA ENIs of ack-erdma-controller.
 * `eni_tag_filter` is honoured both by the daemon (pkg/factory/aliyun/aliyun.go:473) and by centralised
 * IPAM (terway-controlplane: pkg/eni/node_reconcile.go:165, pkg/controller/multi-ip/node/pool.go:456,590),
 * which is what ACK's "Use eRDMA" page asks of Terway clusters ("configure a whitelist for Terway").
 */
export function terwayEniConfig(): { eni_tag_filter: Record<string, string> } {
  return { eni_tag_filter: { creator: "terway" } };
}

/** The `terway-config` label of the stack's pools (created pools only; see {@link terwayConfigName}). */
function terwayConfigLabels(cfg: NodePoolsConfig): { key: string; value: string }[] {
  return cfg.stack === undefined ? [] : [{ key: TERWAY_CONFIG_LABEL, value: terwayConfigName(cfg.stack) }];
}

/** What a post-deploy check expects of one pool's nodes. */
export interface PoolExpectation {
  /** Pool name (`all`, `storage`, `meta`, `client`). */
  pool: PoolName;
  /** Label selector matching exactly this pool's nodes (its role labels, `key=true`). */
  nodeSelector: Record<string, string>;
  /** Nodes the pool should have (ACK `desiredSize`). */
  nodes: number;
  /** Extended resource every node must advertise as allocatable: ack-erdma-controller registers it. */
  resource: "aliyun/erdma";
}

/**
 * Per pool, the nodes a post-deploy check must find and what each must advertise: every 3FS node needs
 * `aliyun/erdma` allocatable (the device plugin of ack-erdma-controller registers it, and 3FS pods request
 * it). With `threefs:cluster.existing.nodePools: existing` the same selectors and counts apply to the
 * user's labelled nodes.
 */
export function poolExpectations(cfg: NodePoolsConfig): PoolExpectation[] {
  return planNodePools(cfg).map((p) => ({
    pool: p.name,
    nodeSelector: Object.fromEntries(p.roles.map((r) => [roleLabelKey(r), "true"])),
    nodes: p.size,
    resource: "aliyun/erdma",
  }));
}

/** Expected storage capacity of the configured layout (the ceiling before 3FS's own overheads). */
export interface StorageCapacity {
  /** Storage services (one per storage node). */
  storageNodes: number;
  disksPerNode: number;
  diskSizeGiB: number;
  /** EED category of the disks. */
  diskCategory: string;
  /** CRAQ replication factor: every chunk is stored this many times. */
  replicas: number;
  /** Raw disk per storage node: disksPerNode × diskSizeGiB. */
  perNodeRawGiB: number;
  /** Raw disk of the cluster: storageNodes × perNodeRawGiB. */
  totalRawGiB: number;
  /** What files can fill: totalRawGiB ÷ replicas, rounded down to whole GiB. */
  usableGiB: number;
  /** Each storage node's share of the usable capacity: perNodeRawGiB ÷ replicas, rounded down. */
  perNodeUsableGiB: number;
}

/** Raw and usable capacity: nodes × disks × size, divided by the replication factor. */
export function storageCapacity(cfg: NodePoolsConfig): StorageCapacity {
  const { nodes, disksPerNode, diskSizeGiB, diskCategory } = cfg.storage;
  const replicas = cfg.chains.replicas;
  const perNodeRawGiB = disksPerNode * diskSizeGiB;
  const totalRawGiB = nodes * perNodeRawGiB;
  return {
    storageNodes: nodes,
    disksPerNode,
    diskSizeGiB,
    diskCategory,
    replicas,
    perNodeRawGiB,
    totalRawGiB,
    usableGiB: Math.floor(totalRawGiB / replicas),
    perNodeUsableGiB: Math.floor(perNodeRawGiB / replicas),
  };
}

/** The Alibaba Cloud disk CSI driver (installed by the `csi-plugin` + `managed-csiprovisioner` addons). */
export const DISK_CSI_PROVISIONER = "diskplugin.csi.alibabacloud.com";

/** A StorageClass as plain data: exactly the fields the component passes to `k8s.storage.v1.StorageClass`. */
export interface StorageClassSpec {
  metadata: { name: string; labels: Record<string, string> };
  provisioner: string;
  parameters: Record<string, string>;
  reclaimPolicy: "Retain" | "Delete";
  volumeBindingMode: "WaitForFirstConsumer";
  allowVolumeExpansion: boolean;
  mountOptions?: string[];
}

/** The stack's two StorageClasses. */
export interface StorageClassPlan {
  /** Elastic ephemeral disks for 3FS storage targets (claimed by the storage StatefulSet). */
  eed: StorageClassSpec;
  /** ESSD for FoundationDB data (claimed by the FDB operator's pods). */
  fdb: StorageClassSpec;
}

/**
 * `threefs-<stack>`, made a valid Kubernetes name: StorageClasses are cluster-scoped, so the stack name keeps
 * two stacks that share a cluster apart.
 */
export function storageClassPrefix(stack: string): string {
  const s = `threefs-${stack}`.toLowerCase().replace(/[^a-z0-9.-]/g, "-").replace(/-+/g, "-");
  return s.slice(0, 240).replace(/[-.]+$/, "");
}

/** True when deleted FDB claims must keep their disks: prod (policy `threefs-prod-storage-retain`) or stateful protection on. */
export function retainVolumes(cfg: NodePoolsConfig): boolean {
  return cfg.profile === "prod" || cfg.protection.stateful;
}

/**
 * Reclaim policy of the EED class: always `Delete`. The disk CSI driver attaches a single-instance category
 * (EED) with DeleteWithInstance (alibaba-cloud-csi-driver pkg/disk/category.go:89-96 `SingleInstance`,
 * pkg/disk/cloud.go:346-347 on attach, :420-421 on detach), so the disk is released with its instance
 * whatever the PV says, and it pins the volume to that instance (the created volume's topology carries
 * `alibabacloud.com/ecs-instance-id`, pkg/disk/controllerserver.go:217, pkg/disk/utils.go:936-937). A
 * retained PV therefore keeps nothing that can be attached anywhere. `Delete` lets a deleted claim clean
 * up: DeleteVolume treats a disk that is already gone as deleted (pkg/disk/controllerserver.go, "already
 * deleted"). Claims are only deleted on purpose: the storage StatefulSet retains them
 * (`persistentVolumeClaimRetentionPolicy` Retain/Retain, lib/k8s/threefs/statefulSets.ts), so the
 * runbook's `kubectl delete pvc` is the one path that deletes an EED (docs/node-pools.md).
 */
export const EED_RECLAIM_POLICY = "Delete" as const;

/**
 * The EED and FDB StorageClasses, named `<prefix>-eed` and `<prefix>-fdb`.
 *
 * Both bind on first consumer (the disk is created in the zone of the node the pod lands on, and the pod's
 * node is chosen first) and can grow online. EED claims are deleted with `Delete` ({@link EED_RECLAIM_POLICY});
 * FDB claims keep their disks when {@link retainVolumes}. EED targets use XFS with `noatime,nodiratime`
 * (3FS's recommended target filesystem; atime updates would double small-chunk writes); FDB data uses
 * ext4, which FoundationDB's ssd engines are tested on, at the configured ESSD performance level. The FDB
 * class lists fallback categories after the preferred one (`type: a,b`): the driver tries them in order and
 * skips those the node does not offer (pkg/disk/utils.go:675-691 splits the list; pkg/disk/cloud.go:888-894
 * skips categories the node's labels do not support).
 */
export function planStorageClasses(cfg: NodePoolsConfig, prefix: string): StorageClassPlan {
  const labels = (component: string) => ({ [APP_NAME_LABEL]: APP_NAME, [COMPONENT_LABEL]: component, [PROFILE_LABEL]: cfg.profile });
  const fdbTypes = [cfg.fdb.diskCategory, ...cfg.fdb.fallbackDiskCategories];
  const fdbParameters: Record<string, string> = { type: fdbTypes.join(","), "csi.storage.k8s.io/fstype": "ext4" };
  // Performance levels exist for cloud_essd only (ESSD Entry and AutoPL have none); the driver applies the
  // level to the cloud_essd attempt of the list (pkg/disk/cloud.go generateCreateAttempts).
  if (fdbTypes.includes("cloud_essd")) fdbParameters.performanceLevel = cfg.fdb.performanceLevel;
  return {
    eed: {
      metadata: { name: `${prefix}-eed`, labels: labels("storage") },
      provisioner: DISK_CSI_PROVISIONER,
      parameters: { type: cfg.storage.diskCategory, "csi.storage.k8s.io/fstype": "xfs" },
      reclaimPolicy: EED_RECLAIM_POLICY,
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      mountOptions: ["noatime", "nodiratime"],
    },
    fdb: {
      metadata: { name: `${prefix}-fdb`, labels: labels("fdb") },
      provisioner: DISK_CSI_PROVISIONER,
      parameters: fdbParameters,
      reclaimPolicy: retainVolumes(cfg) ? "Retain" : "Delete",
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      mountOptions: ["noatime"],
    },
  };
}
