/**
 * Network policies: what may reach the cluster from outside.
 *
 * In @pulumi/alicloud 3.x `ecs.SecurityGroup` has no inline rule arguments (its inputs are
 * description, innerAccess(Policy), name, resourceGroupId, securityGroupName, securityGroupType,
 * tags, vpcId), so every rule is a separate `ecs.SecurityGroupRule` and that is the only type
 * checked here.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { TYPES, str } from "./common";

/**
 * True when a CIDR covers the whole address space of its family: a prefix length of 0
 * (`0.0.0.0/0`, `::/0`, and also spellings like `10.0.0.0/0`, which still cover every address).
 */
export function isWorldCidr(cidr: string | undefined): boolean {
  if (cidr === undefined) return false;
  const slash = cidr.trim().lastIndexOf("/");
  return slash >= 0 && /^0+$/.test(cidr.trim().slice(slash + 1));
}

/**
 * `threefs-no-public-ingress` — no security group rule may accept ingress from the whole
 * internet (`cidrIp` 0.0.0.0/0 or `ipv6CidrIp` ::/0), on any port or protocol.
 *
 * Why: 3FS services (mgmtd, meta, storage, the FDB cluster) authenticate with a shared token at
 * best and are meant to be reachable only inside the VPC; ACK's API server is published through
 * its own SLB and access list, not through node security groups. Rules with `policy: drop` are
 * deny rules and therefore allowed.
 */
export function noPublicIngress(): ResourceValidationPolicy {
  return {
    name: "threefs-no-public-ingress",
    description: "Security group rules must not accept ingress from 0.0.0.0/0 or ::/0 on any port.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
      "Restrict cidrIp/ipv6CidrIp to the VPC or an office/bastion range, or reference sourceSecurityGroupId instead.",
    validateResource: (args, reportViolation) => {
      if (args.type !== TYPES.securityGroupRule) {
        return args.notApplicable(`only applies to ${TYPES.securityGroupRule}`);
      }
      const props = args.props;
      if (str(props.type)?.toLowerCase() !== "ingress") return;
      // Alibaba's default policy is "accept"; a "drop" rule from anywhere only narrows access.
      if ((str(props.policy) ?? "accept").toLowerCase() === "drop") return;
      const where = `ports ${str(props.portRange) ?? "(all)"}/${str(props.ipProtocol) ?? "?"}`;
      for (const field of ["cidrIp", "ipv6CidrIp"] as const) {
        const cidr = str(props[field]);
        if (isWorldCidr(cidr)) {
          reportViolation(
            `Security group rule '${args.name}' opens ${where} to the internet: ${field} is '${cidr}'. ` +
              "Ingress from 0.0.0.0/0 or ::/0 is not allowed on any port.",
          );
        }
      }
    },
  };
}

/** All network policies, in pack order. */
export const networkPolicies: ResourceValidationPolicy[] = [noPublicIngress()];
