/**
 * The `spec` of the FoundationDBCluster (apps.foundationdb.org/v1beta2) that holds the 3FS metadata,
 * built by a pure function from a typed input.
 *
 * The interfaces below mirror only the parts of the operator's v1beta2 schema this stack sets; every
 * field name is spelled exactly as the CRD spells it (snake_case inside `databaseConfiguration` and
 * `processCounts`, camelCase elsewhere). `test/fdb/schema.test.ts` validates the generated specs against
 * the CRD's OpenAPI schema, because the API server silently prunes fields the CRD does not know.
 *
 * Pure module: no cloud SDK imports.
 */
import type { Scheduling, Toleration } from "../roles";
import { PROFILE_LABEL } from "../threefs/constants";
import { type FdbProcessCountsInput, type FdbRedundancyMode, coordinatorCount } from "./topology";

export { type FdbProcessCountsInput, type FdbRedundancyMode, coordinatorCount, faultTolerance, fdbProcessCounts } from "./topology";

/** Storage engines the stack offers (a subset of the CRD's enum; see docs/foundationdb.md). */
export type FdbStorageEngine = "ssd-2" | "ssd-redwood-1-experimental" | "memory";
/** Environment profile, as in `threefs:profile`. */
export type FdbProfile = "dev" | "staging" | "prod";

/** CPU/memory for one container, as Kubernetes quantities (e.g. `"500m"`, `"2Gi"`). */
export interface ResourceRequirements {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

/** Everything the spec builder needs. Values come from the validated stack config. */
export interface FdbClusterInput {
  /** metadata.name of the FoundationDBCluster; pods are `<name>-<class>-<n>`, the cluster file ConfigMap `<name>-config`. */
  clusterName: string;
  /** Profile; becomes the `threefs.io/profile` label on every object the operator creates. */
  profile: FdbProfile;
  /** FDB server version `X.Y.Z`; must share X.Y with the libfdb_c in the 3FS images (7.1.61). */
  version: string;
  /** Replication of data and transaction logs; see {@link coordinatorCount} for the node minimum. */
  redundancyMode: FdbRedundancyMode;
  /** Storage engine of the storage servers. */
  storageEngine: FdbStorageEngine;
  /** Pods per process class; see {@link fdbProcessCounts} for the defaults. */
  processCounts: FdbProcessCountsInput;
  /** Node selector and tolerations of the meta role (`schedulingFor("meta", layout)`). */
  scheduling: Scheduling;
  /** Number of zones the meta nodes span (`threefs:zones` length); picks the fault domain. */
  zones: number;
  /** Requests/limits of the `foundationdb` container (one fdbserver per pod). */
  resources: ResourceRequirements;
  /** Requests/limits of the `foundationdb-kubernetes-sidecar` container. Default {@link DEFAULT_SIDECAR_RESOURCES}. */
  sidecarResources?: ResourceRequirements;
  /** StorageClass of the log/storage volumes (owned by the Disks component; Retain in prod). */
  storageClassName: string;
  /** Volume size per stateful (log/storage) pod, GiB. */
  storageGiB: number;
  /** ServiceAccount the FDB pods run as (needs pods get/watch/list/update/patch). */
  serviceAccountName: string;
  /** Registry/org of `fdb-kubernetes-monitor` (e.g. `foundationdb`, or an ACR mirror namespace). */
  imageRegistry: string;
  /** Extra labels for every object the operator creates (the profile label is always added). */
  labels?: Readonly<Record<string, string>>;
}

/** Sidecar resources: it only copies binaries during upgrades and reports pod state. */
export const DEFAULT_SIDECAR_RESOURCES: ResourceRequirements = {
  requests: { cpu: "100m", memory: "128Mi" },
  limits: { cpu: "500m", memory: "256Mi" },
};

/** The operator's label keys (v2 defaults without the deprecated unprefixed aliases). */
export const FDB_CLUSTER_LABEL = "foundationdb.org/fdb-cluster-name";
export const FDB_PROCESS_CLASS_LABEL = "foundationdb.org/fdb-process-class";
export const FDB_PROCESS_GROUP_ID_LABEL = "foundationdb.org/fdb-process-group-id";
/** Well-known node labels. */
export const HOSTNAME_KEY = "kubernetes.io/hostname";
export const ZONE_KEY = "topology.kubernetes.io/zone";
/** The variable fdb-kubernetes-monitor fills from the node's zone label when node watching is on. */
export const ZONE_NODE_LABEL_VAR = "$NODE_LABEL_TOPOLOGY_KUBERNETES_IO_ZONE";
/** UID/GID of the `fdb` user in the FoundationDB images. */
export const FDB_UID = 4059;

// ---- schema mirror (v1beta2) ----

export interface EnvVar { name: string; value: string }
export interface ContainerSecurityContext {
  allowPrivilegeEscalation: boolean;
  capabilities: { drop: string[] };
}
export interface PodSecurityContext {
  runAsUser: number;
  runAsGroup: number;
  fsGroup: number;
  runAsNonRoot: boolean;
  fsGroupChangePolicy: "OnRootMismatch" | "Always";
}
export interface ContainerOverride {
  name: string;
  resources: ResourceRequirements;
  securityContext: ContainerSecurityContext;
  env?: EnvVar[];
}
export interface TopologySpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: "DoNotSchedule" | "ScheduleAnyway";
  labelSelector: { matchLabels: Record<string, string> };
  matchLabelKeys: string[];
}
export interface FdbPodTemplate {
  metadata: { labels: Record<string, string> };
  spec: {
    serviceAccountName: string;
    nodeSelector: Record<string, string>;
    tolerations: Toleration[];
    securityContext: PodSecurityContext;
    topologySpreadConstraints?: TopologySpreadConstraint[];
    containers: ContainerOverride[];
  };
}
export interface FdbVolumeClaimTemplate {
  metadata: { labels: Record<string, string> };
  spec: {
    storageClassName: string;
    accessModes: ["ReadWriteOnce"];
    resources: { requests: { storage: string } };
  };
}
/** `faultDomain`: `key` is the locality/topology key, `valueFrom` a pod field path or `$VARIABLE`. */
export interface FaultDomain { key: string; valueFrom: string }
/** `processCounts`, CRD spelling. -1 means "no pods of this class". */
export interface ProcessCounts { storage: number; log: number; stateless: number; cluster_controller?: number }
export interface FdbClusterSpec {
  version: string;
  imageType: "unified";
  mainContainer: { imageConfigs: { baseImage: string }[] };
  databaseConfiguration: { redundancy_mode: FdbRedundancyMode; storage_engine: FdbStorageEngine };
  processCounts: ProcessCounts;
  faultDomain: FaultDomain;
  labels: {
    matchLabels: Record<string, string>;
    resourceLabels: Record<string, string>;
    processClassLabels: string[];
    processGroupIDLabels: string[];
  };
  automationOptions: { replacements: { enabled: boolean } };
  routing: { publicIPSource: "pod"; headlessService: boolean };
  processes: { general: { podTemplate: FdbPodTemplate; volumeClaimTemplate: FdbVolumeClaimTemplate } };
}

