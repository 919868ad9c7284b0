import {
  DISK_CSI_PROVISIONER,
  IMAGE_TYPE,
  MEMLOCK_UNLIMITED,
  containerdConfig,
  kubeletConfiguration,
  planNodePools,
  planStorageClasses,
  roleNodeCounts,
  storageCapacity,
  storageClassPrefix,
  poolExpectations,
  terwayConfigName,
  terwayEniConfig,
} from "../../lib/nodepools/plan";
import { OPEN_FILE_LIMIT } from "../../lib/threefs/constants";
import { configOf } from "./stack";

const noSchedule = (role: string) => ({ key: `threefs.io/${role}`, value: "true", effect: "NoSchedule" });

describe("planNodePools", () => {
  it("dev (combined): one pool with every role label, no taints, sized for the largest role", () => {
    const pools = planNodePools(configOf("dev"));
    expect(pools).toHaveLength(1);
    const [all] = pools;
    expect(all).toMatchObject({
      name: "all",
      roles: ["storage", "meta", "client"],
      size: 3, // max(storage 3, meta 3, client 1)
      instanceTypes: ["ecs.g8i.xlarge", "ecs.g8ise.xlarge"],
      instanceTypesKey: "threefs:storage.instanceTypes",
      taints: [],
      vswitchIndexes: [0],
      multiAzPolicy: "PRIORITY",
      imageType: "ContainerOS",
      registryMirrors: ["docker.io=https://mirrors-ssl.aliyuncs.com"],
      autoRepair: false, // storage runs here
      runtimeName: "containerd",
      systemDisk: { category: "cloud_essd", sizeGiB: 120 },
    });
    expect(all.labels).toEqual([
      { key: "threefs.io/storage", value: "true" },
      { key: "threefs.io/meta", value: "true" },
      { key: "threefs.io/client", value: "true" },
      { key: "threefs.io/profile", value: "dev" },
      { key: "terway-config", value: "threefs-dev-eni" },
    ]);
  });

  it("combined pool grows with whichever role needs the most nodes", () => {
    const cfg = configOf("dev", { "threefs:client": { nodes: 7 } });
    expect(planNodePools(cfg)[0].size).toBe(7);
    expect(roleNodeCounts(cfg)).toEqual({ storage: 7, meta: 7, client: 7 });
  });

  it("prod (separate): three pools with role labels, taints and the role's instance types", () => {
    const pools = planNodePools(configOf("prod", { "threefs:zones": ["cn-beijing-i", "cn-beijing-l"] }));
    expect(pools.map((p) => [p.name, p.size, p.instanceTypes, p.instanceTypesKey])).toEqual([
      ["storage", 6, ["ecs.g8i.8xlarge"], "threefs:storage.instanceTypes"],
      ["meta", 5, ["ecs.g8i.4xlarge"], "threefs:meta.instanceTypes"],
      ["client", 2, ["ecs.g8i.8xlarge"], "threefs:client.instanceTypes"],
    ]);
    for (const p of pools) {
      expect(p.roles).toEqual([p.name]);
      expect(p.labels).toEqual([
        { key: `threefs.io/${p.name}`, value: "true" },
        { key: "threefs.io/profile", value: "prod" },
        { key: "terway-config", value: "threefs-prod-eni" },
      ]);
      expect(p.autoRepair).toBe(p.name !== "storage");
      expect(p.taints).toEqual([noSchedule(p.name)]);
      expect(p.vswitchIndexes).toEqual([0, 1]);
      expect(p.multiAzPolicy).toBe("BALANCE");
    }
  });

  it("staging is separate but smaller; the client pool is skipped when client.nodes is 0", () => {
    expect(planNodePools(configOf("staging")).map((p) => [p.name, p.size])).toEqual([
      ["storage", 3],
      ["meta", 3],
      ["client", 1],
    ]);
    const noClients = configOf("staging", { "threefs:client": { nodes: 0 }, "threefs:smokeTest": { enabled: false } });
    expect(planNodePools(noClients).map((p) => p.name)).toEqual(["storage", "meta"]);
    expect(roleNodeCounts(noClients)).toEqual({ storage: 3, meta: 3, client: 0 });
  });

  it("takes the system disk from threefs:nodePools", () => {
    const cfg = configOf("dev", { "threefs:nodePools": { systemDiskCategory: "cloud_auto", systemDiskSizeGiB: 200 } });
    expect(planNodePools(cfg)[0].systemDisk).toEqual({ category: "cloud_auto", sizeGiB: 200 });
  });
});

describe("node runtime settings", () => {
  it("raises memlock to the API maximum and pins 1M open files", () => {
    expect(containerdConfig()).toEqual({ limitMemLock: "9007199254740991", limitNoFile: "1048576" });
    expect(Number(MEMLOCK_UNLIMITED)).toBe(Number.MAX_SAFE_INTEGER);
    expect(containerdConfig().limitNoFile).toBe(String(OPEN_FILE_LIMIT));
  });

  it("defaults to ContainerOS, whose erdma module the eRDMA agent loads without a DKMS build", () => {
    expect(IMAGE_TYPE).toBe("ContainerOS");
    expect(planNodePools(configOf("dev", { "threefs:nodePools": { imageType: "AliyunLinux3ContainerOptimized" } }))[0].imageType).toBe("AliyunLinux3ContainerOptimized");
  });

  it("gives the Terway ENI whitelist: only ENIs Terway created (creator=terway)", () => {
    expect(terwayEniConfig()).toEqual({ eni_tag_filter: { creator: "terway" } });
    expect(terwayConfigName("a".repeat(80)).length).toBeLessThanOrEqual(63);
  });

  it("lists, per pool, the nodes a post-deploy check must find with aliyun/erdma", () => {
    expect(poolExpectations(configOf("prod"))).toEqual([
      { pool: "storage", nodeSelector: { "threefs.io/storage": "true" }, nodes: 6, resource: "aliyun/erdma" },
      { pool: "meta", nodeSelector: { "threefs.io/meta": "true" }, nodes: 5, resource: "aliyun/erdma" },
      { pool: "client", nodeSelector: { "threefs.io/client": "true" }, nodes: 2, resource: "aliyun/erdma" },
    ]);
    expect(poolExpectations(configOf("dev"))).toEqual([
      { pool: "all", nodeSelector: { "threefs.io/storage": "true", "threefs.io/meta": "true", "threefs.io/client": "true" }, nodes: 3, resource: "aliyun/erdma" },
    ]);
  });

  it("kubelet settings are strings, as the SDK takes them", () => {
    for (const v of Object.values(kubeletConfiguration())) expect(typeof v).toBe("string");
  });
});

