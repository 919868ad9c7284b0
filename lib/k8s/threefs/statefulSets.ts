/**
 * StatefulSets and PodDisruptionBudgets of the three 3FS services: mgmtd, meta and storage.
 *
 * Node ids: each StatefulSet starts its ordinals at the service's NODE_ID_BASE (`spec.ordinals.start`,
 * GA in Kubernetes 1.31) and Kubernetes ≥ 1.32 labels every pod with its ordinal as
 * `apps.kubernetes.io/pod-index`. Ordinals run from `start` to `start + replicas - 1`, so the label *is*
 * the node id (storage pod 10002 has node id 10002); the downward API puts it into an env var that the
 * container args reference as `$(VAR)`. A pod keeps its id across restarts and reschedules, and a
 * storage pod keeps its disks (claims are per ordinal), which is what 3FS's chain table assumes.
 *
 * Pure module: no cloud SDK imports.
 */
import { storageSetName } from "../../threefs/storageNodes";
import { AIO_MAX_NR, NODE_ID_BASE, PORTS, targetPath, type ThreeFsService } from "../../threefs/constants";
import { CHAINS_SERVING_GATE } from "../../threefs/dayTwo";
import { gibQuantity } from "../quantity";
import { imageRef, pullPolicy } from "./images";
import { objectLabels, objectNames, selectorLabels } from "./names";
import {
  BINARIES,
  configVolume,
  fdbVolume,
  hostAntiAffinity,
  launch,
  privilegedSecurityContext,
  rdmaResources,
  rdmaSecurityContext,
  scheduling,
  tcpProbes,
} from "./podParts";
import { PORT_NAMES } from "./services";
import type { Container, PersistentVolumeClaimTemplate, PodDisruptionBudget, StatefulSet, Volume, VolumeMount, WorkloadInput } from "./types";

/** The label Kubernetes (≥ 1.32) sets to a StatefulSet pod's ordinal. */
export const POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";

/** How a service's process is started: its arguments and the env var they read the node id from. */
export interface ServiceLaunch {
  args: string[];
  nodeIdEnv: string;
}

/** Seconds each service may take to start (FDB/mgmtd waits, target loading) and to stop (flushes). */
const TIMINGS: Readonly<Record<ThreeFsService, { startup: number; grace: number }>> = {
  mgmtd: { startup: 600, grace: 60 },
  meta: { startup: 600, grace: 120 },
  // storage_main's systemd unit allows 5 minutes to stop; in-flight writes of its chains finish first.
  storage: { startup: 900, grace: 300 },
};

/** Name of the claim template (and volume) of disk `i`: data0, data1, … */
export function dataVolumeName(i: number): string {
  return `data${i}`;
}

/** The 3FS container of a service. */
function serviceContainer(input: WorkloadInput, service: ThreeFsService, run: ServiceLaunch, mounts: VolumeMount[]): Container {
  const ports = PORTS[service];
  const resources = input[service].resources;
  return {
    name: service,
    image: imageRef(input.images, service),
    imagePullPolicy: pullPolicy(input.images),
    ...launch(BINARIES[service], run.args),
    env: [{ name: run.nodeIdEnv, valueFrom: { fieldRef: { fieldPath: `metadata.labels['${POD_INDEX_LABEL}']` } } }],
    ports: [
      { name: PORT_NAMES.rdma, containerPort: ports.rdma, protocol: "TCP" },
      { name: PORT_NAMES.tcp, containerPort: ports.tcp, protocol: "TCP" },
    ],
    resources: rdmaResources(resources),
    volumeMounts: mounts,
    // storage runs privileged: storage_main runs `blkid -s UUID` and `lsblk` to map each target path to
    // its disk's file-system UUID and refuses a target whose UUID it cannot find. The EED volumes are
    // mounted by the CSI driver, so their block devices (/dev/vdX, named at attach time) are not in an
    // unprivileged container's /dev, and a device cgroup rule cannot name them in advance.
    securityContext: service === "storage" ? privilegedSecurityContext() : rdmaSecurityContext(input.rdmaPods),
    ...tcpProbes(ports.tcp, TIMINGS[service].startup),
  };
}

