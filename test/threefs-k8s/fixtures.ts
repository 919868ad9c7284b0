/**
 * Dev-like and prod-like inputs of the 3FS workload builders (resolved ThreeFs arguments), shaped
 * like the profiles in stacks/profiles.ts, and helpers to build and walk the objects.
 */
import { buildWorkloads, workloadList, type Workloads } from "../../lib/k8s/threefs/manifests";
import { planInput, type ResolvedArgs } from "../../lib/k8s/threefs/render";
import type { Container, WorkloadInput } from "../../lib/k8s/threefs/types";

const res = (reqCpu: string, reqMem: string, limCpu: string, limMem: string) => ({
  requests: { cpu: reqCpu, memory: reqMem },
  limits: { cpu: limCpu, memory: limMem },
});

/** Fixed fake digests (one per image) so the goldens do not depend on a registry. */
export const DIGESTS = {
  mgmtd: `sha256:${"1".repeat(64)}`,
  meta: `sha256:${"2".repeat(64)}`,
  storage: `sha256:${"3".repeat(64)}`,
  fuse: `sha256:${"4".repeat(64)}`,
  "admin-cli": `sha256:${"5".repeat(64)}`,
  init: `sha256:${"6".repeat(64)}`,
};

/**
 * Groups (1-based node indexes, as lib/chaintable's planPlacement gives them) where each of `nodes`
 * nodes is in exactly `perNode` pairs: ring pairs, repeated. Enough for the workloads; the placement
 * quality is lib/chaintable's business.
 */
export function ringPairs(nodes: number, perNode: number): number[][] {
  const groups: number[][] = [];
  for (let round = 0; round < perNode / 2; round++) for (let i = 0; i < nodes; i++) groups.push([i + 1, ((i + 1) % nodes) + 1]);
  return groups;
}

/** Groups of 3 over 6 nodes (1-based), each node in `perNode` groups: disjoint triples from rotating partitions. */
export function sixNodeTriples(perNode: number): number[][] {
  const partitions = [
    [[1, 2, 3], [4, 5, 6]],
    [[1, 4, 5], [2, 3, 6]],
    [[1, 2, 6], [3, 4, 5]],
    [[1, 3, 5], [2, 4, 6]],
  ];
  return Array.from({ length: perNode }, (_, i) => partitions[i % partitions.length]).flat();
}

/** dev: combined pool, 3 storage nodes with one 64 GiB disk, 2 replicas. */
export function devArgs(overrides: Partial<ResolvedArgs> = {}): ResolvedArgs {
  return {
    prefix: "threefs-dev",
    namespace: "threefs",
    profile: "dev",
    clusterId: "threefs-dev",
    images: { registry: "ghcr.io/aliyuncontainerservice/alibabacloud-3fs", tag: "main", digests: DIGESTS, pullPolicy: "IfNotPresent" },
    layout: "combined",
    mgmtd: { replicas: 2, resources: res("250m", "512Mi", "1", "1Gi") },
    meta: { replicas: 2, resources: res("500m", "1Gi", "2", "2Gi") },
    storage: { nodes: 3, disksPerNode: 1, diskSizeGiB: 64, storageClassName: "threefs-dev-eed", resources: res("1", "4Gi", "2", "6Gi") },
    fuse: { mountPath: "/mnt/3fs", resources: res("500m", "2Gi", "2", "4Gi") },
    adminCli: { resources: res("100m", "256Mi", "500m", "512Mi") },
    chains: { replicas: 2, targetsPerDisk: 16, stripeSize: 16, chunkSizeBytes: 1048576, groups: ringPairs(3, 16) },
    fdbClusterFileConfigMap: "threefs-dev-fdb-config",
    smokeTest: { enabled: true, fio: false },
    check: { pools: [{ pool: "all", nodeSelector: { "threefs.io/storage": "true", "threefs.io/meta": "true", "threefs.io/client": "true" }, nodes: 3, resource: "aliyun/erdma" }], clientSelector: { "threefs.io/client": "true" }, writeMiB: 64 },
    protect: false,
    ...overrides,
  };
}

/** prod: separate tainted pools, 6 storage nodes with four 2 TiB disks, 3 replicas, fio on. */
export function prodArgs(overrides: Partial<ResolvedArgs> = {}): ResolvedArgs {
  return {
    ...devArgs(),
    prefix: "threefs-prod",
    namespace: "threefs-prod",
    profile: "prod",
    clusterId: "threefs-prod",
    layout: "separate",
    mgmtd: { replicas: 3, resources: res("1", "2Gi", "2", "4Gi") },
    meta: { replicas: 3, resources: res("2", "4Gi", "8", "16Gi") },
    storage: { nodes: 6, disksPerNode: 4, diskSizeGiB: 2048, storageClassName: "threefs-prod-eed", resources: res("8", "48Gi", "16", "64Gi") },
    fuse: { mountPath: "/mnt/3fs", resources: res("4", "8Gi", "16", "32Gi") },
    chains: { replicas: 3, targetsPerDisk: 16, stripeSize: 16, chunkSizeBytes: 1048576, groups: sixNodeTriples(16) },
    fdbClusterFileConfigMap: "threefs-prod-fdb-config",
    smokeTest: { enabled: true, fio: true },
    check: {
      pools: [
        { pool: "storage", nodeSelector: { "threefs.io/storage": "true" }, nodes: 6, resource: "aliyun/erdma" },
        { pool: "meta", nodeSelector: { "threefs.io/meta": "true" }, nodes: 5, resource: "aliyun/erdma" },
        { pool: "client", nodeSelector: { "threefs.io/client": "true" }, nodes: 2, resource: "aliyun/erdma" },
      ],
      clientSelector: { "threefs.io/client": "true" },
      writeMiB: 64,
    },
    protect: true,
    labels: { "example.com/team": "ai-infra" },
    ...overrides,
  };
}

/** Builds the workloads of resolved arguments. */
export function build(args: ResolvedArgs): { input: WorkloadInput; workloads: Workloads; configFiles: Record<string, string> } {
  const { input, rendered } = planInput(args);
  return { input, workloads: buildWorkloads(input, rendered.files), configFiles: rendered.files.configFiles };
}

/** Every object of a build, in apply order. */
export function objects(args: ResolvedArgs): Record<string, unknown>[] {
  return workloadList(build(args).workloads) as Record<string, unknown>[];
}

/** Every container (init and regular) of an object with a pod template, with the object's kind/name. */
export function containersOf(obj: Record<string, unknown>): { owner: string; container: Container; init: boolean }[] {
  const spec = (obj as { spec?: { template?: { spec?: { containers?: Container[]; initContainers?: Container[] } } } }).spec;
  const pod = spec?.template?.spec;
  if (!pod) return [];
  const owner = `${String(obj.kind)}/${String((obj.metadata as { name: string }).name)}`;
  return [
    ...(pod.initContainers ?? []).map((container) => ({ owner, container, init: true })),
    ...(pod.containers ?? []).map((container) => ({ owner, container, init: false })),
  ];
}
