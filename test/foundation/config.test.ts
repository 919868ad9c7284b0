import { ConfigError, defaultClusterId, deepMerge, loadConfig } from "../../stacks/config";
import { PROFILES } from "../../stacks/profiles";

/** A valid dev stack, as Pulumi would pass it (objects as JSON strings). */
function devValues(overrides: Record<string, unknown> = {}): Record<string, string> {
  const base: Record<string, unknown> = {
    "alicloud:region": "cn-beijing",
    "threefs:profile": "dev",
    "threefs:zones": ["cn-beijing-i"],
    "threefs:storage": { nodes: 3, instanceTypes: ["ecs.g8i.4xlarge"], disksPerNode: 2, diskSizeGiB: 256, diskCategory: "elastic_ephemeral_disk_standard" },
    "threefs:chains": { replicas: 2, targetsPerDisk: 16, stripeSize: 16 },
  };
  const merged = { ...base, ...overrides };
  return Object.fromEntries(
    Object.entries(merged)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
}

function problemsOf(values: Record<string, string>, stack = "dev"): string[] {
  try {
    loadConfig({ stack, values });
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  return [];
}

describe("loadConfig", () => {
  it("accepts the contract example and fills the rest from the profile", () => {
    const cfg = loadConfig({ stack: "dev", values: devValues() });
    expect(cfg.storage.nodes).toBe(3);
    expect(cfg.storage.disksPerNode).toBe(2);
    expect(cfg.meta.mgmtdReplicas).toBe(PROFILES.dev.meta.mgmtdReplicas);
    expect(cfg.cluster.deletionProtection).toBe(false);
    expect(cfg.fs.clusterId).toBe("threefs-dev");
    expect(cfg.region).toBe("cn-beijing");
  });

  it("returns a deeply frozen object", () => {
    const cfg = loadConfig({ stack: "dev", values: devValues() });
    expect(Object.isFrozen(cfg)).toBe(true);
    expect(Object.isFrozen(cfg.storage.instanceTypes)).toBe(true);
  });

  it("prod turns on protection by default", () => {
    const cfg = loadConfig({ stack: "prod", values: devValues({ "threefs:profile": "prod", "threefs:storage": undefined, "threefs:chains": undefined }) });
    expect(cfg.cluster.deletionProtection).toBe(true);
    expect(cfg.protection.stateful).toBe(true);
    expect(cfg.chains.replicas).toBeGreaterThanOrEqual(2);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["typo in a nested key", { "threefs:storage": { nodes: 3, disksPerNodes: 2 } }, "threefs:storage.disksPerNodes: unknown key"],
    ["unknown top-level key", { "threefs:storge": { nodes: 3 } }, "threefs:storge: unknown key"],
    ["disk too small", { "threefs:storage": { diskSizeGiB: 32 } }, "threefs:storage.diskSizeGiB: must be ≥ 64"],
    ["disk too large", { "threefs:storage": { diskSizeGiB: 9000 } }, "threefs:storage.diskSizeGiB: must be ≤ 8192"],
    ["too many disks", { "threefs:storage": { disksPerNode: 17 } }, "threefs:storage.disksPerNode: must be ≤ 16"],
    ["non-integer disks", { "threefs:storage": { disksPerNode: 1.5 } }, "threefs:storage.disksPerNode: must be an integer"],
    ["wrong disk category", { "threefs:storage": { diskCategory: "cloud_essd" } }, "threefs:storage.diskCategory: must be one of elastic_ephemeral_disk_standard | elastic_ephemeral_disk_premium"],
    ["string instead of number", { "threefs:storage": { nodes: "three" } }, "threefs:storage.nodes: must be a number"],
    ["zone of another region", { "threefs:zones": ["cn-hangzhou-h"] }, "threefs:zones[0]: zone cn-hangzhou-h is not in region cn-beijing (alicloud:region)"],
    ["duplicate zone", { "threefs:zones": ["cn-beijing-i", "cn-beijing-i"] }, "threefs:zones[1]: zone cn-beijing-i is listed twice"],
    ["no zones", { "threefs:zones": [] }, "threefs:zones: needs at least 1 item(s)"],
    ["replicas above nodes", { "threefs:chains": { replicas: 4 } }, "threefs:chains.replicas: 4 replicas need at least 4 storage nodes (threefs:storage.nodes is 3)"],
    ["indivisible chains", { "threefs:chains": { replicas: 2, targetsPerDisk: 15 } }, "threefs:chains.targetsPerDisk: storage.nodes × targetsPerDisk (3 × 15) must be divisible by chains.replicas (2)"],
    ["stripe wider than table", { "threefs:chains": { stripeSize: 500 } }, "threefs:chains.stripeSize: 500 exceeds the 48 chains in the table"],
    ["service CIDR inside VPC", { "threefs:network": { serviceCidr: "10.0.200.0/24" } }, "threefs:network.serviceCidr: 10.0.200.0/24 overlaps the VPC 10.0.0.0/16"],
    ["bad CIDR", { "threefs:network": { vpcCidr: "10.0.0.1/16" } }, "threefs:network.vpcCidr: \"10.0.0.1/16\" has host bits set"],
    ["old Kubernetes", { "threefs:cluster": { kubernetesVersion: "1.30.1-aliyun.1" } }, "threefs:cluster.kubernetesVersion: must be ≥ 1.32"],
    ["long cluster id", { "threefs:fs": { clusterId: "a".repeat(32) } }, "threefs:fs.clusterId: must be shorter than 32 characters"],
    ["unpinned image", { "threefs:images": { tag: "latest" } }, "threefs:images.tag: must be pinned (not latest/dev)"],
    ["bad profile", { "threefs:profile": "qa" }, "threefs:profile: required, one of dev | staging | prod (got \"qa\")"],
  ])("rejects %s", (_label, overrides, expected) => {
    const problems = problemsOf(devValues(overrides));
    expect(problems.some((p) => p.startsWith(expected))).toBe(true);
    for (const p of problems) expect(p).not.toMatch(/\n|at .*\.ts:/); // one line, no stack
  });

  it("prod requires replicas ≥ 2", () => {
    const problems = problemsOf(devValues({ "threefs:profile": "prod", "threefs:chains": { replicas: 1 } }), "prod");
    expect(problems).toContainEqual(expect.stringMatching(/^threefs:chains\.replicas: prod requires ≥ 2/));
  });

  it("requires alicloud:region and profile", () => {
    const values = devValues();
    delete values["alicloud:region"];
    delete values["threefs:profile"];
    const problems = problemsOf(values);
    expect(problems).toContainEqual(expect.stringMatching(/^alicloud:region: required/));
    expect(problems).toContainEqual(expect.stringMatching(/^threefs:profile: required/));
  });

  it("reports every problem at once", () => {
    const problems = problemsOf(devValues({ "threefs:storage": { diskSizeGiB: 1, disksPerNode: 99 } }));
    expect(problems.length).toBeGreaterThanOrEqual(2);
  });

  it("the error message lists the problems one per line", () => {
    expect(() => loadConfig({ stack: "dev", values: devValues({ "threefs:storage": { diskSizeGiB: 1 } }) })).toThrow(/invalid stack configuration:\n  threefs:storage.diskSizeGiB/);
  });
});

describe("helpers", () => {
  it("deepMerge merges objects and replaces arrays", () => {
    expect(deepMerge({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] } })).toEqual({ a: { b: 1, c: [3] }, d: 1 });
  });
  it("defaultClusterId stays below 32 characters", () => {
    expect(defaultClusterId("a-very-long-stack-name-for-production-eu").length).toBeLessThan(32);
    expect(defaultClusterId("Prod_EU")).toBe("threefs-prod-eu");
  });
  it("every profile is valid on its own", () => {
    for (const profile of ["dev", "staging", "prod"]) {
      expect(() => loadConfig({ stack: profile, values: { "alicloud:region": "cn-beijing", "threefs:profile": profile, "threefs:zones": JSON.stringify(["cn-beijing-i"]) } })).not.toThrow();
    }
  });
});

