/**
 * The policy pack on what the program itself declares for prod-zones (digests pinned): no mandatory
 * violation, and the prod-only policies actually applied.
 */
import { allPolicies } from "../../policy/policies";
import { evaluate, fromPlanRows } from "./harness";
import { runProgram, TEST_DIGESTS } from "./program";

describe("policy pack on the prod-zones program (zone spread: a storage StatefulSet per zone)", () => {
  it("finds no mandatory violation", async () => {
    const plan = await runProgram("prod-zones", { "threefs:images": { digests: TEST_DIGESTS } });
    const resources = fromPlanRows(plan.rows);
    expect(resources.some((r) => r.type === "kubernetes:apps.foundationdb.org/v1beta2:FoundationDBCluster" && r.opts.protect)).toBe(true);
    // Three storage StatefulSets (zone 0 keeps the usual name), every one protected like prod's storage.
    const storage = resources.filter((r) => r.type === "kubernetes:apps/v1:StatefulSet" && /-storage(-z\d)?$/.test(r.name));
    expect(storage.map((r) => [r.name, r.opts.protect]).sort()).toEqual([["threefs-prod-zones-storage", true], ["threefs-prod-zones-storage-z1", true], ["threefs-prod-zones-storage-z2", true]]);
    const findings = await evaluate(allPolicies, resources);
    expect(findings.filter((f) => f.enforcementLevel === "mandatory")).toEqual([]);
  }, 60000);
});
