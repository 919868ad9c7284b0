/**
 * Cross-field rules: constraints that involve more than one key (or the region), checked after the
 * shape is valid. Each rule returns one-line problems prefixed with the key the user should change.
 *
 * Pure module: no cloud SDK imports.
 */
import { MIN_KUBERNETES_MINOR } from "../lib/k8s/threefs/version";
import { overlaps, parseCidr, planSubnets } from "../lib/network/cidr";
import { validateFdb } from "../lib/fdb/validate";
import { nodePoolProblems } from "../lib/nodepools/validate";
import { chainGroupProblems } from "../lib/threefs/chainGroups";
import { storageNodeIds } from "../lib/threefs/storageNodes";
import { tenantProblems } from "../lib/tenants/spec";
import { validateClusterId } from "../lib/threefs/toml";
import { observabilityProblems } from "./monitoringRules";
import { cloudProblems } from "./cloudRules";
import { workloadProblems } from "./workloadRules";
import type { StackConfigParsed } from "./schema";

/** Chain replicas every profile but dev needs (same number the bootstrap input enforces). */
export const MIN_REPLICAS_OUTSIDE_DEV = 2;

/** A shape-valid config with the values the loader derives (region, stack, cluster id). */
export type Cfg = StackConfigParsed & { region: string; stack: string; fs: { clusterId: string } };


/** All cross-field problems of a shape-valid config. */
export function crossFieldProblems(cfg: Cfg): string[] {
  return [...zoneProblems(cfg), ...networkProblems(cfg), ...clusterProblems(cfg), ...chainProblems(cfg), ...replaceProblems(cfg), ...zoneSpreadProblems(cfg), ...fsProblems(cfg), ...nodePoolProblems(cfg), ...fdbProblems(cfg), ...workloadProblems(cfg), ...cloudProblems(cfg), ...observabilityProblems(cfg), ...tenantProblems(cfg.tenants, stackNamespaces(cfg.stack))];
}

/**
 * FoundationDB version/image, storage and process-count checks. The node-count rule for the redundancy
 * mode is reported by `nodePoolProblems`, whose message knows the pool layout (which keys size the meta
 * role), so `metaNodes` is not passed here and each problem is reported once.
 */
function fdbProblems(cfg: Cfg): string[] {
  return validateFdb({
    version: cfg.fdb.version,
    fdbClientVersion: cfg.images.fdbClientVersion,
    redundancyMode: cfg.fdb.redundancyMode,
    storageGiB: cfg.fdb.storageGiB,
    processCounts: cfg.fdb.processCounts,
  });
}

function zoneProblems(cfg: Cfg): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  cfg.zones.forEach((zone, i) => {
    // Zone ids are `<region>-<letter>`; this needs no API call and catches copy-paste from another region.
    if (cfg.region && !new RegExp(`^${escapeRe(cfg.region)}-[a-z]$`).test(zone)) {
      out.push(`threefs:zones[${i}]: zone ${zone} is not in region ${cfg.region} (alicloud:region)`);
    }
    if (seen.has(zone)) out.push(`threefs:zones[${i}]: zone ${zone} is listed twice`);
    seen.add(zone);
  });
  return out;
}

function networkProblems(cfg: Cfg): string[] {
  const out: string[] = [];
  const vpc = parseCidr(cfg.network.vpcCidr);
  const svc = parseCidr(cfg.network.serviceCidr);
  if (typeof vpc === "string") out.push(`threefs:network.vpcCidr: ${vpc}`);
  if (typeof svc === "string") out.push(`threefs:network.serviceCidr: ${svc}`);
  if (typeof vpc === "string" || typeof svc === "string") return out;
  // With an existing VPC its real block is checked against the Service CIDR at preview (lib/alicloud/preflight.ts).
  if (cfg.network.existing !== undefined) return svc.prefix < 16 || svc.prefix > 24 ? [`threefs:network.serviceCidr: prefix must be /16 to /24 (got /${svc.prefix})`] : [];
  if (overlaps(vpc, svc)) out.push(`threefs:network.serviceCidr: ${cfg.network.serviceCidr} overlaps the VPC ${cfg.network.vpcCidr}; Service IPs must be outside the VPC`);
  if (svc.prefix < 16 || svc.prefix > 24) out.push(`threefs:network.serviceCidr: prefix must be /16 to /24 (got /${svc.prefix})`);
  const plan = planSubnets({ vpcCidr: cfg.network.vpcCidr, zones: cfg.zones, nodePrefix: cfg.network.nodePrefix, podPrefix: cfg.network.podPrefix });
  if (typeof plan === "string") out.push(`threefs:network.vpcCidr: ${plan}`);
  return out;
}