/**
 * The `node-tuning` init container of storage pods: raises the host sysctl fs.aio-max-nr to AIO_MAX_NR
 * (never lowers it). It is not a namespaced sysctl, so only a privileged container can write it; it
 * runs before storage_main, unlike a postStart hook, and uses the storage image (no extra image to pin
 * or pull). Writing /proc/sys avoids depending on procps being in the image.
 */
export function nodeTuningContainer(input: WorkloadInput): Container {
  const file = "/proc/sys/fs/aio-max-nr";
  const script = [
    "set -eu",
    `current=\`cat ${file}\``,
    `if [ "$current" -lt ${AIO_MAX_NR} ]; then echo ${AIO_MAX_NR} > ${file}; fi`,
    `echo "fs.aio-max-nr =" \`cat ${file}\``,
  ].join("\n");
  return {
    name: "node-tuning",
    image: imageRef(input.images, "storage"),
    imagePullPolicy: pullPolicy(input.images),
    command: ["/bin/sh", "-c", script],
    resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
    securityContext: privilegedSecurityContext(),
  };
}

/** The storage disks: `disksPerNode` claims of `diskSizeGiB` on the EED StorageClass. */
export function dataClaimTemplates(input: WorkloadInput): PersistentVolumeClaimTemplate[] {
  const labels = objectLabels(input.prefix, "storage", input.profile, input.labels);
  return Array.from({ length: input.storage.disksPerNode }, (_, i) => ({
    metadata: { name: dataVolumeName(i), labels },
    spec: {
      accessModes: ["ReadWriteOnce"],
      storageClassName: input.storage.storageClassName,
      volumeMode: "Filesystem",
      resources: { requests: { storage: gibQuantity(input.storage.diskSizeGiB) } },
    },
  }));
}

/** Volumes and mounts of a service's pods (storage's disks come from claim templates instead). */
function serviceVolumes(input: WorkloadInput, service: ThreeFsService): { volumes: Volume[]; mounts: VolumeMount[] } {
  const parts = [configVolume(input.configMaps[service])];
  // mgmtd and meta keep their state in FoundationDB; storage never talks to it.
  if (service !== "storage") parts.push(fdbVolume(input.fdbClusterFileConfigMap));
  const mounts = parts.map((p) => p.mount);
  if (service === "storage") {
    for (let i = 0; i < input.storage.disksPerNode; i++) mounts.push({ name: dataVolumeName(i), mountPath: targetPath(i) });
  }
  return { volumes: parts.map((p) => p.volume), mounts };
}

/** Replicas of a service's StatefulSet. */
export function serviceReplicas(input: WorkloadInput, service: ThreeFsService): number {
  return service === "storage" ? (input.storage.sets?.[0].replicas ?? input.storage.nodes) : input[service].replicas;
}

/** Label of a storage pod's zone index, set only with zone spread (it tells the zones' StatefulSets apart). */
export const STORAGE_ZONE_LABEL = "threefs.io/storage-zone";
/** The well-known node label of the zone (https://kubernetes.io/docs/reference/labels-annotations-taints/#topologykubernetesiozone). */
export const ZONE_NODE_LABEL = "topology.kubernetes.io/zone";

/**
 * With zone spread (more than one storage set): the storage StatefulSet becomes zone 0's and a copy is made
 * for each other zone (`<name>-z<i>`, ordinals from the zone's id block, lib/threefs/storageNodes.ts), each
 * pinned to its zone by a nodeSelector and told apart by a zone label in its selector. The template hash
 * (already on the template) stays the shared one: the zone fields never change, so the roll Job compares
 * every storage pod with one hash. Returns the other zones' StatefulSets (none without zone spread).
 */
