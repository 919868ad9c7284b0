/**
 * NodePools + Disks on Pulumi's mock runtime, prod profile (separate pools, two zones, protected), with
 * the real Network and AckCluster components in front of them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { renderKubernetesYaml } from "../../lib/plan/render";
import { configValues, rowNamed, rowsOf, runNodePoolsStack } from "./stack";

const NODE_POOL = "alicloud:cs/nodePool:NodePool";
const STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass";
const GOLDEN = path.join(__dirname, "../fixtures/nodepools/storageclasses.prod.yaml");

let run: Awaited<ReturnType<typeof runNodePoolsStack>>;
beforeAll(async () => {
  run = await runNodePoolsStack("prod", configValues("prod", { "threefs:zones": ["cn-beijing-i", "cn-beijing-l"] }));
});

const inputsOf = (name: string) => rowNamed(run.rows, NODE_POOL, name).inputs as Record<string, unknown>;

describe("NodePools (prod, separate)", () => {
  it("creates storage, meta and client pools with their own types and sizes", () => {
    expect(rowsOf(run.rows, NODE_POOL).map((p) => p.name)).toEqual(["threefs-prod-storage", "threefs-prod-meta", "threefs-prod-client"]);
    expect(inputsOf("threefs-prod-storage")).toMatchObject({ instanceTypes: ["ecs.g8i.8xlarge"], desiredSize: "6" });
    expect(inputsOf("threefs-prod-meta")).toMatchObject({ instanceTypes: ["ecs.g8i.4xlarge"], desiredSize: "5" });
    expect(inputsOf("threefs-prod-client")).toMatchObject({ instanceTypes: ["ecs.g8i.8xlarge"], desiredSize: "2" });
  });

  it.each(["storage", "meta", "client"])("the %s pool carries its role label and NoSchedule taint", (role) => {
    const inputs = inputsOf(`threefs-prod-${role}`);
    expect(inputs.labels).toEqual([
      { key: `threefs.io/${role}`, value: "true" },
      { key: "threefs.io/profile", value: "prod" },
      { key: "terway-config", value: "threefs-prod-eni" },
    ]);
    expect(inputs.taints).toEqual([{ key: `threefs.io/${role}`, value: "true", effect: "NoSchedule" }]);
  });

  it("spreads every pool over both zones' node vSwitches", () => {
    for (const p of rowsOf(run.rows, NODE_POOL)) {
      const inputs = p.inputs as Record<string, unknown>;
      const ids = inputs.vswitchIds as string[];
      expect(ids).toHaveLength(2);
      expect(new Set(ids).size).toBe(2);
      expect(inputs.multiAzPolicy).toBe("BALANCE");
    }
  });

  it("every pool depends on the cluster (ack-erdma-controller first), the SNAT entries and the Terway whitelist, and is protected", () => {
    const cluster = rowNamed(run.rows, "alicloud:cs/managedKubernetes:ManagedKubernetes", "threefs-prod-cluster").urn;
    const snat = rowsOf(run.rows, "alicloud:vpc/snatEntry:SnatEntry").map((r) => r.urn);
    const terway = rowNamed(run.rows, "kubernetes:core/v1:ConfigMap", "threefs-prod-terway-eni").urn;
    expect(snat).toHaveLength(4);
    for (const p of rowsOf(run.rows, NODE_POOL)) {
      expect(p.dependsOn).toEqual([cluster, ...snat, terway].sort());
      expect(p.protect).toBe(true);
      expect(p.inputs).toMatchObject({
        imageType: "ContainerOS",
        containerdConfig: { limitMemLock: "9007199254740991", registryMirrors: ["docker.io=https://mirrors-ssl.aliyuncs.com"] },
      });
    }
  });

  it("auto-repairs meta and client nodes but never storage nodes (their EED dies with the instance)", () => {
    const repair = (name: string) => (inputsOf(name).management as Record<string, unknown>).autoRepair;
    expect([repair("threefs-prod-storage"), repair("threefs-prod-meta"), repair("threefs-prod-client")]).toEqual([false, true, true]);
    for (const p of rowsOf(run.rows, NODE_POOL)) expect(p.inputs).toMatchObject({ management: { autoUpgrade: false, autoVulFix: false } });
  });
});

describe("Disks (prod)", () => {
  it("EED premium deleted with its claim (the disk dies with its instance anyway), ESSD PL1 retained", () => {
    expect(rowNamed(run.rows, STORAGE_CLASS, "threefs-prod-eed").inputs).toMatchObject({
      metadata: { name: "threefs-prod-eed" },
      parameters: { type: "elastic_ephemeral_disk_premium", "csi.storage.k8s.io/fstype": "xfs" },
      reclaimPolicy: "Delete",
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      mountOptions: ["noatime", "nodiratime"],
    });
    expect(rowNamed(run.rows, STORAGE_CLASS, "threefs-prod-fdb").inputs).toMatchObject({
      metadata: { name: "threefs-prod-fdb" },
      parameters: { type: "cloud_essd", performanceLevel: "PL1" },
      reclaimPolicy: "Retain",
    });
  });

  it("exports the prod capacity ceiling", () => {
    expect(run.outputs.capacity.value).toMatchObject({ perNodeRawGiB: 8192, totalRawGiB: 49152, usableGiB: 16384, replicas: 3 });
    expect(Object.keys(run.outputs.nodePoolIds.value as object)).toEqual(["storage", "meta", "client"]);
  });

  it("renders kubernetes.yaml as the golden file", () => {
    const yaml = renderKubernetesYaml(run.rows);
    if (process.env.UPDATE_GOLDEN === "1") fs.writeFileSync(GOLDEN, yaml);
    expect(yaml).toBe(fs.readFileSync(GOLDEN, "utf8"));
  });
});
