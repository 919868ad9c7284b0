/**
 * Balanced chain placement: which storage nodes share each CRAQ chain.
 *
 * Why pair balance matters. A chain is `replicas` storage targets on distinct nodes. When a node fails,
 * every chain it belongs to is re-replicated from (and, meanwhile, serves reads from) the other members
 * of that chain. If node A shares chains with only a few peers, those few absorb all of A's recovery
 * reads and redirected client reads and become the bottleneck for hours; if A shares chains equally
 * with every other node, the load is spread over the whole cluster. So we want every pair of nodes to
 * share (almost) the same number of chains: over all v(v−1)/2 pairs, max − min ≤ 1 (the best possible;
 * spread 0, a balanced incomplete block design, when the mean λ = r(k−1)/(v−1) is an integer).
 *
 * How. Upstream 3FS solves this as an integer program (Pyomo + HiGHS, minutes to hours, no solution past
 * ~200 nodes at replication 3 because it insists every pair meets). We build it directly:
 *  - k = 1: no pairs; k = 2: an explicit multigraph construction (construct.ts), exact by design;
 *  - k = 4 Steiner systems, group-divisible designs and their stacks (designs.ts): algebraic
 *    constructions that reach the optimum where the search stops at spread 2;
 *  - k ≥ 3: a seeded local search (search.ts) from a random exact-degree start, with restarts on a
 *    Luby schedule, bounded by a deterministic work budget and a wall-clock safety net.
 * The same inputs always give the same groups (the seed is derived from them) unless the wall-clock
 * limit cuts a run short, which is reported as a warning.
 *
 * Pure module: no cloud SDK imports.
 */
import { dealtPlacement, pairPlacement, singletonPlacement } from "./construct";
import { knownDesign } from "./designs";
import { ChainTableError } from "./errors";
import type { ChainTableIssue } from "./errors";
import { pairBand, provenInfeasible } from "./feasibility";
import { stripeOrder } from "./order";
import { mixSeed, Prng } from "./prng";
import { isBetter, runSearch } from "./search";
import type { SearchOutcome } from "./search";
import { PlacementState } from "./state";

/** Hard limits, from upstream gen_chain_table.py's checks and its id scheme (see ids.ts). */
export const PLACEMENT_LIMITS = {
  /** Upstream accepts at most 1000 nodes per table (node_id_end − node_id_begin < 1000). */
  maxNodes: 1000,
  /** CR chains of 1–5 replicas (EC is not supported). */
  maxReplicas: 5,
  /** The target index takes 2 decimal digits of a target id: r ≤ 99. */
  maxTargetsPerDisk: 99,
  /** Upstream caps nodes × targets per disk below 100 000 (group numbers take 5 digits of a chain id). */
  maxTargetsPerDiskTotal: 99_999,
} as const;

/** Inputs of {@link planPlacement}. */
export interface PlacementInput {
  /** v: number of storage nodes, 1 … 1000. */
  nodes: number;
  /** k: replicas per chain (chain length), 1 … 5, at most `nodes`. */
  replicas: number;
  /** r: chains each node joins per disk index, 1 … 99; nodes × r must be divisible by replicas. */
  targetsPerDisk: number;
  /** Extra seed mixed with (v, k, r); change it to get a different but equally valid placement. Default 0. */
  seed?: number;
  /**
   * Wall-clock safety net in milliseconds (default 2000). The search normally stops on its own
   * deterministic work budget well before this; hitting it makes hard cases machine-dependent.
   */
  timeBudgetMs?: number;
  /** Deterministic work budget in search work units (≈ candidate swaps evaluated). Default 6 000 000. */
  effort?: number;
}

/** Result of {@link planPlacement}. */
export interface Placement {
  /** b = v·r/k groups; group number = 1-based position; members are 1-based node indexes, ascending. */
  groups: number[][];
  /** maxPair − minPair over all node pairs (pairs that never meet count as 0). */
  spread: number;
  minPair: number;
  maxPair: number;
  elapsedMs: number;
  /** Non-fatal findings, e.g. spread > 1 because the parameters are infeasible or too hard. */
  warnings: string[];
}