export function zoneStorageSets(input: WorkloadInput, storage: StatefulSet): StatefulSet[] {
  const sets = input.storage.sets ?? [];
  if (sets.length < 2) return [];
  const base = JSON.stringify(storage);
  return sets.map((set, i) => {
    const sts: StatefulSet = i === 0 ? storage : JSON.parse(base);
    const zoneLabel = { [STORAGE_ZONE_LABEL]: String(set.zoneIndex) };
    sts.metadata.name = storageSetName(storage.metadata.name, set.zoneIndex);
    sts.metadata.labels = { ...sts.metadata.labels, ...zoneLabel };
    sts.spec.replicas = set.replicas;
    sts.spec.ordinals = { start: set.start };
    sts.spec.selector = { matchLabels: { ...sts.spec.selector.matchLabels, ...zoneLabel } };
    sts.spec.template.metadata.labels = { ...sts.spec.template.metadata.labels, ...zoneLabel };
    sts.spec.template.spec.nodeSelector = { ...sts.spec.template.spec.nodeSelector, [ZONE_NODE_LABEL]: set.zone! };
    return sts;
  }).slice(1);
}

/** The StatefulSet of one 3FS service. */
export function serviceStatefulSet(input: WorkloadInput, service: ThreeFsService, run: ServiceLaunch): StatefulSet {
  const names = objectNames(input.prefix);
  const labels = objectLabels(input.prefix, service, input.profile, input.labels);
  const { volumes, mounts } = serviceVolumes(input, service);
  const storage = service === "storage";
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: names[service], namespace: input.namespace, labels },
    spec: {
      serviceName: names[service],
      replicas: serviceReplicas(input, service),
      ordinals: { start: NODE_ID_BASE[service] },
      // Peers find each other through mgmtd, not through start order; ordered start would only make a
      // fresh cluster wait for each pod's readiness in turn (and mgmtd is not ready before peers exist).
      podManagementPolicy: "Parallel",
      // OnDelete for every service: a storage restart takes the pod's targets offline and its chains must
      // resync them before the next pod may go; an mgmtd restart can move the primary (a lease change makes
      // every chain newborn for 2 minutes, RoutingInfo.cc:168-171); the StatefulSet controller sees neither.
      // The roll Job (lib/threefs/scripts/roll.sh) restarts outdated pods one at a time, gated on the chains.
      updateStrategy: { type: "OnDelete" },
      // Claims are never deleted with the StatefulSet, in every profile. Pulumi replaces the StatefulSet
      // when its volumeClaimTemplates change (disk count or size) and on a rename; with Delete, that would
      // destroy every target while FoundationDB still holds the chain table and the file metadata.
      persistentVolumeClaimRetentionPolicy: storage ? { whenDeleted: "Retain", whenScaled: "Retain" } : undefined,
      selector: { matchLabels: selectorLabels(input.prefix, service) },
      template: {
        metadata: { labels },
        spec: {
          ...scheduling(service === "storage" ? "storage" : "meta", input.layout),
          affinity: hostAntiAffinity(input.prefix, service, storage),
          initContainers: storage ? [nodeTuningContainer(input)] : undefined,
          containers: [serviceContainer(input, service, run, mounts)],
          // Storage readiness follows the chains (the target-health Deployment sets the gate): a pod is Ready
          // only while every chain holding one of its targets has its replicas serving, so the PDB lets no
          // drain take a second replica of a degraded chain.
          readinessGates: storage ? [{ conditionType: CHAINS_SERVING_GATE }] : undefined,
          volumes,
          terminationGracePeriodSeconds: TIMINGS[service].grace,
          enableServiceLinks: false,
          automountServiceAccountToken: false,
        },
      },
      volumeClaimTemplates: storage ? dataClaimTemplates(input) : undefined,
    },
  };
}

/**
 * A PodDisruptionBudget allowing one voluntary disruption (drain, node-pool upgrade) at a time. For
 * storage this keeps every chain with at least replicas − 1 live targets while nodes are drained; for
 * mgmtd and meta it keeps a primary candidate and metadata service up.
 */
export function disruptionBudget(input: WorkloadInput, service: ThreeFsService): PodDisruptionBudget {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: {
      name: objectNames(input.prefix)[service],
      namespace: input.namespace,
      labels: objectLabels(input.prefix, service, input.profile, input.labels),
    },
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(input.prefix, service) } },
  };
}