describe("FoundationDB rules in the stack config", () => {
  it("rejects an FDB version whose minor differs from the images' libfdb_c", () => {
    const problems = problemsOf(devValues({ "threefs:fdb": { version: "7.3.43" } }));
    expect(problems).toContainEqual(expect.stringMatching(/^threefs:fdb\.version: /));
  });
  it("reports too few meta nodes for triple redundancy once", () => {
    const problems = problemsOf(devValues({ "threefs:nodePools": { layout: "separate" }, "threefs:fdb": { redundancyMode: "triple" } }));
    expect(problems.filter((p) => p.startsWith("threefs:meta.nodes:"))).toHaveLength(1);
  });
});

describe("workload rules in the stack config", () => {
  it.each<[string, Record<string, unknown>, string, string?]>([
    ["stack names that are not DNS labels", {}, 'stack name "My_Stack": prefix', "My_Stack"],
    ["a mount path with a trailing slash", { "threefs:fs": { mountPath: "/mnt/3fs/" } }, "threefs:fs.mountPath: "],
    ["a collector given by host name", { "threefs:fs": { monitorCollector: "collector.monitoring:10000" } }, "threefs:fs.monitorCollector: must be ipv4:port"],
    ["an upper-case registry", { "threefs:images": { registry: "Registry.example.com/3fs" } }, "threefs:images: images.registry"],
    ["requests above limits", { "threefs:resources": { meta: { requests: { cpu: "4", memory: "1Gi" }, limits: { cpu: "2", memory: "2Gi" } } } }, "threefs:resources.meta.requests.cpu: 4 exceeds limits.cpu 2"],
    ["too little storage memory", { "threefs:resources": { storage: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "2", memory: "1Gi" } } } }, "threefs:resources.storage.limits.memory: must be ≥ 2Gi"],
    ["an ESSD PL2 volume below its minimum", { "threefs:fdb": { diskCategory: "cloud_essd", performanceLevel: "PL2", storageGiB: 100 } }, "threefs:fdb.storageGiB: ESSD PL2 volumes start at 461 GiB"],
    ["a smoke test without client nodes", { "threefs:nodePools": { layout: "separate" }, "threefs:client": { nodes: 0 } }, "threefs:smokeTest.enabled: the smoke test runs on a client node"],
  ])("rejects %s", (_label, overrides, expected, stack = "dev") => {
    expect(problemsOf(devValues(overrides), stack)).toContainEqual(expect.stringContaining(expected));
  });
});

