/**
 * FoundationDB redundancy arithmetic shared by the spec builder and the config checks: how many
 * failures a mode tolerates, how many coordinators (and so distinct fault domains) it needs, and the
 * default pod count per process class.
 *
 * The numbers follow the FDB Kubernetes operator v2.33 (`DesiredFaultTolerance`, `MinimumFaultDomains`,
 * `DesiredCoordinatorCount`, `GetProcessCountsWithDefaults`); they are restated here, not imported.
 *
 * Pure module: no cloud SDK imports.
 */

/** FDB redundancy modes this stack offers (`three_data_hall` is not offered; see docs/foundationdb.md). */
export type FdbRedundancyMode = "single" | "double" | "triple";

/** Pods per process class. `-1` means none of that class (its roles run on other processes). */
export interface FdbProcessCountsInput {
  /** Storage servers (stateful: one volume each). */
  storage: number;
  /** Transaction logs (stateful: one volume each). */
  log: number;
  /** Stateless processes: cluster controller, master, proxies, resolvers, ratekeeper, data distributor. */
  stateless: number;
  /** Dedicated cluster-controller pods; only used by the compact dev layout. */
  clusterController?: number;
}

/** Fault domains a mode survives losing: single 0, double 1, triple 2. */
export function faultTolerance(mode: FdbRedundancyMode): number {
  return mode === "single" ? 0 : mode === "double" ? 1 : 2;
}

/** Copies of the data: single 1, double 2, triple 3 (the operator's minimum fault domains). */
export function replicaCount(mode: FdbRedundancyMode): number {
  return faultTolerance(mode) + 1;
}

/**
 * Coordinators the operator recruits: replicas + tolerance = 1 / 3 / 5. Each must sit in a distinct
 * fault domain (the operator's hard limit is one coordinator per zoneid), so this is also the minimum
 * number of fault domains — nodes with the node fault domain, zones with the zone fault domain.
 */
export function coordinatorCount(mode: FdbRedundancyMode): number {
  return replicaCount(mode) + faultTolerance(mode);
}

/** Roles a primary region recruits on stateless processes with 7.1 defaults: master, cluster controller,
 * data distributor, ratekeeper (4) + 1 resolver + 3 proxies (1 GRV + 2 commit). */
const STATELESS_ROLES = 8;
/** Transaction logs recruited by default (`logs` in the database configuration). */
const DEFAULT_LOGS = 3;

/**
 * Default process counts.
 *
 * - storage `2F+1` (3 / 5): the operator default; F+1 copies plus F spares so data re-replicates after F losses.
 * - log `logs+F` (4 / 5): three recruited logs plus F spares so a recovery finds a full log set.
 * - stateless: staging/prod use the operator default (one process per role + F = 9 / 10), so roles do not
 *   compete for a core. dev uses the operator's own sample layout instead — no stateless pods and one
 *   cluster-controller pod; the remaining stateless roles run on log processes — which saves eight pods on
 *   a three-node combined pool.
 */
export function fdbProcessCounts(mode: FdbRedundancyMode, profile: "dev" | "staging" | "prod"): FdbProcessCountsInput {
  const f = faultTolerance(mode);
  const storage = 2 * f + 1;
  const log = DEFAULT_LOGS + f;
  if (profile === "dev") return { storage, log, stateless: -1, clusterController: 1 };
  return { storage, log, stateless: STATELESS_ROLES + f };
}
