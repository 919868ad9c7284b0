/**
 * How long a 3FS cluster needs to re-replicate after losing one storage node (or one disk), computed
 * from the actual chain placement, and how much read throughput it keeps meanwhile.
 *
 * How 3FS recovers (sources `threefsDesign`, `threefsResync`): a chain's membership never changes. A
 * failed target is marked offline and moved to the end of its chain; the chain keeps serving from the
 * others. When the target comes back (the replacement node takes the lost node's id and gets new,
 * empty targets, see README "Replacing a storage node"), mgmtd makes it SYNCING behind the serving
 * targets, and the serving target just before it, the chain's last serving member, streams it every
 * chunk as full-chunk-replace writes. So per chain exactly one peer sends and the returning target
 * receives; all chains resync in parallel.
 *
 * Consequences the model encodes:
 * - The **receiver** is one node: it must take in everything the lost node held, at its own receive
 *   rate (network, instance disk bandwidth, disk writes). The placement cannot change this part.
 * - The **senders** are the lost node's chain peers. A peer p sends at most the chains it shares with
 *   the lost node x (the pair count c(x, p) per disk index); on a freshly uploaded table it sends those
 *   where it is the last surviving member in chain order (members are listed by ascending node id), but
 *   3FS reorders chains as targets fail and return, so the model uses the pair count, an upper bound
 *   that holds for any order. The busiest peer bounds the sender side, at the bandwidth it can spare.
 * - Recovery time = max(receiver time, busiest sender time), worst case over which node is lost.
 * - While degraded, a lost node's reads move to its chains' surviving members (reads are spread over a
 *   chain's targets): the busiest peer saturates first, which caps the cluster's read throughput.
 *
 * `groups` are the placement's chain groups: 1-based storage node indexes, one group per chain, the
 * same groups on every disk index (lib/chaintable/files.ts builds chain (d, g) from group g on disk d).
 *
 * Pure module: no cloud SDK imports.
 */

/** Shared chains per peer: peer index → chains per disk index it shares with `lost`. */
export function sharedChains(groups: readonly (readonly number[])[], lost: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const g of groups) {
    if (!g.includes(lost)) continue;
    for (const p of g) if (p !== lost) out.set(p, (out.get(p) ?? 0) + 1);
  }
  return out;
}

/**
 * Chains per peer that the peer resyncs on a table as first uploaded: the last surviving member in
 * ascending node order (3FS keeps serving targets in order and puts the returning one after them).
 */
export function freshTableSenders(groups: readonly (readonly number[])[], lost: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const g of groups) {
    if (!g.includes(lost)) continue;
    let tail = -1;
    for (const p of g) if (p !== lost && p > tail) tail = p;
    if (tail > 0) out.set(tail, (out.get(tail) ?? 0) + 1);
  }
  return out;
}

/** Largest value of a count map (0 for an empty one), and its key (lowest key on ties). */
function busiest(m: ReadonlyMap<number, number>): { peer: number; chains: number } {
  let peer = 0;
  let chains = 0;
  for (const [p, c] of [...m].sort((a, b) => a[0] - b[0])) {
    if (c > chains) {
      peer = p;
      chains = c;
    }
  }
  return { peer, chains };
}

/** The largest pair count of the placement over all node pairs (0 without pairs). */
export function maxSharedChains(nodes: number, groups: readonly (readonly number[])[]): number {
  let max = 0;
  for (let x = 1; x <= nodes; x++) max = Math.max(max, busiest(sharedChains(groups, x)).chains);
  return max;
}

/** Transfer rates of one storage node, bytes/s at full bandwidth. */
export interface TransferRates {
  /** What a peer can read from its disks and send (min of disk reads, instance disk bandwidth, network). */
  sendBps: number;
  /** What the replacement can receive and write (min of network, instance disk bandwidth, disk writes). */
  receiveBps: number;
}

