/**
 * threefs: DeepSeek 3FS on Alibaba Cloud ACK with eRDMA and elastic ephemeral disks.
 *
 * Composition root only: config → components → stack outputs. Planning (CIDRs, addons, node pools,
 * placements, configuration files, Kubernetes specs) lives in pure modules under lib/; components turn
 * plans into resources.
 */
import { AckCluster } from "./components/ackCluster";
import { Disks } from "./components/disks";
import { FoundationDb } from "./components/foundationDb";
import { Namespace } from "./components/namespace";
import { Network } from "./components/network";
import { NodePools } from "./components/nodePools";
import { BackupStore } from "./components/backupStore";
import { Monitoring } from "./components/monitoring";
import { existingVpcCidr, preflightGate } from "./components/preflight";
import { ThreeFsTenant } from "./components/tenant";
import { ThreeFs } from "./components/threeFs";
import { backupStatusCommand as fdbBackupStatus } from "./lib/backup/fdbBackup";
import { imageRef } from "./lib/k8s/threefs/images";
import { collectorAddressFor, collectorClusterIp } from "./lib/monitoring/collector";
import { planAddons } from "./lib/ack";
import { fdbProcessCounts } from "./lib/fdb/topology";
import { planSubnets } from "./lib/network/cidr";
import { planNodePools, planStorageClasses, roleNodeCounts, storageCapacity, storageClassPrefix, terwayConfigName, terwayEniConfig } from "./lib/nodepools/plan";
import { schedulingFor } from "./lib/roles";
import { sizingOf } from "./lib/sizing";
import { resolveTenant } from "./lib/tenants/spec";
import { APP_NAME, APP_NAME_LABEL, PROFILE_LABEL, usrbioShmHostPath as shmHostPathOf } from "./lib/threefs/constants";
import { threeFsArgsOf } from "./lib/threefs/stackArgs";
import * as pulumi from "@pulumi/pulumi";
import { CONTRACT_VERSION } from "./stacks/contract";
import { lockGroups, placementChangeOutput } from "./lib/threefs/placementLock";
import { stackConfig, stackPlacementLock } from "./stacks/pulumiConfig";
import { configWarnings } from "./stacks/warnings";

const cfg = stackConfig();
// The committed placement lock (stacks/<stack>.placement.json): checked against the config before any resource.
const placement = stackPlacementLock(cfg, __dirname);
const name = `threefs-${cfg.stack}`;
const protect = cfg.protection.stateful;
const tags: Record<string, string> = { ...cfg.tags, "threefs:profile": cfg.profile, "threefs:stack": cfg.stack };
const labels: Record<string, string> = { [APP_NAME_LABEL]: APP_NAME, [PROFILE_LABEL]: cfg.profile };

// Preview-time checks against the account (versions, zones, instance types, EED, existing VPC/cluster):
// every cloud resource's tags wait for them, so nothing is registered when one fails.
const checked = preflightGate(cfg);
const gatedTags = checked.apply(() => tags);

const byoNet = cfg.network.existing;
const subnets = byoNet ? [] : planSubnets({ vpcCidr: cfg.network.vpcCidr, zones: cfg.zones, nodePrefix: cfg.network.nodePrefix, podPrefix: cfg.network.podPrefix });
if (typeof subnets === "string") throw new Error(subnets); // unreachable: config validation ran the same plan

const network = new Network(name, {
  vpcCidr: cfg.network.vpcCidr,
  subnets,
  natGateway: cfg.network.natGateway,
  natGatewayPerZone: cfg.network.natGatewayPerZone,
  existing: byoNet && { ...byoNet, vpcCidr: existingVpcCidr(cfg) },
  tags: gatedTags,
});

/** The existing cluster's id and kubeconfig, after the preview checks; the kubeconfig secret from the start. */
function existingCluster(ex: typeof cfg.cluster.existing): { clusterId?: pulumi.Output<string>; kubeconfig?: pulumi.Output<string> } | undefined {
  if (ex === undefined) return undefined;
  return {
    clusterId: ex.clusterId === undefined ? undefined : checked.apply(() => ex.clusterId!),
    kubeconfig: ex.kubeconfig === undefined ? undefined : pulumi.secret(checked.apply(() => ex.kubeconfig!)),
  };
}

const ack = new AckCluster(name, {
  region: cfg.region,
  kubernetesVersion: cfg.cluster.kubernetesVersion,
  clusterSpec: cfg.cluster.clusterSpec,
  vswitchIds: network.nodeVswitchIds,
  podVswitchIds: network.podVswitchIds,
  securityGroupId: network.securityGroupId,
  serviceCidr: cfg.network.serviceCidr,
  proxyMode: cfg.cluster.proxyMode,
  addons: planAddons(),
  deletionProtection: cfg.cluster.deletionProtection,
  apiServerPublic: cfg.cluster.apiServerPublic,
  apiServerAllowedCidrs: cfg.cluster.apiServerAllowedCidrs,
  vpcCidr: network.vpcCidr,
  existing: existingCluster(cfg.cluster.existing),
  terwayConfig: { name: terwayConfigName(cfg.stack), eniConf: terwayEniConfig() },
  protect,
  tags: gatedTags,
});
const k8sOpts = { providers: [ack.provider] };

