import { TYPES, profileFromStackName, resolveProfile, stackOfUrn, toProfile } from "../../policy/policies/common";
import { profileConsistent, profileLabelled } from "../../policy/policies/profile";
import { runResourcePolicy } from "./harness";
import { ackCluster, eedStorageClass, k8s, sgRule } from "./fixtures";

describe("profile detection", () => {
  const urn = (stack: string) => `urn:pulumi:${stack}::threefs::kubernetes:core/v1:ConfigMap::cm`;

  it("reads the stack from a URN", () => {
    expect(stackOfUrn(urn("prod"))).toBe("prod");
    expect(stackOfUrn("not-a-urn")).toBeUndefined();
  });

  it("maps spellings and stack-name tokens", () => {
    expect(toProfile("Production")).toBe("prod");
    expect(toProfile("stage")).toBe("staging");
    expect(toProfile("qa")).toBeUndefined();
    expect(profileFromStackName("threefs-prod-cn")).toBe("prod");
    expect(profileFromStackName("dev_eu.1")).toBe("dev");
    expect(profileFromStackName("dev-to-prod")).toBeUndefined(); // ambiguous
    expect(profileFromStackName("sandbox")).toBeUndefined();
  });

  it("prefers config, then tag/label, then stack name", () => {
    const labelled = { props: { metadata: { labels: { "threefs.io/profile": "staging" } } }, urn: urn("prod") };
    expect(resolveProfile(labelled, { profile: "dev" })).toBe("dev");
    expect(resolveProfile(labelled, {})).toBe("staging");
    expect(resolveProfile({ props: { tags: { "threefs:profile": "prod" } }, urn: urn("x") }, {})).toBe("prod");
    expect(resolveProfile({ props: {}, urn: urn("prod") }, {})).toBe("prod");
    expect(resolveProfile({ props: {}, urn: urn("sandbox") }, {})).toBeUndefined();
  });
});

describe("threefs-profile-labelled", () => {
  const policy = profileLabelled();

  it("is advisory", () => expect(policy.enforcementLevel).toBe("advisory"));

  it("passes tagged alicloud resources and labelled Kubernetes objects", async () => {
    expect((await runResourcePolicy(policy, ackCluster())).violations).toEqual([]);
    expect((await runResourcePolicy(policy, eedStorageClass())).violations).toEqual([]);
  });

  it("reports missing or invalid profile tags/labels", async () => {
    const untagged = await runResourcePolicy(policy, ackCluster({ tag: null }));
    expect(untagged.violations[0].message).toContain("tags['threefs:profile'] is missing");
    const bad = await runResourcePolicy(policy, k8s(TYPES.configMap, "cm", {}, { labels: { "threefs.io/profile": "qa" } }));
    expect(bad.violations[0].message).toContain(`metadata.labels['threefs.io/profile'] is "qa"`);
  });

  it("skips resources that carry no tags/labels", async () => {
    expect((await runResourcePolicy(policy, sgRule({ type: "ingress", cidrIp: "10.0.0.0/8" }))).notApplicable).toBeDefined();
    const release = { type: "kubernetes:helm.sh/v3:Release", props: { chart: "x" } };
    expect((await runResourcePolicy(policy, release)).notApplicable).toBeDefined();
    // Third-party objects (an operator Deployment) are not expected to carry the label.
    const operator = k8s(TYPES.deployment, "fdb-operator", { spec: {} }, { labels: { app: "fdb-kubernetes-operator" } });
    expect((await runResourcePolicy(policy, operator)).notApplicable).toBeDefined();
    const ours = k8s(TYPES.deployment, "admin", { spec: {} }, { labels: { "app.kubernetes.io/name": "3fs" } });
    expect((await runResourcePolicy(policy, ours)).violations).toHaveLength(1);
  });
});

describe("threefs-profile-consistent", () => {
  const policy = profileConsistent();

  it("passes matching or stricter labels", async () => {
    expect((await runResourcePolicy(policy, ackCluster())).violations).toEqual([]);
    const stricter = { ...ackCluster({ tag: "prod" }), stack: "staging" };
    expect((await runResourcePolicy(policy, stricter)).violations).toEqual([]);
  });

  it("reports a weaker label than the stack name", async () => {
    const weaker = { ...eedStorageClass({ profile: "dev" }), stack: "prod" };
    const out = await runResourcePolicy(policy, weaker);
    expect(out.violations).toHaveLength(1);
    expect(out.violations[0].message).toContain("stack 'prod' is prod; a weaker profile label would switch prod rules off");
  });

  it("reports unrecognised labels in a profile-named stack", async () => {
    const odd = k8s(TYPES.configMap, "cm", {}, { labels: { "threefs.io/profile": "qa" }, stack: "staging" });
    expect((await runResourcePolicy(policy, odd)).violations).toHaveLength(1);
  });

  it("does not apply when the stack name names no profile", async () => {
    const anyStack = { ...ackCluster({ tag: "dev" }), stack: "sandbox" };
    expect((await runResourcePolicy(policy, anyStack)).notApplicable).toBeDefined();
  });
});
