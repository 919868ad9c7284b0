/**
 * What a tenant may do in Kubernetes: a namespace-scoped Role for its deployer ServiceAccount, an admission
 * policy that keeps every pod in its namespace unprivileged and running as the tenant, and the kubeconfig
 * built from the ServiceAccount's token.
 *
 * Why the admission policy: RBAC decides which objects a tenant may create, not what a pod may contain. A
 * namespace-scoped right to create pods is a right to mount any host path, or to run as root or privileged,
 * which owns the node and — on a FUSE mount with default_permissions — every other tenant's files. The
 * policy (a ValidatingAdmissionPolicy, GA since Kubernetes 1.30:
 * https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/) admits only pods that
 * use hostPath for the 3FS mount and the USRBIO directory alone, use no host namespaces, add no
 * capabilities, forbid privilege escalation (a setuid binary would otherwise make the tenant root again) and
 * run as the tenant's uid and gid. The consumer helper (consumer/) produces pods that pass it.
 *
 * Pure module: no cloud SDK imports.
 */
import { stringify, parse } from "yaml";
import type { Tenant } from "./spec";

/** An RBAC PolicyRule. */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

const ALL_VERBS = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];

/**
 * The tenant's Role in its own namespace: run and manage workloads (pods, Jobs, Deployments, their
 * configuration and volumes) and read events. Nothing cluster-scoped, no RBAC objects (no self-promotion),
 * no ServiceAccounts, ResourceQuotas or LimitRanges, and no ephemeral containers (`kubectl debug` would add
 * containers the tenant specified after admission of the pod).
 */
export const TENANT_ROLE_RULES: readonly PolicyRule[] = [
  { apiGroups: [""], resources: ["pods", "pods/log", "pods/exec", "pods/portforward", "services", "endpoints", "configmaps", "secrets", "persistentvolumeclaims"], verbs: ALL_VERBS },
  { apiGroups: [""], resources: ["events"], verbs: ["get", "list", "watch"] },
  { apiGroups: ["apps"], resources: ["deployments", "statefulsets", "replicasets"], verbs: ALL_VERBS },
  { apiGroups: ["batch"], resources: ["jobs", "cronjobs"], verbs: ALL_VERBS },
  { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: ALL_VERBS },
];

/** A CEL validation of the admission policy. */
export interface Validation {
  expression: string;
  message: string;
}

/** CEL: true when `list` (a pod spec field) is absent or every element satisfies `pred` (over `c`). */
const everyIn = (list: string, pred: string) => `(!has(object.spec.${list}) || object.spec.${list}.all(c, ${pred}))`;
/** CEL: the effective value of a securityContext field of container `c` (its own, else the pod's) equals `v`. */
const effective = (field: string, v: number) =>
  `((has(c.securityContext) && has(c.securityContext.${field})) ? c.securityContext.${field} == ${v} : (has(object.spec.securityContext) && has(object.spec.securityContext.${field}) && object.spec.securityContext.${field} == ${v}))`;
const CONTAINER_LISTS = ["containers", "initContainers", "ephemeralContainers"] as const;

/**
 * The policy's validations for one tenant, each with the message a refused pod gets.
 * @param hostPaths the host paths a tenant pod may mount: the 3FS mount and the USRBIO shm directory
 */
