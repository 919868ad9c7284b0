/**
 * Where the storage node ids run: one StatefulSet (today's layout, every id 10000 + ordinal) or, with
 * `threefs:storage.zoneSpread`, one StatefulSet per zone whose ordinals start at 10000 + 1000·z, so a node
 * id names its zone and the placement lock can put each chain's replicas in different zones.
 *
 * Why per-zone StatefulSets: a StatefulSet's ordinals are contiguous from `spec.ordinals.start`
 * (Kubernetes ≥ 1.31) and its pods share one template, so one StatefulSet cannot pin an ordinal to a zone;
 * a zone's StatefulSet can (a `topology.kubernetes.io/zone` nodeSelector), and its EED disks are then
 * created in that zone (the EED StorageClass binds WaitForFirstConsumer).
 *
 * Nodes are dealt to zones round-robin by count (node i of the config goes to zone i mod Z), so growing
 * `storage.nodes` only appends ids and every zone holds ⌊n/Z⌋ or ⌈n/Z⌉ nodes, as ACK's BALANCE policy
 * spreads the storage pool's instances.
 *
 * Pure module: no cloud SDK imports.
 */
import { NODE_ID_BASE } from "./constants";

/** Ids of one zone's StatefulSet: 10000 + ZONE_ID_STRIDE·z + j. Also the most storage nodes of a zone. */
export const ZONE_ID_STRIDE = 1000;

/** One storage StatefulSet. */
export interface StorageSet {
  /** 0-based zone index (0 without zone spread). */
  zoneIndex: number;
  /** The zone its pods are pinned to; undefined without zone spread (pods go wherever the pool runs). */
  zone?: string;
  /** First ordinal = first node id. */
  start: number;
  /** Pods (storage nodes) of the set. */
  replicas: number;
}

/** The storage StatefulSets of `nodes` storage nodes. */
export function storageSets(nodes: number, zones: readonly string[], zoneSpread: boolean): StorageSet[] {
  if (!zoneSpread || zones.length < 2) return [{ zoneIndex: 0, start: NODE_ID_BASE.storage, replicas: nodes }];
  const z = zones.length;
  return zones.map((zone, i) => ({ zoneIndex: i, zone, start: NODE_ID_BASE.storage + ZONE_ID_STRIDE * i, replicas: Math.floor(nodes / z) + (i < nodes % z ? 1 : 0) }));
}

/** Every storage node id, ascending. */
export function storageNodeIds(nodes: number, zones: readonly string[], zoneSpread: boolean): number[] {
  return idsOfSets(storageSets(nodes, zones, zoneSpread));
}

/** The node ids of some storage sets, ascending; `undefined` sets: one set of `nodes` from 10000. */
export function idsOfSets(sets: readonly StorageSet[] | undefined, nodes = 0): number[] {
  const all = sets ?? [{ zoneIndex: 0, start: NODE_ID_BASE.storage, replicas: nodes }];
  return all.flatMap((s) => Array.from({ length: s.replicas }, (_, j) => s.start + j));
}

/** Zone index of a storage node id (0 for every id of a stack without zone spread: ids stay below 11000). */
export function storageZoneIndex(nodeId: number): number {
  return Math.floor((nodeId - NODE_ID_BASE.storage) / ZONE_ID_STRIDE);
}

/** Name of the StatefulSet running a zone's ids: the base name for zone 0 (unchanged resources), `-z<i>` after. */
export function storageSetName(base: string, zoneIndex: number): string {
  return zoneIndex === 0 ? base : `${base}-z${zoneIndex}`;
}

/** The pod of a storage node id (`<set>-<ordinal>`, the ordinal being the node id). */
export function storagePodName(base: string, nodeId: number): string {
  return `${storageSetName(base, storageZoneIndex(nodeId))}-${nodeId}`;
}
