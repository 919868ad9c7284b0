import {
  prodAckDeletionProtection,
  prodFdbProtected,
  prodFdbRedundancy,
  prodStorageRetain,
} from "../../policy/policies/cluster";
import { runResourcePolicy } from "./harness";
import { ackCluster, eedStorageClass, fdbCluster } from "./fixtures";

describe("threefs-prod-ack-deletion-protection", () => {
  const policy = prodAckDeletionProtection();

  it("passes a prod cluster with deletionProtection", async () => {
    expect((await runResourcePolicy(policy, ackCluster({ deletionProtection: true }))).violations).toEqual([]);
  });

  it.each([false, undefined])("reports a prod cluster with deletionProtection %s", async (value) => {
    const out = await runResourcePolicy(policy, ackCluster({ deletionProtection: value }));
    expect(out.violations).toHaveLength(1);
    expect(out.violations[0].message).toMatch(/deletionProtection is (false|null); prod clusters must set deletionProtection: true/);
  });

  it("does not apply to dev or staging", async () => {
    for (const profile of ["dev", "staging"] as const) {
      const out = await runResourcePolicy(policy, ackCluster({ profile, deletionProtection: false }));
      expect(out.violations).toEqual([]);
      expect(out.notApplicable).toContain(`profile is '${profile}'`);
    }
  });

  it("falls back to the stack name when the tag is missing", async () => {
    const fixture = { ...ackCluster({ tag: null, deletionProtection: false }), stack: "threefs-prod-cn" };
    expect((await runResourcePolicy(policy, fixture)).violations).toHaveLength(1);
  });

  it("lets the profile config override tag and stack name", async () => {
    const fixture = ackCluster({ profile: "dev", deletionProtection: false });
    expect((await runResourcePolicy(policy, fixture, { profile: "prod" })).violations).toHaveLength(1);
  });

  it("is not applicable when the profile cannot be determined", async () => {
    const fixture = { ...ackCluster({ tag: null, deletionProtection: false }), stack: "sandbox" };
    const out = await runResourcePolicy(policy, fixture);
    expect(out.violations).toEqual([]);
    expect(out.notApplicable).toMatch(/profile unknown/);
  });
});

describe("threefs-prod-fdb-protected", () => {
  const policy = prodFdbProtected();

  it("passes a protected prod FDB cluster", async () => {
    expect((await runResourcePolicy(policy, fdbCluster({ protect: true }))).violations).toEqual([]);
  });

  it("reports an unprotected prod FDB cluster", async () => {
    const out = await runResourcePolicy(policy, fdbCluster({ protect: false }));
    expect(out.violations).toHaveLength(1);
    expect(out.violations[0].message).toContain("FoundationDBCluster 'threefs-fdb': resource option protect is not set");
  });

  it("ignores dev", async () => {
    expect((await runResourcePolicy(policy, fdbCluster({ profile: "dev", protect: false }))).violations).toEqual([]);
  });

  it("ignores other resource types", async () => {
    expect((await runResourcePolicy(policy, ackCluster())).notApplicable).toMatch(/only applies/);
  });
});

describe("threefs-prod-storage-retain", () => {
  const policy = prodStorageRetain();

  it("passes a Retain StorageClass in prod", async () => {
    expect((await runResourcePolicy(policy, eedStorageClass())).violations).toEqual([]);
  });

  it("reports Delete and an omitted reclaimPolicy in prod", async () => {
    const del = await runResourcePolicy(policy, eedStorageClass({ reclaimPolicy: "Delete" }));
    expect(del.violations[0].message).toContain(
      "StorageClass 'threefs-eed' (disk type elastic_ephemeral_disk_standard): reclaimPolicy is 'Delete'",
    );
    const unset = await runResourcePolicy(policy, eedStorageClass({ reclaimPolicy: null }));
    expect(unset.violations[0].message).toContain("reclaimPolicy is unset (Delete)");
  });

  it("allows Delete outside prod and for exempt classes", async () => {
    expect((await runResourcePolicy(policy, eedStorageClass({ profile: "staging", reclaimPolicy: "Delete" }))).violations).toEqual([]);
    const exempt = await runResourcePolicy(policy, eedStorageClass({ name: "scratch", reclaimPolicy: "Delete" }), {
      exempt: ["scratch"],
    });
    expect(exempt.violations).toEqual([]);
    expect(exempt.notApplicable).toContain("exempt");
  });
});

describe("threefs-prod-fdb-redundancy", () => {
  const policy = prodFdbRedundancy();

  it("is advisory", () => expect(policy.enforcementLevel).toBe("advisory"));

  it.each([undefined, "double", "triple"])("passes redundancy %s", async (redundancy) => {
    expect((await runResourcePolicy(policy, fdbCluster({ redundancy }))).violations).toEqual([]);
  });

  it("reports single redundancy in prod only", async () => {
    expect((await runResourcePolicy(policy, fdbCluster({ redundancy: "single" }))).violations).toHaveLength(1);
    expect((await runResourcePolicy(policy, fdbCluster({ profile: "dev", redundancy: "single" }))).violations).toEqual([]);
  });
});
