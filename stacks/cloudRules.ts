/**
 * Config rules taken from the Alibaba Cloud APIs and from the three infrastructure modes (create all,
 * existing VPC, existing cluster): what the cloud would refuse, and combinations the program cannot honour.
 * Each problem is one line prefixed with the key to change. Called from `rules.ts`.
 *
 * Pure module: no cloud SDK imports.
 */
import { allowedCidrProblems, KNOWN_REGIONS, tagProblems, vpcCidrProblems } from "../lib/alicloud/limits";
import { kubeconfigServer } from "../lib/k8s/kubeconfig";
import { UNDECRYPTABLE } from "../lib/plan/projectConfig";
import type { Cfg } from "./rules";

/** Tags every Alibaba Cloud resource of the stack carries (index.ts); users cannot set them. */
export const STACK_TAG_KEYS: readonly string[] = ["threefs:profile", "threefs:stack"];

/** All cloud and mode problems of a shape-valid config. */
export function cloudProblems(cfg: Cfg): string[] {
  return [...regionProblems(cfg), ...vpcProblems(cfg), ...tagProblems(cfg.tags, STACK_TAG_KEYS), ...apiServerProblems(cfg), ...modeProblems(cfg), ...nodeConfigProblems(cfg)];
}

function regionProblems(cfg: Cfg): string[] {
  if (!cfg.region || KNOWN_REGIONS.includes(cfg.region)) return [];
  return [`alicloud:region: unknown region ${cfg.region} (the provider knows ${KNOWN_REGIONS.filter((r) => r.startsWith(cfg.region.slice(0, 3))).join(", ") || KNOWN_REGIONS.slice(0, 8).join(", ")}, …)`];
}

function vpcProblems(cfg: Cfg): string[] {
  // With an existing VPC the block is the VPC's own (looked up at preview); vpcCidr is not used.
  if (cfg.network.existing !== undefined) return [];
  return vpcCidrProblems(cfg.network.vpcCidr).map((p) => `threefs:network.vpcCidr: ${p}`);
}

function apiServerProblems(cfg: Cfg): string[] {
  const out = allowedCidrProblems(cfg.cluster.apiServerAllowedCidrs, cfg.network.existing === undefined ? cfg.network.vpcCidr : undefined);
  if (cfg.cluster.existing !== undefined && cfg.cluster.apiServerAllowedCidrs.length > 0) {
    out.push("threefs:cluster.apiServerAllowedCidrs: the access control list of an existing cluster's API server is not managed by this stack; configure it on the cluster");
  }
  if (cfg.profile === "prod" && cfg.cluster.existing === undefined && cfg.cluster.apiServerPublic && cfg.cluster.apiServerAllowedCidrs.length === 0) {
    out.push("threefs:cluster.apiServerPublic: prod refuses an internet-facing API server open to everyone; set threefs:cluster.apiServerAllowedCidrs to your CI and operator egress CIDRs, or set apiServerPublic: false and run `pulumi up` inside the VPC");
  }
  return out;
}

function modeProblems(cfg: Cfg): string[] {
  const out: string[] = [];
  const net = cfg.network.existing;
  if (net !== undefined) {
    for (const key of ["nodeVswitchIds", "podVswitchIds"] as const) {
      if (net[key].length !== cfg.zones.length) {
        out.push(`threefs:network.existing.${key}: lists ${net[key].length} vSwitch(es) but threefs:zones has ${cfg.zones.length}; give one per zone, in zone order`);
      }
      const dup = net[key].find((id, i) => net[key].indexOf(id) !== i);
      if (dup !== undefined) out.push(`threefs:network.existing.${key}: ${dup} is listed twice`);
    }
    const shared = net.nodeVswitchIds.find((id) => net.podVswitchIds.includes(id));
    if (shared !== undefined) out.push(`threefs:network.existing.podVswitchIds: ${shared} is also a node vSwitch; Terway pods need their own vSwitches`);
    if (cfg.network.natGateway) out.push("threefs:network.natGateway: an existing VPC keeps its own egress; set natGateway: false (the stack creates no NAT gateway there)");
    if (cfg.network.natGatewayPerZone) out.push("threefs:network.natGatewayPerZone: an existing VPC keeps its own egress; set natGatewayPerZone: false");
  } else if (cfg.network.natGatewayPerZone && !cfg.network.natGateway) {
    out.push("threefs:network.natGatewayPerZone: needs threefs:network.natGateway: true");
  }
  if (cfg.cluster.existing !== undefined && net === undefined) {
    out.push("threefs:cluster.existing: an existing cluster lives in an existing VPC; set threefs:network.existing to its VPC, node vSwitches and Terway pod vSwitches");
  }
  return [...out, ...existingClusterProblems(cfg)];
}

/**
 * An existing cluster is named by id, by kubeconfig, or both. Node pools are created in a cluster by id
 * (alicloud.cs.NodePool `clusterId`), so a kubeconfig alone can only use labelled nodes that already exist.
 */
function existingClusterProblems(cfg: Cfg): string[] {
  const ex = cfg.cluster.existing;
  if (ex === undefined) return [];
  const out: string[] = [];
  if (ex.clusterId === undefined && ex.kubeconfig === undefined) {
    out.push("threefs:cluster.existing: name the cluster with clusterId (an ACK cluster id), kubeconfig (a secret: the kubeconfig file's content), or both");
  }
  if (ex.clusterId === undefined && ex.kubeconfig !== undefined && ex.nodePools === "create") {
    out.push("threefs:cluster.existing.nodePools: creating node pools needs threefs:cluster.existing.clusterId (ACK creates node pools in a cluster by id); with a kubeconfig alone set nodePools: existing and label the nodes (docs/node-pools.md)");
  }
  // The offline plan cannot decrypt the value; `pulumi preview` checks the real content.
  if (ex.kubeconfig !== undefined && ex.kubeconfig !== UNDECRYPTABLE) {
    const k = kubeconfigServer(ex.kubeconfig);
    if ("problem" in k) out.push(`threefs:cluster.existing.kubeconfig: ${k.problem}`);
  }
  return out;
}

function nodeConfigProblems(cfg: Cfg): string[] {
  const out: string[] = [];
  const registries = cfg.nodePools.registryMirrors.map((m) => m.split("=")[0]);
  registries.forEach((r, i) => {
    if (registries.indexOf(r) !== i) out.push(`threefs:nodePools.registryMirrors[${i}]: registry ${r} is configured twice; list all its mirrors in one entry, comma-separated`);
  });
  const fallbacks = cfg.fdb.fallbackDiskCategories;
  if (fallbacks.includes(cfg.fdb.diskCategory)) out.push(`threefs:fdb.fallbackDiskCategories: repeats threefs:fdb.diskCategory (${cfg.fdb.diskCategory})`);
  if (new Set(fallbacks).size !== fallbacks.length) out.push("threefs:fdb.fallbackDiskCategories: lists a category twice");
  return out;
}