function clusterProblems(cfg: Cfg): string[] {
  const m = /^(\d+)\.(\d+)\./.exec(cfg.cluster.kubernetesVersion);
  if (m && (Number(m[1]) < 1 || (Number(m[1]) === 1 && Number(m[2]) < MIN_KUBERNETES_MINOR))) {
    return [`threefs:cluster.kubernetesVersion: must be ≥ 1.${MIN_KUBERNETES_MINOR} (StatefulSet pod-index label gives 3FS node ids); got ${cfg.cluster.kubernetesVersion}`];
  }
  return [];
}

function chainProblems(cfg: Cfg): string[] {
  const out: string[] = [];
  const { replicas, targetsPerDisk, stripeSize, placementCohorts } = cfg.chains;
  const v = cfg.storage.nodes;
  // The bootstrap refuses single-replica chains outside dev (lib/k8s/threefs/render.ts `minReplicas`, the
  // policy pack's rule): refuse them here, by key, instead of half-way through the program.
  if (cfg.profile !== "dev" && replicas < MIN_REPLICAS_OUTSIDE_DEV) {
    out.push(`threefs:chains.replicas: ${cfg.profile} requires ≥ ${MIN_REPLICAS_OUTSIDE_DEV} (one node failure must not lose data); got ${replicas}`);
  }
  if (replicas > v) {
    out.push(`threefs:chains.replicas: ${replicas} replicas need at least ${replicas} storage nodes (threefs:storage.nodes is ${v})`);
    return out;
  }
  if (placementCohorts.length === 0 && (v * targetsPerDisk) % replicas !== 0) {
    out.push(`threefs:chains.targetsPerDisk: storage.nodes × targetsPerDisk (${v} × ${targetsPerDisk}) must be divisible by chains.replicas (${replicas})`);
    return out;
  }
  const groupProblems = chainGroupProblems({ nodes: v, cohorts: placementCohorts, replicas, targetsPerDisk });
  if (groupProblems.length > 0) return [...out, ...groupProblems];
  const chains = ((v * targetsPerDisk) / replicas) * cfg.storage.disksPerNode;
  if (stripeSize > chains) out.push(`threefs:chains.stripeSize: ${stripeSize} exceeds the ${chains} chains in the table (3FS fails file creation); lower it or add nodes/targets`);
  return out;
}

/** Storage node ids as ranges, e.g. 10000..10002, 11000..11001. */
function describeIds(ids: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < ids.length; ) {
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === ids[j] + 1) j++;
    out.push(i === j ? String(ids[i]) : `${ids[i]}..${ids[j]}`);
    i = j + 1;
  }
  return out.join(", ");
}

function zoneSpreadProblems(cfg: Cfg): string[] {
  if (!cfg.storage.zoneSpread) return [];
  const out: string[] = [];
  if (cfg.zones.length < 2) out.push(`threefs:storage.zoneSpread: needs at least 2 zones in threefs:zones (has ${cfg.zones.length})`);
  if (cfg.chains.replicas < 2) out.push("threefs:storage.zoneSpread: needs threefs:chains.replicas ≥ 2 (one replica cannot span zones)");
  // The storage pool spreads its instances evenly over the zones (BALANCE, lib/nodepools/plan.ts), but which
  // zone gets a remainder is ACK's choice: with a multiple of the zone count each zone's StatefulSet has
  // exactly the nodes its zone gets.
  if (cfg.zones.length >= 2 && cfg.storage.nodes % cfg.zones.length !== 0) out.push(`threefs:storage.nodes: ${cfg.storage.nodes} is not a multiple of the ${cfg.zones.length} zones, which threefs:storage.zoneSpread needs (every zone runs storage.nodes / zones storage pods)`);
  return out;
}

function replaceProblems(cfg: Cfg): string[] {
  const ids = cfg.storage.replace;
  const nodes = storageNodeIds(cfg.storage.nodes, cfg.zones, cfg.storage.zoneSpread);
  const out = ids.filter((n) => !nodes.includes(n)).map((n) => `threefs:storage.replace: ${n} is not a storage node of this stack (${describeIds(nodes)})`);
  if (new Set(ids).size !== ids.length) out.push("threefs:storage.replace: a node id is listed twice");
  return out;
}

/** The namespaces the stack itself creates (index.ts): the 3FS one and the FDB operator's. */
export function stackNamespaces(stack: string): string[] {
  return [`threefs-${stack}`, `threefs-${stack}-fdb-operator`];
}

function fsProblems(cfg: Cfg): string[] {
  const problem = validateClusterId(cfg.fs.clusterId);
  return problem ? [`threefs:fs.clusterId: ${problem}`] : [];
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
