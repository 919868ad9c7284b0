/**
 * Mutable search state for the pair-balancing local search (see search.ts for the strategy).
 *
 * b groups of k distinct nodes (0-based), every node in exactly r groups, plus the tables that make a
 * move cheap to evaluate: a symmetric v×v pair-count table (Int32Array; v ≤ 1000 keeps it at 4 MB),
 * each node's list of groups, and a work list of the pairs whose count lies outside the band
 * [lo, hi] = [⌊λ⌋, ⌈λ⌉], λ = r(k−1)/(v−1). The objective is Σ count² over all pairs; for a fixed total it
 * is minimal exactly when every count is inside the band, i.e. when max − min ≤ 1. `excess` is the
 * objective minus that minimum, so 0 means solved, and it equals 0 exactly when the work list is empty.
 */
import { pairBand } from "./feasibility";

export class PlacementState {
  readonly b: number;
  readonly lo: number;
  readonly hi: number;
  readonly members: Int32Array;
  /** Node x's groups at x·r … x·r+r−1, unordered. */
  readonly nodeGroups: Int32Array;
  /** Pair counts, both [x·v+y] and [y·v+x]. */
  readonly pair: Int32Array;
  /** Out-of-band pairs as keys min·v+max; badPos gives each key's index or −1. */
  readonly badList: Int32Array;
  private readonly badPos: Int32Array;
  badCount = 0;
  excess = 0;
  /** hist[c] = number of pairs with count c (c ≤ r), for O(r) spread queries. */
  private readonly hist: Int32Array;

  constructor(readonly v: number, readonly k: number, readonly r: number, groups: Int32Array) {
    this.b = groups.length / k;
    const band = pairBand(v, k, r);
    this.lo = band.lo;
    this.hi = band.hi;
    this.members = Int32Array.from(groups);
    this.nodeGroups = new Int32Array(v * r);
    this.pair = new Int32Array(v * v);
    this.badList = new Int32Array((v * (v - 1)) / 2);
    this.badPos = new Int32Array(v * v).fill(-1);
    this.hist = new Int32Array(r + 2);
    this.initTables();
  }

  private initTables(): void {
    const { v, k, r, b, members } = this;
    const fill = new Int32Array(v);
    for (let g = 0; g < b; g++) {
      for (let i = 0; i < k; i++) {
        const x = members[g * k + i];
        this.nodeGroups[x * r + fill[x]++] = g;
        for (let j = i + 1; j < k; j++) {
          const y = members[g * k + j];
          this.pair[x * v + y]++;
          this.pair[y * v + x]++;
        }
      }
    }
    let objective = 0;
    for (let x = 0; x < v; x++) {
      for (let y = x + 1; y < v; y++) {
        const c = this.pair[x * v + y];
        objective += c * c - this.lo * this.lo;
        this.hist[c]++;
        this.touch(x * v + y, c);
      }
    }
    // Minimum of Σ(c² − lo²): pairsAtHi pairs at hi, the rest at lo.
    this.excess = objective - pairBand(v, k, r).pairsAtHi * (this.hi * this.hi - this.lo * this.lo);
  }

  private touch(key: number, c: number): void {
    const out = c < this.lo || c > this.hi;
    const pos = this.badPos[key];
    if (out && pos < 0) {
      this.badPos[key] = this.badCount;
      this.badList[this.badCount++] = key;
    } else if (!out && pos >= 0) {
      const last = this.badList[--this.badCount];
      this.badList[pos] = last;
      this.badPos[last] = pos;
      this.badPos[key] = -1;
    }
  }

  /** max − min pair count right now. */
  spread(): number {
    let min = 0;
    while (min < this.hist.length - 1 && this.hist[min] === 0) min++;
    let max = this.hist.length - 1;
    while (max > min && this.hist[max] === 0) max--;
    return max - min;
  }

  /** Whether node x is a member of group g (k ≤ 5, so a scan). */
  contains(g: number, x: number): boolean {
    const base = g * this.k;
    for (let i = 0; i < this.k; i++) if (this.members[base + i] === x) return true;
    return false;
  }

  /** Slot of node x in group g (x must be a member). */
  slotOf(g: number, x: number): number {
    let i = 0;
    while (this.members[g * this.k + i] !== x) i++;
    return i;
  }

  /**
   * Half the objective change of swapping x = members[ga][ia] with y = members[gb][ib]; the caller
   * guarantees x ∉ gb and y ∉ ga. A member common to both groups keeps its pairs with x and y (one
   * is lost in one group and regained in the other), so it is skipped.
   */
  delta(ga: number, ia: number, gb: number, ib: number): number {
    const { k, v, members, pair } = this;
    const x = members[ga * k + ia];
    const y = members[gb * k + ib];
    let d = 0;
    for (let i = 0; i < k; i++) {
      const z = members[ga * k + i];
      if (i !== ia && !this.contains(gb, z)) d += pair[y * v + z] - pair[x * v + z] + 1;
      const w = members[gb * k + i];
      if (i !== ib && !this.contains(ga, w)) d += pair[x * v + w] - pair[y * v + w] + 1;
    }
    return d;
  }

  /** Applies the swap described in `delta`, updating every table. */
  swap(ga: number, ia: number, gb: number, ib: number): void {
    const { k, r, members } = this;
    const x = members[ga * k + ia];
    const y = members[gb * k + ib];
    for (let i = 0; i < k; i++) {
      const z = members[ga * k + i];
      if (i !== ia && !this.contains(gb, z)) {
        this.bump(x, z, -1);
        this.bump(y, z, 1);
      }
      const w = members[gb * k + i];
      if (i !== ib && !this.contains(ga, w)) {
        this.bump(y, w, -1);
        this.bump(x, w, 1);
      }
    }
    members[ga * k + ia] = y;
    members[gb * k + ib] = x;
    for (let t = 0; t < r; t++) {
      if (this.nodeGroups[x * r + t] === ga) this.nodeGroups[x * r + t] = gb;
      if (this.nodeGroups[y * r + t] === gb) this.nodeGroups[y * r + t] = ga;
    }
  }

  private bump(x: number, y: number, by: number): void {
    const { v, pair } = this;
    const c = pair[x * v + y];
    this.excess += (c + by) * (c + by) - c * c;
    pair[x * v + y] = c + by;
    this.hist[c]--;
    this.hist[c + by]++;
    pair[y * v + x] = c + by;
    this.touch(x < y ? x * v + y : y * v + x, c + by);
  }
}
