/**
 * Minimal Kubernetes API shapes for the 3FS workload builders, plus the builders' own input types.
 *
 * Only the fields the builders set are declared; the shapes match the Kubernetes API (and therefore
 * `@pulumi/kubernetes` resource args) field for field, so a builder's output can be handed to a
 * Pulumi resource or dumped as YAML unchanged. Plain interfaces keep the builders free of SDK imports.
 *
 * Pure module: no cloud SDK imports.
 */
import type { StorageSet } from "../../threefs/storageNodes";
import type { PoolLayout, Toleration } from "../../roles";

export type { Toleration };

/**
 * How the RDMA processes that need no host access of their own (mgmtd, meta, admin-cli, the bootstrap
 * and check Jobs) run: `privileged` (default) or `capabilities`.
 * - privileged: what every Alibaba artefact does (the chart's mgmtd/meta/storage/init pods,
 *   deploy/container/chart/templates/*.yaml `privileged: true`; aliyun/kvc-3fs-operator likewise) and so
 *   what is known to work. It matters because a process whose IB start fails exits: the launcher's
 *   `IBManager::start` is FATAL on error (src/core/app/ServerLauncher.h:41-42 of alibabacloud-3FS ab363af),
 *   as is admin_cli's (src/client/bin/admin_cli.cc:105-107).
 * - capabilities: unprivileged with IPC_LOCK (pin RDMA buffers beyond the runtime's small RLIMIT_MEMLOCK)
 *   and SYS_RESOURCE (let the launch wrapper raise the hard open-file limit), relying on the eRDMA device
 *   plugin to inject /dev/infiniband with the `aliyun/erdma` resource. Hardening, UNVERIFIED on ACK: use it
 *   only once the post-deploy check has passed with it on a staging stack (docs/threefs.md, "Privileges").
 */
export type RdmaPodSecurity = "privileged" | "capabilities";

/** metadata of a namespaced object. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A label selector (only matchLabels is used here). */
export interface LabelSelector {
  matchLabels: Record<string, string>;
}

export interface ResourceRequirements {
  requests: Record<string, string>;
  limits: Record<string, string>;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath: string }; secretKeyRef?: { name: string; key: string } };
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  mountPropagation?: "None" | "HostToContainer" | "Bidirectional";
}

export interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}

export interface Volume {
  name: string;
  configMap?: { name: string; items?: KeyToPath[]; defaultMode?: number };
  secret?: { secretName: string; items?: KeyToPath[]; defaultMode?: number };
  hostPath?: { path: string; type?: "Directory" | "DirectoryOrCreate" | "CharDevice" };
  emptyDir?: { medium?: string; sizeLimit?: string };
}

export interface Probe {
  tcpSocket?: { port: number };
  exec?: { command: string[] };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
}

export interface SecurityContext {
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
  readOnlyRootFilesystem?: boolean;
}

export interface ContainerPort {
  name: string;
  containerPort: number;
  protocol?: "TCP";
}

export interface Container {
  name: string;
  image: string;
  imagePullPolicy: "IfNotPresent" | "Always";
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  ports?: ContainerPort[];
  resources?: ResourceRequirements;
  volumeMounts?: VolumeMount[];
  securityContext?: SecurityContext;
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  lifecycle?: { preStop?: { exec: { command: string[] } } };
}

export interface PodAffinityTerm {
  labelSelector: LabelSelector;
  topologyKey: string;
}

export interface Affinity {
  podAntiAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
    preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; podAffinityTerm: PodAffinityTerm }[];
  };
}

export interface PodSpec {
  containers: Container[];
  /** Conditions a client sets through pods/status that must be True for Ready (KEP-580). */
  readinessGates?: Array<{ conditionType: string }>;
  initContainers?: Container[];
  volumes?: Volume[];
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  affinity?: Affinity;
  restartPolicy?: "Always" | "Never" | "OnFailure";
  terminationGracePeriodSeconds?: number;
  enableServiceLinks?: boolean;
  automountServiceAccountToken?: boolean;
  hostPID?: boolean;
  serviceAccountName?: string;
}

export interface PodTemplateSpec {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: PodSpec;
}

