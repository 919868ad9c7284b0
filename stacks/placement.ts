/**
 * Reads a stack's committed placement lock (`stacks/<stack>.placement.json`, lib/threefs/placementLock.ts)
 * and checks it against the validated config. Every problem is one key-named line, raised as a
 * ConfigError before any resource is registered, like the other config rules.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { lockPath, lockProblems, parseLock, type PlacementLock } from "../lib/threefs/placementLock";
import { ConfigError, type StackConfig } from "./config";

/** The lock of `stack` in project `dir`, or its problems (missing file: no lock, no problem). */
export function readLock(dir: string, stack: string): { lock?: PlacementLock; problems: string[] } {
  const file = path.join(dir, lockPath(stack));
  if (!fs.existsSync(file)) return { problems: [] };
  return parseLock(fs.readFileSync(file, "utf8"), lockPath(stack));
}

/** The checked lock of a config; throws ConfigError listing every problem. */
export function stackPlacement(cfg: StackConfig, dir: string): PlacementLock {
  const { lock, problems } = readLock(dir, cfg.stack);
  const all = [...problems, ...(problems.length === 0 ? lockProblems(cfg, lock) : [])];
  if (all.length > 0 || !lock) throw new ConfigError(all);
  return lock;
}
