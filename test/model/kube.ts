/**
 * The Kubernetes API as the model's Jobs see it: the nodes of the stack's pools (labels, the eRDMA device
 * plugin's allocatable), the FUSE pods on client nodes (Ready when their mount is up), and the ServiceAccount
 * permissions the program renders (Role/ClusterRole rules), enforced as RBAC does: a request the rules do
 * not allow is 403 Forbidden, a request without the ServiceAccount's token 401.
 *
 * Sources: the Kubernetes API conventions (NodeList/PodList shapes, `labelSelector` equality selectors,
 * Status errors); the eRDMA device plugin advertises 200 `aliyun/erdma` per device
 * (alibabacloud-erdma-controller 72e8f0c, internal/deviceplugin/deviceplugin.go:224-227).
 */
import { storagePodName } from "../../lib/threefs/storageNodes";
import { pods, reachMgmtd, running } from "./cluster";
import { claimObject, claimsOf, deleteClaim, deletePod, podDown, podObject, type PodObject } from "./pods";
import type { ModelState } from "./types";

/** The cluster's nodes and the check's identity, from the plan. */
export interface KubeSpec {
  nodes: Array<{ name: string; labels: Record<string, string> }>;
  /** Labels of the FUSE pods (the DaemonSet's selector) and of the nodes they run on. */
  fuse: { podLabels: Record<string, string>; nodeSelector: Record<string, string>; addresses: string[]; clusterId: string };
  /** The ServiceAccount the Job runs as, its token, and what its Role (namespaced) and ClusterRole allow. */
  serviceAccount: { namespace: string; name: string; token: string };
  rules: { namespaced: Rule[]; cluster: Rule[] };
  /** The day-2 Jobs' ServiceAccounts (roll, replacement, target-health), each with its own token and rules. */
  accounts?: Array<{ namespace: string; name: string; token: string; rules: { namespaced: Rule[]; cluster: Rule[] } }>;
  /** The StatefulSets' and DaemonSet's pods as the program renders them (pods.ts holds their objects). */
  workloads?: {
    /** Labels of each role's pods (selector labels). */
    labels: Record<"mgmtd" | "meta" | "storage", Record<string, string>>;
    /** The `threefs.io/template-hash` annotation of each role's current pod template. */
    templateHashes: Record<"mgmtd" | "meta" | "storage" | "fuse", string>;
    /** Readiness gates of the storage pods (condition types). */
    storageGates: string[];
  };
}

export interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

export interface KubeResponse {
  code: number;
  body: unknown;
}

const status = (code: number, reason: string, message: string): KubeResponse => ({ code, body: { kind: "Status", apiVersion: "v1", status: "Failure", reason, message, code } });

function allowed(rules: Rule[], resource: string, verb: string): boolean {
  return rules.some((r) => r.apiGroups.includes("") && (r.resources.includes(resource) || r.resources.includes("*")) && (r.verbs.includes(verb) || r.verbs.includes("*")));
}

/** An equality-based label selector (`a=b,c=d`) as a predicate. */
function selector(query: string | null): (labels: Record<string, string>) => boolean {
  if (!query) return () => true;
  const terms = query.split(",").map((t) => {
    const m = /^([^=!]+)==?(.*)$/.exec(t);
    if (!m) throw new Error(`unsupported label selector term ${t}`);
    return [m[1], m[2]] as const;
  });
  return (labels) => terms.every(([k, v]) => labels[k] === v);
}

/** A FUSE pod is Ready when its mount is up: it needs a usable primary mgmtd (its session, FuseClients.cc:121). */
function fuseReady(s: ModelState, kube: KubeSpec, node: string, ms: number): boolean {
  if (s.scenario.fuseDown?.includes(node)) return false;
  return s.users.some((u) => u.uid === 0) && !("error" in reachMgmtd(s, kube.fuse.addresses, kube.fuse.clusterId, ms));
}

/** Serves one GET request of the API with a bearer token. */
export function kubeGet(s: ModelState, kube: KubeSpec, url: URL, bearer: string | undefined, ms: number): KubeResponse {
  return kubeRequest(s, kube, "GET", url, bearer, undefined, ms);
}

/** The account a bearer token is (the check's or a day-2 Job's), or undefined. */
function accountOf(kube: KubeSpec, bearer: string | undefined) {
  if (bearer === kube.serviceAccount.token) return { ...kube.serviceAccount, rules: kube.rules };
  return kube.accounts?.find((a) => a.token === bearer);
}

