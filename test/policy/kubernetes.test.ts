import { TYPES } from "../../policy/policies/common";
import { parseImage, podSpecOf } from "../../policy/policies/k8s";
import {
  PRIVILEGED_ALLOWLIST,
  imagesPinned,
  privilegedAllowlist,
  storageAntiAffinity,
} from "../../policy/policies/kubernetes";
import { runResourcePolicy } from "./harness";
import { k8s, storageStatefulSet, template, threefsLabels } from "./fixtures";

/** A Deployment running one container with the given fields. */
function deployment(container: Record<string, unknown>, labels: Record<string, string> = {}) {
  return k8s(TYPES.deployment, "web", { spec: { template: template([{ name: "app", ...container }], {}) } }, { labels });
}

describe("threefs-images-pinned", () => {
  const policy = imagesPinned();

  it.each([
    "registry.example.com/3fs/storage:v0.1.5",
    "registry:5000/team/img:1.2.3",
    "busybox:1.36",
    "img@sha256:" + "a".repeat(64),
    "img:latest@sha256:" + "b".repeat(64),
  ])("passes %s", async (image) => {
    expect((await runResourcePolicy(policy, deployment({ image }))).violations).toEqual([]);
  });

  it.each([
    ["busybox", /no tag \(implicitly :latest\)/],
    ["registry:5000/img", /no tag/],
    ["repo/img:latest", /moving tag ':latest'/],
    ["repo/img:DEV", /moving tag ':DEV'/],
    ["repo/img@sha256:xyz", /malformed digest/],
  ])("reports %s", async (image, message) => {
    const out = await runResourcePolicy(policy, deployment({ image }));
    expect(out.violations).toHaveLength(1);
    expect(out.violations[0].message).toMatch(message);
    expect(out.violations[0].message).toContain("Deployment 'web' containers[0] 'app'");
  });

  it("reports a missing image", async () => {
    expect((await runResourcePolicy(policy, deployment({}))).violations[0].message).toMatch(/image is not set/);
  });

  it("checks init containers of the storage StatefulSet", async () => {
    const sts = storageStatefulSet();
    const spec = podSpecOf(sts.type, sts.props)!;
    (spec.initContainers as Record<string, unknown>[])[0].image = "tools";
    const out = await runResourcePolicy(policy, sts);
    expect(out.violations.map((v) => v.message)).toEqual([expect.stringContaining("initContainers[0] 'node-tuning'")]);
  });

  it("finds containers of Pods, DaemonSets, Jobs and CronJobs", async () => {
    const bad = [{ name: "c", image: "x:latest" }];
    const cases = [
      k8s(TYPES.pod, "p", { spec: { containers: bad } }),
      k8s(TYPES.daemonSet, "d", { spec: { template: template(bad, {}) } }),
      k8s(TYPES.job, "j", { spec: { template: template(bad, {}) } }),
      k8s(TYPES.cronJob, "cj", { spec: { schedule: "@daily", jobTemplate: { spec: { template: template(bad, {}) } } } }),
    ];
    for (const c of cases) expect((await runResourcePolicy(policy, c)).violations).toHaveLength(1);
  });

  it("honours config: extra forbidden tags and requireDigest", async () => {
    const nightly = deployment({ image: "img:nightly" });
    expect((await runResourcePolicy(policy, nightly, { forbiddenTags: ["nightly"] })).violations).toHaveLength(1);
    const tagged = deployment({ image: "img:v1" });
    expect((await runResourcePolicy(policy, tagged, { requireDigest: true })).violations[0].message).toMatch(/no digest/);
  });

  it("is not applicable to objects without pods", async () => {
    expect((await runResourcePolicy(policy, k8s(TYPES.configMap, "cm", { data: {} }))).notApplicable).toBeDefined();
  });

  it("parses image references", () => {
    expect(parseImage("registry:5000/a/b")).toEqual({ repository: "registry:5000/a/b", digest: undefined });
    expect(parseImage("a/b:1@sha256:00")).toEqual({ repository: "a/b", tag: "1", digest: "sha256:00" });
  });
});

