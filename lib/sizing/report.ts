/**
 * The sizing report of a storage configuration: the published figures it rests on, per-node and
 * cluster ceilings, usable capacity, the read ceiling with a node lost, and recovery times after
 * losing a node or a disk, computed from the chain groups the program actually ships.
 *
 * Inputs are plain (see {@link SizingInput}; lib/sizing/input.ts maps a stack config onto them), so the
 * model works with whatever placement the program computes.
 *
 * Pure module: no cloud SDK imports.
 */
import { pairBand } from "../chaintable/feasibility";
import { eedPerformance, EED_FORMULAS, isEedCategory, type DiskPerformance } from "./eed";
import { instanceFigures, instanceSourceAnchor, type InstanceFigures } from "./instanceTypes";
import { clusterCeilings, nodeCeilings, type ClusterCeilings, type NodeCeilings, type NodeShape } from "./model";
import { degradedReadBps, maxSharedChains, recoveryEstimate, type RecoveryEstimate } from "./recovery";
import { SOURCES, type AssumptionId, type SourceId } from "./sources";
import { GiB, gbps, grouped } from "./units";

/** What the model needs to know about a stack. */
export interface SizingInput {
  /** Storage nodes (v). */
  storageNodes: number;
  /** Instance types the storage pool may get (`threefs:storage.instanceTypes`). */
  storageTypes: readonly string[];
  disksPerNode: number;
  diskSizeGiB: number;
  /** EED category (`threefs:storage.diskCategory`). */
  diskCategory: string;
  /** Chain replicas (k). */
  replicas: number;
  /** Targets per disk (r). */
  targetsPerDisk: number;
  /** Nodes that mount 3FS and read it (FUSE clients). */
  clientNodes: number;
  /** Their instance types. */
  clientTypes: readonly string[];
}

/** Knobs of the recovery estimate. */
export interface SizingOptions {
  /** Used fraction of the disks, (0, 1]; default 1 (full disks: the worst case). */
  fill?: number;
  /** Fraction of the peers' bandwidth the resync may use, (0, 1]; default 1 (an idle cluster). */
  peerSpare?: number;
}

/** One published or assumed figure the report rests on. */
export interface FigureRow {
  what: string;
  value: string;
  /** URL (with section anchor) for a published figure; the assumption's id otherwise. */
  source: string;
  kind: "published" | "assumed";
}

/** The full report. */
export interface SizingReport {
  input: SizingInput;
  /** The chain groups the report was computed on. */
  groups: readonly (readonly number[])[];
  options: Required<SizingOptions>;
  /** Field-wise slowest of the storage types (null when a type has no figures). */
  storageFigures: InstanceFigures | null;
  disk: DiskPerformance | null;
  shape: NodeShape | null;
  node: NodeCeilings | null;
  cluster: ClusterCeilings | null;
  /** Cluster read ceiling with one storage node lost, bytes/s. */
  degradedReadBps: number | null;
  capacity: { perNodeRawGiB: number; totalRawGiB: number; usableGiB: number };
  placement: { maxShared: number; balancedMax: number };
  recovery: { node: RecoveryEstimate | null; disk: RecoveryEstimate | null };
  figures: FigureRow[];
  /** Assumptions the numbers rest on. */
  assumptions: AssumptionId[];
  /** Why a part of the report is missing. */
  problems: string[];
}

/** Field-wise minimum over several types: the pool can get any of them. */
export function slowestOf(types: readonly InstanceFigures[]): InstanceFigures {
  const min = (f: (t: InstanceFigures) => number) => Math.min(...types.map(f));
  const minBurst = (f: (t: InstanceFigures) => number | null) => {
    const v = types.map(f).filter((x): x is number => x !== null);
    return v.length === types.length ? Math.min(...v) : null;
  };
  if (types.length === 1) return types[0];
  return {
    type: types.map((t) => t.type).join(" | "),
    vcpu: min((t) => t.vcpu),
    memoryGiB: min((t) => t.memoryGiB),
    networkGbps: min((t) => t.networkGbps),
    networkBurstGbps: minBurst((t) => t.networkBurstGbps),
    diskIops: min((t) => t.diskIops),
    diskBurstIops: minBurst((t) => t.diskBurstIops),
    diskGbps: min((t) => t.diskGbps),
    diskBurstGbps: minBurst((t) => t.diskBurstGbps),
    source: types[0].source,
  };
}

function figuresOf(types: readonly string[], problems: string[], role: string): InstanceFigures | null {
  const found = types.map((t) => instanceFigures(t));
  const missing = types.filter((_, i) => found[i] === undefined);
  if (missing.length > 0) problems.push(`${role}: no published figures in lib/sizing/instanceTypes.ts for ${missing.join(", ")}`);
  if (types.length === 0 || missing.length > 0) return null;
  return slowestOf(found as InstanceFigures[]);
}

const url = (id: SourceId, anchor?: string) => `${SOURCES[id].url}${anchor ? `#${anchor}` : ""}`;
const burst = (v: number | null, unit: string) => (v === null ? "no burst" : `burst ${v} ${unit}`);

