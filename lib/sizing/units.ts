/**
 * Units of the sizing model and their text forms. Rates are bytes/s internally; reports use decimal
 * GB/s (10^9 bytes/s, what Gbit/s ÷ 8 gives) and TiB/s only where a source uses it (3FS README).
 * Capacities are binary (GiB, TiB), as Alibaba sizes disks.
 *
 * Pure module: no cloud SDK imports.
 */

export const GiB = 2 ** 30;
export const TiB = 2 ** 40;
/** 10^9 bytes. */
export const GB = 1e9;

/** Gbit/s → bytes/s. */
export const gbps = (gbit: number): number => (gbit * 1e9) / 8;

/** A number with `digits` decimals, trailing zeros kept (stable widths in tables). */
export function fixed(n: number, digits: number): string {
  return n.toFixed(digits);
}

/** Bytes/s as GB/s with 2 decimals (3 below 1 GB/s). */
export function formatRate(bps: number): string {
  const g = bps / GB;
  return `${fixed(g, g < 1 ? 3 : 2)} GB/s`;
}

/** Rounds to `digits` decimals as a number (for outputs). */
export function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Seconds as `1 h 05 min`, `12 min 30 s` or `45 s`. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}

/** Bytes as GiB or TiB with 2 decimals (TiB from 1 TiB on). */
export function formatBytes(bytes: number): string {
  return bytes >= TiB ? `${fixed(bytes / TiB, 2)} TiB` : `${fixed(bytes / GiB, 1)} GiB`;
}

/** Integer with thousands separators, e.g. 1,048,576. */
export function grouped(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
