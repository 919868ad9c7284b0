/**
 * placement: writes a stack's placement lock (`stacks/<stack>.placement.json`) from its config and its
 * current lock: the first placement, growth (threefs:storage.nodes or chains.targetsPerDisk raised), a
 * decommission (--drain), or the removal of drained nodes (storage.nodes lowered). The program only reads
 * the lock; a config it does not match fails at preview with this command. Commit the file: its diff is
 * the review of what moves.
 *
 *   npm run placement -- plan --stack dev [--drain 10004,10005] [--dir .]
 *
 * Exit codes: 0 written or up to date; 2 bad arguments or an impossible change (one line on stderr).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../stacks/config";
import { readLock } from "../stacks/placement";
import { resolveConfig } from "../lib/plan/projectConfig";
import { lockPath, planLock, renderLock } from "../lib/threefs/placementLock";

export const USAGE = "usage: placement plan --stack <stack> [--drain <node id>,…] [--dir <project dir>]";

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

const defaultIo: Io = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) };

/** Runs the command; returns the exit code. */
export function main(argv: string[], io: Io = defaultIo): number {
  let values: { stack?: string; drain?: string; dir?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { stack: { type: "string" }, drain: { type: "string" }, dir: { type: "string" } } }));
  } catch (e) {
    io.err(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (positionals[0] !== "plan" || positionals.length !== 1 || !values.stack) {
    io.err(USAGE);
    return 2;
  }
  const dir = path.resolve(values.dir ?? ".");
  const stack = values.stack;
  const drain = values.drain ? values.drain.split(",").map((s) => Number(s.trim())) : [];
  if (drain.some((n) => !Number.isInteger(n))) {
    io.err(`--drain: node ids separated by commas, got ${values.drain}`);
    return 2;
  }
  try {
    const cfg = loadConfig({ stack, values: resolveConfig(dir, stack).values });
    const { lock: previous, problems } = readLock(dir, stack);
    if (problems.length > 0) throw new Error(problems.join("; "));
    const lock = planLock(cfg, previous, { drain });
    const file = path.join(dir, lockPath(stack));
    if (lock === previous) {
      io.out(`${lockPath(stack)} is up to date (${lock.nodes.length} nodes, ${lock.chains.length} chain groups)`);
      return 0;
    }
    fs.writeFileSync(file, renderLock(lock));
    const c = lock.change;
    io.out(
      `${lockPath(stack)}: ${lock.nodes.length} nodes, ${lock.chains.length} chain groups; ${c.newChains} new, ${c.movedTargets} membership(s) moved (lower bound ${c.lowerBound}), ` +
        `${c.newHeads} head(s) changed, pair spread ${c.spread}${c.addedNodes.length ? `; nodes added ${c.addedNodes.join(",")}` : ""}${c.drainedNodes.length ? `; drained ${c.drainedNodes.join(",")}` : ""}`,
    );
    return 0;
  } catch (e) {
    io.err(`placement: ${(e as Error).message.replace(/\s*\n\s*/g, "; ")}`);
    return 2;
  }
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
