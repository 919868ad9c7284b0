/**
 * Chain table generation for 3FS: a balanced placement of CRAQ chains on storage nodes, and the chain
 * list / admin-cli files upstream's `gen_chain_table.py` would produce for it. See docs/chain-table.md.
 *
 * Typical use (the 3FS bootstrap):
 *   placementInputIssues({ nodes, replicas, targetsPerDisk })       // [{ field, message }] → config errors
 *   tableOptionIssues({ nodes, targetsPerDisk, disks, nodeIdBegin }, nodes * targetsPerDisk / replicas)
 *   const placement = planPlacement({ nodes, replicas, targetsPerDisk });   // groups, spread, warnings
 *   const chains = buildChains({ groups: placement.groups, nodes, targetsPerDisk, disks, nodeIdBegin });
 *
 * Pure modules: no cloud SDK imports.
 */
export { ChainTableError } from "./errors";
export type { ChainTableIssue } from "./errors";
export {
  DEFAULT_EFFORT,
  DEFAULT_TIME_BUDGET_MS,
  pairBand,
  pairStats,
  placementInputIssues,
  planPlacement,
  PLACEMENT_LIMITS,
  provenInfeasible,
  validatePlacementInput,
} from "./placement";
export type { Placement, PlacementInput } from "./placement";
export type { PairBand } from "./feasibility";
export {
  chainIdOf,
  chainIdRangeProblems,
  DEFAULT_CHAIN_ID_PREFIX,
  DEFAULT_TARGET_ID_PREFIX,
  ID_LIMITS,
  targetIdOf,
} from "./ids";
export {
  buildChains,
  CHAIN_TABLE_FILES,
  chainTableLines,
  chainTableSpecIssues,
  renderChainTableFiles,
  tableOptionIssues,
  validateChainTableSpec,
  validateTableOptions,
} from "./files";
export type { Chain, ChainTableFileName, ChainTableSpec, ChainTarget } from "./files";
export { parseIncidence } from "./incidence";
export { knownDesign } from "./designs";
export { MAX_TARGET_INDEXES, pairSpread, rebalancePlacement, zoneReport } from "./rebalance";
export type { Rebalance, RebalanceInput, ZoneReport } from "./rebalance";
export { balancedHeads } from "./heads";
