/**
 * The stack configuration contract: every `threefs:*` key, its shape, unit, limits and meaning.
 *
 * Keys and shapes of `profile`, `zones`, `storage` and `chains` are a published contract (other stacks,
 * docs and policy checks rely on them); add fields, never rename them. Objects are strict: an unknown
 * key (a typo such as `disksPerNodes`) is an error rather than silently ignored. Defaults do not live
 * here but in the profiles (`profiles.ts`), so that this schema describes a complete, merged config.
 *
 * Pure module: no cloud SDK imports.
 */
import { z } from "zod";
import { COLLECTOR_ADDRESS_RE } from "../lib/monitoring/collector";
import { backupSchema, monitoringSchema } from "./observabilitySchema";
import { resourcesSchema } from "./resources";

export { resourcesSchema };

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const instanceType = z.string().regex(/^ecs\.[a-z0-9-]+\.[a-z0-9-]+$/, "must look like ecs.<family>.<size>");
const cidr = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, "must be an IPv4 CIDR such as 203.0.113.0/24");
const vswitchId = z.string().regex(/^vsw-[a-z0-9]+$/, "must be a vSwitch id such as vsw-2ze0123456789abcdef");


export const profileSchema = z.enum(["dev", "staging", "prod"]);
export type ProfileName = z.infer<typeof profileSchema>;

