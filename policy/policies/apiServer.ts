/**
 * API server exposure: in prod, an internet-facing API server must be behind an allow-list.
 *
 * ACK publishes the API server through a CLB whose 6443 listener serves both the internal and the
 * public endpoint; access is limited by an access control list on that listener (ACK, "Configure API
 * server access control", https://www.alibabacloud.com/help/en/ack/cluster-access-control). The provider
 * defaults `slbInternetEnabled` to true (terraform-provider-alicloud
 * alicloud/resource_alicloud_cs_managed_kubernetes.go:356-360), so an omitted value is public.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { TYPES, resolveProfile } from "./common";

/**
 * `threefs-prod-apiserver-allowlist` (stack) — in prod, an ACK cluster whose `slbInternetEnabled` is not
 * `false` needs an SLB access control list with entries (`alicloud:slb/aclEntryAttachment:AclEntryAttachment`)
 * enforced as a white list on the API server listener (`pulumi-nodejs:dynamic:ApiServerAcl`, aclType `white`).
 *
 * Why: without one, the prod API server answers the whole internet; credentials are then the only guard. An
 * ACL that is not attached to the listener restricts nothing.
 */
export function prodApiServerAllowlist(): StackValidationPolicy {
  return {
    name: "threefs-prod-apiserver-allowlist",
    description: "In prod, a public ACK API server needs an SLB access control list (allow-list) enforced on its listener.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set threefs:cluster.apiServerAllowedCidrs, or threefs:cluster.apiServerPublic: false and run pulumi inside the VPC.",
    validateStack: (args, reportViolation) => {
      const acls = args.resources.filter((r) => r.type === TYPES.slbAclEntry && typeof r.props.entry === "string");
      const enforced = args.resources.filter((r) => r.type === TYPES.apiServerAcl && r.props.aclType === "white" && r.props.listenerPort === 6443);
      for (const c of args.resources.filter((r) => r.type === TYPES.managedKubernetes)) {
        if (resolveProfile(c, {}) !== "prod" || c.props.slbInternetEnabled === false) continue;
        if (acls.length === 0) {
          reportViolation(`ACK cluster '${c.name}': the API server is internet-facing (slbInternetEnabled is not false) and the stack has no SLB access control list with entries.`, c.urn);
        } else if (enforced.length === 0) {
          reportViolation(`ACK cluster '${c.name}': the API server is internet-facing and the stack's SLB access control list is not enforced on its 6443 listener (no ApiServerAcl with aclType white).`, c.urn);
        }
      }
    },
  };
}

/** API server policies, in pack order. */
export const apiServerPolicies: StackValidationPolicy[] = [prodApiServerAllowlist()];
