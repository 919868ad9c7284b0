/**
 * The policy pack on the prod program as committed (the moving `main` tag, no digests): every 3FS
 * container is flagged by threefs-images-pinned, and nothing else is.
 */
import { allPolicies } from "../../policy/policies";
import { evaluate, fromPlanRows } from "./harness";
import { runProgram } from "./program";

describe("policy pack on the unpinned prod program", () => {
  it("flags exactly the branch-tagged images", async () => {
    const plan = await runProgram("prod");
    const findings = await evaluate(allPolicies, fromPlanRows(plan.rows));
    const mandatory = findings.filter((f) => f.enforcementLevel === "mandatory");
    expect(mandatory.length).toBeGreaterThanOrEqual(5);
    for (const f of mandatory) {
      expect(f.policy).toBe("threefs-images-pinned");
      expect(f.message).toMatch(/:main'; pin a version tag or digest/);
    }
  }, 60000);
});
