/**
 * Entry point of the threefs CrossGuard policy pack — the ONLY file that constructs a
 * `PolicyPack`. Constructing one starts the analyzer gRPC server (and a second construction in
 * the same process exits it), so policy definitions live in `./policies` and are imported here.
 *
 * Usage: `pulumi preview --policy-pack policy` (run `npm ci` in this folder first).
 */
import { PolicyPack } from "@pulumi/policy";
import { allPolicies } from "./policies";

new PolicyPack("threefs", {
  description: "Guardrails for the threefs program: network exposure, prod protection, workload hygiene, 3FS layout.",
  policies: allPolicies,
});
