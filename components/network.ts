/**
 * Network: the VPC, per-zone node and Terway pod vSwitches, the cluster security group, and outbound
 * internet through an explicit NAT gateway.
 *
 * NAT: explicit `vpc.NatGateway` + EIP + one SNAT entry per vSwitch instead of ACK's `newNatGateway`.
 * With `newNatGateway` ACK creates the gateway outside Pulumi's state: it never shows up in a diff, SNAT
 * covers only what ACK decides, and it survives or dies with the cluster in ways Pulumi cannot see.
 * Explicit resources are reviewable, tagged, and SNAT covers the pod vSwitches too (Terway pods pull
 * nothing themselves, but smoke tests and user workloads do reach out).
 */
import * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";
import type { ZoneSubnets } from "../lib/network/cidr";

/** Arguments of {@link Network}. */
export interface NetworkArgs {
  /** VPC CIDR (e.g. 10.0.0.0/16); the subnet plan must lie inside it. */
  vpcCidr: string;
  /** Per-zone vSwitch blocks, from `planSubnets` (pure, tested on its own). */
  subnets: readonly ZoneSubnets[];
  /** Create NAT gateway, EIP and SNAT entries for outbound internet (image pulls from ghcr.io). */
  natGateway: boolean;
  /** Tags on every resource (profile, stack, user tags). */
  tags: Record<string, string>;
}

/** VPC, vSwitches, security group and NAT of one stack. */
export class Network extends pulumi.ComponentResource {
  public readonly vpcId: pulumi.Output<string>;
  /** Node vSwitch ids, one per zone in config order. */
  public readonly nodeVswitchIds: pulumi.Output<string[]>;
  /** Terway pod vSwitch ids, one per zone in config order. */
  public readonly podVswitchIds: pulumi.Output<string[]>;
  public readonly securityGroupId: pulumi.Output<string>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("threefs:index:Network", name, {}, opts);
    const tags = args.tags;
    const vpc = new alicloud.vpc.Network(`${name}-vpc`, { vpcName: name, cidrBlock: args.vpcCidr, tags }, { parent: this });
    const nodeSwitches = args.subnets.map((s) => this.vswitch(`${name}-node-${s.zone}`, vpc.id, s.zone, s.nodeCidr, tags));
    const podSwitches = args.subnets.map((s) => this.vswitch(`${name}-pod-${s.zone}`, vpc.id, s.zone, s.podCidr, tags));

    const sg = new alicloud.ecs.SecurityGroup(
      `${name}-sg`,
      {
        securityGroupName: name,
        vpcId: vpc.id,
        // A basic group with inner access: members talk freely (kubelet, Terway, eRDMA between nodes).
        securityGroupType: "normal",
        innerAccessPolicy: "Accept",
        description: "threefs cluster nodes: traffic inside the group and the VPC only",
        tags,
      },
      { parent: this },
    );
    // Everything from inside the VPC (pods live in pod vSwitches of the same VPC; the managed control
    // plane reaches kubelets through VPC addresses). No rule admits 0.0.0.0/0.
    new alicloud.ecs.SecurityGroupRule(
      `${name}-sg-vpc-ingress`,
      { securityGroupId: sg.id, type: "ingress", ipProtocol: "all", portRange: "-1/-1", cidrIp: args.vpcCidr, policy: "accept", priority: 1, nicType: "intranet", description: "all traffic from inside the VPC" },
      { parent: this },
    );

    if (args.natGateway && args.subnets.length > 0) {
      const snatSources = args.subnets.flatMap((s, i) => [
        { role: `node-${s.zone}`, vswitch: nodeSwitches[i] },
        { role: `pod-${s.zone}`, vswitch: podSwitches[i] },
      ]);
      this.nat(name, vpc.id, nodeSwitches[0].id, snatSources, tags);
    }

    this.vpcId = vpc.id;
    this.nodeVswitchIds = pulumi.all(nodeSwitches.map((s) => s.id));
    this.podVswitchIds = pulumi.all(podSwitches.map((s) => s.id));
    this.securityGroupId = sg.id;
    this.registerOutputs({ vpcId: this.vpcId, nodeVswitchIds: this.nodeVswitchIds, podVswitchIds: this.podVswitchIds, securityGroupId: this.securityGroupId });
  }

  private vswitch(name: string, vpcId: pulumi.Input<string>, zone: string, cidr: string, tags: Record<string, string>): alicloud.vpc.Switch {
    return new alicloud.vpc.Switch(name, { vswitchName: name, vpcId, zoneId: zone, cidrBlock: cidr, tags }, { parent: this });
  }

  /** Enhanced NAT gateway in the first node vSwitch, one EIP, SNAT for every vSwitch. */
  private nat(
    name: string,
    vpcId: pulumi.Input<string>,
    vswitchId: pulumi.Input<string>,
    sources: { role: string; vswitch: alicloud.vpc.Switch }[],
    tags: Record<string, string>,
  ): void {
    const gw = new alicloud.vpc.NatGateway(
      `${name}-nat`,
      { vpcId, vswitchId, natGatewayName: name, natType: "Enhanced", paymentType: "PayAsYouGo", internetChargeType: "PayByLcu", networkType: "internet", tags },
      { parent: this },
    );
    const eip = new alicloud.ecs.EipAddress(
      `${name}-nat-eip`,
      { addressName: `${name}-nat`, bandwidth: "100", internetChargeType: "PayByTraffic", paymentType: "PayAsYouGo", tags },
      { parent: this },
    );
    const assoc = new alicloud.ecs.EipAssociation(`${name}-nat-eip-assoc`, { allocationId: eip.id, instanceId: gw.id, instanceType: "Nat" }, { parent: this });
    for (const { role, vswitch } of sources) {
      new alicloud.vpc.SnatEntry(
        `${name}-snat-${role}`,
        { snatTableId: gw.snatTableIds, sourceVswitchId: vswitch.id, snatIp: eip.ipAddress, snatEntryName: `${name}-${role}` },
        { parent: this, dependsOn: [assoc] },
      );
    }
  }
}
