/**
 * Mock-runtime test of Network and AckCluster: what is created, key inputs, parents, secrets.
 */
import { stableHash } from "../../lib/plan/mocks";
import { runOnMocks, type PlanResult, type ResourceRow } from "../../lib/plan/run";

let plan: PlanResult;

beforeAll(async () => {
  plan = await runOnMocks({ project: "threefs", stack: "t", values: {}, showSecrets: false }, () => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { Network } = require("../../components/network") as typeof import("../../components/network");
    const { AckCluster } = require("../../components/ackCluster") as typeof import("../../components/ackCluster");
    const { planAddons } = require("../../lib/ack") as typeof import("../../lib/ack");
    const subnets = [
      { zone: "cn-beijing-i", nodeCidr: "10.0.160.0/22", podCidr: "10.0.0.0/19" },
      { zone: "cn-beijing-k", nodeCidr: "10.0.164.0/22", podCidr: "10.0.32.0/19" },
    ];
    const net = new Network("n", { vpcCidr: "10.0.0.0/16", subnets, natGateway: true, natGatewayPerZone: true, tags: { "threefs:profile": "prod" } });
    const ack = new AckCluster("n", {
      region: "cn-beijing",
      kubernetesVersion: "1.35.2-aliyun.1",
      clusterSpec: "ack.pro.small",
      vswitchIds: net.nodeVswitchIds,
      podVswitchIds: net.podVswitchIds,
      securityGroupId: net.securityGroupId,
      serviceCidr: "172.21.0.0/20",
      proxyMode: "iptables",
      addons: planAddons(),
      deletionProtection: true,
      apiServerPublic: true,
      apiServerAllowedCidrs: ["203.0.113.0/24"],
      vpcCidr: net.vpcCidr,
      terwayConfig: { name: "n-eni", eniConf: { eni_tag_filter: { creator: "terway" } } },
      protect: true,
      tags: {},
    });
    return { kubeconfig: ack.kubeconfig, clusterId: ack.clusterId, vswitchIds: net.nodeVswitchIds, egress: net.egress.length };
  });
});

const byType = (type: string): ResourceRow[] => plan.rows.filter((r) => r.type === type);
const one = (type: string): ResourceRow => {
  const rows = byType(type);
  expect(rows).toHaveLength(1);
  return rows[0];
};
const inputs = (r: ResourceRow) => r.inputs as Record<string, unknown>;

describe("Network", () => {
  it("creates a VPC, node and pod vSwitches per zone, one NAT gateway per zone with SNAT for its zone's vSwitches", () => {
    expect(byType("alicloud:vpc/switch:Switch").map((r) => inputs(r).cidrBlock).sort()).toEqual(["10.0.0.0/19", "10.0.160.0/22", "10.0.164.0/22", "10.0.32.0/19"]);
    expect(byType("alicloud:vpc/snatEntry:SnatEntry")).toHaveLength(4);
    expect(plan.outputs.egress.value).toBe(4);
    expect(inputs(one("alicloud:vpc/network:Network")).cidrBlock).toBe("10.0.0.0/16");
    const gws = byType("alicloud:vpc/natGateway:NatGateway");
    expect(gws.map((g) => g.name).sort()).toEqual(["n-cn-beijing-i-nat", "n-cn-beijing-k-nat"]);
    for (const g of gws) expect(inputs(g).natType).toBe("Enhanced");
    // Each gateway sits in its own zone's node vSwitch.
    const sw = (zone: string) => byType("alicloud:vpc/switch:Switch").find((r) => r.name === `n-node-${zone}`)!;
    expect(new Set(gws.map((g) => inputs(g).vswitchId)).size).toBe(2);
    expect(sw("cn-beijing-i")).toBeDefined();
    expect(byType("alicloud:ecs/eipAddress:EipAddress")).toHaveLength(2);
  });

  it("admits ingress only from inside the VPC; the enterprise group needs an explicit egress rule", () => {
    expect(inputs(one("alicloud:ecs/securityGroup:SecurityGroup")).securityGroupType).toBe("enterprise");
    const rules = byType("alicloud:ecs/securityGroupRule:SecurityGroupRule");
    for (const rule of rules.filter((r) => inputs(r).type === "ingress")) expect(inputs(rule).cidrIp).toBe("10.0.0.0/16");
    expect(rules.filter((r) => inputs(r).type === "egress")).toHaveLength(1);
  });

  it("parents every child to the component and names it after it", () => {
    const component = one("threefs:index:Network");
    const children = plan.rows.filter((r) => r.parent === component.urn);
    expect(children.length).toBe(18); // vpc, 4 vSwitches, sg, 2 rules, 2 × (nat, eip, association), 4 SNAT
    for (const c of children) expect(c.name.startsWith("n-")).toBe(true);
  });

  it("SNAT entries wait for their gateway's EIP association", () => {
    const assocs = byType("alicloud:ecs/eipAssociation:EipAssociation").map((a) => a.urn);
    for (const s of byType("alicloud:vpc/snatEntry:SnatEntry")) expect(s.dependsOn.some((d) => assocs.includes(d))).toBe(true);
  });
});

