/**
 * Preview-time checks against the account: what the config rules cannot know offline — which Kubernetes
 * versions ACK can create in the region, which zones exist, which instance types a zone sells (and their
 * real vCPU counts), which zones offer the EED category, and that an existing VPC / vSwitches / cluster are
 * what the config says. `gatherFacts` asks the provider's data sources through an injected `call` (the real
 * invoke in the program, the committed tables of lib/plan in the offline plan); `preflightProblems` turns the
 * facts into key-named lines, like the config rules.
 *
 * Pure module apart from the injected `call`: no cloud SDK imports.
 */
import { ERDMA_MIN_VCPUS, instanceFamily } from "../erdma";
import { overlaps, parseCidr } from "../network/cidr";
import { planNodePools, type NodePoolsConfig } from "../nodepools/plan";

/** Invoke tokens of the data sources used here (@pulumi/alicloud 3.108.0). */
export const INVOKES = {
  kubernetesVersion: "alicloud:cs/getKubernetesVersion:getKubernetesVersion",
  zones: "alicloud:index/getZones:getZones",
  instanceTypes: "alicloud:ecs/getInstanceTypes:getInstanceTypes",
  networks: "alicloud:vpc/getNetworks:getNetworks",
  switches: "alicloud:vpc/getSwitches:getSwitches",
  clusters: "alicloud:cs/getManagedKubernetesClusters:getManagedKubernetesClusters",
} as const;

/** An invoke: token and camelCase arguments in, the data source's result out. */
export type Call = (token: string, args: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** What the config needs from the account. */
export interface Facts {
  /** Versions ACK creates for ManagedKubernetes (undefined: not checked). */
  creatableVersions?: string[];
  /** Zone ids of the region in which vSwitches can be created. */
  zones: string[];
  /** Per instance type of the config: where it is sold and its size (undefined: not sold in the region). */
  instanceTypes: Record<string, { zones: string[]; cpuCoreCount: number } | undefined>;
  /** Zones offering the EED category of `threefs:storage.diskCategory`. */
  eedZones: string[];
  /** The existing VPC, when configured (undefined: not found). */
  vpc?: { id: string; cidrBlock: string } | null;
  /** The existing vSwitches found, by id. */
  vswitches: Record<string, { zoneId: string; vpcId: string }>;
  /** The existing cluster, when configured (null: not found). */
  cluster?: { id: string; vpcId: string; state: string } | null;
}

/** The part of the stack config the checks read. */
export type PreflightConfig = NodePoolsConfig & {
  readonly region: string;
  readonly network: { readonly serviceCidr: string; readonly existing?: { readonly vpcId: string; readonly nodeVswitchIds: readonly string[]; readonly podVswitchIds: readonly string[] } };
  readonly cluster: { readonly kubernetesVersion: string; readonly checkKubernetesVersion: boolean; readonly existing?: { readonly clusterId?: string; readonly nodePools: "create" | "existing" } };
};

const arr = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? (v as Record<string, unknown>[]) : []);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** Every instance type the pools the stack creates may use. */
function configuredTypes(cfg: PreflightConfig): string[] {
  if (cfg.cluster.existing?.nodePools === "existing") return [];
  return [...new Set(planNodePools(cfg).flatMap((p) => p.instanceTypes))];
}

/** Asks the account for the facts; one call per data source (and per instance type). */
export async function gatherFacts(cfg: PreflightConfig, call: Call): Promise<Facts> {
  const facts: Facts = { zones: [], instanceTypes: {}, eedZones: [], vswitches: {} };
  if (cfg.cluster.checkKubernetesVersion && cfg.cluster.existing === undefined) {
    const r = await call(INVOKES.kubernetesVersion, { clusterType: "ManagedKubernetes", profile: "Default" });
    facts.creatableVersions = arr(r.metadatas).map((m) => String(m.version));
  }
  facts.zones = strs((await call(INVOKES.zones, { availableResourceCreation: "VSwitch" })).ids);
  facts.eedZones = strs((await call(INVOKES.zones, { availableResourceCreation: "Disk", availableDiskCategory: cfg.storage.diskCategory })).ids);
  for (const type of configuredTypes(cfg)) {
    const found = arr((await call(INVOKES.instanceTypes, { instanceType: type })).instanceTypes).find((t) => t.id === type);
    facts.instanceTypes[type] = found ? { zones: strs(found.availabilityZones), cpuCoreCount: Number(found.cpuCoreCount) } : undefined;
  }
  const net = cfg.network.existing;
  if (net !== undefined) {
    const vpc = arr((await call(INVOKES.networks, { ids: [net.vpcId] })).vpcs).find((v) => v.id === net.vpcId);
    facts.vpc = vpc ? { id: String(vpc.id), cidrBlock: String(vpc.cidrBlock) } : null;
    const ids = [...net.nodeVswitchIds, ...net.podVswitchIds];
    for (const v of arr((await call(INVOKES.switches, { ids })).vswitches)) facts.vswitches[String(v.id)] = { zoneId: String(v.zoneId), vpcId: String(v.vpcId) };
  }
  // A cluster named by kubeconfig alone is not looked up (no id); the Kubernetes provider reaches it at preview.
  const existingId = cfg.cluster.existing?.clusterId;
  if (existingId !== undefined) {
    const c = arr((await call(INVOKES.clusters, { ids: [existingId], enableDetails: true })).clusters).find((x) => x.id === existingId);
    facts.cluster = c ? { id: String(c.id), vpcId: String(c.vpcId), state: String(c.state) } : null;
  }
  return facts;
}