export const stackConfigSchema = z.strictObject({
  /** Environment preset (dev | staging | prod); every other key defaults from it. Required: a prod stack
   * that forgot it would otherwise silently get dev's unprotected defaults. */
  profile: profileSchema,
  /** Zone ids (e.g. cn-beijing-i), 1–5, each in `alicloud:region`. One zone: node-level fault domains;
   * several: pools span them and FoundationDB uses zones as fault domains. */
  zones: z.array(z.string().regex(/^[a-z]+-[a-z0-9]+(-[a-z0-9]+)*-[a-z]$/, "must be a zone id such as cn-beijing-i")).min(1).max(5),
  network: z.strictObject({
    /** VPC CIDR. Default 10.0.0.0/16 (room for 5 zones of /19 pod and /22 node vSwitches). */
    vpcCidr: z.string(),
    /** Kubernetes service CIDR; virtual, must not overlap the VPC. Default 172.21.0.0/20 (4,096 Services). */
    serviceCidr: z.string(),
    /** Prefix length of each per-zone node vSwitch (16–28). Default 22. */
    nodePrefix: int(16, 28),
    /** Prefix length of each per-zone Terway pod vSwitch (16–28). Default 19. */
    podPrefix: int(16, 28),
    /** Create a NAT gateway + EIP + SNAT so nodes and pods reach the internet (image pulls from ghcr.io).
     * Default true; set false when the VPC already routes out another way. */
    natGateway: z.boolean(),
    /** One NAT gateway (with its own EIP) per zone, each zone's vSwitches SNAT through their own zone's
     * gateway, so a zone outage does not cut the other zones' egress. Default false (dev/staging: one
     * gateway in the first zone), true in prod. */
    natGatewayPerZone: z.boolean(),
    /** Bring your own VPC: the stack creates no VPC, vSwitch or NAT and deploys into these. vSwitch lists
     * are per zone, in the order of `threefs:zones`; they are checked against the cloud at preview (zone,
     * VPC). `securityGroupId` omitted: the stack creates the node security group in this VPC. Unset: the
     * stack creates the network (default). */
    existing: z
      .strictObject({
        vpcId: z.string().regex(/^vpc-[a-z0-9]+$/, "must be a VPC id such as vpc-2ze0123456789abcdef"),
        nodeVswitchIds: z.array(vswitchId).min(1).max(5),
        podVswitchIds: z.array(vswitchId).min(1).max(5),
        securityGroupId: z.string().regex(/^sg-[a-z0-9]+$/, "must be a security group id such as sg-2ze0123456789abcdef").optional(),
      })
      .optional(),
  }),
  cluster: z.strictObject({
    /** ACK Kubernetes version (x.y.z-aliyun.n), ≥ 1.32 (StatefulSet pod-index label). Default 1.35.2-aliyun.1. */
    kubernetesVersion: z.string().regex(/^\d+\.\d+\.\d+-aliyun\.\d+$/, "must look like 1.35.2-aliyun.1"),
    /** ACK cluster spec: ack.pro.small (SLA-backed control plane, default) or ack.standard. */
    clusterSpec: z.enum(["ack.pro.small", "ack.standard"]),
    /** ACK deletion protection. Default false in dev/staging, true in prod. */
    deletionProtection: z.boolean(),
    /** Expose the API server on an internet SLB so CI and `pulumi up` outside the VPC reach it. Default true. */
    apiServerPublic: z.boolean(),
    /** Source CIDRs allowed to reach the API server (an SLB access control list for the listener on port
     * 6443; ACK's own control-plane range and the VPC are added automatically). Required in prod when
     * `apiServerPublic` is true. Default []. */
    apiServerAllowedCidrs: z.array(cidr).max(50),
    /** kube-proxy mode; ForceNew in the ACK API (a change replaces the cluster). Default iptables: not
     * deprecated (ipvs is deprecated in Kubernetes 1.35), and 3FS has few Services. */
    proxyMode: z.enum(["iptables", "ipvs", "nftables"]),
    /** At preview, check `kubernetesVersion` against the versions ACK can create in the region
     * (cs.getKubernetesVersion). Turn off for a cluster that already runs a version ACK no longer offers
     * for new clusters. Default true. */
    checkKubernetesVersion: z.boolean(),
    /** Bring your own ACK cluster: the stack creates no cluster (and no network; set
     * `threefs:network.existing` to the cluster's VPC and vSwitches) and deploys into it. Give `clusterId`
     * (the kubeconfig is then fetched with cs.getClusterCredential), `kubeconfig` (a secret: the file's
     * content, for a deploy user without cs:DescribeClusterUserKubeconfig or a private endpoint), or both.
     * `nodePools`: `create` adds this stack's eRDMA node pools to the cluster (needs `clusterId`: ACK creates
     * node pools in a cluster by id); `existing` uses nodes that already carry the role labels
     * (docs/node-pools.md). Unset: the stack creates the cluster (default). */
    existing: z
      .strictObject({
        clusterId: z.string().regex(/^c[a-z0-9]{16,40}$/, "must be an ACK cluster id such as c0123456789abcdef0123456789abcdef").optional(),
        kubeconfig: z.string().min(1).optional(),
        nodePools: z.enum(["create", "existing"]),
      })
      .optional(),
  }),
  nodePools: z.strictObject({
    /** combined: one pool runs every role (dev); separate: one pool per role with taints (staging/prod). */
    layout: z.enum(["combined", "separate"]),
    /** Escape hatch: extra instance families (e.g. "g9x") to accept as eRDMA-capable before the built-in table knows them. */
    extraErdmaFamilies: z.array(z.string().regex(/^[a-z][a-z0-9-]*$/, "must be a family name such as g9i")),
    /** System disk category; EED is not allowed as a system disk. Default cloud_essd. */
    systemDiskCategory: z.enum(["cloud_essd", "cloud_auto", "cloud_essd_entry"]),
    /** System disk size in GiB (40–2048). Default 120 (container images of 3FS and FDB). */
    systemDiskSizeGiB: int(40, 2048),
    /** OS image of every pool. ContainerOS (default): cgroup v2, and the eRDMA agent loads the kernel's
     * own erdma module instead of building one (docs/node-pools.md); AliyunLinux3ContainerOptimized:
     * the agent builds the driver with DKMS on each node. */
    imageType: z.enum(["ContainerOS", "AliyunLinux3ContainerOptimized"]),
    /** containerd registry mirrors of every node, `registry=https://mirror[,https://mirror2]`
     * (ACK's containerdConfig.registryMirrors). Default: Docker Hub through Alibaba's mirror. */
    registryMirrors: z
      .array(z.string().regex(/^[a-z0-9.-]+(:\d{1,5})?=https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[^,&\s]*)?(&override_path)?(,https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[^,&\s]*)?(&override_path)?)*$/, "must be registry=https://mirror[,https://mirror2] (no protocol before =)"))
      .max(20),
  }),
  storage: z.strictObject({
    /** 3FS storage services, one per storage ECS node (1–1000). */
    nodes: int(1, 1000),
    /** ECS instance types tried in order; must be eRDMA-capable. */
    instanceTypes: z.array(instanceType).min(1).max(10),
    /** Elastic ephemeral disks per storage node (1–16). */
    disksPerNode: int(1, 16),
    /** Size of each disk in GiB; EED allows 64–8192. */
    diskSizeGiB: int(64, 8192),
    /** EED category. */
    diskCategory: z.enum(["elastic_ephemeral_disk_standard", "elastic_ephemeral_disk_premium"]),
    /** Node ids (10000 + ordinal; with zoneSpread 10000 + 1000·zone + j) of storage nodes whose instance, and so its EED disks, was lost: the
     * replacement Job gives each new disks and recreates its targets with the same ids, which then resync
     * (docs/operations.md). Remove an id once its node serves again. Default []. */
    replace: z.array(int(10000, 14999)).max(1000),
    /** One StatefulSet per zone (node ids 10000 + 1000·zone + j, nodes dealt round-robin) and a placement whose
     * every chain spans the zones, so a whole-zone outage leaves each chain a replica when replicas ≥ zones
     * (lib/threefs/storageNodes.ts, docs/operations.md "Zones"). Needs ≥ 2 zones; fixed once deployed (node ids
     * name their StatefulSet). Default false: one StatefulSet, pods wherever the storage pool runs. */
    zoneSpread: z.boolean(),
  }),
  meta: z.strictObject({
    /** Nodes serving the meta role (mgmtd, meta, FoundationDB, admin). FDB needs ≥ 3 (double) / ≥ 5 (triple). */
    nodes: int(1, 100),
    /** Instance types of the meta pool (separate layout); must be eRDMA-capable. */
    instanceTypes: z.array(instanceType).min(1).max(10),
    /** mgmtd replicas (1–5); node ids 1, 2, … */
    mgmtdReplicas: int(1, 5),
    /** meta service replicas (1–64); node ids 100, 101, … */
    metaReplicas: int(1, 64),
  }),
  client: z.strictObject({
    /** Nodes running the FUSE client and the workloads that read 3FS (0–1000). */
    nodes: int(0, 1000),
    /** Instance types of the client pool (separate layout); must be eRDMA-capable. */
    instanceTypes: z.array(instanceType).min(1).max(10),
  }),
  chains: z.strictObject({
    /** CRAQ replication factor (1–5). prod requires ≥ 2; must not exceed storage nodes. */
    replicas: int(1, 5),
    /** Storage targets per disk (1–99); every node appears in exactly this many chains per disk. */
    targetsPerDisk: int(1, 99),
    /** Chains a file is striped over (1–…); must not exceed the number of chains in the table. */
    stripeSize: int(1, 100000),
    /** Chunk size in bytes used by init-cluster (power of two, 64 KiB–64 MiB). Default 1 MiB. */
    chunkSizeBytes: int(65536, 67108864).refine((n) => (n & (n - 1)) === 0, "must be a power of two"),
    /** Superseded by the placement lock (stacks/<stack>.placement.json, docs/operations.md): must be []. A stack
     * grown with cohorts before the lock runs `npm run placement -- plan`, which takes their chains over
     * unchanged, then drops the key. Kept in the schema so the refusal names it. */
    placementCohorts: z.array(int(1, 1000)).max(100),
    /** Resyncs a storage node takes part in at once (receiving or sending) while the migration Job moves
     * chain members (1–16): more finishes a growth sooner and loads the nodes and their clients more. Default 2. */
    maxSyncsPerNode: int(1, 16),
    /** Balance chain heads (each node heads its share of chains: CRAQ writes enter at the head) with
     * set-preferred-target-order, without changing the upstream-compatible chain files. Default true. */
    balanceHeads: z.boolean(),
  }),
  fdb: z.strictObject({
    /** FoundationDB server version; must share major.minor with images.fdbClientVersion. Default 7.1.61. */
    version: z.string().regex(/^\d+\.\d+\.\d+$/, "must look like 7.1.61"),
    /** double (dev/staging) or triple (prod). */
    redundancyMode: z.enum(["single", "double", "triple"]),
    /** FDB storage engine. ssd-2 (the B-tree engine 7.1 supports production-wide). */
    storageEngine: z.enum(["ssd-2", "ssd-redwood-1-experimental", "memory"]),
    /** Override of the FDB process counts (default per redundancy and profile, see docs/foundationdb.md);
     * at least F+1 storage and log processes (F = tolerated failures). */
    processCounts: z.strictObject({ storage: int(1, 100), log: int(1, 100), stateless: int(-1, 100), clusterController: int(0, 10).optional() }).optional(),
    /** Volume size per FDB storage/log process, GiB (10–16384). */
    storageGiB: int(10, 16384),
    /** Cloud disk category of FDB volumes. */
    diskCategory: z.enum(["cloud_essd", "cloud_essd_entry", "cloud_auto"]),
    /** ESSD performance level (PL0–PL3; ignored by cloud_essd_entry). */
    performanceLevel: z.enum(["PL0", "PL1", "PL2", "PL3"]),
    /** Categories the disk CSI driver tries after `diskCategory`, in order, when a node does not offer it
     * (StorageClass `type: a,b`). Default [cloud_essd] in dev (ESSD Entry is not offered on every
     * family), [] otherwise. */
    fallbackDiskCategories: z.array(z.enum(["cloud_essd", "cloud_essd_entry", "cloud_auto"])).max(2),
    /** Registry/org of the FDB server and monitor images (mirror support). Default foundationdb. */
    imageRegistry: z.string().min(1),
    /** The operator image, pinned. */
    operatorImage: z.string().min(1),
    /** Base URL the operator CRDs are fetched from (tagged release, or a mirror). */
    crdBaseUrl: z.string().url(),
    /** Apply the cluster-wide CRDs from this stack; set false on the second stack sharing a cluster. */
    installCrds: z.boolean(),
  }),
  images: z.strictObject({
    /** Registry prefix of the 3FS images (…/3fs-mgmtd etc.); point at an ACR mirror if needed. */
    registry: z.string().min(1),
    /** Image tag; never latest/dev. Alibaba publishes only the moving tag `main`: pin each image with `digests`. */
    tag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, "must be an image tag (use digests for sha256 pins)").refine((t) => !["latest", "dev"].includes(t), "must be pinned (not latest/dev)"),
    /** Per-image digests (`sha256:<64 hex>`) for mgmtd, meta, storage, fuse, admin-cli, init; a digest wins over the tag. */
    digests: z.strictObject({
      mgmtd: z.string().regex(/^sha256:[0-9a-f]{64}$/, "must be sha256:<64 hex>").optional(),
      meta: z.string().regex(/^sha256:[0-9a-f]{64}$/, "must be sha256:<64 hex>").optional(),
      storage: z.string().regex(/^sha256:[0-9a-f]{64}$/, "must be sha256:<64 hex>").optional(),
      fuse: z.string().regex(/^sha256:[0-9a-f]{64}$/, "must be sha256:<64 hex>").optional(),
      "admin-cli": z.string().regex(/^sha256:[0-9a-f]{64}$/, "must be sha256:<64 hex>").optional(),
      /** 3fs-init: admin_cli with curl and python3, the post-deploy check's and the chain-health exporter's image. */
      init: z.string().regex(/^sha256:[0-9a-f]{64}$/, "must be sha256:<64 hex>").optional(),
    }),
    /** Image pull policy. Default IfNotPresent. */
    pullPolicy: z.enum(["IfNotPresent", "Always"]),
    /** libfdb_c version linked into the 3FS images (Alibaba's builds: 7.1.61). */
    fdbClientVersion: z.string().regex(/^\d+\.\d+\.\d+$/, "must look like 7.1.61"),
  }),
  fs: z.strictObject({
    /** 3FS cluster id (< 32 chars; the FUSE fs name). Default threefs-<stack>. */
    clusterId: z.string().optional(),
    /** FUSE mount point on client nodes. Default /mnt/3fs. */
    mountPath: z.string().regex(/^\/[A-Za-z0-9._/-]+$/, "must be an absolute path"),
    /** ipv4:port of a 3FS monitor collector (3FS does not resolve names there); unset: metrics go to the log. */
    monitorCollector: z
      .string()
      .regex(COLLECTOR_ADDRESS_RE, "must be ipv4:port (3FS does not resolve host names here)")
      .optional(),
  }),
  /** The metrics pipeline (observabilitySchema.ts). */
  monitoring: monitoringSchema,
  /** Continuous FoundationDB backup to OSS (observabilitySchema.ts). */
  backup: backupSchema,
  resources: z.strictObject({
    mgmtd: resourcesSchema,
    meta: resourcesSchema,
    storage: resourcesSchema,
    fuse: resourcesSchema,
    adminCli: resourcesSchema,
    fdb: resourcesSchema,
  }),
  /**
   * The data-path part of the post-deploy check (which always runs: eRDMA on every pool, nodes connected,
   * chains serving, FUSE mounted): `enabled` writes 64 MiB through the mount on a client node, reads it back
   * with O_DIRECT and compares digests (default true in every profile; false skips only this write). `fio`
   * adds a throughput Job after the check (not awaited); `fioImage` (pinned) has fio on PATH — unset, the fio
   * Job installs it at start (needs internet egress).
   */
  smokeTest: z.strictObject({ enabled: z.boolean(), fio: z.boolean(), fioImage: z.string().min(1).optional() }),
  security: z.strictObject({
    /**
     * How the RDMA pods that need no host access of their own run (mgmtd, meta, admin-cli, bootstrap and
     * check Jobs): `privileged` (default in every profile: what Alibaba's chart and kvc-3fs-operator run,
     * and a failed RDMA start is fatal to a 3FS process) or `capabilities` (unprivileged with IPC_LOCK and
     * SYS_RESOURCE: hardening, unverified on ACK until the post-deploy check passes with it). Storage and
     * FUSE are privileged either way (blkid on EED devices, Bidirectional mount propagation).
     */
    rdmaPods: z.enum(["privileged", "capabilities"]),
  }),
  protection: z.strictObject({
    /** Pulumi `protect` + `retainOnDelete` on stateful resources (FDB cluster, storage volumes, the ACK
     * cluster) and `Retain` reclaim policy on their StorageClasses. Default true in prod only. */
    stateful: z.boolean(),
  }),
  /**
   * Teams that use 3FS with least privilege (lib/tenants/spec.ts, docs/consumers.md): for each, the stack
   * creates a namespace, a namespace-scoped ServiceAccount and kubeconfig, an admission policy that keeps
   * its pods unprivileged and running as `uid`/`gid`, a non-root 3FS user with its own token, and its
   * directory. Default none. No quota field: 3FS has no quotas.
   */
  tenants: z
    .array(
      z.strictObject({
        /** Tenant name, a DNS label of at most 32 characters; also the 3FS user name. */
        name: z.string().regex(/^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$/, "must be a DNS label of at most 32 characters such as vision"),
        /** Its Kubernetes namespace, created by the stack. Default: the name. */
        namespace: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "must be a DNS label such as team-vision").optional(),
        /** 3FS uid, also the uid its pods run as: 1 to 2^31 − 1 (never 0, root). */
        uid: int(1, 2147483647),
        /** gid its pods run as and the directory's group. Default: the uid (3FS gives each user gid = uid). */
        gid: int(1, 2147483647).optional(),
        /** Its directory in 3FS, absolute from the root of the file system. Default /tenants/<name>. */
        directory: z.string().regex(/^\/[A-Za-z0-9._/-]+$/, "must be an absolute path of [A-Za-z0-9._/-] such as /tenants/vision").optional(),
        /** Mode of the directory, octal. Default 0700 (the tenant only). */
        mode: z.string().regex(/^0?[0-7]{3}$/, "must be an octal mode such as 0700 or 0750").optional(),
      }),
    )
    .max(100),
  /** Extra tags on every Alibaba Cloud resource. */
  tags: z.record(z.string(), z.string()),
});

/** The merged config as the user may write it (before validation). */
export type StackConfigInput = z.input<typeof stackConfigSchema>;
/** The validated config, before derived values are added. */
export type StackConfigParsed = z.output<typeof stackConfigSchema>;
