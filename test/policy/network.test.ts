import { TYPES } from "../../policy/policies/common";
import { isWorldCidr, noPublicIngress } from "../../policy/policies/network";
import { runResourcePolicy } from "./harness";
import { sgRule } from "./fixtures";

const policy = noPublicIngress();

describe("threefs-no-public-ingress", () => {
  it("is mandatory", () => {
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it.each([
    ["VPC range", { type: "ingress", cidrIp: "10.0.0.0/8" }],
    ["single host", { type: "ingress", cidrIp: "203.0.113.7/32" }],
    ["source security group", { type: "ingress", sourceSecurityGroupId: "sg-other" }],
    ["egress to anywhere", { type: "egress", cidrIp: "0.0.0.0/0" }],
    ["drop rule from anywhere", { type: "ingress", cidrIp: "0.0.0.0/0", policy: "drop" }],
    ["IPv6 VPC range", { type: "ingress", ipv6CidrIp: "2408:4000::/56" }],
  ])("passes for %s", async (_label, props) => {
    expect((await runResourcePolicy(policy, sgRule(props))).violations).toEqual([]);
  });

  it.each([
    ["0.0.0.0/0", { cidrIp: "0.0.0.0/0" }, "cidrIp"],
    ["::/0", { ipv6CidrIp: "::/0" }, "ipv6CidrIp"],
    ["prefix length 0 on another base", { cidrIp: "10.0.0.0/0" }, "cidrIp"],
    ["explicit accept", { cidrIp: "0.0.0.0/0", policy: "accept" }, "cidrIp"],
  ])("reports ingress from %s", async (_label, props, field) => {
    const out = await runResourcePolicy(policy, sgRule({ type: "ingress", portRange: "22/22", ...props }, "ssh"));
    expect(out.violations).toHaveLength(1);
    expect(out.violations[0].message).toContain(`${field} is`);
    expect(out.violations[0].message).toContain("ports 22/22/tcp");
    expect(out.violations[0].message).toContain("'ssh'");
  });

  it("reports both families on one rule", async () => {
    const out = await runResourcePolicy(policy, sgRule({ type: "ingress", cidrIp: "0.0.0.0/0", ipv6CidrIp: "::/0" }));
    expect(out.violations).toHaveLength(2);
  });

  it("is not applicable to other types (security groups have no inline rules in alicloud 3.x)", async () => {
    const out = await runResourcePolicy(policy, { type: TYPES.securityGroup, props: { vpcId: "vpc-1" } });
    expect(out.notApplicable).toMatch(/only applies/);
    expect(out.violations).toEqual([]);
  });

  it("recognises world CIDRs", () => {
    expect(isWorldCidr("0.0.0.0/0")).toBe(true);
    expect(isWorldCidr(" ::/0 ")).toBe(true);
    expect(isWorldCidr("0.0.0.0/00")).toBe(true);
    expect(isWorldCidr("0.0.0.0/1")).toBe(false);
    expect(isWorldCidr("0.0.0.0")).toBe(false);
    expect(isWorldCidr(undefined)).toBe(false);
  });
});
