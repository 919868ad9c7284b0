/**
 * Tenants: the config rules, the Role (namespace-scoped, nothing that escalates), the kubeconfig, and the
 * admission policy's CEL evaluated (@bufbuild/cel, standard CEL as Kubernetes runs it) against pods the
 * mount helper makes — which must pass — and against pods that would escape the tenant — which must not.
 */
import { run } from "@bufbuild/cel";
import { parse } from "yaml";
import { mountThreeFs, type PodSpecLike } from "../../consumer/mount";
import { fakeKubeconfig } from "../../lib/plan/mocks";
import { TENANT_ROLE_RULES, tenantAdmission, tenantKubeconfig, tenantValidations } from "../../lib/tenants/access";
import { parentDirectories, resolveTenant, tenantProblems, type TenantConfig } from "../../lib/tenants/spec";
import { loadConfig } from "../../stacks/config";

const NS = ["threefs-dev", "threefs-dev-fdb-operator"];
const vision = resolveTenant({ name: "vision", uid: 1001 });
const HOST_PATHS = ["/mnt/3fs", "/dev/shm/3fs-threefs-dev"];
const client = { mountPath: "/mnt/3fs", nodes: 3, nodeSelector: { "threefs.io/client": "true" }, tolerations: [], usrbioShmHostPath: HOST_PATHS[1] };

describe("tenant config", () => {
  test("defaults: namespace = name, gid = uid, /tenants/<name>, 0700", () => {
    expect(vision).toEqual({ name: "vision", namespace: "vision", uid: 1001, gid: 1001, directory: "/tenants/vision", mode: "0700" });
    expect(resolveTenant({ name: "a", uid: 5, directory: "/x//y/", mode: "750" })).toMatchObject({ directory: "/x/y", mode: "0750" });
    expect(parentDirectories("/a/b/c")).toEqual(["/a", "/a/b"]);
  });

  test.each<[string, TenantConfig[], string]>([
    ["a duplicate name", [{ name: "a", uid: 1 }, { name: "a", namespace: "b", uid: 2 }], "threefs:tenants[1].name: a is already used by threefs:tenants[0]"],
    ["a duplicate uid", [{ name: "a", uid: 1 }, { name: "b", uid: 1 }], "threefs:tenants[1].uid: 1 is already used"],
    ["the stack's namespace", [{ name: "a", namespace: "threefs-dev", uid: 1 }], "threefs:tenants[0].namespace: threefs-dev is a system namespace or one of this stack's own"],
    ["kube-system", [{ name: "a", namespace: "kube-system", uid: 1 }], "is a system namespace"],
    ["the root directory", [{ name: "a", uid: 1, directory: "/" }], "threefs:tenants[0].directory: / must be a directory below the root"],
    ["the FUSE virtual directory", [{ name: "a", uid: 1, directory: "/3fs-virt/x" }], "must not be under /3fs-virt"],
    ["..", [{ name: "a", uid: 1, directory: "/a/../b" }], "must not contain . or .."],
    ["nested directories", [{ name: "a", uid: 1, directory: "/t" }, { name: "b", uid: 2, directory: "/t/b" }], "threefs:tenants[1].directory: /t/b overlaps /t of threefs:tenants[0]"],
  ])("refuses %s", (_name, entries, message) => {
    expect(tenantProblems(entries, NS).join("\n")).toContain(message);
  });

  test("the stack config refuses uid 0 and a quota by key, before any resource", () => {
    const values = { "alicloud:region": "cn-beijing", "threefs:profile": "dev", "threefs:zones": '["cn-beijing-i"]' };
    expect(() => loadConfig({ stack: "dev", values: { ...values, "threefs:tenants": '[{"name":"a","uid":0}]' } })).toThrow("threefs:tenants[0].uid: must be ≥ 1");
    expect(() => loadConfig({ stack: "dev", values: { ...values, "threefs:tenants": '[{"name":"a","uid":5,"quota":"1Ti"}]' } })).toThrow("threefs:tenants[0].quota: unknown key");
    expect(loadConfig({ stack: "dev", values: { ...values, "threefs:tenants": '[{"name":"a","uid":5}]' } }).tenants).toEqual([{ name: "a", uid: 5 }]);
  });
});

