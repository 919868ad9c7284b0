/**
 * Minimal-move rebalance of a deployed placement when storage nodes are added (growth) or emptied
 * (decommission), and zone-aware placement.
 *
 * Why. A file's layout pins its chains, so data only moves when chain *membership* changes: a grown
 * cluster whose old chains keep their members leaves the new nodes with new, empty chains while the old
 * nodes keep filling. Each moved member costs a full resync of that target, so moves are the expensive
 * part; pair balance (placement.ts) is what keeps recovery fast.
 *
 * How, in three steps:
 *  1. Fair share (upstream's RebalanceTrafficModel bound, deploy/data_placement/src/model/data_placement.py:
 *     421-442 of deepseek-ai/3FS: every node holds at most ⌈old slots / nodes⌉ slots of the old chains).
 *     Each node keeps min(its old slots, that cap) and frees the rest, spread over the old chains so that
 *     no chain loses more members than needed; the lower bound on moves is the number of freed slots (plus
 *     the few a node must receive when the new chains alone cannot hold its remaining slots). A drained node
 *     keeps nothing.
 *  2. The freed slots go to nodes under the cap (never twice into one chain, never over a zone's share),
 *     by a greedy choice with augmenting paths; the new chains are dealt from every node's remaining degree.
 *  3. The pair-balancing local search (search.ts) with a constraint: a swap may not raise the moves above
 *     the budget (the lower bound plus `moveSlack`, default 0: moves are the first objective), may not put
 *     more than ⌈k / zones⌉ members of one zone into a chain, and may not give a node more than 99 target
 *     indexes (its old targets stay until the migration removes them, so new memberships need free ones).
 *
 * Zones: with Z ≥ 2 zones every chain holds at most ⌈k/Z⌉ members per zone, so each chain spans at least
 * two zones and a whole-zone outage leaves it a replica; with k ≤ Z every replica is in its own zone and
 * same-zone pairs never meet (they are left out of the pair balance). A fresh zone-aware placement is the
 * same computation from an empty old placement.
 *
 * Pure module: no cloud SDK imports.
 */
import { stripeOrder } from "./order";
import { mixSeed, Prng } from "./prng";
import { runSearch, type SwapConstraint } from "./search";
import { PlacementState } from "./state";
import { fail, MAX_TARGET_INDEXES, origHas, prepare, startPlacement, targetDegrees, type Work } from "./rebalanceStart";

export { MAX_TARGET_INDEXES };

/** A deployed placement and the change to make to it. */
export interface RebalanceInput {
  /** The deployed groups (1-based node indexes); their numbers (positions) are kept. */
  groups: readonly (readonly number[])[];
  /** Node indexes after the change run 1..nodes (≥ every index still holding chains). */
  nodes: number;
  /** Node indexes to empty (decommission); the chains keep their number, b stays. */
  drain?: readonly number[];
  /** k: members per chain. */
  replicas: number;
  /** r: chains per node after growth (ignored when draining: the old chains are shared out). */
  targetsPerDisk: number;
  /** Zone (0-based) of node index i at zones[i − 1]; omitted: one zone. */
  zones?: readonly number[];
  /** Moves allowed above the lower bound for better pair balance. Default 0. */
  moveSlack?: number;
  seed?: number;
  /** Deterministic work budget of the search (work units). Default 3 000 000. */
  effort?: number;
  /** Wall-clock safety net (ms). Default 10 000. */
  timeBudgetMs?: number;
}

/** How the chains sit on the zones. */
export interface ZoneReport {
  zones: number;
  /** Most members of one zone allowed in a chain: ⌈k / zones⌉. */
  cap: number;
  /** Fewest distinct zones of any chain. */
  minZonesPerChain: number;
  /** Chains that keep a member when any one zone is lost (all of them when every chain spans 2 zones). */
  chainsSurvivingZoneLoss: number;
  chains: number;
  /** Nodes per zone. */
  nodesPerZone: number[];
}

