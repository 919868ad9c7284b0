/**
 * Sizing model of the storage tier: published instance and EED figures (with sources), throughput
 * ceilings, usable capacity, degraded read ceiling and recovery times computed from the chain
 * placement. See docs/sizing.md.
 *
 *   sizingOf(cfg, groups)           → the `sizing` stack output (stacks/contract.ts StorageSizing)
 *   sizeStorage(input, groups, opt) → the full report (lib/sizing/report.ts), rendered by render.ts
 *
 * Pure modules: no cloud SDK imports.
 */
import type { StorageSizing } from "../../stacks/contract";
import type { NodePoolsConfig } from "../nodepools/plan";
import { sizingInputOf } from "./input";
import { sizingOutput } from "./output";
import { sizeStorage } from "./report";

export { sizingInputOf } from "./input";
export { nodeRecoveryAt, sizeStorage } from "./report";
export type { SizingInput, SizingOptions, SizingReport } from "./report";
export { renderPlanSection, sizingOutput } from "./output";
export { renderComparison, renderReport } from "./render";

/** The `sizing` output of a stack on the chain groups the program ships (defaults: full disks, idle peers). */
export function sizingOf(cfg: NodePoolsConfig, groups: readonly (readonly number[])[]): StorageSizing {
  return sizingOutput(sizeStorage(sizingInputOf(cfg), groups));
}