/** Default wall-clock safety net of the search (ms); see PlacementInput.timeBudgetMs. */
export const DEFAULT_TIME_BUDGET_MS = 2000;
/**
 * Default deterministic work budget of the search: about 0.5 s on a laptop core for the hard cases
 * (easy ones stop as soon as they are balanced), leaving the 2 s time budget a 4× margin.
 */
export const DEFAULT_EFFORT = 6_000_000;

const isInt = (x: unknown): x is number => typeof x === "number" && Number.isInteger(x);

/**
 * Every problem with the placement inputs, each tagged with the field it belongs to, so that a config
 * layer can attach it to its own key. Problems that involve several fields are filed under the one an
 * operator would change: `replicas` for "fewer nodes than replicas", `targetsPerDisk` for divisibility
 * and size.
 */
export function placementInputIssues(input: PlacementInput): ChainTableIssue[] {
  const { nodes: v, replicas: k, targetsPerDisk: r } = input;
  const L = PLACEMENT_LIMITS;
  const issues: ChainTableIssue[] = [];
  const add = (field: keyof PlacementInput, message: string): number => issues.push({ field, message });
  if (!isInt(v) || v < 1 || v > L.maxNodes) {
    add("nodes", `nodes must be an integer in 1..${L.maxNodes} (upstream's per-table limit), got ${v}`);
  }
  if (!isInt(k) || k < 1 || k > L.maxReplicas) add("replicas", `replicas must be an integer in 1..${L.maxReplicas}, got ${k}`);
  if (!isInt(r) || r < 1 || r > L.maxTargetsPerDisk) {
    add("targetsPerDisk", `targetsPerDisk must be an integer in 1..${L.maxTargetsPerDisk} (2 digits of a target id), got ${r}`);
  }
  if (input.seed !== undefined && (!isInt(input.seed) || input.seed < 0 || input.seed > 0xffffffff)) {
    add("seed", `seed must be an integer in 0..4294967295, got ${input.seed}`);
  }
  if (input.timeBudgetMs !== undefined && !(input.timeBudgetMs > 0)) {
    add("timeBudgetMs", `timeBudgetMs must be a positive number, got ${input.timeBudgetMs}`);
  }
  if (input.effort !== undefined && !(isInt(input.effort) && input.effort >= 0)) {
    add("effort", `effort must be a non-negative integer, got ${input.effort}`);
  }
  if (issues.length > 0) return issues;
  if (v < k) add("replicas", `nodes (${v}) must be at least replicas (${k}): a chain needs ${k} distinct nodes`);
  if ((v * r) % k !== 0) {
    add("targetsPerDisk", `nodes × targetsPerDisk (${v} × ${r} = ${v * r}) must be divisible by replicas (${k})`);
  }
  if (v * r > L.maxTargetsPerDiskTotal) {
    add("targetsPerDisk", `nodes × targetsPerDisk (${v * r}) must be below 100000 (5 digits of a chain id)`);
  }
  return issues;
}

/** The messages of {@link placementInputIssues} (empty when the input is valid). */
export function validatePlacementInput(input: PlacementInput): string[] {
  return placementInputIssues(input).map((issue) => issue.message);
}

/**
 * Computes a balanced placement: b = v·r/k groups of k distinct nodes, every node in exactly r groups,
 * pair counts within one of each other where that is achievable. Throws ChainTableError (all input
 * problems joined into one line) on invalid input; never throws for hard or infeasible parameters —
 * it returns the best placement found with a warning instead.
 */
