/**
 * Chains and admin-cli input files from a placement, byte-identical to upstream 3FS's
 * `deploy/data_placement/src/setup/gen_chain_table.py` (CR mode) for the same groups.
 *
 * Mapping (the same groups serve every disk index):
 *   for each disk index d, for each node (ascending id), for t in 0..r−1:
 *     g = the t-th group, in ascending group number, that contains the node
 *     the node's target t on disk d joins chain chainIdOf(cp, d, g)
 * so each chain lists its members in ascending node id (the lowest id is the CRAQ head), and chains
 * are ordered by chain id (disk index, then group number).
 *
 * Pure module: no cloud SDK, no file system; the CLI writes the rendered lines.
 */
import { ChainTableError } from "./errors";
import type { ChainTableIssue } from "./errors";
import {
  chainIdOf,
  chainIdRangeProblems,
  DEFAULT_CHAIN_ID_PREFIX,
  DEFAULT_TARGET_ID_PREFIX,
  ID_LIMITS,
  targetIdOf,
} from "./ids";
import { PLACEMENT_LIMITS } from "./placement";

/** What to render: groups from planPlacement (or an operator's incidence file) plus the id scheme. */
export interface ChainTableSpec {
  /** Groups of 1-based node indexes; group number = 1-based position. Every node in exactly `targetsPerDisk` groups. */
  groups: readonly (readonly number[])[];
  /** v: node indexes run 1..nodes; node index i is node id nodeIdBegin + i − 1. */
  nodes: number;
  /** r: targets per disk (chains each node joins per disk index), 1..99. */
  targetsPerDisk: number;
  /** Disks per storage node, 1..999; the groups are repeated for each disk index. */
  disks: number;
  /** Node id of node index 1 (3FS storage node ids are consecutive from here); ids must stay ≤ 999999. */
  nodeIdBegin: number;
  /** Leading digits of every target id, 0..99. Default 10 (upstream's). */
  targetIdPrefix?: number;
  /** Leading digits of every chain id, 0..99. Default 10 (upstream's); ids must fit uint32. */
  chainIdPrefix?: number;
  /** Chunk sizes for `create-target --chunk-size` (3FS Size syntax: 1048576, 512KB, 4MB); none by default. */
  chunkSizes?: readonly (string | number)[];
}

/** One storage target of a chain. */
export interface ChainTarget {
  nodeId: number;
  /** 0-based disk index, as `create-target --disk-index` takes it. */
  diskIndex: number;
  targetId: number;
}

/** One CRAQ chain: members in chain order (head first). */
export interface Chain {
  chainId: number;
  targets: ChainTarget[];
}

/** The four files, in the order upstream writes them. */
export const CHAIN_TABLE_FILES = [
  "generated_chains.csv",
  "generated_chain_table.csv",
  "create_target_cmd.txt",
  "remove_target_cmd.txt",
] as const;
export type ChainTableFileName = (typeof CHAIN_TABLE_FILES)[number];

const CHUNK_SIZE = /^[1-9][0-9]*(B|KB|MB|GB|TB|K|M|G|T)?$/;
const MAX_LISTED = 3;

function intIn(issues: ChainTableIssue[], field: string, value: unknown, min: number, max: number, why = ""): void {
  if (typeof value === "number" && Number.isInteger(value) && value >= min && value <= max) return;
  issues.push({ field, message: `${field} must be an integer in ${min}..${max}${why}, got ${String(value)}` });
}

/** Every problem with a spec, tagged with its field ("groups" for the groups themselves). */
export function chainTableSpecIssues(spec: ChainTableSpec): ChainTableIssue[] {
  const issues = tableOptionIssues(spec, Array.isArray(spec.groups) ? spec.groups.length : 0);
  if (issues.length > 0) return issues;
  return groupProblems(spec).map((message) => ({ field: "groups", message }));
}

/** The messages of {@link chainTableSpecIssues} (empty when the spec renders). */
export function validateChainTableSpec(spec: ChainTableSpec): string[] {
  return chainTableSpecIssues(spec).map((issue) => issue.message);
}

