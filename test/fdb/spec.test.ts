import { PROFILE_LABEL } from "../../lib/threefs/constants";
import {
  ZONE_KEY,
  buildFdbClusterSpec,
  clusterFileConfigMapName,
  coordinatorCount,
  faultDomainMode,
  fdbProcessCounts,
  fdbPodsReadNodes,
} from "../../lib/fdb/spec";
import { devInput, expectGolden, prodInput, stagingInput } from "./inputs";

describe("buildFdbClusterSpec golden files", () => {
  it.each([
    ["cluster-spec-dev", devInput],
    ["cluster-spec-staging", stagingInput],
    ["cluster-spec-prod", prodInput],
  ])("%s", (name, input) => {
    expectGolden(name, buildFdbClusterSpec(input()));
  });
});

describe("buildFdbClusterSpec", () => {
  it("is pure: same input, same output, input untouched", () => {
    const input = prodInput();
    const before = JSON.stringify(input);
    expect(buildFdbClusterSpec(input)).toEqual(buildFdbClusterSpec(prodInput()));
    expect(JSON.stringify(input)).toBe(before);
  });

  it("sets redundancy and storage engine per profile", () => {
    expect(buildFdbClusterSpec(devInput()).databaseConfiguration).toEqual({ redundancy_mode: "double", storage_engine: "ssd-2" });
    expect(buildFdbClusterSpec(prodInput()).databaseConfiguration).toEqual({ redundancy_mode: "triple", storage_engine: "ssd-2" });
  });

  it("puts the profile label on the pods, the volumes and every operator-created object", () => {
    for (const input of [devInput(), stagingInput(), prodInput()]) {
      const spec = buildFdbClusterSpec(input);
      const general = spec.processes.general;
      for (const labels of [spec.labels.resourceLabels, general.podTemplate.metadata.labels, general.volumeClaimTemplate.metadata.labels]) {
        expect(labels[PROFILE_LABEL]).toBe(input.profile);
        // resourceLabels replaces the operator default, so the cluster-name label must stay.
        expect(labels["foundationdb.org/fdb-cluster-name"]).toBe(input.clusterName);
      }
    }
  });

  it("schedules on the meta role's nodes with its tolerations", () => {
    const pod = buildFdbClusterSpec(prodInput()).processes.general.podTemplate.spec;
    expect(pod.nodeSelector).toEqual({ "threefs.io/meta": "true" });
    expect(pod.tolerations).toEqual([{ key: "threefs.io/meta", operator: "Equal", value: "true", effect: "NoSchedule" }]);
    expect(buildFdbClusterSpec(devInput()).processes.general.podTemplate.spec.tolerations).toEqual([]);
  });

  it("sizes the volumes from storageGiB on the given StorageClass", () => {
    const vct = buildFdbClusterSpec(prodInput()).processes.general.volumeClaimTemplate.spec;
    expect(vct).toEqual({ storageClassName: "threefs-fdb", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "256Gi" } } });
  });

  it("uses the unified image from the configured registry", () => {
    const spec = buildFdbClusterSpec(prodInput());
    expect(spec.imageType).toBe("unified");
    expect(spec.mainContainer.imageConfigs).toEqual([{ baseImage: "registry-vpc.cn-beijing.aliyuncs.com/mirror/fdb-kubernetes-monitor" }]);
  });

  it("never asks for public addresses", () => {
    expect(buildFdbClusterSpec(prodInput()).routing).toEqual({ publicIPSource: "pod", headlessService: false });
  });

  it("names the cluster-file ConfigMap like the operator does", () => {
    expect(clusterFileConfigMapName("threefs-fdb")).toBe("threefs-fdb-config");
  });
});

describe("fault domains", () => {
  it.each([
    // zones, redundancy, mode
    [1, "double", "host"],
    [2, "double", "host"], // 3 coordinators cannot fit in 2 zones
    [3, "double", "zone"],
    [3, "triple", "host"], // 5 coordinators cannot fit in 3 zones
    [5, "triple", "zone"],
    [1, "single", "host"],
  ] as const)("%i zone(s), %s → %s", (zones, redundancy, mode) => {
    expect(faultDomainMode(zones, redundancy)).toBe(mode);
  });

  it("one zone: node fault domain from spec.nodeName, no zone spreading", () => {
    const spec = buildFdbClusterSpec(devInput());
    expect(spec.faultDomain).toEqual({ key: "kubernetes.io/hostname", valueFrom: "spec.nodeName" });
    expect(spec.processes.general.podTemplate.spec.topologySpreadConstraints).toBeUndefined();
  });

  it("too few zones for zone fault domains: node fault domain, each class spread softly over zones", () => {
    const pod = buildFdbClusterSpec(prodInput()).processes.general.podTemplate.spec;
    expect(buildFdbClusterSpec(prodInput()).faultDomain.key).toBe("kubernetes.io/hostname");
    expect(pod.topologySpreadConstraints).toEqual([
      expect.objectContaining({ topologyKey: ZONE_KEY, whenUnsatisfiable: "ScheduleAnyway", matchLabelKeys: ["foundationdb.org/fdb-process-class"] }),
    ]);
  });

  it("enough zones: zone fault domain from the node label, node watching on, node RBAC needed", () => {
    const input = { ...prodInput(), zones: 5 };
    const spec = buildFdbClusterSpec(input);
    expect(spec.faultDomain).toEqual({ key: ZONE_KEY, valueFrom: "$NODE_LABEL_TOPOLOGY_KUBERNETES_IO_ZONE" });
    expect(spec.processes.general.podTemplate.spec.containers[0].env).toEqual([{ name: "ENABLE_NODE_WATCH", value: "true" }]);
    expect(fdbPodsReadNodes(input)).toBe(true);
    expect(fdbPodsReadNodes(prodInput())).toBe(false);
  });
});

describe("process counts", () => {
  it.each([
    ["single", "dev", { storage: 1, log: 3, stateless: -1, clusterController: 1 }],
    ["double", "dev", { storage: 3, log: 4, stateless: -1, clusterController: 1 }],
    ["double", "staging", { storage: 3, log: 4, stateless: 9 }],
    ["double", "prod", { storage: 3, log: 4, stateless: 9 }],
    ["triple", "prod", { storage: 5, log: 5, stateless: 10 }],
  ] as const)("%s/%s", (redundancy, profile, expected) => {
    expect(fdbProcessCounts(redundancy, profile)).toEqual(expected);
  });

  it("coordinators: 1 / 3 / 5", () => {
    expect([coordinatorCount("single"), coordinatorCount("double"), coordinatorCount("triple")]).toEqual([1, 3, 5]);
  });

  it("spells the CRD's snake_case cluster_controller only when set", () => {
    expect(buildFdbClusterSpec(devInput()).processCounts).toEqual({ storage: 3, log: 4, stateless: -1, cluster_controller: 1 });
    expect(buildFdbClusterSpec(prodInput()).processCounts).toEqual({ storage: 5, log: 5, stateless: 10 });
  });
});
