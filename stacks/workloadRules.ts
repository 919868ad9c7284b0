/**
 * Rules for the in-cluster part of the stack (3FS workloads, FoundationDB volumes, resources), checked
 * with the config so that a value the workload builders would refuse fails `pulumi preview` up front,
 * before any cloud resource is registered, instead of throwing half-way through `pulumi up`.
 *
 * Pure module: no cloud SDK imports. The validators are the workload builders' own, so the two can
 * never disagree.
 */
import { validateMountPath } from "../lib/k8s/threefs/clients";
import { validateImages } from "../lib/k8s/threefs/images";
import { validatePrefix } from "../lib/k8s/threefs/names";
import { parseQuantity } from "../lib/k8s/quantity";
import { roleNodeCounts } from "../lib/nodepools/plan";
import { MIN_STORAGE_MEMORY_BYTES } from "../lib/threefs/toml";
import type { Cfg } from "./rules";

/**
 * Smallest ESSD size per performance level (GiB): a claim below it never binds. PL0 and ESSD Entry start
 * at 1 GiB (well below this schema's 10 GiB floor), PL1 at 20, PL2 at 461, PL3 at 1,261 (Alibaba's
 * ESSD specifications).
 */
export const ESSD_MIN_GIB: Readonly<Record<"PL0" | "PL1" | "PL2" | "PL3", number>> = { PL0: 1, PL1: 20, PL2: 461, PL3: 1261 };

/** All workload problems of a shape-valid config. */
export function workloadProblems(cfg: Cfg): string[] {
  return [...nameProblems(cfg), ...imageProblems(cfg), ...resourceProblems(cfg), ...fdbVolumeProblems(cfg), ...clientProblems(cfg)];
}

function caught(prefix: string, fn: () => void): string[] {
  try {
    fn();
    return [];
  } catch (e) {
    return [`${prefix}: ${(e as Error).message}`];
  }
}

function nameProblems(cfg: Cfg): string[] {
  return [
    // Every Kubernetes name is `threefs-<stack>-…`; Service names must be DNS-1035 labels.
    ...caught(`stack name "${cfg.stack}"`, () => validatePrefix(`threefs-${cfg.stack}`)),
    ...caught("threefs:fs.mountPath", () => validateMountPath(cfg.fs.mountPath)),
  ];
}

function imageProblems(cfg: Cfg): string[] {
  const { registry, tag, digests, pullPolicy } = cfg.images;
  return caught("threefs:images", () => validateImages({ registry, tag, digests: { ...digests }, pullPolicy }));
}

function resourceProblems(cfg: Cfg): string[] {
  const out: string[] = [];
  for (const [role, r] of Object.entries(cfg.resources)) {
    for (const dim of ["cpu", "memory"] as const) {
      const req = parseQuantity(r.requests[dim]);
      const lim = parseQuantity(r.limits[dim]);
      // The API server rejects a container whose request exceeds its limit.
      if (req > lim) out.push(`threefs:resources.${role}.requests.${dim}: ${r.requests[dim]} exceeds limits.${dim} ${r.limits[dim]}`);
    }
  }
  const storageMem = parseQuantity(cfg.resources.storage.limits.memory);
  if (storageMem < MIN_STORAGE_MEMORY_BYTES) {
    out.push(`threefs:resources.storage.limits.memory: must be ≥ ${MIN_STORAGE_MEMORY_BYTES / 2 ** 30}Gi (the storage service's RDMA buffer pool is sized from it); got ${cfg.resources.storage.limits.memory}`);
  }
  return out;
}

function fdbVolumeProblems(cfg: Cfg): string[] {
  if (cfg.fdb.diskCategory !== "cloud_essd") return [];
  const min = ESSD_MIN_GIB[cfg.fdb.performanceLevel];
  if (cfg.fdb.storageGiB >= min) return [];
  return [`threefs:fdb.storageGiB: ESSD ${cfg.fdb.performanceLevel} volumes start at ${min} GiB (got ${cfg.fdb.storageGiB}); the claims would never bind. Raise it or lower threefs:fdb.performanceLevel`];
}

function clientProblems(cfg: Cfg): string[] {
  if (!cfg.smokeTest.enabled || roleNodeCounts(cfg).client > 0) return [];
  return ["threefs:smokeTest.enabled: the smoke test runs on a client node, but there are none (threefs:client.nodes is 0); add client nodes or disable it"];
}
