/**
 * The pair-balancing local search over a PlacementState.
 *
 * Each step picks a random pair from the work list of out-of-band pairs and looks for a member swap
 * between two groups that moves that pair's count toward the band:
 *  - a pair met too often (count > ⌈λ⌉) is split: x or y leaves one group they share, trading places
 *    with a member w of another group;
 *  - a pair met too rarely (count < ⌊λ⌋) is joined: y enters a group of x (or the reverse), trading
 *    places with a third member z of that group.
 * First a few random swaps of that shape are sampled (cheap, and enough while the placement is loose);
 * only if none improves is the shape searched systematically: rank the incoming node by its pair counts
 * with the group it would join, then try every group of the best-ranked few. The best swap (ties broken
 * at random) is applied if it does not worsen Σ count²; a worsening one is applied with a small
 * probability that falls tenfold per unit of damage (a random walk out of local minima), after the
 * best state seen has been saved.
 *
 * Cost is counted in "work units" (one unit ≈ one candidate evaluated) rather than steps, so that the
 * deterministic effort limit tracks running time across very different (v, k, r).
 */
import { PlacementState } from "./state";
import { Prng } from "./prng";

/** Outcome of one search run. */
export interface SearchOutcome {
  /** Best groups found (b·k node indexes, 0-based). */
  groups: Int32Array;
  /** max − min pair count of `groups`. */
  spread: number;
  /** Σ count² above its minimum for `groups`; 0 means max − min ≤ 1. */
  excess: number;
  /** Work units spent. */
  work: number;
  timedOut: boolean;
}

/** Random swaps sampled before the systematic search. */
const SAMPLES = 16;
/** Candidates kept from the ranking step of the systematic search. */
const SHORTLIST = 3;
/** Nodes ranked per systematic split: all of them up to this many, else a random window of this size. */
const RANK_CAP = 128;
/** Acceptance probability per 65536 of a worsening swap by damage (half Σ count² units): ~3%, 0.3%, … */
const ACCEPT = [65536, 2000, 200, 20, 2];

/** Best swap seen so far in one step; ties are broken uniformly at random (reservoir sampling). */
class BestMove {
  d = 0;
  ga = -1;
  ia = 0;
  gb = 0;
  ib = 0;
  private ties = 0;

  constructor(private readonly rng: Prng) {}

  reset(): void {
    this.ga = -1;
    this.ties = 0;
  }

  offer(d: number, ga: number, ia: number, gb: number, ib: number): void {
    if (this.ga >= 0 && d > this.d) return;
    if (this.ga < 0 || d < this.d) this.ties = 0;
    if (this.rng.int(++this.ties) !== 0) return;
    this.d = d;
    this.ga = ga;
    this.ia = ia;
    this.gb = gb;
    this.ib = ib;
  }
}

/** Keeps up to SHORTLIST (a, c) items with the lowest score, ties sampled uniformly. */
class Shortlist {
  readonly a = new Int32Array(SHORTLIST);
  readonly c = new Int32Array(SHORTLIST);
  size = 0;
  private best = 0;
  private seen = 0;

  constructor(private readonly rng: Prng) {}

  reset(): void {
    this.size = 0;
  }

  offer(score: number, a: number, c: number): void {
    if (this.size > 0 && score > this.best) return;
    if (this.size === 0 || score < this.best) {
      this.best = score;
      this.size = 0;
      this.seen = 0;
    }
    const slot = this.size < SHORTLIST ? this.size++ : this.rng.int(this.seen + 1);
    this.seen++;
    if (slot < SHORTLIST) {
      this.a[slot] = a;
      this.c[slot] = c;
    }
  }
}

/**
 * A constraint on swaps beyond distinct members (rebalance.ts: the move budget, zones, target indexes):
 * `allows` is asked before a candidate is offered, `apply` is told of every swap just before it is made.
 */
export interface SwapConstraint {
  allows(ga: number, ia: number, gb: number, ib: number): boolean;
  apply(ga: number, ia: number, gb: number, ib: number): void;
}

