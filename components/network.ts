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

/** An existing VPC to deploy into (threefs:network.existing): the component creates no VPC, vSwitch or NAT. */
export interface ExistingNetwork {
  vpcId: string;
  /** Node vSwitches, one per zone in zone order (checked at preview, lib/alicloud/preflight.ts). */
  nodeVswitchIds: readonly string[];
  /** Terway pod vSwitches, one per zone in zone order. */
  podVswitchIds: readonly string[];
  /** The nodes' security group; omitted: the component creates one in the VPC. */
  securityGroupId?: string;
  /** The VPC's CIDR block as the cloud reports it (for the security group's VPC ingress rule). */
  vpcCidr: pulumi.Input<string>;
}

/** Arguments of {@link Network}. */
export interface NetworkArgs {
  /** VPC CIDR (e.g. 10.0.0.0/16); the subnet plan must lie inside it. Ignored with `existing`. */
  vpcCidr: string;
  /** Per-zone vSwitch blocks, from `planSubnets` (pure, tested on its own); empty with `existing`. */
  subnets: readonly ZoneSubnets[];
  /** Create NAT gateway, EIP and SNAT entries for outbound internet (image pulls from ghcr.io). */
  natGateway: boolean;
  /** One NAT gateway + EIP per zone (each zone's vSwitches SNAT through their own zone); else one in the first zone. */
  natGatewayPerZone: boolean;
  /** Deploy into an existing VPC instead of creating one. */
  existing?: ExistingNetwork;
  /** Tags on every resource (profile, stack, user tags). */
  tags: pulumi.Input<Record<string, string>>;
}

