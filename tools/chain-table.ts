/**
 * chain-table: writes the 3FS chain table files (upstream gen_chain_table.py's four outputs) for a
 * balanced placement computed here, or for an operator's own placement (--incidence).
 *
 *   npm run chain-table -- --nodes 6 --replicas 3 --targets-per-disk 2 --disks 2 --out out/
 *
 * Exit codes: 0 written (warnings, e.g. an imperfect balance, go to stderr); 2 bad arguments or
 * inputs (one line on stderr); 1 anything else (e.g. the output directory is not writable).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import {
  buildChains,
  CHAIN_TABLE_FILES,
  ChainTableError,
  chainTableLines,
  pairStats,
  parseIncidence,
  planPlacement,
  validateChainTableSpec,
  validatePlacementInput,
  validateTableOptions,
} from "../lib/chaintable";
import type { ChainTableSpec, PlacementInput } from "../lib/chaintable";

export const USAGE =
  "usage: chain-table --nodes V --replicas K --targets-per-disk R --disks D --out DIR " +
  "[--node-id-begin 10001] [--target-id-prefix 10] [--chain-id-prefix 10] [--chunk-sizes 1048576,4194304] " +
  "[--incidence FILE.json] [--seed N] [--time-budget-ms MS]";

/** Where main() writes its messages (injectable so tests need not spawn a process). */
export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

const defaultIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Thrown for bad arguments; main() maps it to exit code 2. */
class UsageError extends Error {}

const OPTIONS = {
  nodes: { type: "string" },
  replicas: { type: "string" },
  "targets-per-disk": { type: "string" },
  disks: { type: "string" },
  "node-id-begin": { type: "string", default: "10001" },
  "target-id-prefix": { type: "string", default: "10" },
  "chain-id-prefix": { type: "string", default: "10" },
  "chunk-sizes": { type: "string" },
  incidence: { type: "string" },
  seed: { type: "string" },
  "time-budget-ms": { type: "string" },
  out: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]["type"] extends "boolean" ? boolean : string };