export interface Rebalance {
  /** Old groups first (same numbers, members ascending), then the new groups. */
  groups: number[][];
  /** Members of old groups that changed: Σ |old members − new members|. */
  moves: number;
  /** Members that must move for every node to hold at most its fair share of the old chains. */
  lowerBound: number;
  /** Pair spread over the pairs that may meet (max − min). */
  spread: number;
  minPair: number;
  maxPair: number;
  zones: ZoneReport;
  elapsedMs: number;
  warnings: string[];
}

/**
 * The search constraint: the move budget; the zone share; each node's share of the old chains (a swap
 * between an old and a new chain moves an old slot from one node to another: it stays within [the smallest
 * share of the start, the fair share]); and target indexes. A node's old targets keep their indexes until
 * the migration removes them, so a member joining an *old* chain needs a free index (99 − old degree),
 * while a member of a *new* chain may also reuse the index of an old membership the node leaves (the new
 * chain is then created after that move: see lib/threefs/placementLock.ts).
 */
function constraint(w: Work, s: PlacementState, b: number, budget: number, moves0: number): SwapConstraint & { moves: number } {
  const { v, k, bOld, zone, zoneCount, cap } = w;
  const zc = new Int32Array(b * zoneCount);
  const share = new Int32Array(v);
  const joinOld = new Int32Array(v);
  const joinNew = new Int32Array(v);
  const left = Int32Array.from(w.oldDeg);
  const free = Int32Array.from(w.oldDeg, (d) => MAX_TARGET_INDEXES - d);
  for (let g = 0; g < b; g++) {
    for (let i = 0; i < k; i++) {
      const x = s.members[g * k + i];
      zc[g * zoneCount + zone[x]]++;
      if (g >= bOld) joinNew[x]++;
      else if (origHas(w, g, x)) left[x]--;
      else joinOld[x]++;
      if (g < bOld) share[x]++;
    }
  }
  const fair = bOld === 0 ? 0 : Math.ceil((bOld * k) / v);
  const least = Math.min(...share);
  // Index bookkeeping of node x leaving g (sign −1) or joining g (+1).
  const step = (x: number, g: number, sign: number, apply: boolean): boolean => {
    let jo = joinOld[x];
    let jn = joinNew[x];
    let l = left[x];
    if (g >= bOld) jn += sign;
    else if (origHas(w, g, x)) l -= sign;
    else jo += sign;
    if (apply) (joinOld[x] = jo), (joinNew[x] = jn), (left[x] = l);
    return jo <= free[x] && jo + jn <= free[x] + l;
  };
  const c = {
    moves: moves0,
    allows(ga: number, ia: number, gb: number, ib: number): boolean {
      const x = s.members[ga * k + ia];
      const y = s.members[gb * k + ib];
      const xa = origHas(w, ga, x) ? 0 : 1;
      const xb = origHas(w, gb, x) ? 0 : 1;
      const ya = origHas(w, ga, y) ? 0 : 1;
      const yb = origHas(w, gb, y) ? 0 : 1;
      const dMoves = (ga < bOld ? ya - xa : 0) + (gb < bOld ? xb - yb : 0);
      if (c.moves + dMoves > budget) return false;
      if ((ga < bOld) !== (gb < bOld)) {
        // x goes from ga to gb and y the other way: the node leaving the old chain loses a share.
        const [leaves, joins] = ga < bOld ? [x, y] : [y, x];
        if (share[leaves] - 1 < least || share[joins] + 1 > fair) return false;
      }
      const zx = zone[x];
      const zy = zone[y];
      if (zx !== zy && (zc[gb * zoneCount + zx] >= cap || zc[ga * zoneCount + zy] >= cap || zc[ga * zoneCount + zx] <= w.zoneLo || zc[gb * zoneCount + zy] <= w.zoneLo)) return false;
      return indexesAllow(x, ga, gb) && indexesAllow(y, gb, ga);
    },
    apply(ga: number, ia: number, gb: number, ib: number): void {
      const x = s.members[ga * k + ia];
      const y = s.members[gb * k + ib];
      const xa = origHas(w, ga, x) ? 0 : 1;
      const xb = origHas(w, gb, x) ? 0 : 1;
      const ya = origHas(w, ga, y) ? 0 : 1;
      const yb = origHas(w, gb, y) ? 0 : 1;
      c.moves += (ga < bOld ? ya - xa : 0) + (gb < bOld ? xb - yb : 0);
      if ((ga < bOld) !== (gb < bOld)) {
        const [leaves, joins] = ga < bOld ? [x, y] : [y, x];
        share[leaves]--;
        share[joins]++;
      }
      step(x, ga, -1, true);
      step(x, gb, 1, true);
      step(y, gb, -1, true);
      step(y, ga, 1, true);
      zc[ga * zoneCount + zone[x]]--;
      zc[gb * zoneCount + zone[x]]++;
      zc[gb * zoneCount + zone[y]]--;
      zc[ga * zoneCount + zone[y]]++;
    },
  };
  /** Whether node x may leave `from` and join `to` as far as its target indexes go. */
  function indexesAllow(x: number, from: number, to: number): boolean {
    const [jo, jn, l] = [joinOld[x], joinNew[x], left[x]];
    step(x, from, -1, true);
    const ok = step(x, to, 1, false);
    [joinOld[x], joinNew[x], left[x]] = [jo, jn, l];
    return ok;
  }
  return c;
}