/** Per-run scratch shared by the proposal functions. */
interface Ctx {
  s: PlacementState;
  rng: Prng;
  move: BestMove;
  list: Shortlist;
  work: number;
  c?: SwapConstraint;
}

/** Offers a candidate swap unless the constraint refuses it. */
function offer(ctx: Ctx, ga: number, ia: number, gb: number, ib: number): void {
  if (ctx.c !== undefined && !ctx.c.allows(ga, ia, gb, ib)) return;
  ctx.move.offer(ctx.s.delta(ga, ia, gb, ib), ga, ia, gb, ib);
}

/**
 * Runs the search until the state is balanced (excess 0), `maxWork` units are spent, or
 * `performance.now()` passes `deadline`. Mutates `state`; returns a copy of the best groups seen.
 */
export function runSearch(state: PlacementState, rng: Prng, maxWork: number, deadline: number, constraint?: SwapConstraint): SearchOutcome {
  const ctx: Ctx = { s: state, rng, move: new BestMove(rng), list: new Shortlist(rng), work: 0, c: constraint };
  const { move } = ctx;
  let best: SearchOutcome | null = null;
  let timedOut = false;
  for (let step = 0; state.badCount > 0 && ctx.work < maxWork; step++) {
    if ((step & 255) === 0 && performance.now() > deadline) {
      timedOut = true;
      break;
    }
    const key = state.badList[rng.int(state.badCount)];
    const x = (key / state.v) | 0;
    const y = key - x * state.v;
    const over = state.pair[key] > state.hiOf(key);
    move.reset();
    if (over) sampleSplit(ctx, x, y);
    else sampleJoin(ctx, x, y);
    if (move.ga < 0 || move.d >= 0) {
      if (over) searchSplit(ctx, x, y);
      else searchJoin(ctx, x, y);
    }
    if (move.ga < 0) continue;
    if (move.d > 0) {
      if (move.d >= ACCEPT.length || !rng.chance(ACCEPT[move.d])) continue;
      // Leaving a local minimum: keep it if it is the best seen.
      if (best === null || isBetter({ spread: state.spread(), excess: state.excess }, best)) {
        best = outcome(state, ctx, false);
      }
    }
    constraint?.apply(move.ga, move.ia, move.gb, move.ib);
    state.swap(move.ga, move.ia, move.gb, move.ib);
  }
  const last = outcome(state, ctx, timedOut);
  if (best === null || !isBetter(best, last)) return last;
  return { ...best, work: ctx.work, timedOut };
}

/** Snapshot of the state as an outcome. */
function outcome(state: PlacementState, ctx: Ctx, timedOut: boolean): SearchOutcome {
  return { groups: Int32Array.from(state.members), spread: state.spread(), excess: state.excess, work: ctx.work, timedOut };
}

/** Ranks outcomes by spread (what operators see), then by Σ count² excess (how close to the next step). */
export function isBetter(a: Pick<SearchOutcome, "spread" | "excess">, b: Pick<SearchOutcome, "spread" | "excess">): boolean {
  return a.spread < b.spread || (a.spread === b.spread && a.excess < b.excess);
}

/** A random group that contains both x and y (the caller knows at least one exists). */
function sharedGroup({ s, rng }: Ctx, x: number, y: number): number {
  let ga = -1;
  let seen = 0;
  for (let t = 0; t < s.deg[x]; t++) {
    const g = s.nodeGroups[x * s.r + t];
    if (s.contains(g, y) && rng.int(++seen) === 0) ga = g;
  }
  return ga;
}

function sampleSplit(ctx: Ctx, x: number, y: number): void {
  const { s, rng } = ctx;
  const ga = sharedGroup(ctx, x, y);
  const ia = s.slotOf(ga, rng.int(2) === 0 ? x : y);
  const m = s.members[ga * s.k + ia];
  ctx.work += SAMPLES;
  for (let n = 0; n < SAMPLES; n++) {
    const gb = rng.int(s.b);
    if (gb === ga || s.contains(gb, m)) continue;
    const ib = rng.int(s.k);
    if (s.contains(ga, s.members[gb * s.k + ib])) continue;
    offer(ctx, ga, ia, gb, ib);
  }
}

