/**
 * prod with an internet-facing API server: the program plans the allow-list and enforces it on the API
 * server listener (ApiServerAcl), and the policy pack accepts that and only that.
 */
import { allPolicies } from "../../policy/policies";
import { prodApiServerAllowlist } from "../../policy/policies/apiServer";
import type { PlanResult } from "../../lib/plan/run";
import { evaluate, fromPlanRows } from "./harness";
import { runProgram, TEST_DIGESTS } from "./program";

let plan: PlanResult;

beforeAll(async () => {
  plan = await runProgram("prod", { "threefs:images": { digests: TEST_DIGESTS }, "threefs:cluster": { apiServerPublic: true, apiServerAllowedCidrs: ["203.0.113.0/24", "198.51.100.7/32"] } });
}, 60000);

describe("prod with a public API server and an allow-list", () => {
  it("plans the ACL, its entries and the attachment to the cluster's 6443 listener", () => {
    const cluster = plan.rows.find((r) => r.type === "alicloud:cs/managedKubernetes:ManagedKubernetes")!;
    expect((cluster.inputs as Record<string, unknown>).slbInternetEnabled).toBe(true);
    const entries = plan.rows.filter((r) => r.type === "alicloud:slb/aclEntryAttachment:AclEntryAttachment").map((r) => (r.inputs as Record<string, unknown>).entry);
    expect(entries).toEqual(["100.104.0.0/16", "10.0.0.0/16", "203.0.113.0/24", "198.51.100.7/32"]);
    const att = plan.rows.filter((r) => r.type === "pulumi-nodejs:dynamic:ApiServerAcl");
    expect(att).toHaveLength(1);
    const slbId = plan.registrations.find((r) => r.type === cluster.type)!.state!.slbId;
    expect(att[0].inputs).toMatchObject({ region: "cn-beijing", loadBalancerId: slbId, listenerPort: 6443, aclType: "white" });
  });

  it("passes the policy pack; without the attachment the allow-list policy refuses it", async () => {
    const resources = fromPlanRows(plan.rows);
    expect((await evaluate(allPolicies, resources)).filter((f) => f.enforcementLevel === "mandatory")).toEqual([]);
    const withoutAttachment = resources.filter((r) => r.type !== "pulumi-nodejs:dynamic:ApiServerAcl");
    expect(await evaluate([prodApiServerAllowlist()], withoutAttachment)).toHaveLength(1);
  });
});
