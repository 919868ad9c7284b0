/**
 * Test helpers for the node-pool and disk components: config values as Pulumi passes them, and a small
 * program that builds Network + AckCluster (the real components, on mocks) + NodePools + Disks the way
 * `index.ts` will, so the tests see real vSwitch ids, the real cluster resource and its Kubernetes provider.
 */
import { AckCluster } from "../../components/ackCluster";
import { Disks } from "../../components/disks";
import { Network } from "../../components/network";
import { NodePools } from "../../components/nodePools";
import { planAddons } from "../../lib/ack";
import { planSubnets } from "../../lib/network/cidr";
import { planNodePools, planStorageClasses, storageCapacity, storageClassPrefix, terwayConfigName, terwayEniConfig } from "../../lib/nodepools/plan";
import { runOnMocks, type ResourceRow } from "../../lib/plan/run";
import { ConfigError, loadConfig, type StackConfig } from "../../stacks/config";

/** Stack config values (objects as JSON strings, as Pulumi passes them) for `profile`, with overrides. */
export function configValues(profile: "dev" | "staging" | "prod", overrides: Record<string, unknown> = {}): Record<string, string> {
  const base: Record<string, unknown> = {
    "alicloud:region": "cn-beijing",
    "threefs:profile": profile,
    "threefs:zones": ["cn-beijing-i"],
    ...overrides,
  };
  return Object.fromEntries(
    Object.entries(base)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
}

/** The problems `loadConfig` reports for these values (empty when valid). */
export function problemsOf(values: Record<string, string>, stack = "test"): string[] {
  try {
    loadConfig({ stack, values });
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  return [];
}

/** A valid config (throws the problems otherwise). */
export function configOf(profile: "dev" | "staging" | "prod", overrides: Record<string, unknown> = {}, stack: string = profile): StackConfig {
  return loadConfig({ stack, values: configValues(profile, overrides) });
}

/** Runs Network + AckCluster + NodePools + Disks for `stack` on Pulumi's mocks. Once per test file. */
export async function runNodePoolsStack(stack: string, values: Record<string, string>) {
  const cfg = loadConfig({ stack, values });
  const result = await runOnMocks({ project: "threefs", stack, values, showSecrets: false }, () => {
    const name = `threefs-${cfg.stack}`;
    const tags: Record<string, string> = { ...cfg.tags, "threefs:profile": cfg.profile, "threefs:stack": cfg.stack };
    const subnets = planSubnets({ vpcCidr: cfg.network.vpcCidr, zones: cfg.zones, nodePrefix: cfg.network.nodePrefix, podPrefix: cfg.network.podPrefix });
    if (typeof subnets === "string") throw new Error(subnets);
    const network = new Network(name, { vpcCidr: cfg.network.vpcCidr, subnets, natGateway: cfg.network.natGateway, natGatewayPerZone: cfg.network.natGatewayPerZone, tags });
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
      terwayConfig: { name: terwayConfigName(cfg.stack), eniConf: terwayEniConfig() },
      protect: cfg.protection.stateful,
      tags,
    });
    const pools = new NodePools(name, {
      clusterId: ack.clusterId,
      vswitchIds: network.nodeVswitchIds,
      pools: planNodePools(cfg),
      securityGroupId: network.securityGroupId,
      erdmaReady: ack.cluster,
      nodesNeed: [...network.egress, ack.terwayConfig],
      tags,
      protect: cfg.protection.stateful,
    });
    const disks = new Disks(
      name,
      { storageClasses: planStorageClasses(cfg, storageClassPrefix(cfg.stack)), capacity: storageCapacity(cfg) },
      { providers: [ack.provider] },
    );
    return {
      nodePoolIds: pools.nodePoolIds,
      eedStorageClassName: disks.eedStorageClassName,
      fdbStorageClassName: disks.fdbStorageClassName,
      capacity: disks.capacity,
    };
  });
  return { cfg, ...result };
}

/** Rows of one type. */
export function rowsOf(rows: readonly ResourceRow[], type: string): ResourceRow[] {
  return rows.filter((r) => r.type === type);
}

/** The single row with this type and name. */
export function rowNamed(rows: readonly ResourceRow[], type: string, name: string): ResourceRow {
  const row = rows.find((r) => r.type === type && r.name === name);
  if (!row) throw new Error(`no ${type} named ${name}; have ${rows.map((r) => `${r.type}/${r.name}`).join(", ")}`);
  return row;
}
