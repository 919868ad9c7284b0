/**
 * DeepSeek's published reference point, run through the same model: 180 storage nodes, each with
 * 2 × 200 Gbps InfiniBand NICs and sixteen 14 TiB NVMe SSDs, read by 500+ clients with one 200 Gbps NIC
 * each, reached about 6.6 TiB/s aggregate read "with background traffic from training jobs" (3FS
 * README.md:30, source `threefsReadme`).
 *
 * What the README does not give, and the model therefore cannot use: the SSDs' read throughput, the
 * replication factor, and the NICs' usable data rate (nominal 200 Gbit/s is used). So the ceiling here
 * is the storage network's; the disks are reported as the per-SSD rate they would need for the
 * network to be the limit.
 *
 * Pure module: no cloud SDK imports.
 */
import { clusterCeilings, nodeCeilings, type NodeShape } from "./model";
import { SOURCES } from "./sources";
import { formatRate, GB, gbps, TiB } from "./units";

/** The published shape (README.md:30). */
export const DEEPSEEK_SHAPE = {
  storageNodes: 180,
  nicsPerNode: 2,
  nicGbps: 200,
  ssdsPerNode: 16,
  ssdTiB: 14,
  /** "Approximately 500+ client nodes": 500 is used (a lower bound). */
  clientNodes: 500,
  clientNicGbps: 200,
  /** Reported aggregate read, TiB/s. */
  reportedReadTiBps: 6.6,
} as const;

/** The reference through the model. */
export interface ReferenceResult {
  perNodeNetworkBps: number;
  /** Storage network ceiling, bytes/s. */
  networkCeilingBps: number;
  /** Client network ceiling, bytes/s. */
  clientCeilingBps: number;
  reportedBps: number;
  /** reported ÷ storage network ceiling. */
  fractionOfCeiling: number;
  /** ceiling − reported, bytes/s. */
  gapBps: number;
  /** Read throughput each SSD needs for the network to be the limit, bytes/s. */
  ssdReadNeededBps: number;
  rawCapacityBytes: number;
}

/** Runs the reference shape through the model. */
export function deepseekReference(): ReferenceResult {
  const s = DEEPSEEK_SHAPE;
  const shape: NodeShape = {
    networkBps: gbps(s.nicsPerNode * s.nicGbps),
    diskCapBps: null, // bare metal with local NVMe: no cloud-disk cap
    diskCapIops: null,
    disks: s.ssdsPerNode,
    diskBytes: s.ssdTiB * TiB,
    disk: null, // not published
  };
  // Replication does not enter the read ceiling; 3 is a placeholder for the write share only.
  const node = nodeCeilings(shape, 3);
  const cluster = clusterCeilings(node, s.storageNodes, s.clientNodes * gbps(s.clientNicGbps));
  const reportedBps = s.reportedReadTiBps * TiB;
  return {
    perNodeNetworkBps: node.read.value,
    networkCeilingBps: cluster.read.value,
    clientCeilingBps: cluster.clientRead ?? 0,
    reportedBps,
    fractionOfCeiling: reportedBps / cluster.read.value,
    gapBps: cluster.read.value - reportedBps,
    ssdReadNeededBps: node.read.value / s.ssdsPerNode,
    rawCapacityBytes: s.storageNodes * s.ssdsPerNode * s.ssdTiB * TiB,
  };
}

const tib = (bps: number) => `${(bps / TiB).toFixed(2)} TiB/s`;

/** Text of `npm run sizing -- --reference`. */
export function renderReference(): string {
  const s = DEEPSEEK_SHAPE;
  const r = deepseekReference();
  return [
    `DeepSeek reference (3FS README): ${s.storageNodes} storage nodes × ${s.nicsPerNode} × ${s.nicGbps} Gbit/s, ${s.ssdsPerNode} × ${s.ssdTiB} TiB NVMe; ${s.clientNodes}+ clients × ${s.clientNicGbps} Gbit/s`,
    `  per storage node network   ${formatRate(r.perNodeNetworkBps)}`,
    `  storage network ceiling    ${formatRate(r.networkCeilingBps)} = ${tib(r.networkCeilingBps)}`,
    `  client network ceiling     ${formatRate(r.clientCeilingBps)} = ${tib(r.clientCeilingBps)} (not the limit)`,
    `  reported aggregate read    ${s.reportedReadTiBps} TiB/s = ${(r.reportedBps / GB).toFixed(0)} GB/s`,
    `  reported ÷ ceiling         ${(r.fractionOfCeiling * 100).toFixed(1)} % (gap ${tib(r.gapBps)}), measured with background training traffic`,
    `  disks                      not published; each SSD must read ≥ ${formatRate(r.ssdReadNeededBps)} for the network to be the limit`,
    `  raw capacity               ${(r.rawCapacityBytes / TiB).toFixed(0)} TiB`,
    `  source: ${SOURCES.threefsReadme.url}`,
  ].join("\n") + "\n";
}