/** Moves of flat groups against the old members. */
function countMoves(w: Work, flat: Int32Array): number {
  let moves = 0;
  for (let g = 0; g < w.bOld; g++) for (let i = 0; i < w.k; i++) if (!origHas(w, g, flat[g * w.k + i])) moves++;
  return moves;
}

/** Computes the rebalanced placement; throws ChainTableError when the change is impossible. */
export function rebalancePlacement(input: RebalanceInput): Rebalance {
  const start = performance.now();
  const k = input.replicas;
  if (!Number.isInteger(k) || k < 1 || k > 5) fail(`replicas must be 1..5, got ${k}`);
  const { active, zoneOf, zones } = prepare(input);
  const draining = (input.drain ?? []).length > 0;
  const index = new Map(active.map((x, i) => [x, i]));
  const v = active.length;
  const bOld = input.groups.length;
  const orig = new Int32Array(bOld * k);
  const drainedZone = new Int32Array(bOld * k);
  const oldDeg = new Int32Array(v);
  input.groups.forEach((g, gi) => g.forEach((x, i) => {
    const a = index.get(x) ?? -1;
    orig[gi * k + i] = a;
    drainedZone[gi * k + i] = zoneOf(x);
    if (a >= 0) oldDeg[a]++;
  }));
  const zone = Int32Array.from(active, zoneOf);
  const cap = Math.ceil(k / zones);
  const zoneLo = zones <= k ? Math.floor(k / zones) : 0;
  const w: Work = { v, k, bOld, zone, zoneCount: zones, zoneLo, cap, orig, oldDeg, drainedZone };
  const { degree, b } = targetDegrees(input, w, draining);
  zoneFeasibility(w, degree, b, zoneOf, active);
  const rng = new Prng(mixSeed(v, k, input.targetsPerDisk, bOld, input.seed ?? 0));
  const { flat, lowerBound } = startPlacement(w, degree, b, rng);
  let pairClass: Uint8Array | undefined;
  if (zones > 1) {
    // Same-zone and cross-zone pairs are balanced apart: the zone split of every chain fixes their totals.
    pairClass = new Uint8Array(v * v);
    for (let x = 0; x < v; x++) for (let y = 0; y < v; y++) pairClass[x * v + y] = zone[x] === zone[y] ? 1 : 0;
  }
  const state = new PlacementState(v, k, Math.max(...degree), flat, { degrees: degree, pairClass });
  const moves0 = countMoves(w, flat);
  const budget = lowerBound + (input.moveSlack ?? 0);
  const c = constraint(w, state, b, budget, moves0);
  const deadline = start + (input.timeBudgetMs ?? 10_000);
  const warnings: string[] = [];
  const run = k >= 2 ? runSearch(state, rng, input.effort ?? 3_000_000, deadline, c) : undefined;
  if (run?.timedOut) warnings.push(`the rebalance search stopped at its ${input.timeBudgetMs ?? 10_000} ms time budget; the result may differ between machines`);
  const best = Int32Array.from(run?.groups ?? flat);
  // New chains are appended to the table: order them for striping as a fresh placement is (order.ts).
  if (b > bOld && k > 1) best.set(stripeOrder(best.subarray(bOld * k), v, k), bOld * k);
  const groups: number[][] = [];
  for (let g = 0; g < b; g++) groups.push(Array.from(best.subarray(g * k, g * k + k), (x) => active[x]).sort((a, c2) => a - c2));
  const stats = pairSpread(groups, active, zones > 1 ? (x, y) => zoneOf(x) === zoneOf(y) : undefined);
  if (stats.spread > 1) warnings.push(`pair spread is ${stats.spread} (pair counts ${stats.minPair}..${stats.maxPair}) within the move budget of ${budget}`);
  return { groups, moves: countMoves(w, best), lowerBound, ...stats, zones: zoneReport(groups, active, zoneOf, zones, cap), elapsedMs: performance.now() - start, warnings };
}

