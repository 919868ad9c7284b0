/**
 * Sizing of a committed stack, read offline the way `npm run plan` reads it: Pulumi.yaml and
 * Pulumi.<stack>.yaml, merged over the profile and validated, then the chain groups the program
 * ships. Used by `npm run sizing` and the sizing tests.
 *
 * The chain groups come from the stack's placement lock, as index.ts takes them ({@link stackChainGroups});
 * a test compares this module's output with the program's `sizing` output on the mock runtime. A stack
 * without a lock (a config being sized before it is planned) gets the placement a first plan would write.
 *
 * Pure module: no cloud SDK imports (reads files).
 */
import { loadConfig, type StackConfig } from "../../stacks/config";
import { resolveConfig } from "../plan/projectConfig";
import { lockGroups, planLock } from "../threefs/placementLock";
import { stackPlacement } from "../../stacks/placement";
import * as fs from "node:fs";
import * as path from "node:path";
import { lockPath } from "../threefs/placementLock";
import { sizingInputOf } from "./input";
import { sizeStorage, type SizingInput, type SizingOptions, type SizingReport } from "./report";

/** The validated config of `stack` in project `dir`. Throws ConfigError / ProjectConfigError. */
export function readStackConfig(dir: string, stack: string): StackConfig {
  return loadConfig({ stack, values: resolveConfig(dir, stack).values });
}

/** The chain groups of a stack (1-based node indexes): its placement lock in `dir`, as index.ts reads it. */
export function stackChainGroups(cfg: StackConfig, dir: string): number[][] {
  if (!fs.existsSync(path.join(dir, lockPath(cfg.stack)))) return lockGroups(planLock(cfg, undefined));
  return lockGroups(stackPlacement(cfg, dir));
}

/** A stack's sizing input, chain groups and report. */
export function stackSizing(cfg: StackConfig, dir: string, options: SizingOptions = {}, override: Partial<Pick<SizingInput, "storageTypes">> = {}): SizingReport {
  return sizeStorage({ ...sizingInputOf(cfg), ...override }, stackChainGroups(cfg, dir), options);
}
