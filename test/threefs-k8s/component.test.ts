/**
 * Mock-runtime tests of the ThreeFs component: the resources it registers (names, provider, options,
 * dependencies), the secrecy of the token, the bootstrap Job's hash-bearing name, and the outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ThreeFsArgs } from "../../components/threeFs";
import { decodeToken } from "../../lib/threefs/token";
import { devArgs, prodArgs, ringPairs } from "./fixtures";

interface Registered { type: string; name: string; inputs: any; provider: string }
const registered: Registered[] = [];

pulumi.runtime.setMocks(
  {
    newResource: (a) => {
      registered.push({ type: a.type, name: a.name, inputs: a.inputs, provider: a.provider ?? "" });
      const state: Record<string, unknown> = { ...a.inputs };
      if (a.type === "random:index/randomBytes:RandomBytes") state.base64 = Buffer.from("3fs-tok!").toString("base64");
      return { id: `${a.name}-id`, state };
    },
    call: (a) => {
      throw new Error("unexpected invoke " + a.token);
    },
  },
  "threefs",
  "dev",
  false,
);

interface Captured { type: string; name: string; props: any; opts: pulumi.ResourceOptions; resource: pulumi.Resource }
interface Deployed { captured: Captured[]; outputs: Record<string, unknown>; tokenSecret: boolean; stringDataSecret: boolean }

const resolve = <T>(o: pulumi.Output<T>) => new Promise<T>((r) => o.apply(r));

/** ThreeFsArgs from a builder fixture, with Inputs where the component takes them. */
function argsFor(profile: "dev" | "prod", overrides: Partial<ThreeFsArgs> = {}): ThreeFsArgs {
  const { namespace, storage, fdbClusterFileConfigMap, ...rest } = profile === "dev" ? devArgs() : prodArgs();
  return {
    ...rest,
    namespace: pulumi.output(namespace), // as from a Namespace resource
    storage: { ...storage, storageClassName: pulumi.output(storage.storageClassName) },
    fdbClusterFileConfigMap,
    kubernetesVersion: "1.35.2-aliyun.1",
    ...overrides,
  };
}

async function deploy(name: string, args: ThreeFsArgs): Promise<Deployed> {
  const captured: Captured[] = [];
  let result: Omit<Deployed, "captured"> = { outputs: {}, tokenSecret: false, stringDataSecret: false };
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((a) => {
      captured.push({ type: a.type, name: a.name, props: a.props, opts: a.opts, resource: a.resource });
      return undefined;
    });
    const k8s = await import("@pulumi/kubernetes");
    const { ThreeFs } = await import("../../components/threeFs");
    const provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: "{}" });
    const fs = new ThreeFs(name, args, { providers: [provider] });
    const keys = ["namespace", "clusterId", "mgmtdAddress", "mountPath", "clientNodeSelector", "clientTolerations", "token", "tokenSecretName", "storageClassName", "bootstrapJobName"] as const;
    const outputs: Record<string, unknown> = {};
    for (const k of keys) outputs[k] = await resolve(fs[k] as pulumi.Output<unknown>);
    const secret = captured.find((c) => c.type === "kubernetes:core/v1:Secret")!;
    result = { outputs, tokenSecret: await pulumi.isSecret(fs.token), stringDataSecret: await pulumi.isSecret(pulumi.output(secret.props.stringData.token)) };
    await Promise.all(captured.map((c) => resolve(c.resource.urn)));
    return {};
  });
  return { captured, ...result };
}

const byName = (d: Deployed, name: string) => d.captured.find((c) => c.name === name)!;
const jobName = (d: Deployed) => d.outputs.bootstrapJobName as string;

