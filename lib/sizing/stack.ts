/**
 * Sizing of a committed stack, read offline the way `npm run plan` reads it: Pulumi.yaml and
 * Pulumi.<stack>.yaml, merged over the profile and validated, then the chain groups the program
 * ships. Used by `npm run sizing` and the sizing tests.
 *
 * The chain groups come from the same function index.ts calls ({@link stackChainGroups}); if the
 * program's placement source changes, change it here too (a test compares this module's output with
 * the program's `sizing` output on the mock runtime).
 *
 * Pure module: no cloud SDK imports (reads files).
 */
import { loadConfig, type StackConfig } from "../../stacks/config";
import { resolveConfig } from "../plan/projectConfig";
import { planChainGroups } from "../threefs/chainGroups";
import { sizingInputOf } from "./input";
import { sizeStorage, type SizingInput, type SizingOptions, type SizingReport } from "./report";

/** The validated config of `stack` in project `dir`. Throws ConfigError / ProjectConfigError. */
export function readStackConfig(dir: string, stack: string): StackConfig {
  return loadConfig({ stack, values: resolveConfig(dir, stack).values });
}

/** The chain groups the program computes for a config (index.ts). */
export function stackChainGroups(cfg: StackConfig): number[][] {
  return planChainGroups({ nodes: cfg.storage.nodes, cohorts: cfg.chains.placementCohorts, replicas: cfg.chains.replicas, targetsPerDisk: cfg.chains.targetsPerDisk }).groups;
}

/** A stack's sizing input, chain groups and report. */
export function stackSizing(cfg: StackConfig, options: SizingOptions = {}, override: Partial<Pick<SizingInput, "storageTypes">> = {}): SizingReport {
  return sizeStorage({ ...sizingInputOf(cfg), ...override }, stackChainGroups(cfg), options);
}
