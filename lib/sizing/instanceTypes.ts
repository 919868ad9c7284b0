/**
 * Published figures of the eRDMA instance families a storage node can run on: vCPU, memory, network
 * bandwidth, and the instance's own limits on disk IOPS and disk bandwidth (which cap the EED disks
 * attached to it). Copied by hand from the per-family tables of Alibaba Cloud's instance family pages
 * (see {@link SOURCES}); "None" / "N/A" / "Unlimited" burst entries are `null` (no burst above baseline).
 *
 * Which families have eRDMA and EED is lib/erdma.ts's business; this table only holds numbers. A type
 * that is not here has no figures, and the sizing report says so instead of guessing.
 *
 * Pure module: no cloud SDK imports.
 */
import type { SourceId } from "./sources";

/** One instance type as its family table lists it. */
export interface InstanceFigures {
  /** Full type name, e.g. `ecs.g8i.4xlarge`. */
  type: string;
  vcpu: number;
  memoryGiB: number;
  /** Baseline (sustained) network bandwidth, Gbit/s. */
  networkGbps: number;
  /** Burst network bandwidth, Gbit/s; null when the type does not burst. */
  networkBurstGbps: number | null;
  /** Baseline disk IOPS of the instance (all its disks together). */
  diskIops: number;
  /** Burst disk IOPS; null when the type does not burst (or the table gives none). */
  diskBurstIops: number | null;
  /** Baseline disk bandwidth of the instance, Gbit/s (all its disks together). */
  diskGbps: number;
  /** Burst disk bandwidth, Gbit/s; null when the type does not burst. */
  diskBurstGbps: number | null;
  /** Page the row was read from; the family's section anchor is the family name. */
  source: SourceId;
}

/** [size, vCPU, memory GiB, network base, burst, disk IOPS base, burst, disk Gbit/s base, burst] */
type Row = [string, number, number, number, number | null, number, number | null, number, number | null];

function family(name: string, source: SourceId, rows: Row[]): InstanceFigures[] {
  return rows.map(([size, vcpu, memoryGiB, networkGbps, networkBurstGbps, diskIops, diskBurstIops, diskGbps, diskBurstGbps]) => ({
    type: `ecs.${name}.${size}`,
    vcpu,
    memoryGiB,
    networkGbps,
    networkBurstGbps,
    diskIops,
    diskBurstIops,
    diskGbps,
    diskBurstGbps,
    source,
  }));
}

const K = 1000;

/**
 * The table. Families: g8i, g8ise (Intel, 8th generation; Alibaba's 3FS-on-ACK guide runs on them),
 * g8a, g9a, g9ae (AMD, with EED), g9i (Intel 9th generation: eRDMA but no EED, so not a storage node;
 * kept for clients and comparisons).
 */
