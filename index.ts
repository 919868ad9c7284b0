/**
 * threefs: DeepSeek 3FS on Alibaba Cloud ACK with eRDMA and elastic ephemeral disks.
 *
 * Composition root only: config → components → stack outputs. Planning (CIDRs, addons, placements,
 * configuration files, Kubernetes specs) lives in pure modules under lib/; components turn plans into
 * resources.
 */
import { AckCluster } from "./components/ackCluster";
import { Network } from "./components/network";
import { planAddons } from "./lib/ack";
import { planSubnets } from "./lib/network/cidr";
import { stackConfig } from "./stacks/pulumiConfig";

const cfg = stackConfig();
const name = `threefs-${cfg.stack}`;
const tags: Record<string, string> = { ...cfg.tags, "threefs:profile": cfg.profile, "threefs:stack": cfg.stack };

const subnets = planSubnets({ vpcCidr: cfg.network.vpcCidr, zones: cfg.zones, nodePrefix: cfg.network.nodePrefix, podPrefix: cfg.network.podPrefix });
if (typeof subnets === "string") throw new Error(subnets); // unreachable: config validation ran the same plan

const network = new Network(name, { vpcCidr: cfg.network.vpcCidr, subnets, natGateway: cfg.network.natGateway, tags });

const ack = new AckCluster(name, {
  kubernetesVersion: cfg.cluster.kubernetesVersion,
  clusterSpec: cfg.cluster.clusterSpec,
  vswitchIds: network.nodeVswitchIds,
  podVswitchIds: network.podVswitchIds,
  securityGroupId: network.securityGroupId,
  serviceCidr: cfg.network.serviceCidr,
  addons: planAddons(),
  deletionProtection: cfg.cluster.deletionProtection,
  apiServerPublic: cfg.cluster.apiServerPublic,
  protect: cfg.protection.stateful,
  tags,
});

export const region = cfg.region;
export const zones = cfg.zones;
export const profile = cfg.profile;
export const vpcId = network.vpcId;
export const vswitchIds = network.nodeVswitchIds;
export const podVswitchIds = network.podVswitchIds;
export const securityGroupId = network.securityGroupId;
export const clusterId = ack.clusterId;
export const kubeconfig = ack.kubeconfig;