describe("ThreeFs (dev)", () => {
  let d: Deployed;
  beforeAll(async () => {
    d = await deploy("tfdev", argsFor("dev"));
  });

  test("registers every child as <name>-<role> under the component type", () => {
    const got = d.captured.filter((c) => c.name.startsWith("tfdev-") && c.name !== "tfdev-k8s").map((c) => `${c.type} ${c.name}`).sort();
    expect(got).toEqual(
      [
        "random:index/randomBytes:RandomBytes tfdev-token",
        "kubernetes:core/v1:Secret tfdev-token",
        ...["mgmtd", "meta", "storage", "fuse", "admin-cli"].map((c) => `kubernetes:core/v1:ConfigMap tfdev-${c}-config`),
        "kubernetes:core/v1:ConfigMap tfdev-bootstrap",
        ...["mgmtd", "meta", "storage"].flatMap((s) => [
          `kubernetes:core/v1:Service tfdev-${s}`,
          `kubernetes:apps/v1:StatefulSet tfdev-${s}`,
          `kubernetes:policy/v1:PodDisruptionBudget tfdev-${s}`,
        ]),
        "kubernetes:apps/v1:Deployment tfdev-admin-cli",
        "kubernetes:batch/v1:Job tfdev-bootstrap",
        "kubernetes:apps/v1:DaemonSet tfdev-fuse",
        "kubernetes:core/v1:ServiceAccount tfdev-check",
        "kubernetes:rbac.authorization.k8s.io/v1:Role tfdev-check",
        "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding tfdev-check",
        "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole tfdev-check-nodes",
        "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding tfdev-check-nodes",
        "kubernetes:core/v1:ConfigMap tfdev-check",
        "kubernetes:batch/v1:Job tfdev-check",
        "kubernetes:batch/v1:CronJob tfdev-check-on-demand",
      ].sort(),
    );
    expect(byName(d, "tfdev").type).toBe("threefs:index:ThreeFs");
    for (const c of d.captured.filter((c) => c.name.startsWith("tfdev-") && c.name !== "tfdev-k8s")) expect(c.opts.parent).toBe(byName(d, "tfdev").resource);
  });

  test("every Kubernetes child uses the caller's provider", () => {
    const k8sChildren = registered.filter((r) => r.name.startsWith("tfdev-") && r.type.startsWith("kubernetes:"));
    expect(k8sChildren.length).toBeGreaterThan(10);
    for (const r of k8sChildren) expect(r.provider).toMatch(/::tfdev-k8s::tfdev-k8s-id$/);
  });

  test("the token is a secret output and a secret input of the Secret, and decodes to uid 0", () => {
    expect(d.tokenSecret).toBe(true);
    expect(d.stringDataSecret).toBe(true);
    const decoded = decodeToken(d.outputs.token as string);
    expect(decoded).toMatchObject({ uid: 0 });
    const secretOpts = d.captured.find((c) => c.type === "kubernetes:core/v1:Secret")!.opts as pulumi.CustomResourceOptions;
    expect(secretOpts.additionalSecretOutputs).toEqual(expect.arrayContaining(["data", "stringData"]));
    const secret = registered.find((r) => r.type === "kubernetes:core/v1:Secret" && r.name === "tfdev-token")!;
    // What the engine receives: stringData wrapped in Pulumi's secret signature (encrypted in state).
    expect(secret.inputs.stringData).toEqual({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: { token: d.outputs.token } });
  });

  test("the bootstrap Job waits for mgmtd, storage, the token and both ConfigMaps; FUSE and the check wait for it", () => {
    const label = (r: pulumi.Resource) => {
      const c = d.captured.find((x) => x.resource === r);
      return c ? `${c.type.split(":").pop()} ${c.name}` : "?";
    };
    const deps = (type: string, n: string) =>
      ((d.captured.find((c) => c.type === type && c.name === n)!.opts.dependsOn ?? []) as pulumi.Resource[]).map(label);
    const bootstrapDeps = deps("kubernetes:batch/v1:Job", "tfdev-bootstrap");
    expect(bootstrapDeps).toEqual(
      expect.arrayContaining(["StatefulSet tfdev-mgmtd", "StatefulSet tfdev-storage", "Secret tfdev-token", "ConfigMap tfdev-admin-cli-config", "ConfigMap tfdev-bootstrap"]),
    );
    expect(bootstrapDeps).not.toContain("StatefulSet tfdev-meta");
    expect(bootstrapDeps.filter((x) => x.endsWith("-config"))).toEqual(["ConfigMap tfdev-admin-cli-config"]);
    expect(deps("kubernetes:apps/v1:DaemonSet", "tfdev-fuse")).toEqual(expect.arrayContaining(["Job tfdev-bootstrap", "ConfigMap tfdev-fuse-config"]));
    expect(deps("kubernetes:batch/v1:Job", "tfdev-check")).toEqual(
      expect.arrayContaining(["Job tfdev-bootstrap", "DaemonSet tfdev-fuse", "ConfigMap tfdev-check", "RoleBinding tfdev-check", "ClusterRoleBinding tfdev-check-nodes"]),
    );
    for (const s of ["mgmtd", "meta", "storage"]) {
      expect(deps("kubernetes:apps/v1:StatefulSet", `tfdev-${s}`).filter((x) => x.endsWith("-config"))).toEqual([`ConfigMap tfdev-${s}-config`]);
    }
    expect(deps("kubernetes:apps/v1:Deployment", "tfdev-admin-cli")).toContain("ConfigMap tfdev-admin-cli-config");
  });

  test("awaited Jobs get Pulumi timeouts longer than their activeDeadlineSeconds", () => {
    const minutes = (t: string | undefined) => Number(/^(\d+)m$/.exec(t ?? "")?.[1]);
    for (const n of ["tfdev-bootstrap", "tfdev-check"]) {
      const c = d.captured.find((x) => x.type === "kubernetes:batch/v1:Job" && x.name === n)!;
      const job = registered.find((r) => r.type === "kubernetes:batch/v1:Job" && r.name === n)!;
      const deadline = job.inputs.spec.activeDeadlineSeconds as number;
      const t = c.opts.customTimeouts!;
      expect(minutes(t.create) * 60).toBeGreaterThan(deadline);
      expect(minutes(t.update)).toBe(minutes(t.create));
    }
  });

  test("the bootstrap Job's Kubernetes name carries the bootstrap hash, like its ConfigMap", () => {
    const job = registered.find((r) => r.type === "kubernetes:batch/v1:Job" && r.name === "tfdev-bootstrap")!;
    const cm = registered.find((r) => r.type === "kubernetes:core/v1:ConfigMap" && r.name === "tfdev-bootstrap")!;
    expect(job.inputs.metadata.name).toMatch(/^threefs-dev-bootstrap-[0-9a-f]{8}$/);
    expect(cm.inputs.metadata.name).toBe(job.inputs.metadata.name);
    expect(jobName(d)).toBe(job.inputs.metadata.name);
  });

  test("outputs for other stacks", () => {
    expect(d.outputs).toMatchObject({
      namespace: "threefs",
      clusterId: "threefs-dev",
      mgmtdAddress: "RDMA://threefs-dev-mgmtd.threefs.svc.cluster.local:8000",
      mountPath: "/mnt/3fs",
      clientNodeSelector: { "threefs.io/client": "true" },
      clientTolerations: [],
      tokenSecretName: "threefs-dev-token",
      storageClassName: "threefs-dev-eed",
    });
  });

  test("nothing is protected in dev", () => {
    for (const c of d.captured) expect(c.opts.protect ?? false).toBe(false);
  });

  test("replaced config ConfigMaps stay in the cluster (OnDelete pods still mount them), and only they", () => {
    const retained = d.captured.filter((c) => c.opts.retainOnDelete).map((c) => c.name).sort();
    expect(retained).toEqual(["tfdev-admin-cli-config", "tfdev-fuse-config", "tfdev-meta-config", "tfdev-mgmtd-config", "tfdev-storage-config"]);
  });
});

