import fc from "fast-check";
import { contains, formatCidr, mustParseCidr, overlaps, parseCidr, planSubnets } from "../../lib/network/cidr";

describe("parseCidr", () => {
  it.each([
    ["10.0.0.0/16", "10.0.0.0/16"],
    ["192.168.0.0/24", "192.168.0.0/24"],
    ["0.0.0.0/0", "0.0.0.0/0"],
  ])("round-trips %s", (text, expected) => {
    expect(formatCidr(mustParseCidr(text))).toBe(expected);
  });

  it.each([
    ["10.0.0.1/16", /host bits/],
    ["10.0.0.0/33", /not an IPv4 CIDR/],
    ["256.0.0.0/8", /not an IPv4 CIDR/],
    ["10.0.0.0", /not an IPv4 CIDR/],
  ])("rejects %s", (text, message) => {
    expect(parseCidr(text)).toMatch(message);
  });
});

describe("planSubnets", () => {
  it("lays out the default VPC for one zone", () => {
    expect(planSubnets({ vpcCidr: "10.0.0.0/16", zones: ["cn-beijing-i"], nodePrefix: 22, podPrefix: 19 })).toEqual([
      { zone: "cn-beijing-i", podCidr: "10.0.0.0/19", nodeCidr: "10.0.160.0/22" },
    ]);
  });

  it("does not move existing vSwitches when a zone is appended", () => {
    const one = planSubnets({ vpcCidr: "10.0.0.0/16", zones: ["a-1-a"], nodePrefix: 22, podPrefix: 19 });
    const two = planSubnets({ vpcCidr: "10.0.0.0/16", zones: ["a-1-a", "a-1-b"], nodePrefix: 22, podPrefix: 19 });
    expect(Array.isArray(two) && two[0]).toEqual(Array.isArray(one) && one[0]);
  });

  it("reports a VPC that is too small", () => {
    expect(planSubnets({ vpcCidr: "10.0.0.0/20", zones: ["z-a"], nodePrefix: 22, podPrefix: 19 })).toMatch(/prefixes|too small/);
    expect(planSubnets({ vpcCidr: "10.0.0.0/19", zones: ["z-a"], nodePrefix: 24, podPrefix: 21 })).toMatch(/too small/);
  });

  it("property: blocks are inside the VPC, aligned, and pairwise disjoint; service CIDR outside stays disjoint", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 8, max: 16 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 18, max: 26 }),
        fc.integer({ min: 17, max: 24 }),
        (octet, vpcPrefix, zoneCount, nodePrefix, podPrefix) => {
          const base = ((octet << 24) >>> 0) & (vpcPrefix === 0 ? 0 : (0xffffffff << (32 - vpcPrefix)) >>> 0);
          const vpcText = formatCidr({ base: base >>> 0, prefix: vpcPrefix });
          const zones = Array.from({ length: zoneCount }, (_, i) => `r-x-${String.fromCharCode(97 + i)}`);
          const plan = planSubnets({ vpcCidr: vpcText, zones, nodePrefix, podPrefix });
          if (typeof plan === "string") return true; // too small is a legitimate answer
          const vpc = mustParseCidr(vpcText);
          const blocks = plan.flatMap((z) => [mustParseCidr(z.nodeCidr), mustParseCidr(z.podCidr)]);
          for (const b of blocks) expect(contains(vpc, b)).toBe(true);
          for (let i = 0; i < blocks.length; i++) for (let j = i + 1; j < blocks.length; j++) expect(overlaps(blocks[i], blocks[j])).toBe(false);
          const svc = mustParseCidr("172.21.0.0/20");
          if (!overlaps(vpc, svc)) for (const b of blocks) expect(overlaps(b, svc)).toBe(false);
          return true;
        },
      ),
      { numRuns: 300 },
    );
  });
});
