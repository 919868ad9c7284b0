/**
 * The chain groups a stack ships to its bootstrap Job, including growth.
 *
 * 3FS never lets an existing chain change its members (`upload-chains` rejects a changed chain), so
 * growing `threefs:storage.nodes` must keep every existing group and only append new ones. A placement
 * recomputed for the new node count would reshuffle chains, and the bootstrap refuses it.
 *
 * Design: storage nodes are placed in cohorts (`threefs:chains.placementCohorts`, default one cohort of
 * all nodes). Each cohort gets its own balanced placement over its own nodes; cohort i's node indexes
 * follow cohort i-1's, and its groups are appended after the earlier cohorts' groups. Growing from 3 to 6
 * nodes is `placementCohorts: [3, 3]`: the first 3 nodes' chains keep their ids and members, the new
 * nodes get new chains among themselves. The trade-off: pairs of nodes from different cohorts share no
 * chains, so a failed node's chains are re-replicated from its own cohort only. A cohort must itself be
 * a valid placement (≥ replicas nodes, nodes × targetsPerDisk divisible by replicas).
 *
 * Pure module: no cloud SDK imports.
 */
import { planPlacement, validatePlacementInput } from "../chaintable/placement";

/** Wall-clock safety net of one cohort's placement search (ms); the deterministic budget ends it first. */
export const PLACEMENT_SAFETY_NET_MS = 60_000;

/** Inputs of {@link planChainGroups}. */
export interface ChainGroupsInput {
  /** Storage nodes in total (`threefs:storage.nodes`). */
  nodes: number;
  /** Cohort sizes in placement order; empty means one cohort of `nodes`. Must sum to `nodes`. */
  cohorts: readonly number[];
  /** Chain replicas (k). */
  replicas: number;
  /** Targets per disk (r): every node is in exactly r groups. */
  targetsPerDisk: number;
}

/** Groups (1-based node indexes over all cohorts) and what the placement reported. */
export interface ChainGroups {
  groups: number[][];
  /** Worst pair spread within any cohort (≤ 1 is the best possible balance). */
  spread: number;
  warnings: string[];
}

/** The cohorts actually used: the configured ones, or one cohort of all nodes. */
export function effectiveCohorts(nodes: number, cohorts: readonly number[]): number[] {
  return cohorts.length > 0 ? [...cohorts] : [nodes];
}

/** One-line problems with the cohorts, prefixed with their config keys. */
export function chainGroupProblems(input: ChainGroupsInput): string[] {
  const cohorts = effectiveCohorts(input.nodes, input.cohorts);
  const sum = cohorts.reduce((a, b) => a + b, 0);
  const out: string[] = [];
  if (input.cohorts.length > 0 && sum !== input.nodes) {
    out.push(`threefs:chains.placementCohorts: cohorts sum to ${sum} but threefs:storage.nodes is ${input.nodes}; append the new nodes as a cohort`);
  }
  cohorts.forEach((size, i) => {
    for (const p of validatePlacementInput({ nodes: size, replicas: input.replicas, targetsPerDisk: input.targetsPerDisk })) {
      const key = input.cohorts.length > 0 ? `threefs:chains.placementCohorts[${i}]` : "threefs:chains.targetsPerDisk";
      out.push(`${key}: ${p}`);
    }
  });
  return out;
}

/** Places every cohort and concatenates the groups (earlier cohorts keep their group numbers). */
export function planChainGroups(input: ChainGroupsInput): ChainGroups {
  const groups: number[][] = [];
  const warnings: string[] = [];
  let offset = 0;
  let spread = 0;
  for (const size of effectiveCohorts(input.nodes, input.cohorts)) {
    // The search stops on its deterministic work budget; the wall-clock limit is only a safety net. Keep
    // it generous so a slow CI machine never yields different groups (which would move deployed chains).
    const p = planPlacement({ nodes: size, replicas: input.replicas, targetsPerDisk: input.targetsPerDisk, timeBudgetMs: PLACEMENT_SAFETY_NET_MS });
    for (const g of p.groups) groups.push(g.map((i) => i + offset));
    warnings.push(...p.warnings.map((w) => `cohort of ${size} nodes starting at node ${offset + 1}: ${w}`));
    spread = Math.max(spread, p.spread);
    offset += size;
  }
  return { groups, spread, warnings };
}