describe("AckCluster", () => {
  it("creates a managed cluster with the required addons and settings", () => {
    const c = inputs(one("alicloud:cs/managedKubernetes:ManagedKubernetes"));
    expect(c.clusterSpec).toBe("ack.pro.small");
    expect(c.proxyMode).toBe("iptables");
    expect(c.skipSetCertificateAuthority).toBe(true);
    expect(c.deletionProtection).toBe(true);
    expect(c.newNatGateway).toBe(false);
    expect((c.vswitchIds as string[]).length).toBe(2);
    expect((c.podVswitchIds as string[]).length).toBe(2);
    const addons = c.addons as { name: string; config?: string }[];
    expect(addons.map((a) => a.name)).toEqual(["terway-controlplane", "terway-eniip", "csi-plugin", "managed-csiprovisioner", "ack-erdma-controller"]);
    expect(JSON.parse(addons[4].config ?? "{}")).toEqual({ agent: { preferDriver: "compat", allocateAllDevices: true } });
  });

  it("protects the cluster when asked", () => {
    expect(one("alicloud:cs/managedKubernetes:ManagedKubernetes").protect).toBe(true);
  });

  it("builds a Kubernetes provider keyed on the cluster id, with a secret kubeconfig", () => {
    const p = inputs(one("pulumi:providers:kubernetes"));
    expect(p.kubeconfig).toBe("[secret]");
    expect(p.clusterIdentifier).toMatch(/^c[0-9a-f]{20}$/);
  });

  it("applies an allow-list: ACK's control plane, the VPC and the configured CIDRs", () => {
    expect(byType("alicloud:slb/aclEntryAttachment:AclEntryAttachment").map((r) => inputs(r).entry)).toEqual(["100.104.0.0/16", "10.0.0.0/16", "203.0.113.0/24"]);
  });

  it("enforces the allow-list on the cluster's 6443 listener once every entry exists, with no credential in its inputs", () => {
    const att = one("pulumi-nodejs:dynamic:ApiServerAcl");
    const cluster = one("alicloud:cs/managedKubernetes:ManagedKubernetes");
    const acl = one("alicloud:slb/acl:Acl");
    const reg = (r: ResourceRow) => plan.registrations.find((g) => g.type === r.type && g.name === r.name)!;
    expect(att.name).toBe("n-apiserver-acl-attachment");
    expect(att.parent).toMatch(/threefs:index:AckCluster::n$/);
    expect(inputs(att)).toEqual({
      region: "cn-beijing",
      loadBalancerId: reg(cluster).state!.slbId,
      listenerPort: 6443,
      aclId: expect.stringMatching(/^acl-/),
      aclType: "white",
      __provider: expect.stringMatching(/^\[serialized dynamic provider: \d+ bytes, sha256 [0-9a-f]{12}\]$/),
    });
    // The mock engine's id of the ACL (lib/plan/mocks.ts: prefix + hash of type and name).
    expect(inputs(att).aclId).toBe(`acl-${stableHash(acl.type, acl.name).slice(0, 20)}`);
    expect(att.dependsOn).toEqual(byType("alicloud:slb/aclEntryAttachment:AclEntryAttachment").map((r) => r.urn).sort());
    expect(att.outputs).toEqual({ aclStatus: "on" });
  });

  it("writes the Terway ENI whitelist into its own kube-system ConfigMap", () => {
    const cm = inputs(one("kubernetes:core/v1:ConfigMap"));
    expect(cm.metadata).toEqual({ name: "n-eni", namespace: "kube-system" });
    expect(JSON.parse((cm.data as Record<string, string>).eni_conf)).toEqual({ eni_tag_filter: { creator: "terway" } });
  });

  it("exports the kubeconfig as a secret", () => {
    expect(plan.outputs.kubeconfig).toEqual({ value: "[secret]", secret: true });
    expect(plan.outputs.clusterId.secret).toBe(false);
  });
});
