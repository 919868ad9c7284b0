/**
 * Config rules from the Alibaba Cloud APIs and the infrastructure modes, and the preview checks against the
 * account (lib/alicloud/preflight.ts) on the offline plan's tables.
 */
import { gatherFacts, preflightProblems, INVOKES } from "../../lib/alicloud/preflight";
import { vpcCidrProblems, tagProblems } from "../../lib/alicloud/limits";
import { PlanMocks } from "../../lib/plan/mocks";
import { ConfigError, loadConfig, type StackConfig } from "../../stacks/config";

function values(profile: string, overrides: Record<string, unknown> = {}): Record<string, string> {
  const base: Record<string, unknown> = { "alicloud:region": "cn-beijing", "threefs:profile": profile, "threefs:zones": ["cn-beijing-i"], ...overrides };
  return Object.fromEntries(Object.entries(base).filter(([, v]) => v !== undefined).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}
function problemsOf(profile: string, overrides: Record<string, unknown> = {}): string[] {
  try {
    loadConfig({ stack: profile, values: values(profile, overrides) });
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
}
const BYO_NET = { natGateway: false, existing: { vpcId: "vpc-2zebyo0000000000000001", nodeVswitchIds: ["vsw-2zebyonode00000000000i"], podVswitchIds: ["vsw-2zebyopod000000000000i"] } };

describe("config rules from the cloud APIs", () => {
  it.each<[string, string, Record<string, unknown>, string]>([
    ["single-replica chains in staging (the bootstrap would refuse them)", "staging", { "threefs:chains": { replicas: 1 } }, "threefs:chains.replicas: staging requires ≥ 2"],
    ["an unknown region", "dev", { "alicloud:region": "cn-atlantis", "threefs:zones": ["cn-atlantis-a"] }, "alicloud:region: unknown region cn-atlantis"],
    ["a VPC in the shared address space", "dev", { "threefs:network": { vpcCidr: "100.64.0.0/16" } }, "threefs:network.vpcCidr: 100.64.0.0/16 overlaps 100.64.0.0/10, which the VPC API reserves"],
    ["a VPC starting with 0", "dev", { "threefs:network": { vpcCidr: "0.0.0.0/16" } }, "threefs:network.vpcCidr: a VPC block cannot start with 0"],
    ["a reserved tag prefix", "dev", { "threefs:tags": { "acs:team": "x" } }, "threefs:tags.acs:team: tag keys may not start with aliyun or acs:"],
    ["a URL in a tag value", "dev", { "threefs:tags": { team: "https://x" } }, "threefs:tags.team: tag values may not"],
    ["too many tags", "dev", { "threefs:tags": Object.fromEntries(Array.from({ length: 19 }, (_, i) => [`k${i}`, "v"])) }, "threefs:tags: 19 tags plus the stack's 2 exceed the 20"],
    ["a tag the stack sets itself", "dev", { "threefs:tags": { "threefs:stack": "x" } }, "threefs:tags.threefs:stack: set by the stack itself"],
    ["a public prod API server without allow-list", "prod", { "threefs:zones": ["cn-beijing-i", "cn-beijing-j", "cn-beijing-k"], "threefs:cluster": { apiServerPublic: true } }, "threefs:cluster.apiServerPublic: prod refuses"],
    ["an allow-list of the whole internet", "dev", { "threefs:cluster": { apiServerAllowedCidrs: ["0.0.0.0/0"] } }, "threefs:cluster.apiServerAllowedCidrs[0]: 0.0.0.0/0 admits the whole internet"],
    ["an allow-list entry inside the VPC", "dev", { "threefs:cluster": { apiServerAllowedCidrs: ["10.0.1.0/24"] } }, "threefs:cluster.apiServerAllowedCidrs[0]: 10.0.1.0/24 is already admitted"],
    ["a mirror without protocol", "dev", { "threefs:nodePools": { registryMirrors: ["docker.io=mirror.example.com"] } }, "threefs:nodePools.registryMirrors[0]: must be registry=https://mirror"],
    ["one registry configured twice", "dev", { "threefs:nodePools": { registryMirrors: ["docker.io=https://a.example.com", "docker.io=https://b.example.com"] } }, "threefs:nodePools.registryMirrors[1]: registry docker.io is configured twice"],
    ["the FDB category as its own fallback", "dev", { "threefs:fdb": { fallbackDiskCategories: ["cloud_essd_entry"] } }, "threefs:fdb.fallbackDiskCategories: repeats threefs:fdb.diskCategory"],
    ["per-zone NAT without NAT", "dev", { "threefs:network": { natGateway: false, natGatewayPerZone: true } }, "threefs:network.natGatewayPerZone: needs threefs:network.natGateway: true"],
    ["NAT in an existing VPC", "dev", { "threefs:network": { ...BYO_NET, natGateway: true } }, "threefs:network.natGateway: an existing VPC keeps its own egress"],
    ["vSwitches that do not match the zones", "dev", { "threefs:network": { ...BYO_NET, existing: { ...BYO_NET.existing, nodeVswitchIds: ["vsw-a", "vsw-b"] } } }, "threefs:network.existing.nodeVswitchIds: lists 2 vSwitch(es) but threefs:zones has 1"],
    ["a pod vSwitch that is also a node vSwitch", "dev", { "threefs:network": { ...BYO_NET, existing: { ...BYO_NET.existing, podVswitchIds: ["vsw-2zebyonode00000000000i"] } } }, "threefs:network.existing.podVswitchIds: vsw-2zebyonode00000000000i is also a node vSwitch"],
    ["an existing cluster without its VPC", "dev", { "threefs:cluster": { existing: { clusterId: "c0byo0000000000000000000000000001", nodePools: "create" } } }, "threefs:cluster.existing: an existing cluster lives in an existing VPC"],
    ["a tag key over 128 characters", "dev", { "threefs:tags": { ["k".repeat(129)]: "v" } }, `threefs:tags.${"k".repeat(129)}: a tag key has 1 to 128 characters`],
    ["a tag value over 128 characters", "dev", { "threefs:tags": { team: "v".repeat(129) } }, "threefs:tags.team: a tag value has at most 128 characters (got 129)"],
    ["an allow-list entry listed twice", "dev", { "threefs:cluster": { apiServerAllowedCidrs: ["203.0.113.0/24", "203.0.113.0/24"] } }, "threefs:cluster.apiServerAllowedCidrs[1]: 203.0.113.0/24 is listed twice"],
    ["a node vSwitch listed twice", "dev", { "threefs:zones": ["cn-beijing-i", "cn-beijing-j"], "threefs:network": { ...BYO_NET, existing: { ...BYO_NET.existing, nodeVswitchIds: ["vsw-a", "vsw-a"], podVswitchIds: ["vsw-p", "vsw-q"] } } }, "threefs:network.existing.nodeVswitchIds: vsw-a is listed twice"],
    ["per-zone NAT in an existing VPC", "dev", { "threefs:network": { ...BYO_NET, natGatewayPerZone: true } }, "threefs:network.natGatewayPerZone: an existing VPC keeps its own egress"],
    ["an FDB fallback category listed twice", "dev", { "threefs:fdb": { fallbackDiskCategories: ["cloud_essd", "cloud_essd"] } }, "threefs:fdb.fallbackDiskCategories: lists a category twice"],
    ["a malformed cluster id", "dev", { "threefs:cluster": { existing: { clusterId: "my-cluster", nodePools: "create" } } }, "threefs:cluster.existing.clusterId: must be an ACK cluster id"],
  ])("refuses %s", (_label, profile, overrides, expected) => {
    const problems = problemsOf(profile, overrides);
    expect(problems).toContainEqual(expect.stringContaining(expected));
    for (const p of problems) expect(p).toMatch(/^(threefs|alicloud):[^\n]+$/);
  });

  it("accepts the three modes and a public prod API server with an allow-list", () => {
    expect(problemsOf("dev", { "threefs:network": BYO_NET })).toEqual([]);
    expect(problemsOf("dev", { "threefs:network": BYO_NET, "threefs:cluster": { existing: { clusterId: "c0byo0000000000000000000000000001", nodePools: "existing" } } })).toEqual([]);
    expect(problemsOf("prod", { "threefs:zones": ["cn-beijing-i", "cn-beijing-j", "cn-beijing-k"], "threefs:cluster": { apiServerPublic: true, apiServerAllowedCidrs: ["203.0.113.0/24"] } })).toEqual([]);
  });

  it("vpcCidrProblems and tagProblems accept what the APIs accept", () => {
    for (const c of ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "11.0.0.0/16"]) expect(vpcCidrProblems(c)).toEqual([]);
    expect(vpcCidrProblems("10.0.0.0/25")).toEqual(["VPC prefix must be /8 to /24 (got /25)"]);
    expect(tagProblems({ team: "ml", "cost-center": "42" }, ["threefs:stack"])).toEqual([]);
  });
});

/** Config → facts through the offline plan's mocks → problems. */
async function preflight(profile: string, overrides: Record<string, unknown> = {}): Promise<string[]> {
  const cfg: StackConfig = loadConfig({ stack: profile, values: values(profile, overrides) });
  const mocks = new PlanMocks({}, cfg.region);
  const facts = await gatherFacts(cfg, async (token, inputs) => mocks.call({ token, inputs, provider: "" } as never));
  return preflightProblems(cfg, facts);
}

describe("preview checks against the account (offline tables)", () => {
  it("passes the committed profiles", async () => {
    expect(await preflight("dev")).toEqual([]);
    expect(await preflight("prod", { "threefs:zones": ["cn-beijing-i", "cn-beijing-j", "cn-beijing-k"] })).toEqual([]);
  });

  it.each<[string, string, Record<string, unknown>, string]>([
    ["a version ACK does not create, listing those it does", "dev", { "threefs:cluster": { kubernetesVersion: "1.33.1-aliyun.1" } }, "threefs:cluster.kubernetesVersion: ACK cannot create 1.33.1-aliyun.1 in cn-beijing; it creates 1.35.1-aliyun.1, 1.35.2-aliyun.1, 1.35.7-aliyun.1"],
    ["a zone the region does not have", "dev", { "threefs:zones": ["cn-beijing-z"] }, "threefs:zones[0]: cn-beijing-z is not a zone of cn-beijing"],
    ["an instance type the region does not sell", "staging", { "threefs:meta": { instanceTypes: ["ecs.g8i.48xlarge"] } }, "threefs:meta.instanceTypes[0]: ecs.g8i.48xlarge is not sold in cn-beijing"],
    ["a pool none of whose types is sold in a zone", "dev", { "threefs:zones": ["cn-beijing-j"], "threefs:storage": { instanceTypes: ["ecs.g8ise.xlarge"] } }, "threefs:storage.instanceTypes: none of ecs.g8ise.xlarge is sold in zone cn-beijing-j"],
    ["an existing VPC that does not exist", "dev", { "threefs:network": { ...BYO_NET, existing: { ...BYO_NET.existing, vpcId: "vpc-nope" } } }, "threefs:network.existing.vpcId: VPC vpc-nope not found in cn-beijing"],
    ["a vSwitch in another zone", "dev", { "threefs:zones": ["cn-beijing-j"], "threefs:network": BYO_NET }, "threefs:network.existing.nodeVswitchIds[0]: vsw-2zebyonode00000000000i is in cn-beijing-i, but threefs:zones[0] is cn-beijing-j"],
    ["a Service CIDR inside the existing VPC", "dev", { "threefs:network": { ...BYO_NET, serviceCidr: "192.168.200.0/24" } }, "threefs:network.serviceCidr: 192.168.200.0/24 overlaps VPC vpc-2zebyo0000000000000001"],
    ["an unknown cluster", "dev", { "threefs:network": BYO_NET, "threefs:cluster": { existing: { clusterId: "c0nope000000000000000000000000001", nodePools: "create" } } }, "threefs:cluster.existing.clusterId: ACK cluster c0nope000000000000000000000000001 not found"],
  ])("refuses %s", async (_label, profile, overrides, expected) => {
    expect(await preflight(profile, overrides)).toContainEqual(expect.stringContaining(expected));
  });

  // Rules whose trigger the offline tables do not contain (every listed zone offers EED, no g9a is listed):
  // the account's answers are edited instead, as a real preview could return them.
  async function factsOf(profile: string, overrides: Record<string, unknown> = {}) {
    const cfg: StackConfig = loadConfig({ stack: profile, values: values(profile, overrides) });
    const mocks = new PlanMocks({}, cfg.region);
    return { cfg, facts: await gatherFacts(cfg, async (token, inputs) => mocks.call({ token, inputs, provider: "" } as never)) };
  }

  it("refuses a zone that does not offer the EED category, naming those that do", async () => {
    const { cfg, facts } = await factsOf("dev");
    const problems = preflightProblems(cfg, { ...facts, eedZones: facts.eedZones.filter((z) => z !== "cn-beijing-i") });
    expect(problems).toContainEqual(expect.stringMatching(/^threefs:zones\[0\]: cn-beijing-i does not offer elastic_ephemeral_disk_\w+ \(threefs:storage\.diskCategory\); zones that do: cn-beijing-/));
  });

  it("refuses a g9a size below eRDMA's 4 vCPUs (a per-size rule the family table cannot express)", async () => {
    const { cfg, facts } = await factsOf("dev", { "threefs:storage": { instanceTypes: ["ecs.g9a.large"] } });
    const problems = preflightProblems(cfg, { ...facts, instanceTypes: { ...facts.instanceTypes, "ecs.g9a.large": { zones: ["cn-beijing-i"], cpuCoreCount: 2 } } });
    expect(problems).toContainEqual("threefs:storage.instanceTypes[0]: ecs.g9a.large has 2 vCPUs; its family offers eRDMA from 4 vCPUs");
    const ok = preflightProblems(cfg, { ...facts, instanceTypes: { ...facts.instanceTypes, "ecs.g9a.large": { zones: ["cn-beijing-i"], cpuCoreCount: 4 } } });
    expect(ok.filter((p) => p.includes("vCPUs"))).toEqual([]);
  });

  it("skips the version check when asked (a cluster already on a retired patch)", async () => {
    expect(await preflight("dev", { "threefs:cluster": { kubernetesVersion: "1.33.1-aliyun.1", checkKubernetesVersion: false } })).toEqual([]);
  });
});

describe("data-source mocks are as strict as the provider", () => {
  const mocks = new PlanMocks({}, "cn-beijing");
  const call = (token: string, inputs: Record<string, unknown>) => mocks.call({ token, inputs, provider: "" } as never);
  it("refuses argument values the provider's validation refuses", () => {
    expect(() => call(INVOKES.kubernetesVersion, { clusterType: "Serverless" })).toThrow(/clusterType/);
    expect(() => call(INVOKES.zones, { availableResourceCreation: "Nat" })).toThrow(/availableResourceCreation/);
  });
  it("fails for a region it has no table for, like DescribeZones", () => {
    expect(() => new PlanMocks({}, "eu-west-1").call({ token: INVOKES.zones, inputs: {}, provider: "" } as never)).toThrow(/no availability zones/);
  });
  it("returns nothing for unknown ids and types, like the Describe APIs", () => {
    expect(call(INVOKES.instanceTypes, { instanceType: "ecs.g7.xlarge" }).instanceTypes).toEqual([]);
    expect(call(INVOKES.networks, { ids: ["vpc-x"] }).vpcs).toEqual([]);
  });
  it("still throws on invokes nobody mocked", () => {
    expect(() => call("alicloud:ecs/getImages:getImages", {})).toThrow(/unexpected invoke/);
  });
});