export function tenantValidations(t: Tenant, hostPaths: readonly string[]): Validation[] {
  const paths = hostPaths.map((p) => `'${p}'`).join(", ");
  const perContainer = (pred: string) => CONTAINER_LISTS.map((l) => everyIn(l, pred)).join(" && ");
  const pod = (field: string) => `has(object.spec.securityContext) && has(object.spec.securityContext.${field})`;
  return [
    {
      expression: `!has(object.spec.volumes) || object.spec.volumes.all(v, !has(v.hostPath) || v.hostPath.path in [${paths}])`,
      message: `tenant ${t.name}: hostPath volumes may only be ${hostPaths.join(" and ")} (the 3FS mount and the USRBIO directory)`,
    },
    {
      expression: "!(has(object.spec.hostNetwork) && object.spec.hostNetwork) && !(has(object.spec.hostPID) && object.spec.hostPID) && !(has(object.spec.hostIPC) && object.spec.hostIPC)",
      message: `tenant ${t.name}: pods may not use the host's network, PID or IPC namespace`,
    },
    {
      expression: perContainer("!(has(c.securityContext) && has(c.securityContext.privileged) && c.securityContext.privileged)"),
      message: `tenant ${t.name}: containers may not be privileged`,
    },
    {
      expression: perContainer("!(has(c.securityContext) && has(c.securityContext.capabilities) && has(c.securityContext.capabilities.add) && size(c.securityContext.capabilities.add) > 0)"),
      message: `tenant ${t.name}: containers may not add capabilities`,
    },
    {
      expression: perContainer("has(c.securityContext) && has(c.securityContext.allowPrivilegeEscalation) && !c.securityContext.allowPrivilegeEscalation"),
      message: `tenant ${t.name}: every container must set securityContext.allowPrivilegeEscalation: false`,
    },
    {
      expression: perContainer(`${effective("runAsUser", t.uid)} && ${effective("runAsGroup", t.gid)}`),
      message: `tenant ${t.name}: every container must run as uid ${t.uid} and gid ${t.gid} (securityContext.runAsUser/runAsGroup of the pod or the container)`,
    },
    {
      expression: `!(${pod("supplementalGroups")}) || object.spec.securityContext.supplementalGroups.all(g, g == ${t.gid})`,
      message: `tenant ${t.name}: supplementalGroups may only hold gid ${t.gid}`,
    },
    {
      expression: `!(${pod("fsGroup")}) || object.spec.securityContext.fsGroup == ${t.gid}`,
      message: `tenant ${t.name}: fsGroup may only be gid ${t.gid}`,
    },
  ];
}

/** The ValidatingAdmissionPolicy and its binding to the tenant's namespace (cluster-scoped objects). */
export function tenantAdmission(name: string, t: Tenant, hostPaths: readonly string[], labels: Record<string, string>) {
  const policy = {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicy",
    metadata: { name, labels },
    spec: {
      failurePolicy: "Fail",
      matchConstraints: { resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods"] }] },
      validations: tenantValidations(t, hostPaths),
    },
  };
  const binding = {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicyBinding",
    metadata: { name, labels },
    spec: {
      policyName: name,
      validationActions: ["Deny"],
      // Every namespace carries its own name in this label (set by the API server since Kubernetes 1.22).
      matchResources: { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": t.namespace } } },
    },
  };
  return { policy, binding };
}

interface KubeconfigDoc {
  clusters?: Array<{ name: string; cluster: Record<string, unknown> }>;
  contexts?: Array<{ name: string; context: { cluster: string } }>;
  "current-context"?: string;
}

/**
 * A kubeconfig that reaches the cluster of `adminKubeconfig` (its current context's cluster: server and CA)
 * as the tenant's ServiceAccount, defaulting to the tenant's namespace. It carries no admin credential.
 * @param saToken the ServiceAccount token (decoded, from the token Secret's `data.token`)
 * @throws Error when the admin kubeconfig names no usable cluster
 */
export function tenantKubeconfig(adminKubeconfig: string, t: Tenant, saToken: string): string {
  const doc = parse(adminKubeconfig) as KubeconfigDoc;
  const ctx = doc.contexts?.find((c) => c.name === doc["current-context"]) ?? doc.contexts?.[0];
  const cluster = doc.clusters?.find((c) => c.name === ctx?.context.cluster) ?? doc.clusters?.[0];
  if (!cluster || typeof cluster.cluster.server !== "string") throw new Error("the cluster kubeconfig names no cluster with a server");
  if (saToken === "") throw new Error(`the ServiceAccount token of tenant ${t.name} is empty`);
  const user = `${t.name}-deployer`;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: cluster.name, cluster: cluster.cluster }],
    users: [{ name: user, user: { token: saToken } }],
    contexts: [{ name: t.name, context: { cluster: cluster.name, user, namespace: t.namespace } }],
    "current-context": t.name,
  });
}
