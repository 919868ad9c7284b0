/**
 * NodePools + Disks on Pulumi's mock runtime, dev profile (combined layout, one zone), with the real
 * Network and AckCluster components in front of them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { renderKubernetesYaml } from "../../lib/plan/render";
import { configValues, rowNamed, rowsOf, runNodePoolsStack } from "./stack";

const NODE_POOL = "alicloud:cs/nodePool:NodePool";
const STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass";
const GOLDEN = path.join(__dirname, "../fixtures/nodepools/storageclasses.dev.yaml");

let run: Awaited<ReturnType<typeof runNodePoolsStack>>;
beforeAll(async () => {
  run = await runNodePoolsStack("dev", configValues("dev"));
});

describe("NodePools (dev, combined)", () => {
  it("creates one pool carrying every role, sized for the largest role", () => {
    const pools = rowsOf(run.rows, NODE_POOL);
    expect(pools.map((p) => p.name)).toEqual(["threefs-dev-all"]);
    const inputs = pools[0].inputs as Record<string, unknown>;
    expect(inputs).toMatchObject({
      nodePoolName: "threefs-dev-all",
      instanceTypes: ["ecs.g8i.xlarge", "ecs.g8ise.xlarge"],
      desiredSize: "3",
      imageType: "ContainerOS",
      runtimeName: "containerd",
      systemDiskCategory: "cloud_essd",
      systemDiskSize: 120,
      multiAzPolicy: "PRIORITY",
      containerdConfig: { limitMemLock: "9007199254740991", limitNoFile: "1048576", registryMirrors: ["docker.io=https://mirrors-ssl.aliyuncs.com"] },
      management: { autoRepair: false },
      kubeletConfiguration: { serializeImagePulls: "false", containerLogMaxSize: "100Mi", containerLogMaxFiles: "5" },
      tags: { "threefs:profile": "dev", "threefs:stack": "dev" },
    });
    expect(inputs.labels).toEqual([
      { key: "threefs.io/storage", value: "true" },
      { key: "threefs.io/meta", value: "true" },
      { key: "threefs.io/client", value: "true" },
      { key: "threefs.io/profile", value: "dev" },
      { key: "terway-config", value: "threefs-dev-eni" },
    ]);
    expect(inputs.taints).toBeUndefined();
    expect(typeof inputs.desiredSize).toBe("string");
  });

  it("joins the cluster on the zone's node vSwitch and the cluster security group", () => {
    const pool = rowNamed(run.rows, NODE_POOL, "threefs-dev-all").inputs as Record<string, unknown>;
    const cluster = rowNamed(run.rows, "alicloud:cs/managedKubernetes:ManagedKubernetes", "threefs-dev-cluster");
    const nodeSwitch = run.registrations.find((r) => r.name === "threefs-dev-node-cn-beijing-i");
    expect(nodeSwitch).toBeDefined();
    expect((pool.vswitchIds as string[])).toHaveLength(1);
    expect((pool.vswitchIds as string[])[0]).toMatch(/^vsw-/);
    expect((pool.securityGroupIds as string[])[0]).toMatch(/^sg-/);
    expect(pool.clusterId).toMatch(/^c/);
    expect(cluster.inputs).toMatchObject({ addons: expect.arrayContaining([expect.objectContaining({ name: "ack-erdma-controller" })]) });
  });

  it("waits for the cluster (and its ack-erdma-controller addon) before nodes join", () => {
    const pool = rowNamed(run.rows, NODE_POOL, "threefs-dev-all");
    const cluster = rowNamed(run.rows, "alicloud:cs/managedKubernetes:ManagedKubernetes", "threefs-dev-cluster");
    expect(pool.dependsOn).toContain(cluster.urn);
    expect(pool.parent).toBe(rowNamed(run.rows, "threefs:index:NodePools", "threefs-dev").urn);
    expect(pool.protect).toBe(false);
  });
});

describe("Disks (dev)", () => {
  it("creates the EED and FDB StorageClasses through the cluster's Kubernetes provider", () => {
    const classes = rowsOf(run.rows, STORAGE_CLASS);
    expect(classes.map((c) => c.name)).toEqual(["threefs-dev-eed", "threefs-dev-fdb"]);
    const provider = rowNamed(run.rows, "pulumi:providers:kubernetes", "threefs-dev-k8s").urn;
    for (const c of classes) {
      expect(c.provider).toBe(provider);
      expect(c.parent).toBe(rowNamed(run.rows, "threefs:index:Disks", "threefs-dev").urn);
    }
  });

  it("EED class: CSI disk plugin, configured category, XFS, noatime, WaitForFirstConsumer, Delete in dev", () => {
    expect(rowNamed(run.rows, STORAGE_CLASS, "threefs-dev-eed").inputs).toMatchObject({
      metadata: { name: "threefs-dev-eed", labels: { "threefs.io/profile": "dev" } },
      provisioner: "diskplugin.csi.alibabacloud.com",
      parameters: { type: "elastic_ephemeral_disk_standard", "csi.storage.k8s.io/fstype": "xfs" },
      mountOptions: ["noatime", "nodiratime"],
      volumeBindingMode: "WaitForFirstConsumer",
      reclaimPolicy: "Delete",
      allowVolumeExpansion: true,
    });
  });

  it("FDB class: ESSD Entry in dev, falling back to ESSD PL0 where a node does not offer Entry", () => {
    expect(rowNamed(run.rows, STORAGE_CLASS, "threefs-dev-fdb").inputs).toMatchObject({
      parameters: { type: "cloud_essd_entry,cloud_essd", performanceLevel: "PL0", "csi.storage.k8s.io/fstype": "ext4" },
      reclaimPolicy: "Delete",
    });
  });

  it("exports class names and the capacity ceiling", () => {
    expect(run.outputs.eedStorageClassName.value).toBe("threefs-dev-eed");
    expect(run.outputs.fdbStorageClassName.value).toBe("threefs-dev-fdb");
    expect(run.outputs.capacity.value).toMatchObject({ perNodeRawGiB: 64, totalRawGiB: 192, usableGiB: 96, replicas: 2 });
    expect(Object.keys(run.outputs.nodePoolIds.value as object)).toEqual(["all"]);
  });

  it("renders kubernetes.yaml as the golden file", () => {
    const yaml = renderKubernetesYaml(run.rows);
    if (process.env.UPDATE_GOLDEN === "1") fs.writeFileSync(GOLDEN, yaml);
    expect(yaml).toBe(fs.readFileSync(GOLDEN, "utf8"));
  });
});
