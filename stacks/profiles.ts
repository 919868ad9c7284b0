/**
 * Environment profiles: the defaults a stack starts from before its own config is applied.
 *
 * A stack picks one with `threefs:profile`; every value here can be overridden key by key in
 * `Pulumi.<stack>.yaml` (objects merge field by field, arrays and scalars replace). The numbers are
 * chosen so that each profile is valid on its own once `threefs:zones` is set.
 *
 * - dev: cheapest thing that runs the full data path (the reference deployment of Alibaba's guide:
 *   one combined node pool, 3 storage nodes, replication 2, FDB double redundancy), nothing protected.
 * - staging: prod-shaped (separate pools) at a smaller size, so upgrades are rehearsed on the real layout.
 * - prod: separate pools, replication 3, FDB triple redundancy, ACK deletion protection, stateful
 *   resources protected and volumes retained.
 *
 * Pure module: no cloud SDK imports.
 */
import type { ProfileName, StackConfigInput } from "./schema";

/** A profile: every key of the stack config except the ones only a stack can know (zones). */
export type ProfilePreset = Omit<StackConfigInput, "profile" | "zones">;

/** Container requests/limits shorthand used by the presets. */
function res(reqCpu: string, reqMem: string, limCpu: string, limMem: string) {
  return { requests: { cpu: reqCpu, memory: reqMem }, limits: { cpu: limCpu, memory: limMem } };
}

/** Alibaba's 3FS images for ACK; the tag is pinned (never `latest`/`dev`). */
const IMAGE_REGISTRY = "ghcr.io/aliyuncontainerservice/alibabacloud-3fs";

const common = {
  network: { vpcCidr: "10.0.0.0/16", serviceCidr: "172.21.0.0/20", nodePrefix: 22, podPrefix: 19, natGateway: true, natGatewayPerZone: false },
  // Alibaba's build workflow publishes only `main` (moving) and `pr-<n>`; pin with per-image digests.
  images: { registry: IMAGE_REGISTRY, tag: "main", digests: {}, pullPolicy: "IfNotPresent" as const, fdbClientVersion: "7.1.61" },
  fdb: {
    version: "7.1.61",
    storageEngine: "ssd-2" as const,
    imageRegistry: "foundationdb",
    operatorImage: "foundationdb/fdb-kubernetes-operator:v2.33.0",
    crdBaseUrl: "https://raw.githubusercontent.com/FoundationDB/fdb-kubernetes-operator/v2.33.0",
    installCrds: true,
  },
  fs: { mountPath: "/mnt/3fs" },
  monitoring: {
    enabled: false,
    clickhouse: "in-cluster" as const,
    clickhouseStorageGiB: 50,
    managedClickhouse: { version: "25.3" as const, category: "Basic" as const, dbClusterClass: "S8", tcpPort: 3306 },
    grafana: "in-cluster" as const,
    collectorIpOffset: 12,
    prometheusCrds: true,
    syncAlertMinutes: 120,
    // No image of Alibaba's 3FS workflow carries monitor_collector_main; aliyun/kvc-3fs-operator's monitor
    // image does (deploy/charts/values.yaml `monitor.image`, /opt/3fs/bin). ClickHouse and Grafana: the
    // upstream images kvc-3fs-operator builds on (docker/clickhouse, docker/grafana/Dockerfile).
    images: {
      collector: "docker.io/alibabacloudvcns/alibabacloud-3fs:20250520",
      clickhouse: "docker.io/clickhouse/clickhouse-server:25.1.5.31",
      grafana: "docker.io/grafana/grafana:11.6.2",
    },
    resources: {
      // The collector's requests are kvc-3fs-operator's defaults (internal/monitor/monitor_resources.go).
      collector: res("100m", "400Mi", "1", "1Gi"),
      clickhouse: res("500m", "2Gi", "2", "4Gi"),
      grafana: res("100m", "256Mi", "500m", "512Mi"),
      exporter: res("100m", "256Mi", "500m", "512Mi"),
    },
  },
  backup: { enabled: false, snapshotPeriodSeconds: 86400, noncurrentVersionDays: 30, agentCount: 2, secureConnection: false, resources: res("250m", "512Mi", "1", "2Gi") },
  // Known to work (Alibaba's chart); `capabilities` is the opt-in hardening (docs/threefs.md, "Privileges").
  security: { rdmaPods: "privileged" as const },
  tenants: [],
  tags: {},
};

/**
 * Docker Hub through Alibaba's mirror, as Alibaba's 3FS-on-ACK guide configures it on every node
 * (deploy/container/README.md:70, a containerd hosts.toml for docker.io → https://mirrors-ssl.aliyuncs.com/):
 * the FoundationDB and operator images come from Docker Hub, often unreachable from cn-* VPCs.
 */
export const DEFAULT_REGISTRY_MIRRORS = ["docker.io=https://mirrors-ssl.aliyuncs.com"];