// ---- builders ----

/** How FDB spreads replicas: per node (`host`) or per zone (`zone`). */
export type FaultDomainMode = "host" | "zone";

/**
 * Zones become the fault domain only when there are at least as many zones as coordinators: the operator
 * picks every coordinator in a distinct fault domain (1 / 3 / 5 for single / double / triple), so a
 * triple cluster over 3 zones would never get its cluster file. With fewer zones the fault domain is the
 * node and {@link buildFdbClusterSpec} spreads each process class evenly over the zones instead.
 */
export function faultDomainMode(zones: number, redundancy: FdbRedundancyMode): FaultDomainMode {
  return zones > 1 && zones >= coordinatorCount(redundancy) ? "zone" : "host";
}

/** The `faultDomain` field for a mode. Zone values come from the node label, read by the unified image. */
export function faultDomainFor(mode: FaultDomainMode): FaultDomain {
  return mode === "zone" ? { key: ZONE_KEY, valueFrom: ZONE_NODE_LABEL_VAR } : { key: HOSTNAME_KEY, valueFrom: "spec.nodeName" };
}

/** True when the FDB pods read their node's labels (zone fault domain): the pod ServiceAccount then needs nodes get/list/watch. */
export function fdbPodsReadNodes(input: Pick<FdbClusterInput, "zones" | "redundancyMode">): boolean {
  return faultDomainMode(input.zones, input.redundancyMode) === "zone";
}

/** Labels on every object the operator creates for the cluster. */
export function fdbResourceLabels(input: Pick<FdbClusterInput, "clusterName" | "profile" | "labels">): Record<string, string> {
  // resourceLabels replaces the operator's default {fdb-cluster-name: <name>}, so it is repeated here.
  return { ...(input.labels ?? {}), [FDB_CLUSTER_LABEL]: input.clusterName, [PROFILE_LABEL]: input.profile };
}

