import { TYPES } from "../../policy/policies/common";
import { parseQuantity, toGi } from "../../policy/policies/k8s";
import { chainFitsStorageNodes, chainReplicas, eedDiskSize, readChainPlan } from "../../policy/policies/threefs";
import { resource, runResourcePolicy, runStackPolicy } from "./harness";
import { bootstrapConfigMap, eedStorageClass, k8s, storageStatefulSet, threefsLabels } from "./fixtures";

const goodPlan = { replicas: 3, targetsPerDisk: 8, stripeSize: 4 };

describe("threefs-chain-replicas", () => {
  const policy = chainReplicas();

  it("passes 2+ replicas in staging/prod and 1 in dev", async () => {
    expect((await runResourcePolicy(policy, bootstrapConfigMap(goodPlan))).violations).toEqual([]);
    expect((await runResourcePolicy(policy, bootstrapConfigMap({ ...goodPlan, replicas: 2 }, "staging"))).violations).toEqual([]);
    expect((await runResourcePolicy(policy, bootstrapConfigMap({ ...goodPlan, replicas: 1 }, "dev"))).violations).toEqual([]);
  });

  it.each(["staging", "prod"] as const)("reports 1 replica in %s", async (profile) => {
    const out = await runResourcePolicy(policy, bootstrapConfigMap({ ...goodPlan, replicas: 1 }, profile));
    expect(out.violations).toHaveLength(1);
    expect(out.violations[0].message).toBe(
      `ConfigMap 'threefs-bootstrap': chain-plan.json.replicas is 1; profile '${profile}' requires at least 2 replicas per chain (only dev may use fewer).`,
    );
  });

  it("treats an unknown profile as non-dev and honours minReplicas", async () => {
    const cm = { ...bootstrapConfigMap({ ...goodPlan, replicas: 1 }), stack: "sandbox" };
    (cm.props.metadata as { labels: Record<string, string> }).labels["threefs.io/profile"] = "qa";
    expect((await runResourcePolicy(policy, cm)).violations[0].message).toContain("profile 'unknown'");
    expect((await runResourcePolicy(policy, bootstrapConfigMap(goodPlan), { minReplicas: 4 })).violations).toHaveLength(1);
  });

  it("reports a malformed plan even in dev", async () => {
    const bad = await runResourcePolicy(policy, bootstrapConfigMap("{not json", "dev"));
    expect(bad.violations[0].message).toMatch(/is not valid JSON/);
    const missing = await runResourcePolicy(policy, bootstrapConfigMap({ replicas: 0, stripeSize: 1.5 }, "dev"));
    expect(missing.violations.map((v) => v.message)).toEqual([
      expect.stringContaining("replicas must be a positive integer (got 0)"),
      expect.stringContaining("targetsPerDisk must be a positive integer (got null)"),
      expect.stringContaining("stripeSize must be a positive integer (got 1.5)"),
    ]);
    const noKey = k8s(TYPES.configMap, "threefs-bootstrap", { data: {} }, { labels: threefsLabels("bootstrap", "dev") });
    expect((await runResourcePolicy(policy, noKey)).violations[0].message).toContain("data['chain-plan.json'] is missing");
  });

  it("ignores other ConfigMaps", async () => {
    expect((await runResourcePolicy(policy, k8s(TYPES.configMap, "other", { data: {} }))).notApplicable).toBeDefined();
  });

  it("exposes the parsed plan", () => {
    expect(readChainPlan(bootstrapConfigMap(goodPlan).props)).toEqual({ plan: goodPlan });
  });
});