const pools = new NodePools(name, {
  clusterId: ack.clusterId,
  vswitchIds: network.nodeVswitchIds,
  // With nodePools: existing the stack uses the user's labelled nodes (docs/node-pools.md).
  pools: cfg.cluster.existing?.nodePools === "existing" ? [] : planNodePools(cfg),
  securityGroupId: network.securityGroupId,
  erdmaReady: ack.cluster, // the cluster's creation-time addons include ack-erdma-controller
  nodesNeed: [...network.egress, ack.terwayConfig],
  tags: gatedTags,
  protect,
});

const storageClassPlans = planStorageClasses(cfg, storageClassPrefix(cfg.stack));
const storage = storageCapacity(cfg);
const disks = new Disks(name, { storageClasses: storageClassPlans, capacity: storage }, k8sOpts);

const ns = new Namespace(name, { name, labels, retainOnDelete: protect }, k8sOpts);

// Backup target first: the FDB operator mounts its credentials from its first start.
const backupStore = cfg.backup.enabled
  ? new BackupStore(`${name}-backup`, {
      prefix: name,
      stack: cfg.stack,
      bucketName: cfg.backup.bucketName,
      region: cfg.region,
      secureConnection: cfg.backup.secureConnection,
      noncurrentVersionDays: cfg.backup.noncurrentVersionDays,
      protect,
      tags,
    })
  : undefined;

const fdb = new FoundationDb(
  name,
  {
    namespace: ns.name,
    operatorNamespace: `${name}-fdb-operator`,
    clusterName: `${name}-fdb`,
    spec: {
      profile: cfg.profile,
      version: cfg.fdb.version,
      redundancyMode: cfg.fdb.redundancyMode,
      storageEngine: cfg.fdb.storageEngine,
      processCounts: cfg.fdb.processCounts ?? fdbProcessCounts(cfg.fdb.redundancyMode, cfg.profile),
      scheduling: schedulingFor("meta", cfg.nodePools.layout),
      zones: cfg.zones.length,
      resources: cfg.resources.fdb,
      storageClassName: storageClassPlans.fdb.metadata.name,
      storageGiB: cfg.fdb.storageGiB,
      imageRegistry: cfg.fdb.imageRegistry,
    },
    operatorImage: cfg.fdb.operatorImage,
    crdBaseUrl: cfg.fdb.crdBaseUrl,
    installCrds: cfg.fdb.installCrds,
    protect,
    labels,
    backup: backupStore && {
      bucket: backupStore.bucketName,
      accountName: backupStore.accountName,
      credentials: backupStore.credentials,
      region: cfg.region,
      secureConnection: cfg.backup.secureConnection,
      tlsSecretName: cfg.backup.tlsSecretName,
      agentCount: cfg.backup.agentCount,
      snapshotPeriodSeconds: cfg.backup.snapshotPeriodSeconds,
      backupName: cfg.backup.name,
      resources: cfg.backup.resources,
    },
  },
  // FDB pods need the meta nodes and the FDB StorageClass to exist before they can schedule.
  { ...k8sOpts, dependsOn: [pools, disks] },
);

for (const w of configWarnings(cfg)) pulumi.log.warn(w);

const threefs = new ThreeFs(
  name,
  threeFsArgsOf(cfg, name, placement.chains, { namespace: ns.name, storageClassName: disks.eedStorageClassName, fdbClusterFileConfigMap: fdb.clusterFileConfigMap }, labels),
  // The pools carry the containerd limits and eRDMA devices the pods need; FDB must be up before mgmtd.
  { ...k8sOpts, dependsOn: [pools, fdb] },
);