const dev: ProfilePreset = {
  ...common,
  cluster: {
    kubernetesVersion: "1.35.2-aliyun.1",
    clusterSpec: "ack.pro.small",
    deletionProtection: false,
    apiServerPublic: true,
    apiServerAllowedCidrs: [],
    proxyMode: "iptables",
    checkKubernetesVersion: true,
  },
  nodePools: {
    layout: "combined",
    extraErdmaFamilies: [],
    systemDiskCategory: "cloud_essd",
    systemDiskSizeGiB: 120,
    imageType: "ContainerOS",
    registryMirrors: DEFAULT_REGISTRY_MIRRORS,
  },
  storage: { nodes: 3, instanceTypes: ["ecs.g8i.xlarge", "ecs.g8ise.xlarge"], disksPerNode: 1, diskSizeGiB: 64, diskCategory: "elastic_ephemeral_disk_standard", replace: [], zoneSpread: false },
  meta: { nodes: 3, instanceTypes: ["ecs.g8i.xlarge", "ecs.g8ise.xlarge"], mgmtdReplicas: 2, metaReplicas: 2 },
  client: { nodes: 1, instanceTypes: ["ecs.g8i.xlarge", "ecs.g8ise.xlarge"] },
  chains: { replicas: 2, targetsPerDisk: 16, stripeSize: 16, chunkSizeBytes: 1048576, placementCohorts: [], maxSyncsPerNode: 2, balanceHeads: true },
  fdb: { ...common.fdb, redundancyMode: "double", storageGiB: 20, diskCategory: "cloud_essd_entry", performanceLevel: "PL0", fallbackDiskCategories: ["cloud_essd"] },
  // Sized to fit one combined pool of three 4-vCPU/16-GiB nodes: requests add up to ~6.2 vCPU and ~23 GiB
  // (8 FDB pods with sidecars, 3 storage, 3 FUSE, 2 meta, 2 mgmtd, operator, admin-cli, jobs), leaving
  // room for ACK's reservations and system DaemonSets. Limits allow bursts.
  resources: {
    mgmtd: res("100m", "512Mi", "1", "1Gi"),
    meta: res("250m", "1Gi", "2", "2Gi"),
    storage: res("500m", "3Gi", "2", "6Gi"),
    fuse: res("250m", "2Gi", "2", "4Gi"),
    adminCli: res("100m", "256Mi", "500m", "512Mi"),
    fdb: res("200m", "512Mi", "1", "2Gi"),
  },
  smokeTest: { enabled: true, fio: false },
  protection: { stateful: false },
};

const staging: ProfilePreset = {
  ...dev,
  monitoring: { ...common.monitoring, enabled: true },
  backup: { ...common.backup, enabled: true },
  cluster: { ...dev.cluster, deletionProtection: false },
  nodePools: { ...dev.nodePools, layout: "separate" },
  storage: { nodes: 3, instanceTypes: ["ecs.g8i.4xlarge"], disksPerNode: 2, diskSizeGiB: 512, diskCategory: "elastic_ephemeral_disk_standard", replace: [], zoneSpread: false },
  meta: { nodes: 3, instanceTypes: ["ecs.g8i.2xlarge"], mgmtdReplicas: 2, metaReplicas: 2 },
  client: { nodes: 1, instanceTypes: ["ecs.g8i.4xlarge"] },
  fdb: { ...dev.fdb, storageGiB: 64, diskCategory: "cloud_essd", performanceLevel: "PL0", fallbackDiskCategories: [] },
  resources: {
    mgmtd: res("500m", "1Gi", "1", "2Gi"),
    meta: res("1", "2Gi", "4", "8Gi"),
    storage: res("4", "16Gi", "8", "24Gi"),
    fuse: res("2", "4Gi", "8", "16Gi"),
    adminCli: res("100m", "256Mi", "500m", "512Mi"),
    // 16 FDB pods (double, staging process counts) share the three meta nodes with mgmtd and meta.
    fdb: res("500m", "2Gi", "2", "8Gi"),
  },
};

const prod: ProfilePreset = {
  ...staging,
  // One NAT gateway per zone: a zone outage must not cut the other zones' egress (image pulls).
  network: { ...common.network, natGatewayPerZone: true },
  // Private API server: `pulumi up` runs inside the VPC (docs/ci.md). A public endpoint in prod needs
  // threefs:cluster.apiServerAllowedCidrs (config rule and policy pack).
  cluster: { ...dev.cluster, deletionProtection: true, apiServerPublic: false },
  storage: { nodes: 6, instanceTypes: ["ecs.g8i.8xlarge"], disksPerNode: 4, diskSizeGiB: 2048, diskCategory: "elastic_ephemeral_disk_premium", replace: [], zoneSpread: false },
  meta: { nodes: 5, instanceTypes: ["ecs.g8i.4xlarge"], mgmtdReplicas: 3, metaReplicas: 3 },
  client: { nodes: 2, instanceTypes: ["ecs.g8i.8xlarge"] },
  chains: { replicas: 3, targetsPerDisk: 16, stripeSize: 16, chunkSizeBytes: 1048576, placementCohorts: [], maxSyncsPerNode: 2, balanceHeads: true },
  fdb: { ...dev.fdb, redundancyMode: "triple", storageGiB: 256, diskCategory: "cloud_essd", performanceLevel: "PL1", fallbackDiskCategories: [] },
  resources: {
    mgmtd: res("1", "2Gi", "2", "4Gi"),
    meta: res("2", "4Gi", "8", "16Gi"),
    storage: res("8", "48Gi", "16", "64Gi"),
    fuse: res("4", "8Gi", "16", "32Gi"),
    adminCli: res("100m", "256Mi", "500m", "512Mi"),
    fdb: res("2", "8Gi", "4", "16Gi"),
  },
  monitoring: {
    ...common.monitoring,
    enabled: true,
    clickhouseStorageGiB: 200,
    resources: { ...common.monitoring.resources, clickhouse: res("1", "4Gi", "4", "8Gi") },
  },
  backup: { ...common.backup, enabled: true, agentCount: 3, resources: res("500m", "1Gi", "2", "4Gi") },
  // The check's 64 MiB write goes to a hidden directory and is removed: harmless in prod too.
  smokeTest: { enabled: true, fio: false },
  protection: { stateful: true },
};

/** The presets by name. */
export const PROFILES: Readonly<Record<ProfileName, ProfilePreset>> = { dev, staging, prod };
