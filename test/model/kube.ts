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
import { reachMgmtd } from "./cluster";
import type { ModelState } from "./types";

/** The cluster's nodes and the check's identity, from the plan. */
export interface KubeSpec {
  nodes: Array<{ name: string; labels: Record<string, string> }>;
  /** Labels of the FUSE pods (the DaemonSet's selector) and of the nodes they run on. */
  fuse: { podLabels: Record<string, string>; nodeSelector: Record<string, string>; addresses: string[]; clusterId: string };
  /** The ServiceAccount the Job runs as, its token, and what its Role (namespaced) and ClusterRole allow. */
  serviceAccount: { namespace: string; name: string; token: string };
  rules: { namespaced: Rule[]; cluster: Rule[] };
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
  const sa = kube.serviceAccount;
  if (bearer !== sa.token) return status(401, "Unauthorized", "Unauthorized");
  const user = `system:serviceaccount:${sa.namespace}:${sa.name}`;
  const sel = selector(url.searchParams.get("labelSelector"));
  if (url.pathname === "/api/v1/nodes") {
    if (!allowed(kube.rules.cluster, "nodes", "list")) return status(403, "Forbidden", `nodes is forbidden: User "${user}" cannot list resource "nodes" in API group "" at the cluster scope`);
    const items = kube.nodes.filter((n) => sel(n.labels)).map((n) => ({
      metadata: { name: n.name, labels: n.labels },
      status: { allocatable: { cpu: "16", memory: "64Gi", ...(s.scenario.noErdma?.includes(n.name) ? {} : { "aliyun/erdma": "200" }) } },
    }));
    return { code: 200, body: { kind: "NodeList", apiVersion: "v1", items } };
  }
  const pods = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(url.pathname);
  if (pods) {
    const ns = pods[1];
    if (ns !== sa.namespace || !allowed(kube.rules.namespaced, "pods", "list")) return status(403, "Forbidden", `pods is forbidden: User "${user}" cannot list resource "pods" in API group "" in the namespace "${ns}"`);
    const clients = kube.nodes.filter((n) => Object.entries(kube.fuse.nodeSelector).every(([k, v]) => n.labels[k] === v));
    const items = clients
      .map((n) => ({
        metadata: { name: `fuse-${n.name}`, labels: kube.fuse.podLabels },
        spec: { nodeName: n.name },
        status: { conditions: [{ type: "Ready", status: fuseReady(s, kube, n.name, ms) ? "True" : "False" }] },
      }))
      .filter((p) => sel(p.metadata.labels));
    return { code: 200, body: { kind: "PodList", apiVersion: "v1", items } };
  }
  return status(404, "NotFound", "the server could not find the requested resource");
}