// Tenants: namespace, namespace-scoped deployer, admission policy and token Secret each; their 3FS users
// and directories come from the bootstrap (lib/tenants, docs/consumers.md).
const shmHostPath = shmHostPathOf(cfg.fs.clusterId);
const tenantList = cfg.tenants.map(resolveTenant);
const tenantParts = tenantList.map(
  (t) =>
    new ThreeFsTenant(
      `${name}-tenant-${t.name}`,
      { tenant: t, prefix: name, threeFsToken: threefs.tenantTokens[t.name], hostPaths: [cfg.fs.mountPath, shmHostPath], adminKubeconfig: ack.kubeconfig, labels },
      k8sOpts,
    ),
);
const monitoring = cfg.monitoring.enabled
  ? new Monitoring(
      `${name}-monitoring`,
      {
        namespace: ns.name,
        prefix: name,
        profile: cfg.profile,
        layout: cfg.nodePools.layout,
        rdmaPods: cfg.security.rdmaPods,
        clusterId: cfg.fs.clusterId,
        collectorClusterIp: collectorClusterIp(cfg.network.serviceCidr, cfg.monitoring.collectorIpOffset) as string, // validated with the config
        collector: { image: cfg.monitoring.images.collector, resources: cfg.monitoring.resources.collector },
        clickhouse: {
          mode: cfg.monitoring.clickhouse,
          image: cfg.monitoring.images.clickhouse,
          storageGiB: cfg.monitoring.clickhouseStorageGiB,
          storageClassName: disks.fdbStorageClassName,
          resources: cfg.monitoring.resources.clickhouse,
          managed: {
            ...cfg.monitoring.managedClickhouse,
            vpcId: network.vpcId,
            vswitchId: network.nodeVswitchIds.apply((ids) => ids[0]),
            zoneId: cfg.zones[0],
            allowedCidr: network.vpcCidr,
          },
        },
        grafana: { mode: cfg.monitoring.grafana, url: cfg.monitoring.grafanaUrl, image: cfg.monitoring.images.grafana, resources: cfg.monitoring.resources.grafana },
        exporter: {
          // The 3fs-init image of Alibaba's workflow has python3 and admin_cli (deploy/container/Dockerfile, "init").
          image: cfg.monitoring.images.exporter ?? imageRef({ ...cfg.images, digests: { ...cfg.images.digests } }, "init"),
          resources: cfg.monitoring.resources.exporter,
          adminCliConfigMap: threefs.adminCliConfigMap,
        },
        alerts: { prometheusCrds: cfg.monitoring.prometheusCrds, syncAlertMinutes: cfg.monitoring.syncAlertMinutes },
        protect,
        labels,
        tags,
      },
      { ...k8sOpts, dependsOn: [pools, disks] },
    )
  : undefined;

export const contractVersion = CONTRACT_VERSION;
export const region = cfg.region;
export const zones = cfg.zones;
export const profile = cfg.profile;
export const vpcId = network.vpcId;
export const vswitchIds = network.nodeVswitchIds;
export const podVswitchIds = network.podVswitchIds;
export const securityGroupId = network.securityGroupId;
export const clusterId = ack.clusterId;
/** @deprecated since contract 1.5 (cluster-admin): operators read operatorKubeconfig, consumers a tenant's. */
export const kubeconfig = ack.kubeconfig;
export const operatorKubeconfig = ack.kubeconfig;
export const nodePoolIds = pools.nodePoolIds;
export const storageClasses = { eed: disks.eedStorageClassName, fdb: disks.fdbStorageClassName };
export const threefsClusterId = threefs.clusterId;
export const mgmtdAddress = threefs.mgmtdAddress;
export const mountPath = threefs.mountPath;
export const clientNodeSelector = threefs.clientNodeSelector;
export const clientTolerations = threefs.clientTolerations;
/** @deprecated since contract 1.5 (the root token): operators read operatorToken; consumers need none. */
export const token = threefs.token;
export const operatorToken = threefs.token;
export const clientNodes = roleNodeCounts(cfg).client;
export const usrbioShmHostPath = shmHostPath;
export const tenants = Object.fromEntries(
  tenantList.map((t, i) => [
    t.name,
    { namespace: t.namespace, uid: t.uid, gid: t.gid, directory: t.directory, hostPath: `${cfg.fs.mountPath}${t.directory}`, tokenSecretName: tenantParts[i].tokenSecretName },
  ]),
);
export const tenantKubeconfigs = pulumi.secret(pulumi.all(Object.fromEntries(tenantList.map((t, i) => [t.name, tenantParts[i].kubeconfig]))));
export const bootstrapJobName = threefs.bootstrapJobName;
export const checkJobName = threefs.checkJobName;
export const migrationJobName = threefs.migrationJobName;
export const rollJobName = threefs.rollJobName;
export const capacity = { perNodeRawGiB: storage.perNodeRawGiB, perNodeUsableGiB: storage.perNodeUsableGiB, totalRawGiB: storage.totalRawGiB, usableGiB: storage.usableGiB };
// Throughput ceilings, usable capacity and recovery times of this configuration (docs/sizing.md).
export const sizing = sizingOf(cfg, lockGroups(placement));
// What the placement lock changes against the lock it was planned from (new chains, moved memberships, …).
export const placementChange = placementChangeOutput(placement, cfg.storage.disksPerNode);
export const namespace = ns.name;
export const fdbClusterName = fdb.clusterName;
export const fdbClusterFileConfigMap = fdb.clusterFileConfigMap;
export const grafanaUrl = monitoring ? monitoring.grafanaUrl : null;
export const metricsEndpoint = monitoring ? monitoring.metricsEndpoint : null;
export const monitorCollectorAddress = collectorAddressFor(cfg.monitoring, cfg.network.serviceCidr) ?? cfg.fs.monitorCollector ?? null;
export const backupBucket = backupStore ? backupStore.bucketName : null;
export const backupStatusCommand = fdb.backupName ? fdb.backupName.apply((b) => fdbBackupStatus(name, b)) : null;