function intOption(values: Values, name: keyof typeof OPTIONS, required = true): number | undefined {
  const raw = values[name];
  if (raw === undefined) {
    if (required) throw new UsageError(`--${name} is required`);
    return undefined;
  }
  if (typeof raw !== "string" || !/^[0-9]+$/.test(raw)) {
    throw new UsageError(`--${name} must be a non-negative integer, got "${String(raw)}"`);
  }
  return Number(raw);
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export function main(argv: string[], io: Io = defaultIo): number {
  try {
    return run(argv, io);
  } catch (err) {
    if (err instanceof UsageError || err instanceof ChainTableError) {
      io.err(`chain-table: ${err.message}`);
      return 2;
    }
    // parseArgs errors carry a code; no instanceof, as they may come from another realm (vm contexts).
    const code = String((err as NodeJS.ErrnoException | undefined)?.code ?? "");
    if (code.startsWith("ERR_PARSE_ARGS")) {
      io.err(`chain-table: ${(err as Error).message.split(". To specify")[0].split("\n")[0]}`);
      return 2;
    }
    const message = typeof (err as Error | undefined)?.message === "string" ? (err as Error).message : String(err);
    io.err(`chain-table: ${message.split("\n")[0]}`);
    return 1;
  }
}

/** Parsed and checked command line. */
interface Args {
  spec: ChainTableSpec;
  placement: PlacementInput;
  incidence: string | undefined;
  outDir: string;
}

function run(argv: string[], io: Io): number {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true });
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; ${USAGE}`);
  const args = checkArgs(values);
  const summary = args.incidence === undefined ? placeGroups(args, io) : loadGroups(args, io);
  const chains = buildChains(args.spec);
  ensureDir(args.outDir);
  for (const file of CHAIN_TABLE_FILES) {
    writeLines(path.join(args.outDir, file), chainTableLines(file, chains, args.spec.chunkSizes));
  }
  io.out(`chain-table: ${summary}; wrote ${chains.length} chains (${args.spec.disks} disk index(es)) to ${args.outDir}`);
  return 0;
}

/** Reads the options and rejects bad ones before any work is done. */
function checkArgs(values: Values): Args {
  const outDir = values.out;
  if (!outDir) throw new UsageError("--out is required");
  const nodes = intOption(values, "nodes") as number;
  const replicas = intOption(values, "replicas") as number;
  const targetsPerDisk = intOption(values, "targets-per-disk") as number;
  const spec: ChainTableSpec = {
    groups: [],
    nodes,
    targetsPerDisk,
    disks: intOption(values, "disks") as number,
    nodeIdBegin: intOption(values, "node-id-begin") as number,
    targetIdPrefix: intOption(values, "target-id-prefix"),
    chainIdPrefix: intOption(values, "chain-id-prefix"),
    chunkSizes: values["chunk-sizes"] === undefined ? [] : values["chunk-sizes"].split(",").map((s) => s.trim()),
  };
  const placement: PlacementInput = {
    nodes,
    replicas,
    targetsPerDisk,
    seed: intOption(values, "seed", false),
    timeBudgetMs: intOption(values, "time-budget-ms", false),
  };
  const problems = validatePlacementInput(placement);
  if (problems.length === 0) problems.push(...validateTableOptions(spec, (nodes * targetsPerDisk) / replicas));
  if (problems.length > 0) throw new UsageError(problems.join("; "));
  return { spec, placement, incidence: values.incidence, outDir };
}

/** Computes the placement; warnings go to stderr. Returns the summary. */
function placeGroups({ spec, placement: input }: Args, io: Io): string {
  const placement = planPlacement(input);
  placement.warnings.forEach((w) => io.err(`chain-table: warning: ${w}`));
  spec.groups = placement.groups;
  return (
    `placed ${placement.groups.length} chains per disk in ${placement.elapsedMs.toFixed(0)} ms ` +
    `(pair spread ${placement.spread}, ${placement.minPair}..${placement.maxPair})`
  );
}

/** Loads and checks --incidence groups; an unbalanced (but valid) file only warns. Returns the summary. */
function loadGroups({ spec, placement, incidence }: Args, io: Io): string {
  const file = incidence as string;
  const groups = parseIncidence(readText(file), file);
  if (groups[0].length !== placement.replicas) {
    throw new UsageError(`${file}: groups have ${groups[0].length} nodes but --replicas is ${placement.replicas}`);
  }
  const problems = validateChainTableSpec({ ...spec, groups });
  if (problems.length > 0) throw new UsageError(`invalid chain table: ${problems.join("; ")}`);
  spec.groups = groups;
  const stats = pairStats(spec.nodes, groups);
  if (stats.spread > 1) {
    io.err(
      `chain-table: warning: ${file} has pair spread ${stats.spread} (pair counts ${stats.minPair}..${stats.maxPair}); ` +
        "a computed placement would be more balanced",
    );
  }
  return `rendered ${groups.length} groups from ${file} (pair spread ${stats.spread}, ${stats.minPair}..${stats.maxPair})`;
}

/**
 * mkdir -p. Not fs.mkdirSync(…, { recursive: true }): on some special file systems (e.g. under /proc)
 * Node 20's recursive mkdir retries forever instead of failing.
 */
function ensureDir(dir: string): void {
  const abs = path.resolve(dir);
  if (fs.existsSync(abs)) {
    if (!fs.statSync(abs).isDirectory()) throw new Error(`${dir} exists and is not a directory`);
    return;
  }
  const parent = path.dirname(abs);
  if (parent !== abs) ensureDir(parent);
  fs.mkdirSync(abs);
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Streams lines to a file in ~1 MB writes (create_target_cmd.txt can reach hundreds of MB). */
function writeLines(file: string, lines: Iterable<string>): void {
  const fd = fs.openSync(file, "w");
  try {
    let buffer: string[] = [];
    let size = 0;
    for (const line of lines) {
      buffer.push(line);
      size += line.length;
      if (size >= 1 << 20) {
        fs.writeSync(fd, buffer.join(""));
        buffer = [];
        size = 0;
      }
    }
    if (buffer.length > 0) fs.writeSync(fd, buffer.join(""));
  } finally {
    fs.closeSync(fd);
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
