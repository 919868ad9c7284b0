/**
 * The Kubernetes objects behind the model's processes, for the Jobs that act on them (roll, replacement,
 * the target-health gate): pods of the StatefulSets and the FUSE DaemonSet with their uid, template hash,
 * deletion and re-creation, readiness (containers and readiness gates), and the storage pods' claims.
 *
 * Sources (Kubernetes, the behaviour the Jobs rely on):
 *  - a deleted StatefulSet/DaemonSet pod is re-created by its controller with a new uid from the current
 *    template (OnDelete: only then, apps/v1 StatefulSetUpdateStrategy); the model re-creates it 2 s after;
 *  - `Ready` = `ContainersReady` and every `spec.readinessGates` condition True (pod-readiness-gate KEP-580,
 *    pkg/kubelet/status/generate.go GeneratePodReadyCondition); a gate condition is set by a client through
 *    the pods/status subresource and is absent (so not True) on a new pod;
 *  - a released ECS instance takes its EED disks with it (docs/node-pools.md); the pod garbage collector
 *    deletes pods of a node that no longer exists (pkg/controller/podgc, gcOrphaned) and the StatefulSet
 *    controller re-creates the pod, which stays Pending while its claims are bound to the lost disks' PVs
 *    (volume node affinity to the old instance); the model re-creates it 40 s after the loss;
 *  - a claim is protected from deletion only while a *scheduled* pod uses it (pkg/controller/volume/
 *    pvcprotection podUsesPVC checks spec.nodeName), and the StatefulSet controller creates the missing
 *    claims of a Pending pod (pkg/controller/statefulset/stateful_set_control.go, "trigger PVC creation
 *    to create missing PVCs"): deleting a lost claim gives the Pending pod a new, empty disk.
 */
import { storagePodName } from "../../lib/threefs/storageNodes";
import type { ModelState } from "./types";

export interface PodObject {
  uid: string;
  createdMs: number;
  /** The `threefs.io/template-hash` annotation it was created with. */
  templateHash: string;
  /** Deleted at this time; re-created (new uid) RECREATE_MS later. */
  deletedAtMs?: number;
  /** Readiness gate conditions set through pods/status, by type. */
  gates: Record<string, { status: string; reason?: string; message?: string }>;
}

export interface PvcObject {
  uid: string;
  /** Bound to a disk that no longer exists (its instance was released). */
  lost: boolean;
  /** Deletion requested while a scheduled pod used it: it goes when that pod does. */
  terminating: boolean;
}

export interface KubeObjects {
  pods: Record<string, PodObject>;
  pvcs: Record<string, PvcObject>;
  /** Instances (storage node ids) whose loss was applied. */
  lost: number[];
  seq: number;
}

/** The controller's re-creation delay after a deletion (model choice). */
export const RECREATE_MS = 2000;
/** The pod GC and the StatefulSet controller re-create a lost node's pod (model choice). */
export const LOST_RECREATE_MS = 40_000;

export function objects(s: ModelState): KubeObjects {
  return (s.k8s ??= { pods: {}, pvcs: {}, lost: [], seq: 0 });
}

function newUid(s: ModelState): string {
  const k = objects(s);
  k.seq += 1;
  return `uid-${k.seq}`;
}

/** The current template hash of a role's pods (the plan's), or "" without a Kubernetes view. */
export function templateHash(s: ModelState, role: string): string {
  return s.spec.kube?.workloads?.templateHashes[role as "mgmtd" | "meta" | "storage" | "fuse"] ?? "";
}

/** A pod's object, created on first sight with the current template. */
export function podObject(s: ModelState, name: string, role: string, ms: number): PodObject {
  const k = objects(s);
  let p = k.pods[name];
  if (!p) p = k.pods[name] = { uid: newUid(s), createdMs: Math.min(ms, s.simMs), templateHash: templateHash(s, role), gates: {} };
  // A deleted pod comes back from the current template once the controller re-created it.
  if (p.deletedAtMs !== undefined && ms >= p.deletedAtMs + RECREATE_MS) {
    Object.assign(p, { uid: newUid(s), createdMs: p.deletedAtMs + RECREATE_MS, templateHash: templateHash(s, role), deletedAtMs: undefined, gates: {} });
    // The deleted pod's claims that were waiting for it go; the new pod gets new ones (empty disks).
    for (const [claim, c] of Object.entries(k.pvcs)) if (c.terminating && claim.endsWith(`-${name}`)) k.pvcs[claim] = { uid: newUid(s), lost: false, terminating: false };
  }
  return p;
}

/** Claim names of a storage pod: `data<i>-<pod>` (volumeClaimTemplates data0…). */
export function claimsOf(s: ModelState, pod: string): string[] {
  return Array.from({ length: s.spec.storage.disksPerNode }, (_, i) => `data${i}-${pod}`);
}

function claim(s: ModelState, name: string): PvcObject {
  const k = objects(s);
  return (k.pvcs[name] ??= { uid: newUid(s), lost: false, terminating: false });
}

/** Applies the scenario's instance losses due by `ms`: the process dies, the disks go, the pod is re-created Pending. */
export function applyLosses(s: ModelState, ms: number, kill: (nodeId: number) => void): void {
  const k = objects(s);
  for (const l of s.scenario.lostInstances ?? []) {
    if (ms < l.at * 1000 || k.lost.includes(l.nodeId)) continue;
    k.lost.push(l.nodeId);
    const name = storagePodName(s.spec.storage.statefulSet, l.nodeId);
    kill(l.nodeId);
    s.storage[String(l.nodeId)] = [];
    for (const c of claimsOf(s, name)) claim(s, c).lost = true;
    const p = podObject(s, name, "storage", ms);
    // Deleted by the pod GC; re-created (Pending) after LOST_RECREATE_MS.
    p.deletedAtMs = ms + LOST_RECREATE_MS - RECREATE_MS;
  }
}

/** Why a pod has no running container at `ms` (deleted and not yet re-created, or Pending), or undefined. */
export function podDown(s: ModelState, name: string, role: string, ms: number): "deleted" | "pending" | undefined {
  const p = podObject(s, name, role, ms);
  if (p.deletedAtMs !== undefined && ms >= p.deletedAtMs) return "deleted";
  if (role === "storage" && claimsOf(s, name).some((c) => claim(s, c).lost)) return "pending";
  return undefined;
}

/** DELETE of a pod: graceful; the controller re-creates it. */
export function deletePod(s: ModelState, name: string, role: string, ms: number): void {
  const p = podObject(s, name, role, ms);
  if (p.deletedAtMs === undefined) p.deletedAtMs = ms;
}

/** DELETE of a claim: gone at once unless a scheduled pod uses it; a Pending pod then gets a new one. */
export function deleteClaim(s: ModelState, claimName: string, pod: string, ms: number): boolean {
  const k = objects(s);
  if (!k.pvcs[claimName] && !claimsOf(s, pod).includes(claimName)) return false;
  const c = claim(s, claimName);
  const scheduled = podDown(s, pod, "storage", ms) === undefined;
  if (scheduled) c.terminating = true;
  else k.pvcs[claimName] = { uid: newUid(s), lost: false, terminating: false };
  return true;
}

export function claimObject(s: ModelState, name: string): PvcObject {
  return claim(s, name);
}
