/**
 * Where every figure of the sizing model comes from. Each figure in lib/sizing names one of these, and
 * the reports print the list, so a reader can check a number against the page it was read from.
 *
 * A figure that no page publishes is not invented: it is an {@link ASSUMPTIONS} entry, printed as
 * "assumed" with its reason.
 *
 * Pure module: no cloud SDK imports.
 */

/** A published source. */
export interface Source {
  /** Short key used in tables (`[instanceFamilies]`). */
  id: SourceId;
  /** What the page is and which part of it holds the figures. */
  title: string;
  /** Where to read it (Alibaba Cloud docs URL, or a repository path at a pinned commit). */
  url: string;
}

const DOCS = "https://www.alibabacloud.com/help/en/ecs/user-guide";
const THREEFS = "https://github.com/deepseek-ai/3FS/blob/e2cef82";

/** Every source the model uses. */
export const SOURCES = {
  instanceFamilies: {
    title: "Alibaba Cloud ECS: Overview of instance families (per-type tables: vCPU, memory, baseline/burst network bandwidth, disk IOPS, disk bandwidth; eRDMA and disk support per family)",
    url: `${DOCS}/overview-of-instance-families`,
  },
  enhancedFamilies: {
    title: "Alibaba Cloud ECS (zh): 增强型实例规格, section 存储增强通用型实例规格族g8ise (same table columns)",
    url: "https://help.aliyun.com/zh/ecs/user-guide/enhanced-instance-families",
  },
  eedPerformance: {
    title: "Alibaba Cloud ECS: Block storage performance, section \"Elastic ephemeral disk performance\" (per-disk IOPS/throughput formulas and caps); same page: a disk's performance is also limited by the instance it is attached to",
    url: `${DOCS}/block-storage-performance`,
  },
  erdmaOverview: {
    title: "Alibaba Cloud ECS: eRDMA overview (\"eRDMA reuses VPCs as the underlying link\"; an ERI reuses the network of its ENI)",
    url: `${DOCS}/erdma-overview`,
  },
  threefsReadme: {
    title: "3FS README, Performance / 1. Peak throughput (180 storage nodes, 2×200 Gbps InfiniBand, 16 × 14 TiB NVMe each; ≈6.6 TiB/s aggregate read), README.md:30",
    url: `${THREEFS}/README.md#1-peak-throughput`,
  },
  threefsDesign: {
    title: "3FS design notes: reads spread over all targets of a chain (docs/design_notes.md:105), balanced traffic during recovery (:128-147), data recovery by the predecessor streaming full-chunk-replace writes to the returning target (:232-262)",
    url: `${THREEFS}/docs/design_notes.md`,
  },
  threefsResync: {
    title: "3FS mgmtd chain update: serving targets keep their order, then LASTSRV, SYNCING, WAITING, OFFLINE (src/mgmtd/service/updateChain.cc:97-101); a chain has at most one SYNCING target (:70-86); the serving target whose successor is SYNCING runs the resync (src/storage/service/TargetMap.cc:221-234)",
    url: `${THREEFS}/src/mgmtd/service/updateChain.cc`,
  },
} as const satisfies Record<string, Omit<Source, "id">>;

/** Key of a source. */
export type SourceId = keyof typeof SOURCES;

/** The source with its key. */
export function source(id: SourceId): Source {
  return { id, ...SOURCES[id] };
}

/**
 * Figures the model needs that no source publishes, each with the value used and why. Reports list them
 * as "assumed", never as facts.
 */
export const ASSUMPTIONS = {
  megabyte: "EED throughput is published in MB/s; the model reads 1 MB as 10^6 bytes (the caps 4,096 and 2,048 suggest MiB; the decimal reading is 4.6 % lower, so it errs on the slow side)",
  duplex: "an instance's network bandwidth is taken to hold in each direction at once (send and receive); the instance-family tables give one figure",
  erdmaBandwidth: "Alibaba publishes no separate eRDMA bandwidth; eRDMA runs over the VPC link, so the model uses the instance's network bandwidth for it",
  eedInstanceCap: "EED traffic is counted against the instance's disk bandwidth and disk IOPS columns (the block storage page says a disk is limited by its instance; it does not name EED explicitly)",
  baseline: "ceilings use baseline (sustained) bandwidth; small types burst higher for a while, shown but not used",
  slowestType: "a pool with several instance types can get any of them, so every figure is the lowest among the listed types",
  fullDisks: "recovery moves the data of full disks (fill 100 %) unless --fill says otherwise; a target holds diskSize ÷ targetsPerDisk",
  parallelResync: "every affected chain resyncs at once (3FS resyncs chains in parallel: storage sync_worker num_threads = 16, batch concurrency 64 in configs/storage_main.toml:435-444) and the transfer runs at the bottleneck rate",
  idleReplacement: "the replacement node is empty and idle, so it receives at its full bandwidth; the peers keep serving clients and resync with a fraction (peer spare, default 100 %: an idle cluster) of theirs",
  readSpread: "client reads are spread evenly over the targets of a chain (3FS's usual setting, design notes), so a lost node's reads move to its chains' surviving members",
} as const;

/** Key of an assumption. */
export type AssumptionId = keyof typeof ASSUMPTIONS;