/**
 * Problems with everything but the groups themselves, for `groupCount` groups per disk index, so a
 * caller can reject bad id options before spending time on a placement. Node id range problems are
 * filed under `nodeIdBegin`, chain id overflow under `chainIdPrefix`.
 */
export function tableOptionIssues(spec: Omit<ChainTableSpec, "groups">, groupCount: number): ChainTableIssue[] {
  const tp = spec.targetIdPrefix ?? DEFAULT_TARGET_ID_PREFIX;
  const cp = spec.chainIdPrefix ?? DEFAULT_CHAIN_ID_PREFIX;
  const issues: ChainTableIssue[] = [];
  intIn(issues, "nodes", spec.nodes, 1, PLACEMENT_LIMITS.maxNodes);
  intIn(issues, "targetsPerDisk", spec.targetsPerDisk, 1, ID_LIMITS.maxTargetsPerDisk);
  intIn(issues, "disks", spec.disks, 1, ID_LIMITS.maxDisks, " (3 digits of a target id)");
  intIn(issues, "nodeIdBegin", spec.nodeIdBegin, 1, ID_LIMITS.maxNodeId);
  intIn(issues, "targetIdPrefix", tp, 0, ID_LIMITS.maxPrefix);
  intIn(issues, "chainIdPrefix", cp, 0, ID_LIMITS.maxPrefix);
  for (const size of spec.chunkSizes ?? []) {
    if (!CHUNK_SIZE.test(String(size))) {
      const message = `chunk size "${String(size)}" must be a positive integer with an optional B/KB/MB/GB/TB/K/M/G/T unit`;
      issues.push({ field: "chunkSizes", message });
    }
  }
  if (issues.length > 0) return issues;
  const lastNodeId = spec.nodeIdBegin + spec.nodes - 1;
  if (lastNodeId > ID_LIMITS.maxNodeId) {
    const message = `node ids ${spec.nodeIdBegin}..${lastNodeId} exceed ${ID_LIMITS.maxNodeId} (6 digits of a target id)`;
    issues.push({ field: "nodeIdBegin", message });
  }
  if (groupCount > ID_LIMITS.maxGroupNumber) {
    const message = `${groupCount} chains per disk exceed ${ID_LIMITS.maxGroupNumber} (5 digits of a chain id)`;
    issues.push({ field: "targetsPerDisk", message });
  } else {
    issues.push(...chainIdRangeProblems(cp, spec.disks, groupCount).map((message) => ({ field: "chainIdPrefix", message })));
  }
  return issues;
}

/** The messages of {@link tableOptionIssues}. */
export function validateTableOptions(spec: Omit<ChainTableSpec, "groups">, groupCount: number): string[] {
  return tableOptionIssues(spec, groupCount).map((issue) => issue.message);
}

/** Shape problems of the groups: sizes, node range, duplicates, degrees. */
function groupProblems({ groups, nodes, targetsPerDisk }: ChainTableSpec): string[] {
  if (!Array.isArray(groups) || groups.length === 0) return ["groups must be a non-empty array of groups"];
  const errors: string[] = [];
  const k = Array.isArray(groups[0]) ? groups[0].length : 0;
  const degree = new Array<number>(nodes + 1).fill(0);
  groups.forEach((group, i) => {
    const where = `group ${i + 1}`;
    if (!Array.isArray(group) || group.length !== k || k === 0) {
      errors.push(`${where} must be an array of ${k || "≥ 1"} node indexes like group 1`);
      return;
    }
    if (!group.every((x) => Number.isInteger(x) && x >= 1 && x <= nodes)) {
      errors.push(`${where} has node indexes outside 1..${nodes}: ${JSON.stringify(group)}`);
      return;
    }
    if (new Set(group).size !== group.length) errors.push(`${where} repeats a node: ${JSON.stringify(group)}`);
    for (const x of group) degree[x]++;
  });
  if (errors.length === 0) {
    const off = degree.flatMap((d, x) => (x >= 1 && d !== targetsPerDisk ? [`node ${x} is in ${d}`] : []));
    if (off.length > 0) {
      const listed = off.slice(0, MAX_LISTED).join(", ") + (off.length > MAX_LISTED ? `, … (${off.length} nodes)` : "");
      errors.push(`every node must be in exactly targetsPerDisk = ${targetsPerDisk} groups: ${listed}`);
    }
  }
  if (errors.length <= MAX_LISTED) return errors;
  return [...errors.slice(0, MAX_LISTED), `… ${errors.length - MAX_LISTED} more group problems`];
}

