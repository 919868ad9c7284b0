/**
 * Mutable search state for the pair-balancing local search (see search.ts for the strategy).
 *
 * b groups of k distinct nodes (0-based), every node in exactly r groups, plus the tables that make a
 * move cheap to evaluate: a symmetric v×v pair-count table (Int32Array; v ≤ 1000 keeps it at 4 MB),
 * each node's list of groups, and a work list of the pairs whose count lies outside the band
 * [lo, hi] = [⌊λ⌋, ⌈λ⌉], λ = r(k−1)/(v−1). The objective is Σ count² over all pairs; for a fixed total it
 * is minimal exactly when every count is inside the band, i.e. when max − min ≤ 1. `excess` is the
 * objective minus that minimum, so 0 means solved, and it equals 0 exactly when the work list is empty.
 *
 * Two generalisations serve the rebalance (rebalance.ts): nodes may have different degrees (a drained
 * cluster's nodes share the old chains unevenly), laid out with stride r = the largest degree; and pairs
 * may fall into classes, each balanced within its own band (zones: same-zone and cross-zone pairs, whose
 * totals the zone constraint fixes; a class whose total is 0 never meets). Without options there is one
 * class and every degree is r.
 */
import { pairBand } from "./feasibility";

/** Options of a generalised state (see the module comment). */
export interface StateOptions {
  /** Degree of each node (default: r for every node). */
  degrees?: Int32Array;
  /**
   * Class of each pair at [x·v+y] (symmetric), 0 or 1; the class totals must not change under the
   * caller's moves (its move filter ensures it).
   */
  pairClass?: Uint8Array;
}

export class PlacementState {
  readonly b: number;
  /** Band of class 0 (the only class without StateOptions.pairClass). */
  readonly lo: number;
  readonly hi: number;
  readonly members: Int32Array;
  /** Node x's groups at x·r … x·r+deg[x]−1, unordered. */
  readonly nodeGroups: Int32Array;
  /** Degree of each node (r for every node unless StateOptions.degrees). */
  readonly deg: Int32Array;
  /** Pair counts, both [x·v+y] and [y·v+x]. */
  readonly pair: Int32Array;
  /** Out-of-band pairs as keys min·v+max; badPos gives each key's index or −1. */
  readonly badList: Int32Array;
  private readonly badPos: Int32Array;
  badCount = 0;
  excess = 0;
  /** hist[class·(r+2) + c] = number of pairs of the class with count c, for O(r) spread queries. */
  private readonly hist: Int32Array;
  private readonly cls?: Uint8Array;
  /** Per class: lo, hi. */
  private readonly los: Int32Array;
  private readonly his: Int32Array;

  constructor(readonly v: number, readonly k: number, readonly r: number, groups: Int32Array, options: StateOptions = {}) {
    this.b = groups.length / k;
    this.deg = options.degrees ? Int32Array.from(options.degrees) : new Int32Array(v).fill(r);
    this.cls = options.pairClass;
    this.members = Int32Array.from(groups);
    this.nodeGroups = new Int32Array(v * r);
    this.pair = new Int32Array(v * v);
    this.badList = new Int32Array((v * (v - 1)) / 2);
    this.badPos = new Int32Array(v * v).fill(-1);
    this.hist = new Int32Array(2 * (r + 2));
    this.los = new Int32Array(2);
    this.his = new Int32Array(2);
    this.initTables(options.degrees !== undefined || options.pairClass !== undefined);
    this.lo = this.los[0];
    this.hi = this.his[0];
  }

  /** Class of pair key x·v+y (0 without classes). */
  private classOf(key: number): number {
    return this.cls === undefined ? 0 : this.cls[key];
  }

  private initTables(general: boolean): void {
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
    // The band of each class: its total pair incidences over its pairs (fixed under the allowed moves).
    const totals = [0, 0];
    const pairs = [0, 0];
    for (let x = 0; x < v; x++) {
      for (let y = x + 1; y < v; y++) {
        const c = this.classOf(x * v + y);
        totals[c] += this.pair[x * v + y];
        pairs[c]++;
      }
    }
    const atHi = [0, 0];
    for (let c = 0; c < 2; c++) {
      const band = general ? undefined : pairBand(v, k, r);
      const lo = band ? band.lo : pairs[c] > 0 ? Math.floor(totals[c] / pairs[c]) : 0;
      const hi = band ? band.hi : pairs[c] > 0 && totals[c] % pairs[c] !== 0 ? lo + 1 : lo;
      this.los[c] = lo;
      this.his[c] = hi;
      atHi[c] = pairs[c] === 0 ? 0 : band ? band.pairsAtHi : lo === hi ? 0 : totals[c] - pairs[c] * lo;
    }
    let objective = 0;
    for (let x = 0; x < v; x++) {
      for (let y = x + 1; y < v; y++) {
        const key = x * v + y;
        const cl = this.classOf(key);
        const c = this.pair[key];
        objective += c * c - this.los[cl] * this.los[cl];
        this.hist[cl * (r + 2) + c]++;
        this.touch(key, c);
      }
    }
    // Minimum of Σ(c² − lo²) per class: pairsAtHi pairs at hi, the rest at lo.
    let least = 0;
    for (let c = 0; c < 2; c++) least += atHi[c] * (this.his[c] * this.his[c] - this.los[c] * this.los[c]);
    this.excess = objective - least;
  }

  /** Upper end of the band of the pair with key x·v+y. */
  hiOf(key: number): number {
    return this.his[this.classOf(key)];
  }

  private touch(key: number, c: number): void {
    const cl = this.classOf(key);
    const out = c < this.los[cl] || c > this.his[cl];
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

  /** The largest max − min pair count within a class right now. */
  spread(): number {
    const n = this.r + 2;
    let worst = 0;
    for (let c = 0; c < 2; c++) {
      let min = 0;
      while (min < n && this.hist[c * n + min] === 0) min++;
      if (min === n) continue;
      let max = n - 1;
      while (max > min && this.hist[c * n + max] === 0) max--;
      worst = Math.max(worst, max - min);
    }
    return worst;
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
    for (let t = 0; t < this.deg[x]; t++) if (this.nodeGroups[x * r + t] === ga) this.nodeGroups[x * r + t] = gb;
    for (let t = 0; t < this.deg[y]; t++) if (this.nodeGroups[y * r + t] === gb) this.nodeGroups[y * r + t] = ga;
  }

  private bump(x: number, y: number, by: number): void {
    const { v, pair } = this;
    const c = pair[x * v + y];
    const key = x < y ? x * v + y : y * v + x;
    const base = this.classOf(key) * (this.r + 2);
    this.excess += (c + by) * (c + by) - c * c;
    pair[x * v + y] = c + by;
    this.hist[base + c]--;
    this.hist[base + c + by]++;
    pair[y * v + x] = c + by;
    this.touch(key, c + by);
  }
}