describe("storageCapacity", () => {
  it.each<[string, "dev" | "staging" | "prod", Record<string, number>]>([
    // 3 nodes × 1 × 64 GiB = 192 raw, ÷ 2 replicas
    ["dev", "dev", { perNodeRawGiB: 64, totalRawGiB: 192, usableGiB: 96, perNodeUsableGiB: 32, replicas: 2 }],
    // 3 × 2 × 512 = 3072 raw, ÷ 2
    ["staging", "staging", { perNodeRawGiB: 1024, totalRawGiB: 3072, usableGiB: 1536, perNodeUsableGiB: 512, replicas: 2 }],
    // 6 × 4 × 2048 = 49152 raw (48 TiB), ÷ 3 = 16 TiB
    ["prod", "prod", { perNodeRawGiB: 8192, totalRawGiB: 49152, usableGiB: 16384, perNodeUsableGiB: 2730, replicas: 3 }],
  ])("%s", (_label, profile, expected) => {
    expect(storageCapacity(configOf(profile))).toMatchObject(expected);
  });

  it("rounds usable capacity down to whole GiB", () => {
    const cfg = configOf("prod", { "threefs:storage": { nodes: 5, disksPerNode: 1, diskSizeGiB: 100 }, "threefs:chains": { replicas: 3, targetsPerDisk: 3, stripeSize: 5 } });
    expect(storageCapacity(cfg)).toMatchObject({ totalRawGiB: 500, usableGiB: 166, perNodeUsableGiB: 33, storageNodes: 5 });
  });
});

describe("planStorageClasses", () => {
  it("dev: EED standard and ESSD Entry, deleted with their claims", () => {
    const { eed, fdb } = planStorageClasses(configOf("dev"), "threefs-dev");
    expect(eed).toEqual({
      metadata: { name: "threefs-dev-eed", labels: { "app.kubernetes.io/name": "3fs", "app.kubernetes.io/component": "storage", "threefs.io/profile": "dev" } },
      provisioner: DISK_CSI_PROVISIONER,
      parameters: { type: "elastic_ephemeral_disk_standard", "csi.storage.k8s.io/fstype": "xfs" },
      reclaimPolicy: "Delete",
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      mountOptions: ["noatime", "nodiratime"],
    });
    expect(fdb.metadata.name).toBe("threefs-dev-fdb");
    // Entry has no performance level; the ESSD fallback gets dev's PL0.
    expect(fdb.parameters).toEqual({ type: "cloud_essd_entry,cloud_essd", performanceLevel: "PL0", "csi.storage.k8s.io/fstype": "ext4" });
    expect(planStorageClasses(configOf("dev", { "threefs:fdb": { fallbackDiskCategories: [] } }), "x").fdb.parameters).toEqual({ type: "cloud_essd_entry", "csi.storage.k8s.io/fstype": "ext4" });
    expect(fdb.reclaimPolicy).toBe("Delete");
  });

  it("staging: ESSD PL0; prod: EED premium, ESSD PL1, Retain", () => {
    expect(planStorageClasses(configOf("staging"), "p").fdb.parameters).toMatchObject({ type: "cloud_essd", performanceLevel: "PL0" });
    const prod = planStorageClasses(configOf("prod"), "threefs-prod");
    expect(prod.eed.parameters.type).toBe("elastic_ephemeral_disk_premium");
    expect(prod.fdb.parameters).toEqual({ type: "cloud_essd", performanceLevel: "PL1", "csi.storage.k8s.io/fstype": "ext4" });
    // EED: Delete even in prod (DeleteWithInstance: a retained PV keeps nothing); FDB: Retain.
    expect([prod.eed.reclaimPolicy, prod.fdb.reclaimPolicy]).toEqual(["Delete", "Retain"]);
  });

  it("stateful protection retains FDB volumes outside prod too, never EED", () => {
    const cfg = configOf("staging", { "threefs:protection": { stateful: true } });
    expect([planStorageClasses(cfg, "p").eed.reclaimPolicy, planStorageClasses(cfg, "p").fdb.reclaimPolicy]).toEqual(["Delete", "Retain"]);
  });

  it("names are stack-scoped and valid Kubernetes names", () => {
    expect(storageClassPrefix("dev")).toBe("threefs-dev");
    expect(storageClassPrefix("Team_A.prod")).toBe("threefs-team-a.prod");
    expect(storageClassPrefix("x--")).toBe("threefs-x");
    const a = planStorageClasses(configOf("dev"), storageClassPrefix("alice"));
    const b = planStorageClasses(configOf("dev"), storageClassPrefix("bob"));
    expect(a.eed.metadata.name).not.toBe(b.eed.metadata.name);
  });
});