/** Serves one request of the API (GET, DELETE, PATCH of pods/status) with a bearer token. */
export function kubeRequest(s: ModelState, kube: KubeSpec, method: string, url: URL, bearer: string | undefined, body: string | undefined, ms: number): KubeResponse {
  const sa = accountOf(kube, bearer);
  if (!sa) return status(401, "Unauthorized", "Unauthorized");
  const user = `system:serviceaccount:${sa.namespace}:${sa.name}`;
  const workload = workloadRequest(s, kube, sa, user, method, url, body, ms);
  if (workload) return workload;
  if (method !== "GET") return status(405, "MethodNotAllowed", `the server does not allow this method on the requested resource`);
  kube = { ...kube, rules: sa.rules };
  const sel = selector(url.searchParams.get("labelSelector"));
  if (url.pathname === "/api/v1/nodes") {
    if (!allowed(kube.rules.cluster, "nodes", "list")) return status(403, "Forbidden", `nodes is forbidden: User "${user}" cannot list resource "nodes" in API group "" at the cluster scope`);
    const items = kube.nodes.filter((n) => sel(n.labels)).map((n) => ({
      metadata: { name: n.name, labels: n.labels },
      status: { allocatable: { cpu: "16", memory: "64Gi", ...(s.scenario.noErdma?.includes(n.name) ? {} : { "aliyun/erdma": "200" }) } },
    }));
    return { code: 200, body: { kind: "NodeList", apiVersion: "v1", items } };
  }
  const podList = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(url.pathname);
  if (podList) {
    const ns = podList[1];
    if (ns !== sa.namespace || !allowed(kube.rules.namespaced, "pods", "list")) return status(403, "Forbidden", `pods is forbidden: User "${user}" cannot list resource "pods" in API group "" in the namespace "${ns}"`);
    const items = allPods(s, kube, ms).filter((p) => sel(p.metadata.labels));
    return { code: 200, body: { kind: "PodList", apiVersion: "v1", items } };
  }
  return status(404, "NotFound", "the server could not find the requested resource");
}

type Account = { namespace: string; name: string; rules: { namespaced: Rule[]; cluster: Rule[] } };

/** The FUSE pods of the client nodes, as objects (pods.ts) with Ready = the mount is up. */
function fusePods(s: ModelState, kube: KubeSpec, ms: number): PodJson[] {
  const clients = kube.nodes.filter((n) => Object.entries(kube.fuse.nodeSelector).every(([k, v]) => n.labels[k] === v));
  return clients.map((n) => {
    const name = `fuse-${n.name}`;
    const o = podObject(s, name, "fuse", ms);
    const gone = podDown(s, name, "fuse", ms) !== undefined;
    const ready = !gone && fuseReady(s, kube, n.name, ms);
    return podJson(name, o, kube.fuse.podLabels, n.name, gone, ready, ready, []);
  });
}