/**
 * The chains for every disk index, ordered by chain id, members in chain order. This is the data form
 * of the files (the 3FS bootstrap creates targets and chains from it). Throws ChainTableError listing
 * every problem when the spec is invalid.
 */
export function buildChains(spec: ChainTableSpec): Chain[] {
  const errors = validateChainTableSpec(spec);
  if (errors.length > 0) throw new ChainTableError(`invalid chain table: ${errors.join("; ")}`);
  const { groups, nodes, targetsPerDisk: r, disks, nodeIdBegin } = spec;
  const tp = spec.targetIdPrefix ?? DEFAULT_TARGET_ID_PREFIX;
  const cp = spec.chainIdPrefix ?? DEFAULT_CHAIN_ID_PREFIX;
  // Each node's groups in ascending group number: its target t goes to its t-th group.
  const nodeGroups: number[][] = Array.from({ length: nodes + 1 }, () => []);
  groups.forEach((group, i) => group.forEach((x) => nodeGroups[x].push(i + 1)));
  const chains: Chain[] = [];
  for (let disk = 0; disk < disks; disk++) {
    const perGroup: ChainTarget[][] = groups.map(() => []);
    for (let x = 1; x <= nodes; x++) {
      const nodeId = nodeIdBegin + x - 1;
      for (let t = 0; t < r; t++) {
        perGroup[nodeGroups[x][t] - 1].push({ nodeId, diskIndex: disk, targetId: targetIdOf(tp, nodeId, disk, t) });
      }
    }
    perGroup.forEach((targets, i) => chains.push({ chainId: chainIdOf(cp, disk, i + 1), targets }));
  }
  return chains;
}

/**
 * The lines of one file (each ending in "\n"), generated lazily so that a CLI can stream tables with
 * millions of targets. `chunkSizes` only affects create_target_cmd.txt.
 */
export function* chainTableLines(
  file: ChainTableFileName,
  chains: readonly Chain[],
  chunkSizes: readonly (string | number)[] = [],
): Generator<string> {
  if (file === "generated_chains.csv") {
    const width = chains.length > 0 ? chains[0].targets.length : 0;
    yield `ChainId${",TargetId".repeat(width)}\n`;
    for (const c of chains) yield `${c.chainId},${c.targets.map((t) => t.targetId).join(",")}\n`;
  } else if (file === "generated_chain_table.csv") {
    yield "ChainId\n";
    for (const c of chains) yield `${c.chainId}\n`;
  } else if (file === "create_target_cmd.txt") {
    // Upstream interpolates an empty option when no sizes are given, hence the double space.
    const chunk = chunkSizes.length > 0 ? `--chunk-size ${chunkSizes.join(" ")}` : "";
    for (const c of chains) {
      for (const t of c.targets) {
        yield (
          `create-target --node-id ${t.nodeId} --disk-index ${t.diskIndex} --target-id ${t.targetId} ` +
          `--chain-id ${c.chainId} ${chunk} --use-new-chunk-engine\n`
        );
      }
    }
  } else {
    for (const c of chains) {
      for (const t of c.targets) {
        yield `offline-target --node-id ${t.nodeId} --target-id ${t.targetId}\n`;
        yield `remove-target --node-id ${t.nodeId} --target-id ${t.targetId}\n`;
      }
    }
  }
}

/** All four files as strings (fine for typical tables; use chainTableLines to stream huge ones). */
export function renderChainTableFiles(spec: ChainTableSpec): Record<ChainTableFileName, string> {
  const chains = buildChains(spec);
  const out = {} as Record<ChainTableFileName, string>;
  for (const file of CHAIN_TABLE_FILES) out[file] = Array.from(chainTableLines(file, chains, spec.chunkSizes)).join("");
  return out;
}
