/**
 * Configuration checks for the FoundationDB part of the stack. Each problem is one line that starts with
 * the config key it concerns (`threefs:fdb.version: …`), so the stack's config loader can list them next
 * to its own.
 *
 * Pure module: no cloud SDK imports.
 */
import { type FdbProcessCountsInput, type FdbRedundancyMode, coordinatorCount, faultTolerance } from "./topology";

/** What the checks look at, taken from the merged stack config. */
export interface FdbValidationInput {
  /** `threefs:fdb.version`: FDB server version. */
  version: string;
  /** `threefs:images.fdbClientVersion`: the libfdb_c version the 3FS images link (7.1.61 in Alibaba's builds). */
  fdbClientVersion: string;
  /** `threefs:fdb.redundancyMode`. */
  redundancyMode: FdbRedundancyMode;
  /** `threefs:meta.nodes`: nodes carrying the meta role, where the FDB pods run. Omit it when another
   * check owns the node-count rule (the stack config uses the layout-aware one in lib/nodepools). */
  metaNodes?: number;
  /** `threefs:fdb.storageGiB`: volume size per log/storage pod. */
  storageGiB: number;
  /** `threefs:fdb.processCounts`, when the user overrides the profile defaults. */
  processCounts?: FdbProcessCountsInput;
}

/** Bounds of `threefs:fdb.storageGiB`: below 10 GiB FDB's free-space ratekeeping throttles almost at once;
 * 16 TiB is the largest single cloud disk (ESSD). */
export const FDB_STORAGE_GIB_MIN = 10;
export const FDB_STORAGE_GIB_MAX = 16384;

/** Oldest FDB minor the operator v2.x manages. */
const MIN_SUPPORTED: readonly [number, number] = [7, 1];

/** `[major, minor, patch]`, or undefined if `v` is not `X.Y.Z`. */
function parseVersion(v: string): [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** Server version vs. the client library in the 3FS images (a client only talks to its own X.Y). */
function versionProblems(input: FdbValidationInput): string[] {
  const server = parseVersion(input.version);
  const client = parseVersion(input.fdbClientVersion);
  const out: string[] = [];
  if (!server) out.push(`threefs:fdb.version: must look like 7.1.61 (got "${input.version}")`);
  if (!client) out.push(`threefs:images.fdbClientVersion: must look like 7.1.61 (got "${input.fdbClientVersion}")`);
  if (!server || !client) return out;
  if (server[0] < MIN_SUPPORTED[0] || (server[0] === MIN_SUPPORTED[0] && server[1] < MIN_SUPPORTED[1])) {
    out.push(`threefs:fdb.version: ${input.version} is older than 7.1, the oldest version the FDB operator v2 manages`);
  }
  if (server[0] !== client[0] || server[1] !== client[1]) {
    const clientMinor = `${client[0]}.${client[1]}`;
    out.push(
      `threefs:fdb.version: ${input.version} cannot serve the 3FS images, which link libfdb_c ${input.fdbClientVersion} ` +
        `(an FDB client only talks to servers of its own major.minor); set threefs:fdb.version to ${clientMinor}.x, ` +
        `or use 3FS images built against ${server[0]}.${server[1]} and set threefs:images.fdbClientVersion to match`,
    );
  }
  return out;
}

/** Enough nodes for the coordinators, each of which needs its own fault domain. */
function nodeProblems(input: FdbValidationInput): string[] {
  const need = coordinatorCount(input.redundancyMode);
  if (input.metaNodes === undefined || input.metaNodes >= need) return [];
  return [
    `threefs:meta.nodes: ${input.metaNodes} node(s) carry the meta role, but FDB ${input.redundancyMode} redundancy ` +
      `needs ${need} (one coordinator per node); raise threefs:meta.nodes to ${need} or lower threefs:fdb.redundancyMode`,
  ];
}

function storageProblems(input: FdbValidationInput): string[] {
  const gib = input.storageGiB;
  if (Number.isInteger(gib) && gib >= FDB_STORAGE_GIB_MIN && gib <= FDB_STORAGE_GIB_MAX) return [];
  return [`threefs:fdb.storageGiB: must be an integer from ${FDB_STORAGE_GIB_MIN} to ${FDB_STORAGE_GIB_MAX} (got ${gib})`];
}

/** Overridden process counts must still hold F+1 copies of data and logs. */
function processCountProblems(input: FdbValidationInput): string[] {
  const counts = input.processCounts;
  if (!counts) return [];
  const copies = faultTolerance(input.redundancyMode) + 1;
  const out: string[] = [];
  for (const [key, value] of [["storage", counts.storage], ["log", counts.log]] as const) {
    if (!Number.isInteger(value) || value < copies) {
      out.push(`threefs:fdb.processCounts.${key}: ${input.redundancyMode} redundancy keeps ${copies} copies; needs ≥ ${copies} (got ${value})`);
    }
  }
  if (!Number.isInteger(counts.stateless) || counts.stateless < -1) {
    out.push(`threefs:fdb.processCounts.stateless: must be an integer ≥ -1 (-1: no stateless pods; got ${counts.stateless})`);
  }
  if (counts.stateless === -1 && !(counts.clusterController !== undefined && counts.clusterController >= 1)) {
    out.push("threefs:fdb.processCounts.clusterController: must be ≥ 1 when stateless is -1 (someone has to run the cluster controller)");
  }
  return out;
}

/**
 * Checks the FoundationDB settings; returns one line per problem (empty when valid).
 * Shape checks (types, enums) are the config schema's job; these are the cross-field rules.
 */
export function validateFdb(input: FdbValidationInput): string[] {
  return [...versionProblems(input), ...nodeProblems(input), ...storageProblems(input), ...processCountProblems(input)];
}