/** A pod as the API returns it (the fields the Jobs read). */
interface PodJson {
  metadata: { name: string; uid: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: { nodeName?: string; readinessGates?: Array<{ conditionType: string }> };
  status: { phase: string; conditions: Array<{ type: string; status: string }> };
}

function podJson(name: string, o: PodObject, labels: Record<string, string>, nodeName: string | undefined, gone: boolean, containersReady: boolean, ready: boolean, gates: string[]): PodJson {
  const cond = (type: string, ok: boolean) => ({ type, status: ok ? "True" : "False" });
  const conditions = [cond("PodScheduled", nodeName !== undefined), cond("ContainersReady", containersReady), cond("Ready", ready), ...Object.entries(o.gates).map(([type, g]) => ({ type, ...g }))];
  return {
    metadata: { name, uid: o.uid, labels, annotations: { "threefs.io/template-hash": o.templateHash } },
    spec: { ...(nodeName ? { nodeName } : {}), ...(gates.length > 0 ? { readinessGates: gates.map((conditionType) => ({ conditionType })) } : {}) },
    status: { phase: gone ? "Pending" : "Running", conditions },
  };
}

/** The StatefulSet pods (mgmtd, meta, storage) and the FUSE pods. */
function allPods(s: ModelState, kube: KubeSpec, ms: number): PodJson[] {
  const out: PodJson[] = [];
  const w = kube.workloads;
  if (w) {
    for (const p of pods(s.spec)) {
      const o = podObject(s, p.name, p.role, ms);
      const down = podDown(s, p.name, p.role, ms);
      if (down === "deleted") continue; // not re-created yet
      const labels = { ...w.labels[p.role], "apps.kubernetes.io/pod-index": String(p.nodeId), "statefulset.kubernetes.io/pod-name": p.name };
      const containersReady = down === undefined && running(s, p.name);
      const gates = p.role === "storage" ? w.storageGates : [];
      const ready = containersReady && gates.every((g) => o.gates[g]?.status === "True");
      out.push(podJson(p.name, o, labels, down === "pending" ? undefined : `node-of-${p.name}`, down === "pending", containersReady, ready, gates));
    }
  }
  return [...out, ...fusePods(s, kube, ms)];
}

/** Which role a pod name is, or undefined. */
function roleOf(s: ModelState, kube: KubeSpec, name: string, ms: number): string | undefined {
  const p = pods(s.spec).find((x) => x.name === name);
  if (p) return p.role;
  if (fusePods(s, kube, ms).some((x) => x.metadata.name === name)) return "fuse";
  return undefined;
}

/**
 * Requests on single pods and claims: GET/DELETE pods/<name>, PATCH pods/<name>/status (a strategic merge of
 * status.conditions by type: the readiness gates), GET/DELETE persistentvolumeclaims/<name>. RBAC as above.
 */
function workloadRequest(s: ModelState, kube: KubeSpec, sa: Account, user: string, method: string, url: URL, body: string | undefined, ms: number): KubeResponse | undefined {
  const m = /^\/api\/v1\/namespaces\/([^/]+)\/(pods|persistentvolumeclaims)\/([^/]+)(\/status)?$/.exec(url.pathname);
  if (!m) return undefined;
  const [, ns, kind, name, sub] = m;
  const resource = sub ? `${kind}/status` : kind;
  const verb = method === "GET" ? "get" : method === "DELETE" ? "delete" : method === "PATCH" ? "patch" : method.toLowerCase();
  if (ns !== sa.namespace || !allowed(sa.rules.namespaced, resource, verb)) {
    return status(403, "Forbidden", `${resource} "${name}" is forbidden: User "${user}" cannot ${verb} resource "${kind}"${sub ? ` subresource "status"` : ""} in API group "" in the namespace "${ns}"`);
  }
  if (kind === "persistentvolumeclaims") {
    const pod = storagePodName(s.spec.storage.statefulSet, Number(name.replace(/^data\d+-.*-(\d+)$/, "$1")));
    const known = claimsOf(s, pod).includes(name);
    if (!known) return status(404, "NotFound", `persistentvolumeclaims "${name}" not found`);
    if (method === "GET") {
      const c = claimObject(s, name);
      return { code: 200, body: { kind: "PersistentVolumeClaim", apiVersion: "v1", metadata: { name, uid: c.uid, ...(c.terminating ? { deletionTimestamp: "2025-12-01T00:00:00Z" } : {}) }, status: { phase: "Bound" } } };
    }
    if (method === "DELETE") {
      deleteClaim(s, name, pod, ms);
      return { code: 200, body: { kind: "Status", apiVersion: "v1", status: "Success" } };
    }
    return status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
  }
  const role = roleOf(s, kube, name, ms);
  const current = allPods(s, kube, ms).find((p) => p.metadata.name === name);
  if (!role || !current) return status(404, "NotFound", `pods "${name}" not found`);
  if (method === "GET" && !sub) return { code: 200, body: { kind: "Pod", apiVersion: "v1", ...current } };
  if (method === "DELETE" && !sub) {
    deletePod(s, name, role, ms);
    return { code: 200, body: { kind: "Pod", apiVersion: "v1", ...current } };
  }
  if (method === "PATCH" && sub) {
    let patch: { status?: { conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> } };
    try {
      patch = JSON.parse(body ?? "");
    } catch {
      return status(400, "BadRequest", "the body of the request was in an unknown format");
    }
    const o = podObject(s, name, role, ms);
    for (const c of patch.status?.conditions ?? []) {
      if (!["True", "False", "Unknown"].includes(c.status)) return status(422, "Invalid", `Pod "${name}" is invalid: status.conditions.status: Unsupported value: "${c.status}"`);
      o.gates[c.type] = { status: c.status, reason: c.reason, message: c.message };
    }
    return { code: 200, body: { kind: "Pod", apiVersion: "v1", ...(allPods(s, kube, ms).find((p) => p.metadata.name === name) ?? current) } };
  }
  return status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
}