describe("configWarnings", () => {
  it("warns about the moving tag and offshore registries in cn- regions", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { configWarnings, registryHost } = require("../../stacks/warnings") as typeof import("../../stacks/warnings");
    const warnings = configWarnings(loadConfig({ stack: "dev", values: devValues() }));
    expect(warnings).toContainEqual(expect.stringMatching(/^threefs:images\.tag is the moving branch tag 'main'/));
    expect(warnings).toContainEqual(expect.stringMatching(/^threefs:images\.registry: images come from ghcr\.io/));
    // Docker Hub is pulled through the default registry mirror; without it the warning returns.
    expect(warnings.some((w) => w.startsWith("threefs:fdb.operatorImage"))).toBe(false);
    const unmirrored = configWarnings(loadConfig({ stack: "dev", values: devValues({ "threefs:nodePools": { registryMirrors: [] } }) }));
    expect(unmirrored).toContainEqual(expect.stringMatching(/^threefs:fdb\.operatorImage: images come from docker\.io/));
    const mirrored = configWarnings(loadConfig({ stack: "dev", values: devValues({ "threefs:images": { registry: "registry-vpc.cn-beijing.aliyuncs.com/team/3fs" } }) }));
    expect(mirrored.some((w) => w.startsWith("threefs:images.registry"))).toBe(false);
    expect(registryHost("foundationdb/fdb-kubernetes-operator:v2.33.0")).toBe("docker.io");
    expect(registryHost("registry:5000/x")).toBe("registry:5000");
  });
});

describe("FDB process counts override", () => {
  it("accepts a sane override and refuses too few storage processes for the redundancy", () => {
    expect(problemsOf(devValues({ "threefs:fdb": { processCounts: { storage: 3, log: 3, stateless: 9 } } }))).toEqual([]);
    expect(problemsOf(devValues({ "threefs:fdb": { processCounts: { storage: 1, log: 3, stateless: -1 } } }))).toContainEqual(expect.stringMatching(/^threefs:fdb\.processCounts\.storage: /));
  });
});