/** VPC, vSwitches, security group and NAT of one stack. */
export class Network extends pulumi.ComponentResource {
  public readonly vpcId: pulumi.Output<string>;
  /** Node vSwitch ids, one per zone in config order. */
  public readonly nodeVswitchIds: pulumi.Output<string[]>;
  /** Terway pod vSwitch ids, one per zone in config order. */
  public readonly podVswitchIds: pulumi.Output<string[]>;
  public readonly securityGroupId: pulumi.Output<string>;
  /** The VPC's CIDR block. */
  public readonly vpcCidr: pulumi.Output<string>;
  /**
   * The SNAT entries (empty without NAT): node pools depend on them, so nodes only boot once they can
   * pull images (a node that boots before its SNAT entry exists cannot reach a registry).
   */
  public readonly egress: pulumi.Resource[];

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("threefs:index:Network", name, {}, opts);
    const tags = args.tags;
    this.egress = [];
    if (args.existing !== undefined) {
      const ex = args.existing;
      this.vpcId = pulumi.output(ex.vpcId);
      this.vpcCidr = pulumi.output(ex.vpcCidr);
      this.nodeVswitchIds = pulumi.output([...ex.nodeVswitchIds]);
      this.podVswitchIds = pulumi.output([...ex.podVswitchIds]);
      this.securityGroupId = ex.securityGroupId !== undefined ? pulumi.output(ex.securityGroupId) : this.securityGroup(name, ex.vpcId, ex.vpcCidr, tags).id;
    } else {
      const vpc = new alicloud.vpc.Network(`${name}-vpc`, { vpcName: name, cidrBlock: args.vpcCidr, tags }, { parent: this });
      const nodeSwitches = args.subnets.map((s) => this.vswitch(`${name}-node-${s.zone}`, vpc.id, s.zone, s.nodeCidr, tags));
      const podSwitches = args.subnets.map((s) => this.vswitch(`${name}-pod-${s.zone}`, vpc.id, s.zone, s.podCidr, tags));
      const sg = this.securityGroup(name, vpc.id, args.vpcCidr, tags);
      if (args.natGateway && args.subnets.length > 0) {
        const zones = args.subnets.map((s, i) => ({ zone: s.zone, sources: [{ role: `node-${s.zone}`, vswitch: nodeSwitches[i] }, { role: `pod-${s.zone}`, vswitch: podSwitches[i] }] }));
        if (args.natGatewayPerZone) {
          zones.forEach((z, i) => this.egress.push(...this.nat(`${name}-${z.zone}`, name, vpc.id, nodeSwitches[i].id, z.sources, tags)));
        } else {
          // Resource names of the single gateway stay as they were (resource identity).
          this.egress.push(...this.nat(name, name, vpc.id, nodeSwitches[0].id, zones.flatMap((z) => z.sources), tags));
        }
      }
      this.vpcId = vpc.id;
      this.vpcCidr = vpc.cidrBlock;
      this.nodeVswitchIds = pulumi.all(nodeSwitches.map((s) => s.id));
      this.podVswitchIds = pulumi.all(podSwitches.map((s) => s.id));
      this.securityGroupId = sg.id;
    }
    this.registerOutputs({ vpcId: this.vpcId, nodeVswitchIds: this.nodeVswitchIds, podVswitchIds: this.podVswitchIds, securityGroupId: this.securityGroupId });
  }

  /**
   * The nodes' security group: an enterprise (advanced) group. Terway ENI-IP puts every pod IP on the
   * nodes' ENIs, and in a basic group every private IP counts against its capacity (6,000 in a VPC), where an
   * enterprise group counts ENIs (65,536) (ECS, "Basic and advanced security groups",
   * https://help.aliyun.com/en/ecs/user-guide/basic-security-groups-and-advanced-security-groups); Alibaba's
   * 3FS-on-ACK guide creates its cluster with `is_enterprise_security_group: true`
   * (deploy/container/README.md:49). An enterprise group denies inbound and outbound traffic without rules
   * and has no "accept inside the group" policy (ECS, "Security group rules"), so both directions are explicit
   * rules: everything from inside the VPC (nodes, pods and the control plane's VPC addresses; eRDMA between
   * nodes) and all egress (registries through NAT, cloud APIs). No rule admits ingress from 0.0.0.0/0.
   */
  private securityGroup(name: string, vpcId: pulumi.Input<string>, vpcCidr: pulumi.Input<string>, tags: pulumi.Input<Record<string, string>>): alicloud.ecs.SecurityGroup {
    const sg = new alicloud.ecs.SecurityGroup(
      `${name}-sg`,
      { securityGroupName: name, vpcId, securityGroupType: "enterprise", description: "threefs cluster nodes: ingress from inside the VPC only", tags },
      { parent: this },
    );
    new alicloud.ecs.SecurityGroupRule(
      `${name}-sg-vpc-ingress`,
      { securityGroupId: sg.id, type: "ingress", ipProtocol: "all", portRange: "-1/-1", cidrIp: vpcCidr, policy: "accept", priority: 1, nicType: "intranet", description: "all traffic from inside the VPC" },
      { parent: this },
    );
    new alicloud.ecs.SecurityGroupRule(
      `${name}-sg-egress`,
      { securityGroupId: sg.id, type: "egress", ipProtocol: "all", portRange: "-1/-1", cidrIp: "0.0.0.0/0", policy: "accept", priority: 1, nicType: "intranet", description: "all egress (image pulls through NAT, cloud APIs)" },
      { parent: this },
    );
    return sg;
  }

  private vswitch(name: string, vpcId: pulumi.Input<string>, zone: string, cidr: string, tags: pulumi.Input<Record<string, string>>): alicloud.vpc.Switch {
    return new alicloud.vpc.Switch(name, { vswitchName: name, vpcId, zoneId: zone, cidrBlock: cidr, tags }, { parent: this });
  }

  /** Enhanced NAT gateway in `vswitchId`, one EIP, SNAT for every source vSwitch; returns the SNAT entries. */
  private nat(
    prefix: string,
    name: string,
    vpcId: pulumi.Input<string>,
    vswitchId: pulumi.Input<string>,
    sources: { role: string; vswitch: alicloud.vpc.Switch }[],
    tags: pulumi.Input<Record<string, string>>,
  ): alicloud.vpc.SnatEntry[] {
    const gw = new alicloud.vpc.NatGateway(
      `${prefix}-nat`,
      { vpcId, vswitchId, natGatewayName: prefix, natType: "Enhanced", paymentType: "PayAsYouGo", internetChargeType: "PayByLcu", networkType: "internet", tags },
      { parent: this },
    );
    const eip = new alicloud.ecs.EipAddress(
      `${prefix}-nat-eip`,
      { addressName: `${prefix}-nat`, bandwidth: "100", internetChargeType: "PayByTraffic", paymentType: "PayAsYouGo", tags },
      { parent: this },
    );
    const assoc = new alicloud.ecs.EipAssociation(`${prefix}-nat-eip-assoc`, { allocationId: eip.id, instanceId: gw.id, instanceType: "Nat" }, { parent: this });
    return sources.map(
      ({ role, vswitch }) =>
        new alicloud.vpc.SnatEntry(
          `${name}-snat-${role}`,
          { snatTableId: gw.snatTableIds, sourceVswitchId: vswitch.id, snatIp: eip.ipAddress, snatEntryName: `${name}-${role}` },
          { parent: this, dependsOn: [assoc] },
        ),
    );
  }
}