describe("tenant access", () => {
  test("the Role is namespace-scoped and grants nothing that escalates", () => {
    for (const r of TENANT_ROLE_RULES) {
      expect(r.apiGroups).not.toContain("rbac.authorization.k8s.io");
      expect(r.apiGroups).not.toContain("admissionregistration.k8s.io");
      expect([...r.resources, ...r.verbs]).not.toContain("*");
      expect(r.resources).not.toEqual(expect.arrayContaining(["namespaces", "nodes", "serviceaccounts", "pods/ephemeralcontainers", "resourcequotas"]));
      expect(r.verbs).not.toEqual(expect.arrayContaining(["escalate", "bind", "impersonate"]));
    }
  });

  test("the kubeconfig keeps the cluster's server and CA, and nothing of the admin's credentials", () => {
    const admin = fakeKubeconfig("c1").replace("server:", 'certificate-authority-data: "Q0E=", server:');
    const cfg = parse(tenantKubeconfig(admin, vision, "sa-token"));
    expect(cfg.clusters).toEqual([{ name: "c1", cluster: { "certificate-authority-data": "Q0E=", server: "https://c1.mock.invalid:6443" } }]);
    expect(cfg.users).toEqual([{ name: "vision-deployer", user: { token: "sa-token" } }]);
    expect(cfg.contexts[0].context).toEqual({ cluster: "c1", user: "vision-deployer", namespace: "vision" });
    expect(JSON.stringify(cfg)).not.toContain("mock-token");
    expect(() => tenantKubeconfig(admin, vision, "")).toThrow("token of tenant vision is empty");
    expect(() => tenantKubeconfig("apiVersion: v1\nkind: Config\n", vision, "t")).toThrow("names no cluster");
  });

  test("the policy binds to the tenant's namespace only and denies", () => {
    const { binding, policy } = tenantAdmission("threefs-dev-tenant-vision", vision, HOST_PATHS, {});
    expect(binding.spec).toEqual({ policyName: policy.metadata.name, validationActions: ["Deny"], matchResources: { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "vision" } } } });
    expect(policy.spec.failurePolicy).toBe("Fail");
  });
});

/** Plain pod values as CEL sees a Pod's JSON: integers as CEL ints. */
function celValue(v: unknown): unknown {
  if (typeof v === "number") return BigInt(v);
  if (Array.isArray(v)) return v.map(celValue);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, celValue(x)]));
  return v;
}

/** The messages of the validations a pod spec fails. */
function refusals(spec: PodSpecLike): string[] {
  return tenantValidations(vision, HOST_PATHS)
    .filter((v) => run(v.expression, { object: celValue({ spec }) as never }) !== true)
    .map((v) => v.message);
}

describe("the tenant's admission policy (CEL)", () => {
  const app = (extra: Partial<PodSpecLike> = {}): PodSpecLike => ({ containers: [{ name: "app", image: "python:3.12.8-slim" }], ...extra });
  const mounted = (spec: PodSpecLike, usrbio = false) => mountThreeFs(spec, client, { usrbio }, vision);

  test("admits what the mount helper makes, FUSE and USRBIO, with init containers", () => {
    expect(refusals(mounted(app()))).toEqual([]);
    expect(refusals(mounted(app({ initContainers: [{ name: "init", image: "busybox" }] }), true))).toEqual([]);
  });

  test.each<[string, (s: PodSpecLike) => PodSpecLike, string]>([
    ["a hostPath other than the mount", (s) => ({ ...s, volumes: [...s.volumes!, { name: "root", hostPath: { path: "/" } }] }), "hostPath volumes may only be /mnt/3fs and /dev/shm/3fs-threefs-dev"],
    ["a path that only looks like the mount", (s) => ({ ...s, volumes: [{ name: "x", hostPath: { path: "/mnt/3fs/../etc" } }] }), "hostPath volumes may only be"],
    ["the host's PID namespace", (s) => ({ ...s, hostPID: true }), "may not use the host's network, PID or IPC namespace"],
    ["a privileged container", (s) => ({ ...s, containers: [{ ...s.containers[0], securityContext: { ...s.containers[0].securityContext, privileged: true } }] }), "may not be privileged"],
    ["an added capability", (s) => ({ ...s, containers: [{ ...s.containers[0], securityContext: { ...s.containers[0].securityContext, capabilities: { add: ["SYS_ADMIN"] } } }] }), "may not add capabilities"],
    ["privilege escalation left on", (s) => ({ ...s, containers: [{ ...s.containers[0], securityContext: {} }] }), "allowPrivilegeEscalation: false"],
    ["root in one container", (s) => ({ ...s, containers: [{ ...s.containers[0], securityContext: { ...s.containers[0].securityContext, runAsUser: 0 } }] }), "must run as uid 1001 and gid 1001"],
    ["the image's user (no runAsUser)", (s) => ({ ...s, securityContext: {} }), "must run as uid 1001"],
    ["another tenant's group", (s) => ({ ...s, securityContext: { ...s.securityContext, supplementalGroups: [1002] } }), "supplementalGroups may only hold gid 1001"],
    ["an fsGroup of another group", (s) => ({ ...s, securityContext: { ...s.securityContext, fsGroup: 0 } }), "fsGroup may only be gid 1001"],
    ["an ephemeral container as root", (s) => ({ ...s, ephemeralContainers: [{ name: "dbg", securityContext: { allowPrivilegeEscalation: false, runAsUser: 0 } }] }), "must run as uid 1001"],
  ])("refuses %s", (_name, change, message) => {
    expect(refusals(change(mounted(app(), true)))).toEqual([expect.stringContaining(message)]);
  });
});