export interface PersistentVolumeClaimTemplate {
  metadata: { name: string; labels?: Record<string, string> };
  spec: {
    accessModes: string[];
    storageClassName: string;
    volumeMode?: "Filesystem" | "Block";
    resources: { requests: { storage: string } };
  };
}

export interface Service {
  apiVersion: "v1";
  kind: "Service";
  metadata: ObjectMeta;
  spec: {
    clusterIP: "None";
    publishNotReadyAddresses: boolean;
    selector: Record<string, string>;
    ports: { name: string; port: number; targetPort: number; protocol: "TCP" }[];
  };
}

export interface StatefulSet {
  apiVersion: "apps/v1";
  kind: "StatefulSet";
  metadata: ObjectMeta;
  spec: {
    serviceName: string;
    replicas: number;
    ordinals: { start: number };
    podManagementPolicy: "Parallel" | "OrderedReady";
    updateStrategy: { type: "RollingUpdate" | "OnDelete" };
    persistentVolumeClaimRetentionPolicy?: { whenDeleted: "Retain" | "Delete"; whenScaled: "Retain" | "Delete" };
    selector: LabelSelector;
    template: PodTemplateSpec;
    volumeClaimTemplates?: PersistentVolumeClaimTemplate[];
  };
}

export interface PodDisruptionBudget {
  apiVersion: "policy/v1";
  kind: "PodDisruptionBudget";
  metadata: ObjectMeta;
  spec: { maxUnavailable: number; selector: LabelSelector };
}

export interface DaemonSet {
  apiVersion: "apps/v1";
  kind: "DaemonSet";
  metadata: ObjectMeta;
  spec: {
    selector: LabelSelector;
    updateStrategy: { type: "RollingUpdate"; rollingUpdate: { maxUnavailable: number } } | { type: "OnDelete" };
    template: PodTemplateSpec;
  };
}

export interface Deployment {
  apiVersion: "apps/v1";
  kind: "Deployment";
  metadata: ObjectMeta;
  spec: { replicas: number; strategy: { type: "Recreate" }; selector: LabelSelector; template: PodTemplateSpec };
}

export interface Job {
  apiVersion: "batch/v1";
  kind: "Job";
  metadata: ObjectMeta;
  spec: { backoffLimit: number; activeDeadlineSeconds: number; template: PodTemplateSpec };
}

export interface CronJob {
  apiVersion: "batch/v1";
  kind: "CronJob";
  metadata: ObjectMeta;
  spec: { schedule: string; suspend: boolean; concurrencyPolicy: "Forbid"; successfulJobsHistoryLimit: number; failedJobsHistoryLimit: number; jobTemplate: { metadata: { labels: Record<string, string> }; spec: Job["spec"] } };
}

export interface ServiceAccount {
  apiVersion: "v1";
  kind: "ServiceAccount";
  metadata: ObjectMeta;
  automountServiceAccountToken?: boolean;
}

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

export interface Role {
  apiVersion: "rbac.authorization.k8s.io/v1";
  kind: "Role" | "ClusterRole";
  metadata: ObjectMeta;
  rules: PolicyRule[];
}

export interface RoleBinding {
  apiVersion: "rbac.authorization.k8s.io/v1";
  kind: "RoleBinding" | "ClusterRoleBinding";
  metadata: ObjectMeta;
  roleRef: { apiGroup: "rbac.authorization.k8s.io"; kind: "Role" | "ClusterRole"; name: string };
  subjects: Array<{ kind: "ServiceAccount"; name: string; namespace: string }>;
}

export interface ConfigMap {
  apiVersion: "v1";
  kind: "ConfigMap";
  metadata: ObjectMeta;
  data: Record<string, string>;
}

/** Requests and limits of one container, as Kubernetes quantities (cpu cores, memory bytes). */
export interface Resources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

/** The environment profile; it only labels objects here (policies read it), it changes no builder logic. */
export type Profile = "dev" | "staging" | "prod";

/** The image components Alibaba publishes (`init`: admin_cli with curl and python3, deploy/container/Dockerfile). */
export type ImageComponent = "mgmtd" | "meta" | "storage" | "fuse" | "admin-cli" | "init";