function instanceRows(types: readonly string[], role: string): FigureRow[] {
  return types.flatMap((t) => {
    const f = instanceFigures(t);
    if (!f) return [];
    return [
      {
        what: `${role} ${t}`,
        value: `${f.vcpu} vCPU, ${f.memoryGiB} GiB; network ${f.networkGbps} Gbit/s (${burst(f.networkBurstGbps, "Gbit/s")}); disk ${f.diskGbps} Gbit/s (${burst(f.diskBurstGbps, "Gbit/s")}), ${grouped(f.diskIops)} IOPS`,
        source: url(f.source, instanceSourceAnchor(f)),
        kind: "published" as const,
      },
    ];
  });
}

function diskRow(category: string, sizeGiB: number, d: DiskPerformance): FigureRow {
  const f = EED_FORMULAS[category as keyof typeof EED_FORMULAS];
  const r = (x: { perGiB: number; cap: number }) => `min(${x.perGiB} × ${sizeGiB}, ${grouped(x.cap)})`;
  return {
    what: `${category}, ${sizeGiB} GiB`,
    value: `read ${r(f.readMBps)} = ${d.readBps / 1e6} MB/s, write ${r(f.writeMBps)} = ${d.writeBps / 1e6} MB/s; IOPS read ${grouped(d.readIops)}, write ${grouped(d.writeIops)}`,
    source: url("eedPerformance", "elastic-ephemeral-disk-performance"),
    kind: "published",
  };
}

/** Sizes a stack's storage tier on the given chain groups. */
export function sizeStorage(input: SizingInput, groups: readonly (readonly number[])[], options: SizingOptions = {}): SizingReport {
  const opts = { fill: options.fill ?? 1, peerSpare: options.peerSpare ?? 1 };
  const problems: string[] = [];
  const storageFigures = figuresOf(input.storageTypes, problems, "storage");
  const clientFigures = input.clientNodes > 0 ? figuresOf(input.clientTypes, problems, "client") : null;
  let disk: DiskPerformance | null = null;
  if (isEedCategory(input.diskCategory)) disk = eedPerformance(input.diskCategory, input.diskSizeGiB);
  else problems.push(`storage: no published figures for disk category ${input.diskCategory}`);
  const diskBytes = input.diskSizeGiB * GiB;
  const shape: NodeShape | null = storageFigures && {
    networkBps: gbps(storageFigures.networkGbps),
    diskCapBps: gbps(storageFigures.diskGbps),
    diskCapIops: storageFigures.diskIops,
    disks: input.disksPerNode,
    diskBytes,
    disk,
  };
  const node = shape && nodeCeilings(shape, input.replicas);
  const clientBps = clientFigures ? input.clientNodes * gbps(clientFigures.networkGbps) : null;
  const cluster = node && clusterCeilings(node, input.storageNodes, clientBps);
  const base = { nodes: input.storageNodes, groups, replicas: input.replicas, targetsPerDisk: input.targetsPerDisk, diskBytes, ...opts };
  const recovery = {
    node: node && recoveryEstimate({ ...base, disksLost: input.disksPerNode, rates: node.transfer.node }),
    disk: node && recoveryEstimate({ ...base, disksLost: 1, rates: node.transfer.disk }),
  };
  if (input.replicas < 2) problems.push("recovery: replicas = 1 keeps one copy, a lost disk's data is gone");
  const perNodeRawGiB = input.disksPerNode * input.diskSizeGiB;
  const figures = [
    ...instanceRows(input.storageTypes, "storage"),
    ...(disk ? [diskRow(input.diskCategory, input.diskSizeGiB, disk)] : []),
    ...(input.clientNodes > 0 ? instanceRows(input.clientTypes, "client") : []),
  ];
  return {
    input,
    groups,
    options: opts,
    storageFigures,
    disk,
    shape,
    node,
    cluster,
    degradedReadBps: node && degradedReadBps(input.storageNodes, groups, input.replicas, input.targetsPerDisk, node.read.value),
    capacity: { perNodeRawGiB, totalRawGiB: perNodeRawGiB * input.storageNodes, usableGiB: Math.floor((perNodeRawGiB * input.storageNodes) / input.replicas) },
    placement: { maxShared: maxSharedChains(input.storageNodes, groups), balancedMax: pairBand(input.storageNodes, input.replicas, input.targetsPerDisk).hi },
    recovery,
    figures,
    assumptions: ["megabyte", "duplex", "erdmaBandwidth", "eedInstanceCap", "baseline", ...(input.storageTypes.length > 1 ? ["slowestType" as const] : []), "fullDisks", "parallelResync", "idleReplacement", "readSpread"],
    problems,
  };
}

/** The node-loss estimate of a report at another peer spare fraction (null when not computable). */
export function nodeRecoveryAt(r: SizingReport, peerSpare: number): RecoveryEstimate | null {
  if (!r.node || !r.shape) return null;
  const i = r.input;
  return recoveryEstimate({ nodes: i.storageNodes, groups: r.groups, replicas: i.replicas, targetsPerDisk: i.targetsPerDisk, disksLost: i.disksPerNode, diskBytes: r.shape.diskBytes, fill: r.options.fill, peerSpare, rates: r.node.transfer.node });
}