export function planPlacement(input: PlacementInput): Placement {
  const errors = validatePlacementInput(input);
  if (errors.length > 0) throw new ChainTableError(`invalid placement input: ${errors.join("; ")}`);
  const start = performance.now();
  const { nodes: v, replicas: k, targetsPerDisk: r } = input;
  const warnings: string[] = [];
  let flat: Int32Array;
  if (k === 1) flat = singletonPlacement(v, r);
  else if (k === 2) flat = pairPlacement(v, r);
  else flat = knownDesign(v, k, r, input.seed ?? 0) ?? searchPlacement(input, start, warnings);
  const groups = toGroups(k === 1 ? flat : stripeOrder(flat, v, k), k);
  const stats = pairStats(v, groups);
  if (stats.spread > 1) {
    const why = provenInfeasible(v, k, r);
    warnings.unshift(
      `placement spread is ${stats.spread} (pair counts ${stats.minPair}..${stats.maxPair}), not ≤ 1: ` +
        (why ? `no balanced placement exists: ${why}` : "the search did not find a balanced placement"),
    );
  }
  return { groups, ...stats, elapsedMs: performance.now() - start, warnings };
}

/** Restarted local search for k ≥ 3; returns the best groups found (0-based). */
function searchPlacement(input: PlacementInput, start: number, warnings: string[]): Int32Array {
  const { nodes: v, replicas: k, targetsPerDisk: r } = input;
  const rng = new Prng(mixSeed(v, k, r, input.seed ?? 0));
  const deadline = start + (input.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS);
  // Proven-infeasible inputs get a short search: the best imbalance is still worth reaching.
  const budget = Math.min(input.effort ?? DEFAULT_EFFORT, provenInfeasible(v, k, r) ? 200_000 : Infinity);
  // A restart unit that lets one run finish an easy instance: a few sweeps over all groups.
  const unit = 1000 * ((v * r) / k) + 50_000;
  let best: SearchOutcome | null = null;
  let spent = 0;
  for (let attempt = 1; attempt === 1 || spent < budget; attempt++) {
    const limit = Math.min(unit * luby(attempt), budget - spent);
    const state = new PlacementState(v, k, r, dealtPlacement(v, k, r, rng));
    const run = runSearch(state, rng, limit, deadline);
    spent += run.work;
    if (best === null || isBetter(run, best)) best = run;
    if (best.excess === 0) break;
    if (run.timedOut) {
      warnings.push(
        `the placement search stopped at its ${input.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS} ms time budget; ` +
          `the result may differ between machines (raise timeBudgetMs for a reproducible result)`,
      );
      break;
    }
  }
  return (best as SearchOutcome).groups;
}

/** The Luby restart sequence 1, 1, 2, 1, 1, 2, 4, 1, … (i ≥ 1): robust when run lengths are heavy-tailed. */
function luby(i: number): number {
  for (let p = 1; ; p++) {
    const len = 2 ** p - 1;
    if (i === len) return 2 ** (p - 1);
    if (i < len) return luby(i - (2 ** (p - 1) - 1));
  }
}

/** Splits flat 0-based groups into 1-based groups with ascending members (the chain head is the lowest). */
function toGroups(flat: Int32Array, k: number): number[][] {
  const groups: number[][] = [];
  for (let g = 0; g < flat.length; g += k) {
    groups.push(Array.from(flat.subarray(g, g + k), (x) => x + 1).sort((a, b) => a - b));
  }
  return groups;
}

/**
 * Pair co-occurrence statistics of 1-based groups over nodes 1..v (pairs that never meet count 0).
 * Assumes members are integers in 1..v (validateChainTableSpec checks operator input).
 */
export function pairStats(v: number, groups: readonly (readonly number[])[]): Pick<Placement, "spread" | "minPair" | "maxPair"> {
  if (v < 2) return { spread: 0, minPair: 0, maxPair: 0 };
  const counts = new Int32Array(v * v);
  for (const group of groups) {
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        const a = group[i] - 1;
        const b = group[j] - 1;
        counts[a < b ? a * v + b : b * v + a]++;
      }
    }
  }
  let minPair = Infinity;
  let maxPair = 0;
  for (let x = 0; x < v; x++) {
    for (let y = x + 1; y < v; y++) {
      const c = counts[x * v + y];
      if (c < minPair) minPair = c;
      if (c > maxPair) maxPair = c;
    }
  }
  return { spread: maxPair - minPair, minPair, maxPair };
}

export { pairBand, provenInfeasible };