/**
 * Pair counts over the active nodes: min and max over the cross-zone pairs (all pairs with one zone), and
 * the spread, the larger of the cross-zone and the same-zone spreads (each class is balanced on its own).
 */
export function pairSpread(groups: readonly (readonly number[])[], active: readonly number[], sameZone?: (x: number, y: number) => boolean): { spread: number; minPair: number; maxPair: number } {
  const idx = new Map(active.map((x, i) => [x, i]));
  const v = active.length;
  if (v < 2) return { spread: 0, minPair: 0, maxPair: 0 };
  const c = new Int32Array(v * v);
  for (const g of groups) {
    for (let i = 0; i < g.length; i++) {
      for (let j = i + 1; j < g.length; j++) {
        const [a, b] = [idx.get(g[i])!, idx.get(g[j])!];
        c[Math.min(a, b) * v + Math.max(a, b)]++;
      }
    }
  }
  const min = [Infinity, Infinity];
  const max = [0, 0];
  for (let x = 0; x < v; x++) {
    for (let y = x + 1; y < v; y++) {
      const cl = sameZone?.(active[x], active[y]) ? 1 : 0;
      const n = c[x * v + y];
      if (n < min[cl]) min[cl] = n;
      if (n > max[cl]) max[cl] = n;
    }
  }
  const spread = Math.max(...[0, 1].map((cl) => (min[cl] === Infinity ? 0 : max[cl] - min[cl])));
  return { spread, minPair: min[0] === Infinity ? 0 : min[0], maxPair: max[0] };
}

/**
 * Whether every zone can fill its share of every chain: zone z's slots (Σ degrees of its nodes) must lie in
 * [b·zoneLo, b·cap] (with k = zones, every zone needs exactly b slots, i.e. equal zones).
 */
function zoneFeasibility(w: Work, degree: Int32Array, b: number, zoneOf: (x: number) => number, active: number[]): void {
  if (w.zoneCount < 2) return;
  const slots = new Array<number>(w.zoneCount).fill(0);
  active.forEach((x, i) => (slots[zoneOf(x)] += degree[i]));
  slots.forEach((n, z) => {
    if (n < b * w.zoneLo || n > b * w.cap) {
      fail(`zone ${z} holds ${n} targets but its share of ${b} chains of ${w.k} over ${w.zoneCount} zones is ${b * w.zoneLo}..${b * w.cap}: balance the storage nodes over the zones`);
    }
  });
}

/** The zone report of a placement. */
export function zoneReport(groups: readonly (readonly number[])[], active: readonly number[], zoneOf: (x: number) => number, zones: number, cap = 1): ZoneReport {
  let minZones = Infinity;
  let surviving = 0;
  for (const g of groups) {
    const zs = new Set(g.map(zoneOf));
    minZones = Math.min(minZones, zs.size);
    if (zs.size >= 2 || zones === 1) surviving++;
  }
  const nodesPerZone = new Array<number>(zones).fill(0);
  for (const x of active) nodesPerZone[zoneOf(x)]++;
  return { zones, cap, minZonesPerChain: groups.length === 0 ? 0 : minZones, chainsSurvivingZoneLoss: zones === 1 ? 0 : surviving, chains: groups.length, nodesPerZone };
}
