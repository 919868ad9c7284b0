/**
 * Seeded pseudo-random numbers for the placement search.
 *
 * Determinism matters more than quality here: the same inputs must give the same chain table on every
 * machine, or `pulumi preview` would show spurious diffs. Everything below is 32-bit integer arithmetic
 * (`Math.imul`, shifts), so results are bit-identical across platforms and Node versions; no
 * floating-point library function (exp, log) is involved.
 */

// Module-level aliases: a global lookup per call is very slow inside vm contexts (e.g. under jest).
const imul = Math.imul;

/** A small, fast generator (mulberry32). Period 2^32, plenty for a bounded local search. */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Next uniformly distributed unsigned 32-bit integer. */
  nextU32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform integer in [0, n), n ≥ 1 and n < 2^21 (exact in double arithmetic). */
  int(n: number): number {
    return ((this.nextU32() / 4294967296) * n) | 0;
  }

  /** True with probability `per65536 / 65536`; an integer threshold keeps this platform-independent. */
  chance(per65536: number): boolean {
    return (this.nextU32() & 0xffff) < per65536;
  }
}

/**
 * Mixes integers into one 32-bit seed (FNV-1a over 32-bit words followed by a murmur3 finaliser).
 * Used to derive the search seed from (nodes, replicas, targetsPerDisk, user seed).
 */
export function mixSeed(...values: number[]): number {
  let h = 0x811c9dc5;
  for (const value of values) {
    h = Math.imul(h ^ (value >>> 0), 0x01000193) >>> 0;
    h = Math.imul(h ^ Math.floor(value / 4294967296), 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
