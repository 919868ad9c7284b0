/**
 * Mock-runtime test of Network and AckCluster: what is created, key inputs, parents, secrets.
 */
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
    const net = new Network("n", { vpcCidr: "10.0.0.0/16", subnets, natGateway: true, tags: { "threefs:profile": "prod" } });
    const ack = new AckCluster("n", {
      kubernetesVersion: "1.35.2-aliyun.1",
      clusterSpec: "ack.pro.small",
      vswitchIds: net.nodeVswitchIds,
      podVswitchIds: net.podVswitchIds,
      securityGroupId: net.securityGroupId,
      serviceCidr: "172.21.0.0/20",
      addons: planAddons(),
      deletionProtection: true,
      apiServerPublic: false,
      protect: true,
      tags: {},
    });
    return { kubeconfig: ack.kubeconfig, clusterId: ack.clusterId, vswitchIds: net.nodeVswitchIds };
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
  it("creates a VPC, node and pod vSwitches per zone, NAT with SNAT for every vSwitch", () => {
    expect(byType("alicloud:vpc/switch:Switch").map((r) => inputs(r).cidrBlock).sort()).toEqual(["10.0.0.0/19", "10.0.160.0/22", "10.0.164.0/22", "10.0.32.0/19"]);
    expect(byType("alicloud:vpc/snatEntry:SnatEntry")).toHaveLength(4);
    expect(inputs(one("alicloud:vpc/network:Network")).cidrBlock).toBe("10.0.0.0/16");
    expect(inputs(one("alicloud:vpc/natGateway:NatGateway")).natType).toBe("Enhanced");
  });

  it("admits traffic only from inside the VPC", () => {
    for (const rule of byType("alicloud:ecs/securityGroupRule:SecurityGroupRule")) {
      expect(inputs(rule).cidrIp).not.toBe("0.0.0.0/0");
      expect(inputs(rule).cidrIp).toBe("10.0.0.0/16");
    }
  });

  it("parents every child to the component and names it after it", () => {
    const component = one("threefs:index:Network");
    const children = plan.rows.filter((r) => r.parent === component.urn);
    expect(children.length).toBe(14); // vpc, 4 vSwitches, sg, rule, nat, eip, association, 4 SNAT
    for (const c of children) expect(c.name.startsWith("n-")).toBe(true);
  });

  it("SNAT entries wait for the EIP association", () => {
    const assoc = one("alicloud:ecs/eipAssociation:EipAssociation");
    for (const s of byType("alicloud:vpc/snatEntry:SnatEntry")) expect(s.dependsOn).toContain(assoc.urn);
  });
});

describe("AckCluster", () => {
  it("creates a managed cluster with the required addons and settings", () => {
    const c = inputs(one("alicloud:cs/managedKubernetes:ManagedKubernetes"));
    expect(c.clusterSpec).toBe("ack.pro.small");
    expect(c.proxyMode).toBe("ipvs");
    expect(c.deletionProtection).toBe(true);
    expect(c.newNatGateway).toBe(false);
    expect((c.vswitchIds as string[]).length).toBe(2);
    expect((c.podVswitchIds as string[]).length).toBe(2);
    const addons = c.addons as { name: string; config?: string }[];
    expect(addons.map((a) => a.name)).toEqual(["terway-eniip", "csi-plugin", "managed-csiprovisioner", "ack-erdma-controller"]);
    expect(JSON.parse(addons[3].config ?? "{}")).toEqual({ agent: { preferDriver: "compat", allocateAllDevices: true } });
  });

  it("protects the cluster when asked", () => {
    expect(one("alicloud:cs/managedKubernetes:ManagedKubernetes").protect).toBe(true);
  });

  it("builds a Kubernetes provider keyed on the cluster id, with a secret kubeconfig", () => {
    const p = inputs(one("pulumi:providers:kubernetes"));
    expect(p.kubeconfig).toBe("[secret]");
    expect(p.clusterIdentifier).toMatch(/^c[0-9a-f]{20}$/);
  });

  it("exports the kubeconfig as a secret", () => {
    expect(plan.outputs.kubeconfig).toEqual({ value: "[secret]", secret: true });
    expect(plan.outputs.clusterId.secret).toBe(false);
  });
});
