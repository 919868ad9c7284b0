/**
 * The policy pack on the dev program as committed (the moving `main` tag, no digests): dev may run the
 * branch tag, so there is no mandatory violation.
 */
import { allPolicies } from "../../policy/policies";
import { evaluate, fromPlanRows } from "./harness";
import { runProgram } from "./program";

describe("policy pack on the dev program", () => {
  it("finds no mandatory violation", async () => {
    const plan = await runProgram("dev");
    const findings = await evaluate(allPolicies, fromPlanRows(plan.rows));
    expect(findings.filter((f) => f.enforcementLevel === "mandatory")).toEqual([]);
  }, 60000);
});
