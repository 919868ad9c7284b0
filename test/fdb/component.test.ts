/**
 * Mock-runtime tests of the FoundationDb component: which resources it registers, with which provider,
 * options and dependencies, and its outputs. Nothing is fetched: the CRD ConfigFiles are remote
 * components whose children the Kubernetes provider would create, so the mocks only see the ConfigFiles.
 */
import * as pulumi from "@pulumi/pulumi";
import type { FoundationDbArgs } from "../../components/foundationDb";
import { devInput, prodInput } from "./inputs";

interface Registered { type: string; name: string; inputs: any; provider: string; custom: boolean }
const registered: Registered[] = [];

pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registered.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider ?? "", custom: args.custom ?? false });
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => {
      throw new Error("unexpected invoke " + args.token);
    },
  },
  "threefs",
  "dev",
  false,
);

interface Captured { type: string; name: string; opts: pulumi.ResourceOptions; resource: pulumi.Resource }
interface Deployed { outputs: Record<string, unknown>; captured: Captured[]; names: Map<pulumi.Resource, string> }

const CR_TYPE = "kubernetes:apps.foundationdb.org/v1beta2:FoundationDBCluster";
const resolve = <T>(o: pulumi.Output<T>) => new Promise<T>((r) => o.apply(r));

function argsFor(profile: "dev" | "prod"): FoundationDbArgs {
  const { clusterName: _n, serviceAccountName: _s, labels: _l, ...spec } = profile === "dev" ? devInput() : { ...prodInput(), zones: 5 };
  return {
    namespace: "threefs",
    operatorNamespace: `${profile}-fdb-operator`,
    clusterName: "threefs-fdb",
    spec,
    operatorImage: "foundationdb/fdb-kubernetes-operator:v2.33.0",
    crdBaseUrl: "https://raw.githubusercontent.com/FoundationDB/fdb-kubernetes-operator/v2.33.0/",
    installCrds: profile === "dev",
    protect: profile === "prod",
  };
}

/** Builds one component inside a root stack (stack transformations need one) and waits for every registration. */
async function deploy(name: string, args: FoundationDbArgs, providerOpt: "provider" | "providers"): Promise<Deployed> {
  const captured: Captured[] = [];
  let outputs: Record<string, unknown> = {};
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((a) => {
      captured.push({ type: a.type, name: a.name, opts: a.opts, resource: a.resource });
      return undefined;
    });
    const k8s = await import("@pulumi/kubernetes");
    const { FoundationDb } = await import("../../components/foundationDb");
    const provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: "{}" });
    const fdb = new FoundationDb(name, args, providerOpt === "provider" ? { provider } : { providers: [provider] });
    outputs = {
      namespace: await resolve(fdb.namespace),
      clusterName: await resolve(fdb.clusterName),
      clusterFileConfigMap: await resolve(fdb.clusterFileConfigMap),
    };
    await Promise.all(captured.map((c) => resolve(c.resource.urn)));
    return {};
  });
  return { outputs, captured, names: new Map(captured.map((c) => [c.resource, c.name])) };
}

const ofComponent = (prefix: string) => registered.filter((r) => r.name.startsWith(`${prefix}-`) && !r.name.endsWith("-k8s"));

