/**
 * Per-disk performance of elastic ephemeral disks (EED), from the formulas Alibaba Cloud publishes
 * (block storage performance page, section "Elastic ephemeral disk performance"): each figure grows
 * linearly with capacity up to a cap, `min(perGiB × capacity, cap)`.
 *
 * | figure (per disk)         | standard                  | premium                     |
 * | ------------------------- | ------------------------- | --------------------------- |
 * | read IOPS                 | min(100 × GiB, 820,000)   | min(300 × GiB, 1,000,000)   |
 * | write IOPS                | min(20 × GiB, 160,000)    | min(150 × GiB, 500,000)     |
 * | read throughput (MB/s)    | min(0.8 × GiB, 4,096)     | min(1.6 × GiB, 4,096)       |
 * | write throughput (MB/s)   | min(0.4 × GiB, 2,048)     | min(1 × GiB, 2,048)         |
 *
 * Capacity 64 to 8,192 GiB for both. MB is read as 10^6 bytes (assumption `megabyte`).
 *
 * Pure module: no cloud SDK imports.
 */
import type { SourceId } from "./sources";

/** The EED categories (`threefs:storage.diskCategory`). */
export type EedCategory = "elastic_ephemeral_disk_standard" | "elastic_ephemeral_disk_premium";

/** A linear-to-a-cap formula. */
interface Linear {
  perGiB: number;
  cap: number;
}

/** The published formulas of one category. */
export interface EedFormulas {
  readIops: Linear;
  writeIops: Linear;
  /** MB/s. */
  readMBps: Linear;
  /** MB/s. */
  writeMBps: Linear;
  minGiB: number;
  maxGiB: number;
  source: SourceId;
}

export const EED_FORMULAS: Readonly<Record<EedCategory, EedFormulas>> = {
  elastic_ephemeral_disk_standard: {
    readIops: { perGiB: 100, cap: 820_000 },
    writeIops: { perGiB: 20, cap: 160_000 },
    readMBps: { perGiB: 0.8, cap: 4096 },
    writeMBps: { perGiB: 0.4, cap: 2048 },
    minGiB: 64,
    maxGiB: 8192,
    source: "eedPerformance",
  },
  elastic_ephemeral_disk_premium: {
    readIops: { perGiB: 300, cap: 1_000_000 },
    writeIops: { perGiB: 150, cap: 500_000 },
    readMBps: { perGiB: 1.6, cap: 4096 },
    writeMBps: { perGiB: 1, cap: 2048 },
    minGiB: 64,
    maxGiB: 8192,
    source: "eedPerformance",
  },
};

/** One disk's published ceilings. */
export interface DiskPerformance {
  readIops: number;
  writeIops: number;
  /** Bytes per second. */
  readBps: number;
  /** Bytes per second. */
  writeBps: number;
}

/** 1 MB in bytes, as the model reads Alibaba's "MB/s" (assumption `megabyte`). */
export const MB = 1e6;

const at = (f: Linear, gib: number): number => Math.min(f.perGiB * gib, f.cap);

/** True for the two EED categories. */
export function isEedCategory(category: string): category is EedCategory {
  return Object.prototype.hasOwnProperty.call(EED_FORMULAS, category);
}

/** Ceilings of one EED disk of `sizeGiB` (64–8,192 GiB). Throws on an unknown category or size. */
export function eedPerformance(category: EedCategory, sizeGiB: number): DiskPerformance {
  const f = EED_FORMULAS[category];
  if (!(sizeGiB >= f.minGiB && sizeGiB <= f.maxGiB)) throw new RangeError(`EED size ${sizeGiB} GiB outside ${f.minGiB}–${f.maxGiB} GiB`);
  return {
    readIops: at(f.readIops, sizeGiB),
    writeIops: at(f.writeIops, sizeGiB),
    readBps: at(f.readMBps, sizeGiB) * MB,
    writeBps: at(f.writeMBps, sizeGiB) * MB,
  };
}
