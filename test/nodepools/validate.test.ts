/**
 * Node-pool validation end to end: raw Pulumi config values → loadConfig → the exact one-line problems.
 */
import { FDB_MIN_NODES } from "../../lib/nodepools/validate";
import { configValues, problemsOf } from "./stack";

const NO_ERDMA_HINT = "use an eRDMA family (g8i, g8ise, c8i, r8i, g8a, g9a, …)";
const EXTRA = "threefs:nodePools.extraErdmaFamilies";

describe("node pool validation", () => {
  it.each(["dev", "staging", "prod"] as const)("the %s profile is valid as shipped", (profile) => {
    expect(problemsOf(configValues(profile))).toEqual([]);
  });

  it.each<[string, "dev" | "staging" | "prod", Record<string, unknown>, string]>([
    [
      "a storage type without eRDMA (combined)",
      "dev",
      { "threefs:storage": { instanceTypes: ["ecs.g8i.xlarge", "ecs.g7.xlarge"] } },
      `threefs:storage.instanceTypes[1]: ecs.g7.xlarge has no eRDMA (family g7); ${NO_ERDMA_HINT} or add "g7" to ${EXTRA} if Alibaba added eRDMA to it`,
    ],
    [
      "a meta type without eRDMA (separate)",
      "staging",
      { "threefs:meta": { instanceTypes: ["ecs.c7.2xlarge"] } },
      `threefs:meta.instanceTypes[0]: ecs.c7.2xlarge has no eRDMA (family c7); ${NO_ERDMA_HINT} or add "c7" to ${EXTRA} if Alibaba added eRDMA to it`,
    ],
    [
      "a client type without eRDMA (separate)",
      "prod",
      { "threefs:client": { instanceTypes: ["ecs.g8i.8xlarge", "ecs.g6.8xlarge"] } },
      `threefs:client.instanceTypes[1]: ecs.g6.8xlarge has no eRDMA (family g6); ${NO_ERDMA_HINT} or add "g6" to ${EXTRA} if Alibaba added eRDMA to it`,
    ],
    [
      "a family the table does not know yet",
      "dev",
      { "threefs:storage": { instanceTypes: ["ecs.g10i.4xlarge"] } },
      `threefs:storage.instanceTypes[0]: ecs.g10i.4xlarge has no eRDMA (family g10i); ${NO_ERDMA_HINT} or add "g10i" to ${EXTRA} if Alibaba added eRDMA to it`,
    ],
    [
      "storage on an eRDMA family without EED",
      "staging",
      { "threefs:storage": { instanceTypes: ["ecs.g9i.4xlarge"] } },
      `threefs:storage.instanceTypes[0]: ecs.g9i.4xlarge cannot attach elastic ephemeral disks (family g9i), which hold the storage targets; ` +
        `use an eRDMA family with EED (g8i, g8ise, c8i, r8i, g8a, g9a, …) or add "g9i" to ${EXTRA} if Alibaba added EED to it`,
    ],
    [
      "the combined pool on an eRDMA family without EED",
      "dev",
      { "threefs:storage": { instanceTypes: ["ecs.g8ae.xlarge"] } },
      `threefs:storage.instanceTypes[0]: ecs.g8ae.xlarge cannot attach elastic ephemeral disks (family g8ae)`,
    ],
    [
      "a local-disk family on ContainerOS",
      "prod",
      { "threefs:meta": { instanceTypes: ["ecs.i4.4xlarge"] } },
      "threefs:meta.instanceTypes[0]: ecs.i4.4xlarge has local disks, which ContainerOS does not run on; use another family or set threefs:nodePools.imageType: AliyunLinux3ContainerOptimized",
    ],
    [
      "triple redundancy on 3 meta nodes",
      "prod",
      { "threefs:meta": { nodes: 3 } },
      "threefs:meta.nodes: FoundationDB triple redundancy needs ≥ 5 nodes in the meta pool (got 3); raise threefs:meta.nodes or lower threefs:fdb.redundancyMode",
    ],
    [
      "double redundancy on 2 meta nodes",
      "staging",
      { "threefs:meta": { nodes: 2, mgmtdReplicas: 2, metaReplicas: 2 } },
      "threefs:meta.nodes: FoundationDB double redundancy needs ≥ 3 nodes in the meta pool (got 2); raise threefs:meta.nodes or lower threefs:fdb.redundancyMode",
    ],
    [
      "double redundancy in a 2-node combined pool",
      "dev",
      { "threefs:storage": { nodes: 2 }, "threefs:meta": { nodes: 2 } },
      "threefs:meta.nodes: FoundationDB double redundancy needs ≥ 3 nodes, and the combined pool has 2 " +
        "(the largest of threefs:storage.nodes, threefs:meta.nodes, threefs:client.nodes); raise threefs:meta.nodes or lower threefs:fdb.redundancyMode",
    ],
    // Enforced by the schema (zod); asserted here because they are the disk rules of this issue.
    ["an EED below 64 GiB", "dev", { "threefs:storage": { diskSizeGiB: 63 } }, "threefs:storage.diskSizeGiB: must be ≥ 64"],
    ["an EED above 8192 GiB", "dev", { "threefs:storage": { diskSizeGiB: 8193 } }, "threefs:storage.diskSizeGiB: must be ≤ 8192"],
    [
      "a storage disk that is not EED",
      "dev",
      { "threefs:storage": { diskCategory: "cloud_essd" } },
      "threefs:storage.diskCategory: must be one of elastic_ephemeral_disk_standard | elastic_ephemeral_disk_premium",
    ],
    [
      "an EED system disk",
      "dev",
      { "threefs:nodePools": { systemDiskCategory: "elastic_ephemeral_disk_standard" } },
      "threefs:nodePools.systemDiskCategory: must be one of cloud_essd | cloud_auto | cloud_essd_entry",
    ],
    ["a malformed instance type", "dev", { "threefs:storage": { instanceTypes: ["g8i.xlarge"] } }, "threefs:storage.instanceTypes[0]: must look like ecs.<family>.<size>"],
    ["an unknown layout", "dev", { "threefs:nodePools": { layout: "mixed" } }, "threefs:nodePools.layout: must be one of combined | separate"],
    ["a malformed escape-hatch family", "dev", { "threefs:nodePools": { extraErdmaFamilies: ["G9X"] } }, "threefs:nodePools.extraErdmaFamilies[0]: must be a family name such as g9i"],
  ])("rejects %s", (_label, profile, overrides, expected) => {
    const problems = problemsOf(configValues(profile, overrides));
    expect(problems.filter((p) => p.startsWith(expected))).toHaveLength(1);
    for (const p of problems) expect(p).not.toMatch(/\n/);
  });

  it.each<[string, "dev" | "staging" | "prod", Record<string, unknown>]>([
    ["the escape hatch for a new family", "dev", { "threefs:storage": { instanceTypes: ["ecs.g10i.4xlarge"] }, "threefs:nodePools": { extraErdmaFamilies: ["g10i"] } }],
    ["the escape hatch overriding the EED entry", "staging", { "threefs:storage": { instanceTypes: ["ecs.g9i.4xlarge"] }, "threefs:nodePools": { extraErdmaFamilies: ["g9i"] } }],
    ["meta on an eRDMA family without EED", "prod", { "threefs:meta": { instanceTypes: ["ecs.g9i.4xlarge", "ecs.i4.4xlarge"] }, "threefs:nodePools": { imageType: "AliyunLinux3ContainerOptimized" } }],
    ["a bare-metal GPU client pool", "prod", { "threefs:client": { instanceTypes: ["ecs.ebmgn8is.32xlarge"] } }],
    ["meta/client types the combined layout does not use", "dev", { "threefs:meta": { instanceTypes: ["ecs.g7.xlarge"] }, "threefs:client": { instanceTypes: ["ecs.g6.large"] } }],
    ["client types when there is no client pool", "staging", { "threefs:client": { nodes: 0, instanceTypes: ["ecs.g7.xlarge"] }, "threefs:smokeTest": { enabled: false } }],
    ["triple redundancy when storage makes the combined pool big enough", "dev", { "threefs:storage": { nodes: 5 }, "threefs:fdb": { redundancyMode: "triple" } }],
    ["single redundancy on one meta node", "staging", { "threefs:meta": { nodes: 1, mgmtdReplicas: 1, metaReplicas: 1 }, "threefs:fdb": { redundancyMode: "single" } }],
  ])("accepts %s", (_label, profile, overrides) => {
    expect(problemsOf(configValues(profile, overrides))).toEqual([]);
  });

  it("does not repeat the storage-nodes-vs-replicas rule (rules.ts owns it)", () => {
    const problems = problemsOf(configValues("dev", { "threefs:storage": { nodes: 1 }, "threefs:meta": { nodes: 3 } }));
    expect(problems.filter((p) => p.includes("replicas need at least"))).toHaveLength(1);
    expect(problems.filter((p) => p.startsWith("threefs:storage.nodes"))).toEqual([]);
  });

  it("reports every bad type of every pool at once", () => {
    const problems = problemsOf(
      configValues("prod", {
        "threefs:storage": { instanceTypes: ["ecs.g7.8xlarge", "ecs.g9i.8xlarge"] },
        "threefs:meta": { instanceTypes: ["ecs.c7.4xlarge"] },
        "threefs:client": { instanceTypes: ["ecs.r7.8xlarge"] },
      }),
    );
    expect(problems.map((p) => p.split(":").slice(0, 2).join(":"))).toEqual([
      "threefs:storage.instanceTypes[0]",
      "threefs:storage.instanceTypes[1]",
      "threefs:meta.instanceTypes[0]",
      "threefs:client.instanceTypes[0]",
    ]);
  });

  it("FDB minimums", () => expect(FDB_MIN_NODES).toEqual({ single: 1, double: 3, triple: 5 }));
});