/** `processCounts` in CRD spelling; `cluster_controller` only when set. */
function processCountsSpec(counts: FdbProcessCountsInput): ProcessCounts {
  const out: ProcessCounts = { storage: counts.storage, log: counts.log, stateless: counts.stateless };
  if (counts.clusterController !== undefined) out.cluster_controller = counts.clusterController;
  return out;
}

/** A fresh hardened container security context (fresh so that callers may mutate their copy). */
function hardened(): ContainerSecurityContext {
  return { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } };
}

/** The pod template shared by every process class (`processes.general`). */
function podTemplate(input: FdbClusterInput, mode: FaultDomainMode, labels: Record<string, string>): FdbPodTemplate {
  const main: ContainerOverride = { name: "foundationdb", resources: input.resources, securityContext: hardened() };
  // fdb-kubernetes-monitor only exports NODE_LABEL_* variables when asked to watch its node.
  if (mode === "zone") main.env = [{ name: "ENABLE_NODE_WATCH", value: "true" }];
  const sidecar: ContainerOverride = {
    name: "foundationdb-kubernetes-sidecar",
    resources: input.sidecarResources ?? DEFAULT_SIDECAR_RESOURCES,
    securityContext: hardened(),
  };
  const spec: FdbPodTemplate["spec"] = {
    serviceAccountName: input.serviceAccountName,
    nodeSelector: { ...input.scheduling.nodeSelector },
    tolerations: input.scheduling.tolerations.map((t) => ({ ...t })),
    // Non-root as the image's fdb user; fsGroup makes the cloud-disk volume writable for it.
    securityContext: { runAsUser: FDB_UID, runAsGroup: FDB_UID, fsGroup: FDB_UID, runAsNonRoot: true, fsGroupChangePolicy: "OnRootMismatch" },
    containers: [main, sidecar],
  };
  if (mode === "host" && input.zones > 1) {
    // Soft spread of each process class over the zones (matchLabelKeys adds the pod's own class).
    spec.topologySpreadConstraints = [
      {
        maxSkew: 1,
        topologyKey: ZONE_KEY,
        whenUnsatisfiable: "ScheduleAnyway",
        labelSelector: { matchLabels: { [FDB_CLUSTER_LABEL]: input.clusterName } },
        matchLabelKeys: [FDB_PROCESS_CLASS_LABEL],
      },
    ];
  }
  return { metadata: { labels: { ...labels } }, spec };
}

/** Builds the FoundationDBCluster `spec`. Pure and deterministic (golden-tested per profile). */
export function buildFdbClusterSpec(input: FdbClusterInput): FdbClusterSpec {
  const mode = faultDomainMode(input.zones, input.redundancyMode);
  const labels = fdbResourceLabels(input);
  return {
    version: input.version,
    // v2 default, set explicitly: the split image is deprecated and node-label localities need unified.
    imageType: "unified",
    // Unified image: main container and sidecar both run fdb-kubernetes-monitor:<version>.
    mainContainer: { imageConfigs: [{ baseImage: `${input.imageRegistry}/fdb-kubernetes-monitor` }] },
    databaseConfiguration: { redundancy_mode: input.redundancyMode, storage_engine: input.storageEngine },
    processCounts: processCountsSpec(input.processCounts),
    faultDomain: faultDomainFor(mode),
    labels: {
      matchLabels: { [FDB_CLUSTER_LABEL]: input.clusterName },
      resourceLabels: labels,
      processClassLabels: [FDB_PROCESS_CLASS_LABEL],
      processGroupIDLabels: [FDB_PROCESS_GROUP_ID_LABEL],
    },
    automationOptions: { replacements: { enabled: true } },
    // Pod IPs (VPC-internal with Terway): no Services, nothing public.
    routing: { publicIPSource: "pod", headlessService: false },
    processes: {
      general: {
        podTemplate: podTemplate(input, mode, labels),
        volumeClaimTemplate: {
          metadata: { labels: { ...labels } },
          spec: {
            storageClassName: input.storageClassName,
            accessModes: ["ReadWriteOnce"],
            resources: { requests: { storage: `${input.storageGiB}Gi` } },
          },
        },
      },
    },
  };
}

/** The name of the ConfigMap the operator writes for a cluster; key `cluster-file` holds the connection string. */
export function clusterFileConfigMapName(clusterName: string): string {
  return `${clusterName}-config`;
}
