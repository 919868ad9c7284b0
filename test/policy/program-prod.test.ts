/**
 * The policy pack on what the program itself declares for prod (digests pinned): no mandatory
 * violation, and the prod-only policies actually applied.
 */
import { allPolicies } from "../../policy/policies";
import { evaluate, fromPlanRows } from "./harness";
import { runProgram, TEST_DIGESTS } from "./program";

describe("policy pack on the prod program", () => {
  it("finds no mandatory violation", async () => {
    const plan = await runProgram("prod", { "threefs:images": { digests: TEST_DIGESTS } });
    const resources = fromPlanRows(plan.rows);
    expect(resources.some((r) => r.type === "kubernetes:apps.foundationdb.org/v1beta2:FoundationDBCluster" && r.opts.protect)).toBe(true);
    const findings = await evaluate(allPolicies, resources);
    expect(findings.filter((f) => f.enforcementLevel === "mandatory")).toEqual([]);
  }, 60000);
});
