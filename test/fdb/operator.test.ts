import { schedulingFor } from "../../lib/roles";
import {
  type OperatorDeploymentInput,
  bindingFor,
  fdbPodRole,
  nodeReaderClusterRole,
  operatorDeploymentSpec,
  operatorLeaderElectionRole,
  operatorManagerRole,
} from "../../lib/fdb/operator";

const input = (over: Partial<OperatorDeploymentInput> = {}): OperatorDeploymentInput => ({
  serviceAccountName: "fdb-operator",
  watchNamespace: "threefs",
  image: "foundationdb/fdb-kubernetes-operator:v2.33.0",
  imageRegistry: "foundationdb",
  clientVersions: ["7.1.61"],
  scheduling: schedulingFor("meta", "separate"),
  selectorLabels: { "app.kubernetes.io/name": "fdb-kubernetes-operator", "app.kubernetes.io/instance": "dev-fdb-operator" },
  labels: { "threefs.io/profile": "dev" },
  ...over,
});

describe("operatorDeploymentSpec", () => {
  const spec = operatorDeploymentSpec(input());
  const pod = spec.template.spec;

  it("watches only the cluster's namespace", () => {
    expect(pod.containers[0].env).toEqual([{ name: "WATCH_NAMESPACE", value: "threefs" }]);
  });

  it("copies the 7.1 client library and CLI binaries with the monitor image of the cluster version", () => {
    expect(pod.initContainers).toHaveLength(1);
    const init = pod.initContainers[0];
    expect(init.name).toBe("foundationdb-kubernetes-init-7-1");
    expect(init.image).toBe("foundationdb/fdb-kubernetes-monitor:7.1.61");
    expect(init.args).toEqual([
      "--copy-library", "7.1",
      "--copy-binary", "fdbcli",
      "--copy-binary", "fdbbackup",
      "--copy-binary", "fdbrestore",
      "--output-dir", "/var/output-files",
      "--mode", "init",
    ]);
    expect(init.volumeMounts).toEqual([{ name: "fdb-binaries", mountPath: "/var/output-files" }]);
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: "fdb-binaries", mountPath: "/usr/bin/fdb" });
  });

  it("adds one init container per minor, newest patch, sorted", () => {
    const names = operatorDeploymentSpec(input({ clientVersions: ["7.3.69", "7.1.61", "7.1.67"], imageRegistry: "mirror.example/fdb" }))
      .template.spec.initContainers.map((c) => c.image);
    expect(names).toEqual(["mirror.example/fdb/fdb-kubernetes-monitor:7.1.67", "mirror.example/fdb/fdb-kubernetes-monitor:7.3.69"]);
  });

  it("runs non-root with a read-only root filesystem and no privileges", () => {
    expect(pod.securityContext).toEqual({ runAsUser: 4059, runAsGroup: 4059, fsGroup: 4059, runAsNonRoot: true });
    for (const c of [...pod.initContainers, ...pod.containers]) {
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true });
    }
    expect(pod.volumes.map((v) => v.name)).toEqual(["tmp", "logs", "fdb-binaries"]);
  });

  it("sets resources, image and scheduling", () => {
    expect(pod.containers[0].image).toBe("foundationdb/fdb-kubernetes-operator:v2.33.0");
    expect(pod.containers[0].resources).toEqual({ requests: { cpu: "500m", memory: "256Mi" }, limits: { cpu: "500m", memory: "256Mi" } });
    expect(pod.nodeSelector).toEqual({ "threefs.io/meta": "true" });
    expect(pod.tolerations).toHaveLength(1);
  });

  it("selects its pods by stable labels that the template carries", () => {
    expect(spec.template.metadata.labels).toMatchObject(spec.selector.matchLabels);
    expect(spec.template.metadata.labels["threefs.io/profile"]).toBe("dev");
  });
});

describe("RBAC", () => {
  const meta = { name: "x", namespace: "threefs", labels: {} };

  it("operator: the sample's manager permissions, as a namespaced Role", () => {
    const role = operatorManagerRole(meta);
    expect(role.rules.flatMap((r) => r.resources)).toEqual(
      expect.arrayContaining(["pods", "configmaps", "persistentvolumeclaims", "services", "events", "deployments", "foundationdbclusters", "foundationdbclusters/status"]),
    );
    expect(role.rules.flatMap((r) => r.resources)).not.toContain("nodes");
  });

  it("operator: leases for leader election in its own namespace", () => {
    expect(operatorLeaderElectionRole(meta).rules[0]).toMatchObject({ apiGroups: ["coordination.k8s.io"], resources: ["leases"] });
  });

  it("nodes are read-only", () => {
    expect(nodeReaderClusterRole({ name: "n", labels: {} }).rules).toEqual([{ apiGroups: [""], resources: ["nodes"], verbs: ["get", "list", "watch"] }]);
  });

  it("FDB pods may read and annotate pods only", () => {
    expect(fdbPodRole(meta).rules).toEqual([{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch", "update", "patch"] }]);
  });

  it("binds a role to a ServiceAccount", () => {
    const role = fdbPodRole(meta);
    expect(bindingFor(meta, role, "Role", { name: "sa", namespace: "threefs" })).toEqual({
      metadata: meta,
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "x" },
      subjects: [{ kind: "ServiceAccount", name: "sa", namespace: "threefs" }],
    });
  });
});
