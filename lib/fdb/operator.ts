/**
 * Builders for the FoundationDB Kubernetes operator (v2.33) and the RBAC of the FDB pods, as plain
 * objects that the FoundationDb component hands to typed `@pulumi/kubernetes` resources.
 *
 * Watch scope: one operator per stack, in its own namespace, watching only the stack's app namespace
 * (`WATCH_NAMESPACE`). Several stacks can share an ACK cluster without one operator touching another's
 * cluster, operator upgrades roll out stack by stack, and the operator gets a Role in one namespace instead
 * of cluster-wide write access. Only node reads are cluster-wide. See docs/foundationdb.md.
 *
 * Pure module: no cloud SDK imports.
 */
import type { Scheduling, Toleration } from "../roles";
import { blobEnv, blobVolumes } from "../backup/fdbBackup";
import { FDB_UID, type ResourceRequirements } from "./spec";

/** Operator container resources: the operator's sample deployment values. */
export const DEFAULT_OPERATOR_RESOURCES: ResourceRequirements = {
  requests: { cpu: "500m", memory: "256Mi" },
  limits: { cpu: "500m", memory: "256Mi" },
};

export interface ObjectMeta { name: string; namespace?: string; labels: Record<string, string> }
export interface PolicyRule { apiGroups: string[]; resources: string[]; verbs: string[] }
export interface RoleLike { metadata: ObjectMeta; rules: PolicyRule[] }
export interface BindingLike {
  metadata: ObjectMeta;
  roleRef: { apiGroup: "rbac.authorization.k8s.io"; kind: "Role" | "ClusterRole"; name: string };
  subjects: { kind: "ServiceAccount"; name: string; namespace: string }[];
}
interface VolumeMount { name: string; mountPath: string; readOnly?: boolean }
interface SecurityContext {
  allowPrivilegeEscalation: boolean;
  privileged: boolean;
  readOnlyRootFilesystem: boolean;
  runAsNonRoot: boolean;
  capabilities: { drop: string[] };
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value: string }[];
  ports?: { name: string; containerPort: number }[];
  resources?: ResourceRequirements;
  securityContext: SecurityContext;
  volumeMounts: VolumeMount[];
}
export interface OperatorDeploymentSpec {
  replicas: number;
  selector: { matchLabels: Record<string, string> };
  template: {
    metadata: { labels: Record<string, string> };
    spec: {
      serviceAccountName: string;
      securityContext: { runAsUser: number; runAsGroup: number; fsGroup: number; runAsNonRoot: boolean };
      terminationGracePeriodSeconds: number;
      nodeSelector: Record<string, string>;
      tolerations: Toleration[];
      initContainers: Container[];
      containers: Container[];
      volumes: ({ name: string; emptyDir: Record<string, never> } | { name: string; secret: { secretName: string; defaultMode: number } })[];
    };
  };
}

/** Inputs of {@link operatorDeploymentSpec}. */
export interface OperatorDeploymentInput {
  /** ServiceAccount the operator runs as. */
  serviceAccountName: string;
  /** Namespace of the FoundationDBCluster (the only namespace the operator watches). */
  watchNamespace: string;
  /** Operator image, pinned (e.g. `foundationdb/fdb-kubernetes-operator:v2.33.0`). */
  image: string;
  /** Registry/org of `fdb-kubernetes-monitor`, the image that supplies client libraries and binaries. */
  imageRegistry: string;
  /** FDB versions whose client library and CLI the operator needs, one init container per minor (e.g. `["7.1.61"]`). */
  clientVersions: readonly string[];
  /** Operator container resources. Default {@link DEFAULT_OPERATOR_RESOURCES}. */
  resources?: ResourceRequirements;
  /** Where the operator pod runs (the meta role's nodes). */
  scheduling: Scheduling;
  /** Labels on the pod; also the Deployment selector, so keep them stable. */
  selectorLabels: Record<string, string>;
  /**
   * The FDB backup's blob store access: the Secret (in the operator's namespace) with the credentials file
   * (key `credentials`) and, for HTTPS, the TLS Secret. The operator runs `fdbbackup` itself, so it needs
   * FDB_BLOB_CREDENTIALS (and the TLS files) like the agents (docs/manual/backup.md of the operator,
   * "Configuring the Operator"). Unset: no backup.
   */
  blob?: { credentialsSecret: string; tlsSecret?: string };
  /** Extra labels on the pod (profile label etc.). */
  labels: Record<string, string>;
}

const ALL_VERBS = ["create", "delete", "get", "list", "patch", "update", "watch"];
const READ_VERBS = ["get", "list", "watch"];

/** Nodes, read-only, cluster-wide: the operator looks up nodes of its pods (and, for zone fault domains, the FDB pods their zone label). */
export function nodeReaderClusterRole(meta: ObjectMeta): RoleLike {
  return { metadata: meta, rules: [{ apiGroups: [""], resources: ["nodes"], verbs: READ_VERBS }] };
}