/** One key-named line per fact that contradicts the config. */
export function preflightProblems(cfg: PreflightConfig, facts: Facts): string[] {
  return [...versionProblems(cfg, facts), ...zoneProblems(cfg, facts), ...typeProblems(cfg, facts), ...existingProblems(cfg, facts)];
}

function versionProblems(cfg: PreflightConfig, facts: Facts): string[] {
  const list = facts.creatableVersions;
  if (list === undefined || list.includes(cfg.cluster.kubernetesVersion)) return [];
  return [
    `threefs:cluster.kubernetesVersion: ACK cannot create ${cfg.cluster.kubernetesVersion} in ${cfg.region}; it creates ${list.join(", ") || "none"} ` +
      "(for a cluster already running it, set threefs:cluster.checkKubernetesVersion: false)",
  ];
}

function zoneProblems(cfg: PreflightConfig, facts: Facts): string[] {
  const out: string[] = [];
  cfg.zones.forEach((z, i) => {
    if (!facts.zones.includes(z)) out.push(`threefs:zones[${i}]: ${z} is not a zone of ${cfg.region} (zones: ${facts.zones.join(", ") || "none"})`);
    else if (!facts.eedZones.includes(z) && cfg.cluster.existing?.nodePools !== "existing") {
      out.push(`threefs:zones[${i}]: ${z} does not offer ${cfg.storage.diskCategory} (threefs:storage.diskCategory); zones that do: ${facts.eedZones.join(", ") || "none"}`);
    }
  });
  return out;
}

function typeProblems(cfg: PreflightConfig, facts: Facts): string[] {
  const out: string[] = [];
  if (cfg.cluster.existing?.nodePools === "existing") return out;
  for (const pool of planNodePools(cfg)) {
    pool.instanceTypes.forEach((type, i) => {
      const where = `${pool.instanceTypesKey}[${i}]`;
      const info = facts.instanceTypes[type];
      if (info === undefined) {
        out.push(`${where}: ${type} is not sold in ${cfg.region}`);
        return;
      }
      const min = ERDMA_MIN_VCPUS[instanceFamily(type) ?? ""];
      if (min !== undefined && info.cpuCoreCount < min) out.push(`${where}: ${type} has ${info.cpuCoreCount} vCPUs; its family offers eRDMA from ${min} vCPUs`);
    });
    // The pool spans every zone: each zone needs at least one of its types.
    cfg.zones.forEach((z) => {
      if (facts.zones.includes(z) && !pool.instanceTypes.some((t) => facts.instanceTypes[t]?.zones.includes(z))) {
        out.push(`${pool.instanceTypesKey}: none of ${pool.instanceTypes.join(", ")} is sold in zone ${z}; add a type that is, or drop the zone`);
      }
    });
  }
  return out;
}

function existingProblems(cfg: PreflightConfig, facts: Facts): string[] {
  const out: string[] = [];
  const net = cfg.network.existing;
  if (net !== undefined) {
    if (facts.vpc === null || facts.vpc === undefined) out.push(`threefs:network.existing.vpcId: VPC ${net.vpcId} not found in ${cfg.region}`);
    else {
      const vpc = parseCidr(facts.vpc.cidrBlock);
      const svc = parseCidr(cfg.network.serviceCidr);
      if (typeof vpc !== "string" && typeof svc !== "string" && overlaps(vpc, svc)) {
        out.push(`threefs:network.serviceCidr: ${cfg.network.serviceCidr} overlaps VPC ${net.vpcId} (${facts.vpc.cidrBlock}); Service IPs must be outside the VPC`);
      }
    }
    for (const key of ["nodeVswitchIds", "podVswitchIds"] as const) {
      net[key].forEach((id, i) => {
        const v = facts.vswitches[id];
        if (v === undefined) out.push(`threefs:network.existing.${key}[${i}]: vSwitch ${id} not found in ${cfg.region}`);
        else if (v.vpcId !== net.vpcId) out.push(`threefs:network.existing.${key}[${i}]: ${id} belongs to ${v.vpcId}, not ${net.vpcId}`);
        else if (cfg.zones[i] !== undefined && v.zoneId !== cfg.zones[i]) out.push(`threefs:network.existing.${key}[${i}]: ${id} is in ${v.zoneId}, but threefs:zones[${i}] is ${cfg.zones[i]}`);
      });
    }
  }
  const existingId = cfg.cluster.existing?.clusterId;
  if (existingId !== undefined) {
    if (facts.cluster === null || facts.cluster === undefined) out.push(`threefs:cluster.existing.clusterId: ACK cluster ${existingId} not found in ${cfg.region}`);
    else {
      if (net !== undefined && facts.cluster.vpcId !== net.vpcId) out.push(`threefs:network.existing.vpcId: cluster ${existingId} runs in ${facts.cluster.vpcId}, not ${net.vpcId}`);
      if (facts.cluster.state !== "running") out.push(`threefs:cluster.existing.clusterId: cluster ${existingId} is ${facts.cluster.state}, not running`);
    }
  }
  return out;
}