describe("FoundationDb (dev: installs CRDs, not protected, provider via `provider`)", () => {
  let d: Deployed;
  beforeAll(async () => {
    d = await deploy("fdbdev", argsFor("dev"), "provider");
  });

  it("registers the expected resources, named <name>-<role>", () => {
    const got = ofComponent("fdbdev").map((r) => `${r.type} ${r.name}`).sort();
    expect(got).toEqual(
      [
        "kubernetes:yaml/v2:ConfigFile fdbdev-crd-clusters",
        "kubernetes:yaml/v2:ConfigFile fdbdev-crd-backups",
        "kubernetes:yaml/v2:ConfigFile fdbdev-crd-restores",
        "kubernetes:core/v1:Namespace fdbdev-operator-ns",
        "kubernetes:core/v1:ServiceAccount fdbdev-operator-sa",
        "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole fdbdev-operator-node-reader",
        "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding fdbdev-operator-node-reader-binding",
        "kubernetes:rbac.authorization.k8s.io/v1:Role fdbdev-operator-leader-election",
        "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding fdbdev-operator-leader-election-binding",
        "kubernetes:rbac.authorization.k8s.io/v1:Role fdbdev-operator-manager",
        "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding fdbdev-operator-manager-binding",
        "kubernetes:apps/v1:Deployment fdbdev-operator",
        "kubernetes:core/v1:ServiceAccount fdbdev-pod-sa",
        "kubernetes:rbac.authorization.k8s.io/v1:Role fdbdev-pod",
        "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding fdbdev-pod-binding",
        `${CR_TYPE} fdbdev-cluster`,
      ].sort(),
    );
    expect(registered.find((r) => r.name === "fdbdev")?.type).toBe("threefs:index:FoundationDb");
  });

  it("applies the three CRDs from the pinned tag (URL only; nothing fetched under mocks), retained on delete", () => {
    const files = ofComponent("fdbdev").filter((r) => r.type === "kubernetes:yaml/v2:ConfigFile");
    expect(files.map((f) => f.inputs.file).sort()).toEqual(
      ["backups", "clusters", "restores"].map(
        (k) => `https://raw.githubusercontent.com/FoundationDB/fdb-kubernetes-operator/v2.33.0/config/crd/bases/apps.foundationdb.org_foundationdb${k}.yaml`,
      ),
    );
    for (const c of d.captured.filter((c) => c.type === "kubernetes:yaml/v2:ConfigFile")) expect(c.opts.retainOnDelete).toBe(true);
  });

  it("passes the Kubernetes provider to every child through `parent` (also the remote ConfigFiles)", () => {
    for (const r of ofComponent("fdbdev").filter((r) => r.type.startsWith("kubernetes:"))) {
      expect(r.provider).toMatch(/pulumi:providers:kubernetes::fdbdev-k8s::fdbdev-k8s-id$/);
    }
  });

  it("makes the cluster depend on the CRDs, the operator Deployment and the pod RBAC", () => {
    const cluster = d.captured.find((c) => c.type === CR_TYPE);
    const deps = (cluster?.opts.dependsOn as pulumi.Resource[]).map((r) => d.names.get(r));
    expect(deps).toEqual(
      expect.arrayContaining(["fdbdev-crd-clusters", "fdbdev-crd-backups", "fdbdev-crd-restores", "fdbdev-operator", "fdbdev-pod-binding"]),
    );
    expect(cluster?.opts.protect).toBe(false);
    expect(cluster?.opts.retainOnDelete).toBe(false);
  });

  it("starts the operator only after its CRDs exist", () => {
    const operator = d.captured.find((c) => c.type === "kubernetes:apps/v1:Deployment" && c.name === "fdbdev-operator");
    const deps = (operator?.opts.dependsOn as pulumi.Resource[]).map((r) => d.names.get(r));
    expect(deps).toEqual(expect.arrayContaining(["fdbdev-crd-clusters", "fdbdev-crd-backups", "fdbdev-crd-restores"]));
  });

  it("runs the operator in its own namespace, watching the app namespace", () => {
    const dep = registered.find((r) => r.name === "fdbdev-operator")!;
    expect(dep.inputs.metadata.namespace).toBe("dev-fdb-operator");
    expect(dep.inputs.spec.template.spec.containers[0].env).toEqual([{ name: "WATCH_NAMESPACE", value: "threefs" }]);
    expect(dep.inputs.spec.template.spec.serviceAccountName).toBe("fdb-operator");
    const mgr = registered.find((r) => r.name === "fdbdev-operator-manager-binding")!;
    expect(mgr.inputs.metadata.namespace).toBe("threefs");
    expect(mgr.inputs.subjects).toEqual([{ kind: "ServiceAccount", name: "fdb-operator", namespace: "dev-fdb-operator" }]);
  });

  it("creates the FoundationDBCluster in the app namespace with the built spec and the pod ServiceAccount", () => {
    const cr = registered.find((r) => r.type === CR_TYPE && r.name === "fdbdev-cluster")!;
    expect(cr.inputs.apiVersion).toBe("apps.foundationdb.org/v1beta2");
    expect(cr.inputs.metadata).toMatchObject({ name: "threefs-fdb", namespace: "threefs", labels: { "threefs.io/profile": "dev" } });
    expect(cr.inputs.spec.processes.general.podTemplate.spec.serviceAccountName).toBe("threefs-fdb-pods");
    expect(cr.inputs.spec.databaseConfiguration.redundancy_mode).toBe("double");
  });

  it("labels every Kubernetes object with the profile", () => {
    for (const r of ofComponent("fdbdev").filter((r) => r.inputs.metadata)) expect(r.inputs.metadata.labels?.["threefs.io/profile"]).toBe("dev");
  });

  it("exports namespace, cluster name and the cluster-file ConfigMap derived from the applied name", () => {
    expect(d.outputs).toEqual({ namespace: "threefs", clusterName: "threefs-fdb", clusterFileConfigMap: "threefs-fdb-config" });
  });
});

describe("FoundationDb (prod: no CRDs, protected, 5 zones, provider via `providers`)", () => {
  let d: Deployed;
  beforeAll(async () => {
    d = await deploy("fdbprod", argsFor("prod"), "providers");
  });

  it("protects and retains the FoundationDBCluster", () => {
    const cluster = d.captured.find((c) => c.type === CR_TYPE);
    expect(cluster?.opts.protect).toBe(true);
    expect(cluster?.opts.retainOnDelete).toBe(true);
  });

  it("skips the CRDs when installCrds is false; the cluster still waits for the operator", () => {
    expect(ofComponent("fdbprod").some((r) => r.type === "kubernetes:yaml/v2:ConfigFile")).toBe(false);
    const deps = (d.captured.find((c) => c.type === CR_TYPE)?.opts.dependsOn as pulumi.Resource[]).map((r) => d.names.get(r));
    expect(deps).toContain("fdbprod-operator");
  });

  it("grants the FDB pods node reads for the zone fault domain", () => {
    const crb = registered.find((r) => r.name === "fdbprod-pod-node-reader-binding")!;
    expect(crb.type).toBe("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding");
    expect(crb.inputs.subjects).toEqual([{ kind: "ServiceAccount", name: "threefs-fdb-pods", namespace: "threefs" }]);
    const cr = registered.find((r) => r.type === CR_TYPE && r.name === "fdbprod-cluster")!;
    expect(cr.inputs.spec.faultDomain.key).toBe("topology.kubernetes.io/zone");
  });

  it("also inherits the provider when it is passed as `providers`", () => {
    for (const r of ofComponent("fdbprod").filter((r) => r.type.startsWith("kubernetes:"))) {
      expect(r.provider).toMatch(/::fdbprod-k8s::fdbprod-k8s-id$/);
    }
  });

  it("keeps cluster-scoped names unique per stack", () => {
    const names = ofComponent("fdbprod").filter((r) => /:Cluster(Role|RoleBinding)$/.test(r.type)).map((r) => r.inputs.metadata.name);
    for (const n of names) expect(n.startsWith("prod-fdb-operator-")).toBe(true);
  });
});