describe("threefs-storage-anti-affinity", () => {
  const policy = storageAntiAffinity();

  it("passes the storage StatefulSet with required hostname anti-affinity", async () => {
    expect((await runResourcePolicy(policy, storageStatefulSet())).violations).toEqual([]);
  });

  it("passes a matchExpressions selector", async () => {
    const affinity = {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          {
            topologyKey: "kubernetes.io/hostname",
            labelSelector: { matchExpressions: [{ key: "app.kubernetes.io/component", operator: "In", values: ["storage"] }] },
          },
        ],
      },
    };
    expect((await runResourcePolicy(policy, storageStatefulSet({ affinity }))).violations).toEqual([]);
  });

  it.each([
    ["no affinity", {}],
    ["only preferred anti-affinity", {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 100, podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: {} } } },
        ],
      },
    }],
    ["a zone topology key", {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "topology.kubernetes.io/zone", labelSelector: {} }],
      },
    }],
  ])("reports %s", async (_label, affinity) => {
    const out = await runResourcePolicy(policy, storageStatefulSet({ affinity }));
    expect(out.violations).toHaveLength(1);
    expect(out.violations[0].message).toContain("has no term with topologyKey 'kubernetes.io/hostname'");
  });

  it.each([
    ["a selector for other pods", { matchLabels: { app: "other" } }],
    ["no labelSelector", undefined],
  ])("reports a hostname term with %s", async (_label, labelSelector) => {
    const affinity = {
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "kubernetes.io/hostname", labelSelector }] },
    };
    const out = await runResourcePolicy(policy, storageStatefulSet({ affinity }));
    expect(out.violations[0].message).toMatch(/does not select the StatefulSet's own pod labels/);
  });

  it("ignores other StatefulSets", async () => {
    const meta = k8s(TYPES.statefulSet, "threefs-meta", { spec: { template: template([], {}) } }, { labels: threefsLabels("meta") });
    expect((await runResourcePolicy(policy, meta)).notApplicable).toMatch(/storage StatefulSet/);
  });
});

describe("threefs-privileged-allowlist", () => {
  const policy = privilegedAllowlist();

  it("has a reason for every default entry", () => {
    expect(PRIVILEGED_ALLOWLIST.map((a) => a.container)).toEqual(["fuse", "storage", "mgmtd", "meta", "admin-cli", "bootstrap", "check", "monitor-collector", "chain-exporter", "node-tuning"]);
    for (const a of PRIVILEGED_ALLOWLIST) expect(a.reason.length).toBeGreaterThan(30);
  });

  it("passes allow-listed privileged containers (storage + node-tuning init container)", async () => {
    expect((await runResourcePolicy(policy, storageStatefulSet())).violations).toEqual([]);
  });

  it("passes unprivileged containers", async () => {
    const d = deployment({ image: "x:1", securityContext: { privileged: false, capabilities: { add: ["NET_ADMIN"] } } });
    expect((await runResourcePolicy(policy, d)).violations).toEqual([]);
  });

  it.each([
    ["privileged: true", { privileged: true }],
    ["capability ALL", { capabilities: { add: ["all"] } }],
  ])("reports a non-listed container with %s", async (_label, securityContext) => {
    const out = await runResourcePolicy(policy, deployment({ image: "x:1", securityContext }));
    expect(out.violations).toHaveLength(1);
    expect(out.violations[0].message).toContain("Deployment 'web' containers[0] 'app' runs privileged");
    expect(out.violations[0].message).toContain("fuse, storage, mgmtd, meta, admin-cli, bootstrap, check, monitor-collector, chain-exporter, node-tuning");
  });

  it("uses the allow-list from config, including component scoping", async () => {
    const d = deployment({ image: "x:1", securityContext: { privileged: true } }, { "app.kubernetes.io/component": "web" });
    const allowWeb = { allowed: [{ container: "app", reason: "needs raw sockets for tests", component: "web" }] };
    expect((await runResourcePolicy(policy, d, allowWeb)).violations).toEqual([]);
    const allowOther = { allowed: [{ container: "app", reason: "needs raw sockets for tests", component: "other" }] };
    expect((await runResourcePolicy(policy, d, allowOther)).violations).toHaveLength(1);
    expect((await runResourcePolicy(policy, storageStatefulSet(), { allowed: [] })).violations).toHaveLength(2);
  });
});