/** Everything the operator manages, limited to the watched namespace (the sample's manager role, as a Role). */
export function operatorManagerRole(meta: ObjectMeta): RoleLike {
  const crds = ["foundationdbbackups", "foundationdbclusters", "foundationdbrestores"];
  return {
    metadata: meta,
    rules: [
      // secrets: TLS material and backup credentials referenced from cluster specs.
      { apiGroups: [""], resources: ["configmaps", "events", "persistentvolumeclaims", "pods", "secrets", "services"], verbs: ALL_VERBS },
      { apiGroups: ["apps"], resources: ["deployments"], verbs: ALL_VERBS },
      { apiGroups: ["apps.foundationdb.org"], resources: crds, verbs: ALL_VERBS },
      { apiGroups: ["apps.foundationdb.org"], resources: crds.map((c) => `${c}/status`), verbs: ["get", "patch", "update"] },
    ],
  };
}

/** Leader election: the lease (and its events) live in the operator's own namespace. */
export function operatorLeaderElectionRole(meta: ObjectMeta): RoleLike {
  return {
    metadata: meta,
    rules: [
      { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ALL_VERBS },
      { apiGroups: [""], resources: ["events"], verbs: ["create", "patch"] },
    ],
  };
}

/** What fdb-kubernetes-monitor needs in the FDB pods: read and annotate its own pod. */
export function fdbPodRole(meta: ObjectMeta): RoleLike {
  return { metadata: meta, rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch", "update", "patch"] }] };
}

/** Binds `role` (a Role or ClusterRole) to one ServiceAccount. */
export function bindingFor(meta: ObjectMeta, role: RoleLike, kind: "Role" | "ClusterRole", sa: { name: string; namespace: string }): BindingLike {
  return {
    metadata: meta,
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind, name: role.metadata.name },
    subjects: [{ kind: "ServiceAccount", name: sa.name, namespace: sa.namespace }],
  };
}

/** A fresh locked-down container security context (the operator and the monitor in init mode write only to volumes). */
function lockedDown(): SecurityContext {
  return { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } };
}

/** `7.1.61` → `7.1`. */
function minorOf(version: string): string {
  return version.split(".").slice(0, 2).join(".");
}

/**
 * One init container per FDB minor: fdb-kubernetes-monitor in init mode copies that minor's libfdb_c and
 * fdbcli/fdbbackup/fdbrestore into the shared `fdb-binaries` volume, which the operator mounts at
 * /usr/bin/fdb and scans at start-up. The highest patch given for a minor is used.
 */
function clientInitContainers(input: OperatorDeploymentInput): Container[] {
  const byMinor = new Map<string, string>();
  for (const v of input.clientVersions) {
    const prev = byMinor.get(minorOf(v));
    if (!prev || prev.localeCompare(v, undefined, { numeric: true }) < 0) byMinor.set(minorOf(v), v);
  }
  return [...byMinor.entries()]
    .sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))
    .map(([minor, version]) => ({
      name: `foundationdb-kubernetes-init-${minor.replace(".", "-")}`,
      image: `${input.imageRegistry}/fdb-kubernetes-monitor:${version}`,
      args: [
        "--copy-library", minor,
        "--copy-binary", "fdbcli",
        "--copy-binary", "fdbbackup",
        "--copy-binary", "fdbrestore",
        "--output-dir", "/var/output-files",
        "--mode", "init",
      ],
      securityContext: lockedDown(),
      volumeMounts: [{ name: "fdb-binaries", mountPath: "/var/output-files" }],
    }));
}

/** The operator Deployment's spec: one replica (leader election is on by default), non-root, read-only root fs. */
export function operatorDeploymentSpec(input: OperatorDeploymentInput): OperatorDeploymentSpec {
  const blob = input.blob ? { ...input.blob, ...blobVolumes(input.blob.credentialsSecret, input.blob.tlsSecret) } : undefined;
  const manager: Container = {
    name: "manager",
    image: input.image,
    command: ["/manager"],
    // Single-namespace mode: the operator caches and reconciles only this namespace.
    env: [{ name: "WATCH_NAMESPACE", value: input.watchNamespace }, ...(blob ? blobEnv(blob.tlsSecret !== undefined) : [])],
    ports: [{ name: "metrics", containerPort: 8080 }],
    resources: input.resources ?? DEFAULT_OPERATOR_RESOURCES,
    securityContext: lockedDown(),
    volumeMounts: [
      { name: "tmp", mountPath: "/tmp" },
      { name: "logs", mountPath: "/var/log/fdb" },
      { name: "fdb-binaries", mountPath: "/usr/bin/fdb" },
      ...(blob ? blob.mounts : []),
    ],
  };
  return {
    replicas: 1,
    selector: { matchLabels: { ...input.selectorLabels } },
    template: {
      metadata: { labels: { ...input.labels, ...input.selectorLabels } },
      spec: {
        serviceAccountName: input.serviceAccountName,
        securityContext: { runAsUser: FDB_UID, runAsGroup: FDB_UID, fsGroup: FDB_UID, runAsNonRoot: true },
        terminationGracePeriodSeconds: 10,
        nodeSelector: { ...input.scheduling.nodeSelector },
        tolerations: input.scheduling.tolerations.map((t) => ({ ...t })),
        initContainers: clientInitContainers(input),
        containers: [manager],
        volumes: [...["tmp", "logs", "fdb-binaries"].map((name) => ({ name, emptyDir: {} })), ...(blob ? blob.volumes : [])],
      },
    },
  };
}
