/**
 * The policy pack on the dev program as committed (moving `main` tag, no digests): the only mandatory
 * findings are the unpinned images, one per container using them.
 */
import { allPolicies } from "../../policy/policies";
import { evaluate, fromPlanRows } from "./harness";
import { runProgram } from "./program";

describe("policy pack on the dev program", () => {
  it("flags only the moving image tag", async () => {
    const plan = await runProgram("dev");
    const findings = await evaluate(allPolicies, fromPlanRows(plan.rows));
    const mandatory = findings.filter((f) => f.enforcementLevel === "mandatory");
    expect(mandatory.length).toBeGreaterThan(0);
    for (const f of mandatory) {
      expect(f.policy).toBe("threefs-images-pinned");
      expect(f.message).toMatch(/:main'; pin a version tag or digest/);
    }
  }, 60000);
});