/** Inputs of a recovery estimate. */
export interface RecoveryParams {
  /** Storage nodes (v); node indexes 1..v. */
  nodes: number;
  groups: readonly (readonly number[])[];
  /** Chain replicas (k). */
  replicas: number;
  /** Targets per disk (r). */
  targetsPerDisk: number;
  /** Disk indexes that fail together: all disks of a node (node loss) or 1 (disk loss). */
  disksLost: number;
  /** Bytes of one disk. */
  diskBytes: number;
  /** Used fraction of the disks, 0–1. */
  fill: number;
  /** Fraction of the peers' bandwidth the resync may use, (0, 1]; the replacement is idle. */
  peerSpare: number;
  /** Rates for moving `disksLost` disks' worth of targets (node rates, or one disk's rates). */
  rates: TransferRates;
}

/** Result of a recovery estimate (worst case over which node is lost). */
export interface RecoveryEstimate {
  /** max(receiverSeconds, senderSeconds). */
  seconds: number;
  /** Which side takes longer. */
  bound: "receiver" | "sender";
  /** Time for the replacement to take in `bytes`. */
  receiverSeconds: number;
  /** Time for the busiest peer to send its share (pair-count bound). */
  senderSeconds: number;
  /** The same on a table as first uploaded (3FS's last-serving-member rule). */
  freshSenderSeconds: number;
  /** The lost node of the worst case. */
  lostNode: number;
  /** Busiest peer (pair-count bound) and the chains per disk index it shares with the lost node. */
  busiestPeer: number;
  busiestChains: number;
  /** Busiest sender's chains per disk index on a fresh table. */
  freshBusiestChains: number;
  /** Bytes the replacement receives. */
  bytes: number;
}

/**
 * Worst-case recovery after losing `disksLost` disk indexes of one node. Null without a copy to
 * recover from (replicas = 1) or without data (fill 0).
 */
export function recoveryEstimate(p: RecoveryParams): RecoveryEstimate | null {
  if (p.replicas < 2 || p.fill <= 0 || p.nodes < 2) return null;
  const bytesPerTarget = (p.fill * p.diskBytes) / p.targetsPerDisk;
  const bytes = p.disksLost * p.targetsPerDisk * bytesPerTarget;
  const receiverSeconds = bytes / p.rates.receiveBps;
  const senderRate = p.peerSpare * p.rates.sendBps;
  let worst: RecoveryEstimate | null = null;
  for (let x = 1; x <= p.nodes; x++) {
    const bound = busiest(sharedChains(p.groups, x));
    const fresh = busiest(freshTableSenders(p.groups, x));
    const senderSeconds = (p.disksLost * bound.chains * bytesPerTarget) / senderRate;
    const freshSenderSeconds = (p.disksLost * fresh.chains * bytesPerTarget) / senderRate;
    const seconds = Math.max(receiverSeconds, senderSeconds);
    if (worst === null || seconds > worst.seconds || (seconds === worst.seconds && freshSenderSeconds > worst.freshSenderSeconds)) {
      worst = {
        seconds,
        bound: senderSeconds > receiverSeconds ? "sender" : "receiver",
        receiverSeconds,
        senderSeconds,
        freshSenderSeconds,
        lostNode: x,
        busiestPeer: bound.peer,
        busiestChains: bound.chains,
        freshBusiestChains: fresh.chains,
        bytes,
      };
    }
  }
  return worst;
}

/**
 * Cluster read ceiling with one node lost, bytes/s: every target serves an equal share L of its
 * chain's reads; losing x adds L/(k−1) per shared chain to each peer, so the busiest peer (largest pair
 * count c) carries D·L·(r + c/(k−1)) and saturates at the node read ceiling. The chains still serve
 * v·D·r·L in total, so the ceiling is v · r · nodeRead / (r + c/(k−1)). Null for replicas = 1 (chains
 * of the lost node are unavailable).
 */
export function degradedReadBps(nodes: number, groups: readonly (readonly number[])[], replicas: number, targetsPerDisk: number, nodeReadBps: number): number | null {
  if (replicas < 2 || nodes < 2) return null;
  const c = maxSharedChains(nodes, groups);
  return (nodes * targetsPerDisk * nodeReadBps) / (targetsPerDisk + c / (replicas - 1));
}