function sampleJoin(ctx: Ctx, x: number, y: number): void {
  const { s, rng } = ctx;
  const { k, r } = s;
  ctx.work += SAMPLES;
  for (let n = 0; n < SAMPLES; n++) {
    const flip = rng.int(2) === 0;
    const host = flip ? y : x;
    const guest = flip ? x : y;
    const ga = s.nodeGroups[host * r + rng.int(s.deg[host])];
    const gb = s.nodeGroups[guest * r + rng.int(s.deg[guest])];
    if (s.contains(ga, guest) || s.contains(gb, host)) continue;
    const ia = rng.int(k);
    const z = s.members[ga * k + ia];
    if (z === host || s.contains(gb, z)) continue;
    const ib = s.slotOf(gb, guest);
    offer(ctx, ga, ia, gb, ib);
  }
}

/**
 * Systematic split: for each of x and y leaving group ga, rank every outside node w by its pair
 * counts with the members that stay, then try every group of the best-ranked few.
 */
function searchSplit(ctx: Ctx, x: number, y: number): void {
  const { s, list } = ctx;
  const { v, k, r, pair, members } = s;
  const ga = sharedGroup(ctx, x, y);
  for (let side = 0; side < 2; side++) {
    const m = side === 0 ? x : y;
    const ia = s.slotOf(ga, m);
    list.reset();
    const n = v < RANK_CAP ? v : RANK_CAP;
    const from = n < v ? ctx.rng.int(v) : 0;
    for (let j = 0; j < n; j++) {
      const w = from + j < v ? from + j : from + j - v;
      if (s.contains(ga, w)) continue;
      let e = 0;
      for (let i = 0; i < k; i++) if (i !== ia) e += pair[w * v + members[ga * k + i]];
      list.offer(e, w, 0);
    }
    ctx.work += (n >> 2) + list.size * r;
    for (let c = 0; c < list.size; c++) {
      const w = list.a[c];
      for (let t = 0; t < s.deg[w]; t++) {
        const gb = s.nodeGroups[w * r + t];
        if (s.contains(gb, m)) continue;
        const ib = s.slotOf(gb, w);
        offer(ctx, ga, ia, gb, ib);
      }
    }
  }
}

/**
 * Systematic join: rank every (group of the host, member z) by how the guest would fit in place of z,
 * then try every group of the guest for the best-ranked few.
 */
function searchJoin(ctx: Ctx, x: number, y: number): void {
  const { s, list } = ctx;
  const { v, k, r, pair, members } = s;
  for (let side = 0; side < 2; side++) {
    const host = side === 0 ? x : y;
    const guest = side === 0 ? y : x;
    list.reset();
    for (let t = 0; t < s.deg[host]; t++) {
      const ga = s.nodeGroups[host * r + t];
      if (s.contains(ga, guest)) continue;
      for (let ia = 0; ia < k; ia++) {
        const z = members[ga * k + ia];
        if (z === host) continue;
        let e = 0;
        for (let i = 0; i < k; i++) {
          if (i !== ia) e += pair[guest * v + members[ga * k + i]] - pair[z * v + members[ga * k + i]];
        }
        list.offer(e, ga, ia);
      }
    }
    ctx.work += ((r * k) >> 2) + list.size * r;
    for (let c = 0; c < list.size; c++) {
      const ga = list.a[c];
      const ia = list.c[c];
      const z = members[ga * k + ia];
      for (let t = 0; t < s.deg[guest]; t++) {
        const gb = s.nodeGroups[guest * r + t];
        if (s.contains(gb, host) || s.contains(gb, z)) continue;
        const ib = s.slotOf(gb, guest);
        offer(ctx, ga, ia, gb, ib);
      }
    }
  }
}
