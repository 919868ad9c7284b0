/**
 * Runs the real program (index.ts) on Pulumi's mocks with the committed stack file plus overrides,
 * and turns the captured resources into policy inputs.
 */
import * as path from "node:path";
import { resolveConfig } from "../../lib/plan/projectConfig";
import { runOnMocks, type PlanResult } from "../../lib/plan/run";

export const ROOT = path.join(__dirname, "..", "..");

/** Obviously fake digests: the policy only checks their shape. */
export const TEST_DIGESTS = {
  mgmtd: `sha256:${"1".repeat(64)}`,
  meta: `sha256:${"2".repeat(64)}`,
  storage: `sha256:${"3".repeat(64)}`,
  fuse: `sha256:${"4".repeat(64)}`,
  "admin-cli": `sha256:${"5".repeat(64)}`,
  init: `sha256:${"6".repeat(64)}`,
};

/** Evaluates index.ts for `stack` (its Pulumi.<stack>.yaml) with extra config values. */
export async function runProgram(stack: string, overrides: Record<string, unknown> = {}): Promise<PlanResult> {
  const resolved = resolveConfig(ROOT, stack);
  const values = { ...resolved.values };
  for (const [k, v] of Object.entries(overrides)) values[k] = typeof v === "string" ? v : JSON.stringify(v);
  return runOnMocks({ project: resolved.project, stack, values, showSecrets: false }, () => ({
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ...(require(path.join(ROOT, "index.ts")) as Record<string, unknown>),
  }));
}