describe("ThreeFs (prod) and changes", () => {
  test("prod protects the token bytes and the storage StatefulSet only, tolerates client taints, runs fio", async () => {
    const d = await deploy("tfprod", argsFor("prod"));
    const protectedNames = d.captured.filter((c) => c.opts.protect).map((c) => `${c.type} ${c.name}`).sort();
    expect(protectedNames).toEqual(["kubernetes:apps/v1:StatefulSet tfprod-storage", "random:index/randomBytes:RandomBytes tfprod-token"]);
    expect(d.outputs.clientTolerations).toEqual([{ key: "threefs.io/client", operator: "Equal", value: "true", effect: "NoSchedule" }]);
    expect(byName(d, "tfprod-fio").type).toBe("kubernetes:batch/v1:Job");
  });

  test("the bootstrap Job name changes when the groups change", async () => {
    const a = await deploy("tfa", argsFor("dev"));
    const b = await deploy("tfb", argsFor("dev", { chains: { ...devArgs().chains, groups: ringPairs(3, 16).reverse() } }));
    const c = await deploy("tfc", argsFor("dev", { smokeTest: { enabled: false, fio: false }, check: { ...devArgs().check, writeMiB: 0 } }));
    expect(jobName(b)).not.toBe(jobName(a));
    expect(jobName(c)).toBe(jobName(a));
    expect(c.captured.some((x) => x.name === "tfc-check")).toBe(true);
  });

  test.each([
    ["an old Kubernetes", { kubernetesVersion: "1.31.4-aliyun.1" }],
    ["a moving image tag", { images: { registry: "ghcr.io/x", tag: "dev" } }],
    ["too many chain replicas", { chains: { ...devArgs().chains, replicas: 4 } }],
  ])("rejects %s before registering anything", async (_what, overrides) => {
    const { ThreeFs } = await import("../../components/threeFs");
    const before = registered.length;
    expect(() => new ThreeFs("tfbad", argsFor("dev", overrides as Partial<ThreeFsArgs>))).toThrow();
    expect(registered.length).toBe(before);
  });
});
