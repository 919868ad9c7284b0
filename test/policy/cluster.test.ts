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
    const del = await runResourcePolicy(policy, eedStorageClass({ name: "threefs-fdb", type: "cloud_essd", reclaimPolicy: "Delete" }));
    expect(del.violations[0].message).toContain("StorageClass 'threefs-fdb' (disk type cloud_essd): reclaimPolicy is 'Delete'");
    const unset = await runResourcePolicy(policy, eedStorageClass({ name: "threefs-fdb", type: "cloud_essd_entry,cloud_essd", reclaimPolicy: null }));
    expect(unset.violations[0].message).toContain("reclaimPolicy is unset (Delete)");
  });

  it("does not require Retain of elastic ephemeral disk classes (DeleteWithInstance: a retained PV keeps nothing)", async () => {
    const eed = await runResourcePolicy(policy, eedStorageClass({ reclaimPolicy: "Delete" }));
    expect(eed.violations).toEqual([]);
    expect(eed.notApplicable).toContain("deleted with their instance");
    // A list that mixes EED with a durable category still needs Retain.
    const mixed = await runResourcePolicy(policy, eedStorageClass({ type: "elastic_ephemeral_disk_standard,cloud_essd", reclaimPolicy: "Delete" }));
    expect(mixed.violations).toHaveLength(1);
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

describe("threefs-prod-apiserver-allowlist", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { prodApiServerAllowlist } = require("../../policy/policies/apiServer") as typeof import("../../policy/policies/apiServer");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { evaluate, resource } = require("./harness") as typeof import("./harness");
  const entry = { type: "alicloud:slb/aclEntryAttachment:AclEntryAttachment", name: "acl-0", stack: "prod", props: { aclId: "acl-1", entry: "203.0.113.0/24" } };
  const attachment = (aclType: string) => ({ type: "pulumi-nodejs:dynamic:ApiServerAcl", name: "att", stack: "prod", props: { region: "cn-beijing", loadBalancerId: "lb-1", listenerPort: 6443, aclId: "acl-1", aclType } });

  it.each<[string, Record<string, unknown>, "none" | "entries" | "enforced" | "black", number]>([
    ["a private prod API server", { slbInternetEnabled: false }, "none", 0],
    ["a public prod API server without an allow-list", { slbInternetEnabled: true }, "none", 1],
    ["an omitted slbInternetEnabled (the provider defaults to public)", { slbInternetEnabled: null }, "none", 1],
    ["a public prod API server with an allow-list that no listener enforces", { slbInternetEnabled: true }, "entries", 1],
    ["a public prod API server with a black list on the listener", { slbInternetEnabled: true }, "black", 1],
    ["a public prod API server with an enforced allow-list", { slbInternetEnabled: true }, "enforced", 0],
    ["a public dev API server", { slbInternetEnabled: true, profile: "dev" }, "none", 0],
  ])("%s", async (_label, opts, acl, findings) => {
    const extra = acl === "none" ? [] : acl === "entries" ? [entry] : [entry, attachment(acl === "black" ? "black" : "white")];
    const stack = [resource(ackCluster(opts as Parameters<typeof ackCluster>[0])), ...extra.map((r) => resource(r))];
    expect(await evaluate([prodApiServerAllowlist()], stack)).toHaveLength(findings);
  });
});