export const INSTANCE_FIGURES: readonly InstanceFigures[] = [
  // instanceFamilies #g8i
  ...family("g8i", "instanceFamilies", [
    ["large", 2, 8, 2.5, 15, 25 * K, 200 * K, 2, 10],
    ["xlarge", 4, 16, 4, 15, 50 * K, 200 * K, 2.5, 10],
    ["2xlarge", 8, 32, 6, 15, 60 * K, 200 * K, 4, 10],
    ["3xlarge", 12, 48, 10, 15, 80 * K, 200 * K, 5, 10],
    ["4xlarge", 16, 64, 12, 25, 100 * K, 200 * K, 6, 10],
    ["6xlarge", 24, 96, 15, 25, 120 * K, 200 * K, 7.5, 10],
    ["8xlarge", 32, 128, 20, 25, 200 * K, null, 10, null],
    ["12xlarge", 48, 192, 25, null, 300 * K, null, 12, null],
    ["16xlarge", 64, 256, 32, null, 360 * K, null, 20, null],
    ["24xlarge", 96, 384, 50, null, 500 * K, null, 24, null],
    ["48xlarge", 192, 1024, 100, null, 1000 * K, null, 48, null],
  ]),
  // enhancedFamilies #g8ise (zh page; the English overview does not list g8ise)
  ...family("g8ise", "enhancedFamilies", [
    ["large", 2, 8, 2.5, 15, 40 * K, 200 * K, 3, 12],
    ["xlarge", 4, 16, 4, 15, 80 * K, 200 * K, 4, 12],
    ["2xlarge", 8, 32, 6, 15, 100 * K, 200 * K, 6, 12],
    ["3xlarge", 12, 48, 10, 15, 120 * K, 200 * K, 8, 12],
    ["4xlarge", 16, 64, 12, 25, 150 * K, 200 * K, 10, 12],
    ["6xlarge", 24, 96, 15, 25, 200 * K, null, 12, null],
    ["8xlarge", 32, 128, 20, 25, 300 * K, null, 16, null],
    ["12xlarge", 48, 192, 25, null, 400 * K, null, 25, null],
  ]),
  // instanceFamilies #g8a
  ...family("g8a", "instanceFamilies", [
    ["large", 2, 8, 1.5, 12.5, 20 * K, 110 * K, 1.5, 10],
    ["xlarge", 4, 16, 2.5, 12.5, 30 * K, 110 * K, 2, 10],
    ["2xlarge", 8, 32, 4, 12.5, 45 * K, 110 * K, 2.5, 10],
    ["4xlarge", 16, 64, 7, 12.5, 60 * K, 110 * K, 3.5, 10],
    ["8xlarge", 32, 128, 10, 25, 80 * K, 110 * K, 5, 10],
    ["12xlarge", 48, 192, 16, 25, 120 * K, null, 8, 10],
    ["16xlarge", 64, 256, 20, 25, 160 * K, null, 10, null],
    ["24xlarge", 96, 384, 32, null, 240 * K, null, 16, null],
    ["32xlarge", 128, 512, 40, null, 320 * K, null, 20, null],
    ["48xlarge", 192, 768, 64, null, 500 * K, null, 32, null],
  ]),
  // instanceFamilies #g9a (its table gives one "up to" disk IOPS figure per type: recorded as baseline)
  ...family("g9a", "instanceFamilies", [
    ["large", 2, 8, 2.5, 15, 110 * K, null, 2, 15],
    ["xlarge", 4, 16, 4, 15, 110 * K, null, 3, 15],
    ["2xlarge", 8, 32, 6, 15, 110 * K, null, 4, 15],
    ["4xlarge", 16, 64, 12, 25, 110 * K, null, 5, 15],
    ["8xlarge", 32, 128, 16, 32, 110 * K, null, 8, 15],
    ["16xlarge", 64, 256, 32, null, 120 * K, null, 16, null],
    ["24xlarge", 96, 384, 48, null, 200 * K, null, 24, null],
    ["32xlarge", 128, 512, 64, null, 250 * K, null, 32, null],
    ["48xlarge", 192, 768, 96, null, 400 * K, null, 48, null],
  ]),
  // instanceFamilies #g9ae (one "baseline disk IOPS" column, recorded as baseline)
  ...family("g9ae", "instanceFamilies", [
    ["large", 2, 8, 2.5, 25, 200 * K, null, 2.5, 20],
    ["xlarge", 4, 16, 4, 25, 200 * K, null, 3, 20],
    ["2xlarge", 8, 32, 6, 25, 200 * K, null, 4, 20],
    ["4xlarge", 16, 64, 10, 25, 200 * K, null, 5.5, 20],
    ["8xlarge", 32, 128, 16, 25, 200 * K, null, 8, 20],
    ["12xlarge", 48, 192, 25, null, 150 * K, null, 13, null],
    ["16xlarge", 64, 256, 32, null, 200 * K, null, 16, null],
    ["24xlarge", 96, 384, 50, null, 300 * K, null, 25, null],
    ["32xlarge", 128, 512, 64, null, 400 * K, null, 32, null],
    ["48xlarge", 192, 768, 100, null, 600 * K, null, 50, null],
  ]),
  // instanceFamilies #g9i
  ...family("g9i", "instanceFamilies", [
    ["large", 2, 8, 2.5, 15, 25 * K, 200 * K, 2, 10],
    ["xlarge", 4, 16, 4, 15, 50 * K, 200 * K, 2.5, 10],
    ["2xlarge", 8, 32, 6, 15, 60 * K, 200 * K, 4, 10],
    ["3xlarge", 12, 48, 10, 15, 80 * K, 200 * K, 5, 10],
    ["4xlarge", 16, 64, 12, 25, 100 * K, 200 * K, 6, 10],
    ["6xlarge", 24, 96, 15, 25, 120 * K, 200 * K, 7.5, 10],
    ["8xlarge", 32, 128, 20, 32, 200 * K, 300 * K, 10, 12],
    ["12xlarge", 48, 192, 25, 32, 240 * K, 320 * K, 12, 15],
    ["16xlarge", 64, 256, 28, 36, 300 * K, 400 * K, 16, 24],
    ["24xlarge", 96, 384, 32, 48, 350 * K, 600 * K, 20, 28],
    ["32xlarge", 128, 512, 36, 50, 400 * K, 650 * K, 24, 28],
    ["48xlarge", 192, 768, 64, null, 500 * K, 800 * K, 32, null],
  ]),
];

const BY_TYPE: ReadonlyMap<string, InstanceFigures> = new Map(INSTANCE_FIGURES.map((f) => [f.type, f]));

/** Figures of one instance type, or undefined when the table has none. */
export function instanceFigures(type: string): InstanceFigures | undefined {
  return BY_TYPE.get(type);
}

/** The family section of a type's source page, e.g. `…/overview-of-instance-families#g8i`. */
export function instanceSourceAnchor(f: InstanceFigures): string {
  return f.type.split(".")[1];
}