describe("threefs-chain-fits-storage-nodes", () => {
  const policy = chainFitsStorageNodes();

  it("passes when storage pods >= replicas", async () => {
    const out = await runStackPolicy(policy, [storageStatefulSet({ replicas: 3 }), bootstrapConfigMap(goodPlan)].map(resource));
    expect(out.violations).toEqual([]);
  });

  it("reports more replicas than storage pods, against the ConfigMap", async () => {
    const cm = resource(bootstrapConfigMap(goodPlan));
    const out = await runStackPolicy(policy, [resource(storageStatefulSet({ replicas: 2 })), cm]);
    expect(out.violations).toEqual([
      {
        urn: cm.urn,
        message: expect.stringContaining("chain-plan.json.replicas is 3 but the storage StatefulSet(s) 'threefs-storage' run 2 pod(s)"),
      },
    ]);
  });

  it("is not applicable without both parts", async () => {
    expect((await runStackPolicy(policy, [resource(bootstrapConfigMap(goodPlan))])).notApplicable).toBeDefined();
  });
});

describe("threefs-eed-disk-size", () => {
  const policy = eedDiskSize();
  const stack = (...extra: Parameters<typeof resource>[0][]) => [eedStorageClass(), ...extra].map(resource);

  it.each(["64Gi", "800Gi", "8Ti", "8192Gi", "100G"])("passes a %s claim template", async (size) => {
    expect((await runStackPolicy(policy, stack(storageStatefulSet({ size })))).violations).toEqual([]);
  });

  it.each([
    ["32Gi", /requests 32Gi \(32Gi\); elastic ephemeral disks must be 64Gi–8192Gi/],
    ["9Ti", /requests 9Ti \(9216Gi\)/],
    ["64G", /requests 64G \(59\.6\d*Gi\)/],
    ["lots", /not a quantity/],
  ])("reports a %s claim template", async (size, message) => {
    const sts = resource(storageStatefulSet({ size }));
    const out = await runStackPolicy(policy, [resource(eedStorageClass()), sts]);
    expect(out.violations).toHaveLength(1);
    expect(out.violations[0].urn).toBe(sts.urn);
    expect(out.violations[0].message).toContain(
      "StatefulSet 'threefs-storage' volumeClaimTemplates[0] 'data0' (StorageClass 'threefs-eed', elastic_ephemeral_disk_standard)",
    );
    expect(out.violations[0].message).toMatch(message);
  });

  it("checks standalone PVCs and ignores claims on other classes", async () => {
    const pvc = (name: string, storageClassName: string, storage: string) =>
      k8s(TYPES.pvc, name, { spec: { storageClassName, resources: { requests: { storage } } } });
    const out = await runStackPolicy(policy, stack(pvc("small", "threefs-eed", "10Gi"), pvc("essd", "alicloud-disk-essd", "20Gi")));
    expect(out.violations.map((v) => v.message)).toEqual([expect.stringContaining("PersistentVolumeClaim 'small'")]);
  });

  it("honours limits from config", async () => {
    const out = await runStackPolicy(policy, stack(storageStatefulSet({ size: "800Gi" })), { maxGi: 512 });
    expect(out.violations).toHaveLength(1);
  });

  it("is not applicable without an EED StorageClass", async () => {
    const essd = { ...eedStorageClass(), props: { ...eedStorageClass().props, parameters: { type: "cloud_essd" } } };
    expect((await runStackPolicy(policy, [essd, storageStatefulSet({ size: "1Gi" })].map(resource))).notApplicable).toBeDefined();
  });
});

describe("Kubernetes quantities", () => {
  it.each([
    ["64Gi", 64 * 2 ** 30],
    ["1Ti", 2 ** 40],
    ["500Mi", 500 * 2 ** 20],
    ["1.5T", 1.5e12],
    ["100G", 1e11],
    ["64e9", 64e9],
    ["1E3", 1000],
    [1024, 1024],
  ])("parses %s", (q, bytes) => {
    expect(parseQuantity(q)).toBeCloseTo(bytes as number);
  });

  it.each(["", "Gi", "10 Gi", "10gi", "1.2.3Gi", null])("rejects %s", (q) => {
    expect(parseQuantity(q)).toBeUndefined();
  });

  it("converts to GiB", () => expect(toGi(2 ** 31)).toBe(2));
});
