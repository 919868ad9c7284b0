/**
 * Throughput ceilings of a 3FS storage tier from plain per-node figures.
 *
 * Per storage node:
 * - **read**: min(network send, instance disk bandwidth, sum of the disks' read throughput). CRAQ
 *   serves reads from any replica, so every node serves reads.
 * - **write**: a client write of W bytes is stored on k replicas: the head pulls it from the client and
 *   each successor from its predecessor, so it crosses the network once per replica and is written once
 *   per replica. Spread over v nodes, each node receives and writes k·W/v, so the node's share of the
 *   cluster's client writes is min(network receive, instance disk bandwidth, sum of disk writes) ÷ k.
 * - IOPS alike: min(instance disk IOPS, sum of the disks' IOPS), writes ÷ k.
 * Cluster ceilings are v × the per-node figures (uniform load; the chain placement spreads targets
 * evenly). What clients can move is separately capped by the clients' own network bandwidth.
 *
 * Pure module: no cloud SDK imports.
 */
import type { DiskPerformance } from "./eed";

/** What limits a figure. */
export type Limit = "network" | "instance disk bandwidth" | "instance disk IOPS" | "disks" | "client network";

/** One storage node, as plain figures (bytes/s, bytes). */
export interface NodeShape {
  /** Sustained network bandwidth per direction, bytes/s. */
  networkBps: number;
  /** The instance's disk bandwidth over all its disks, bytes/s; null when it has no published cap. */
  diskCapBps: number | null;
  /** The instance's disk IOPS over all its disks; null when unknown. */
  diskCapIops: number | null;
  /** Disks per node. */
  disks: number;
  /** Capacity of one disk, bytes. */
  diskBytes: number;
  /** One disk's ceilings; null when no figure is published (the disks then do not limit). */
  disk: DiskPerformance | null;
}

/** A rate and what limits it. */
export interface Bounded {
  value: number;
  limit: Limit;
}

/** The smallest of the known candidates (the first on ties); candidates with null values are skipped. */
export function smallest(candidates: readonly { value: number | null; limit: Limit }[]): Bounded {
  let best: Bounded | null = null;
  for (const c of candidates) {
    if (c.value === null) continue;
    if (best === null || c.value < best.value) best = { value: c.value, limit: c.limit };
  }
  if (best === null) throw new Error("no known candidate");
  return best;
}

/** Per-node ceilings. */
export interface NodeCeilings {
  /** Client reads served by the node, bytes/s. */
  read: Bounded;
  /** Physical writes the node can take in (receive and write to disk), bytes/s. */
  ingest: Bounded;
  /** The node's share of client writes, bytes/s: ingest ÷ replicas. */
  write: Bounded;
  /** Read IOPS; null when no IOPS figure is known. */
  readIops: Bounded | null;
  /** The node's share of client write IOPS (÷ replicas); null when unknown. */
  writeIops: Bounded | null;
  /** Rates used by recovery: a whole node and a single disk. */
  transfer: { node: { sendBps: number; receiveBps: number }; disk: { sendBps: number; receiveBps: number } };
}

/** Ceilings of one node of `shape` in a cluster with `replicas` copies of every chunk. */
export function nodeCeilings(shape: NodeShape, replicas: number): NodeCeilings {
  const d = shape.disk;
  const D = shape.disks;
  const net = { value: shape.networkBps, limit: "network" as const };
  const cap = { value: shape.diskCapBps, limit: "instance disk bandwidth" as const };
  const read = smallest([net, cap, { value: d ? D * d.readBps : null, limit: "disks" }]);
  const ingest = smallest([net, cap, { value: d ? D * d.writeBps : null, limit: "disks" }]);
  const iopsCap = { value: shape.diskCapIops, limit: "instance disk IOPS" as const };
  const known = (b: readonly { value: number | null }[]) => b.some((c) => c.value !== null);
  const readIopsC = [iopsCap, { value: d ? D * d.readIops : null, limit: "disks" as const }];
  const writeIopsC = [iopsCap, { value: d ? D * d.writeIops : null, limit: "disks" as const }];
  const writeIops = known(writeIopsC) ? smallest(writeIopsC) : null;
  return {
    read,
    ingest,
    write: { value: ingest.value / replicas, limit: ingest.limit },
    readIops: known(readIopsC) ? smallest(readIopsC) : null,
    writeIops: writeIops ? { value: writeIops.value / replicas, limit: writeIops.limit } : null,
    transfer: {
      node: { sendBps: read.value, receiveBps: ingest.value },
      disk: {
        sendBps: smallest([net, cap, { value: d ? d.readBps : null, limit: "disks" }]).value,
        receiveBps: smallest([net, cap, { value: d ? d.writeBps : null, limit: "disks" }]).value,
      },
    },
  };
}

/** Cluster ceilings. */
export interface ClusterCeilings {
  /** v × node read, bytes/s. */
  read: Bounded;
  /** v × node write share, bytes/s. */
  write: Bounded;
  /** Reads clients can receive: client nodes × client network; null when no clients are known. */
  clientRead: number | null;
  /** What clients can actually read: min(read, clientRead). */
  deliverableRead: Bounded;
  /** What clients can actually write: min(write, client network send). */
  deliverableWrite: Bounded;
}

/** Cluster ceilings of `nodes` storage nodes and `clientNetworkBps` of client bandwidth (null: unknown). */
export function clusterCeilings(node: NodeCeilings, nodes: number, clientNetworkBps: number | null): ClusterCeilings {
  const read = { value: nodes * node.read.value, limit: node.read.limit };
  const write = { value: nodes * node.write.value, limit: node.write.limit };
  const client = { value: clientNetworkBps, limit: "client network" as const };
  return {
    read,
    write,
    clientRead: clientNetworkBps,
    deliverableRead: smallest([read, client]),
    deliverableWrite: smallest([write, client]),
  };
}