/** The 3FS images: `${registry}/3fs-${component}:${tag}[@${digests[component]}]`. */
export interface ImageSettings {
  /** Registry and path prefix, e.g. `ghcr.io/aliyuncontainerservice/alibabacloud-3fs` or an ACR mirror. */
  registry: string;
  /** Tag shared by the five images (Alibaba publishes `main`); never latest/dev, never a digest. */
  tag: string;
  /** Per-image digests (`sha256:<64 hex>`) pinning what the tag pointed at; recommended for every image. */
  digests?: Partial<Record<ImageComponent, string>>;
  /** Default IfNotPresent: a pinned image never changes, so pulling again only adds a registry dependency. */
  pullPolicy?: "IfNotPresent" | "Always";
}

/** The value of `app.kubernetes.io/component` on every 3FS object (the policy pack relies on these). */
export type Component = "mgmtd" | "meta" | "storage" | "fuse" | "admin-cli" | "bootstrap" | "check" | "fio" | "migrate" | "roll" | "replace" | "target-health" | MonitoringComponent;

/** Components of the optional metrics pipeline (lib/monitoring). */
export type MonitoringComponent = "monitor-collector" | "clickhouse" | "grafana" | "chain-exporter" | "clickhouse-schema";

/**
 * The components with a TOML ConfigMap of their own. The admin-cli ConfigMap (admin_cli.toml) is mounted
 * by the admin-cli Deployment and the bootstrap Job.
 */
export type ConfigComponent = "mgmtd" | "meta" | "storage" | "fuse" | "admin-cli";

/**
 * Everything the pure builders need, with every Pulumi Input already resolved to a plain value.
 * The component resolves its Inputs and hands this over; tests build it directly.
 */
export interface WorkloadInput {
  /** Stack-scoped name prefix of every object (DNS-1123 label, starts with a letter, ≤ 40 chars). */
  prefix: string;
  namespace: string;
  profile: Profile;
  /** 3FS cluster id passed to every process. */
  clusterId: string;
  images: ImageSettings;
  layout: PoolLayout;
  mgmtd: { replicas: number; resources: Resources };
  meta: { replicas: number; resources: Resources };
  storage: {
    nodes: number;
    /** The storage StatefulSets (lib/threefs/storageNodes.ts); default one set of `nodes` from 10000. */
    sets?: StorageSet[];
    disksPerNode: number;
    diskSizeGiB: number;
    storageClassName: string;
    resources: Resources;
  };
  fuse: { mountPath: string; resources: Resources };
  adminCli: { resources: Resources };
  /** Name of the FDB operator's `<cluster>-config` ConfigMap in `namespace`. */
  fdbClusterFileConfigMap: string;
  /** Name of the Secret holding the root token under TOKEN_SECRET_KEY. */
  tokenSecretName: string;
  /**
   * Name of the Secret holding each tenant's 3FS token under the tenant's name, mounted by the bootstrap Job
   * at TENANT_TOKEN_DIR; undefined when the stack has no tenants.
   */
  tenantTokensSecretName?: string;
  /**
   * Name of each component's TOML ConfigMap, `<prefix>-<component>-config-<hash of its own files>`
   * (named by the caller; buildWorkloads checks the names against the files).
   */
  configMaps: Record<ConfigComponent, string>;
  /**
   * Bootstrap ConfigMap name and the hash that names the bootstrap ConfigMap and Job: it covers the
   * bootstrap files and admin_cli.toml (what the Job runs and reads), nothing else.
   */
  bootstrap: { configMapName: string; hash: string };
  smokeTest: { enabled: boolean; fio: boolean; fioImage?: string };
  /**
   * The post-deploy check's ConfigMap name and hash (lib/threefs/check.ts), and whether the stack has client
   * nodes (the check then runs on one, with the mount; else on a meta node without the FUSE and io checks).
   */
  check: { configMapName: string; hash: string; onClient: boolean };
  /** How mgmtd, meta, admin-cli and the Jobs run (podParts.ts RdmaPodSecurity); storage and FUSE are always privileged. */
  rdmaPods: RdmaPodSecurity;
  /** Day-2 operations: chain replicas (the readiness gate's bound) and the storage nodes being replaced. */
  operations: { replicas: number; replace: number[] };
  /** Extra labels on every object (never on selectors). */
  labels: Record<string, string>;
}
