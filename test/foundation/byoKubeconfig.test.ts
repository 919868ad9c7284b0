/**
 * An existing cluster given by kubeconfig alone: what config accepts and refuses, and what the program does
 * with the kubeconfig on Pulumi's mocks — used as given (no cs.getClusterCredential), secret wherever it goes,
 * the cluster identified by its API server, no cloud cluster or node pool created, clusterId "".
 */
import * as path from "node:path";
import { resolveConfig } from "../../lib/plan/projectConfig";
import { runOnMocks, type PlanResult } from "../../lib/plan/run";
import { ConfigError, loadConfig } from "../../stacks/config";

const ROOT = path.join(__dirname, "..", "..");
const TOKEN = "eyJhbGciOiJSUzI1NiJ9.byo-kubeconfig-test-token";
const KUBECONFIG = [
  "apiVersion: v1",
  "kind: Config",
  "clusters: [{name: kubernetes, cluster: {server: 'https://192.168.0.10:6443', certificate-authority-data: Zm9v}}]",
  "contexts: [{name: ops, context: {cluster: kubernetes, user: ops}}]",
  "current-context: ops",
  `users: [{name: ops, user: {token: ${TOKEN}}}]`,
  "",
].join("\n");

const base = resolveConfig(ROOT, "byo-kubeconfig");
const cluster = (existing: Record<string, unknown>) => JSON.stringify({ existing });

function problems(existing: Record<string, unknown>, secretKeys: string[] = ["threefs:cluster"]): string[] {
  try {
    loadConfig({ stack: "byo-kubeconfig", values: { ...base.values, "threefs:cluster": cluster(existing) }, secretKeys });
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
}

describe("config of an existing cluster by kubeconfig", () => {
  it("accepts a kubeconfig alone with labelled nodes, and a kubeconfig with the cluster id", () => {
    expect(problems({ kubeconfig: KUBECONFIG, nodePools: "existing" })).toEqual([]);
    expect(problems({ kubeconfig: KUBECONFIG, clusterId: "c0byo0000000000000000000000000001", nodePools: "create" })).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string[] | undefined, string]>([
    ["neither id nor kubeconfig", { nodePools: "existing" }, undefined, "threefs:cluster.existing: name the cluster with clusterId (an ACK cluster id), kubeconfig"],
    ["node pools without a cluster id", { kubeconfig: KUBECONFIG, nodePools: "create" }, undefined, "threefs:cluster.existing.nodePools: creating node pools needs threefs:cluster.existing.clusterId"],
    ["a kubeconfig in clear text", { kubeconfig: KUBECONFIG, nodePools: "existing" }, [], "threefs:cluster.existing.kubeconfig: must be a secret"],
    ["a file that is not a kubeconfig", { kubeconfig: "token: abc", nodePools: "existing" }, undefined, "threefs:cluster.existing.kubeconfig: is not a kubeconfig"],
    ["a kubeconfig whose context names no cluster", { kubeconfig: KUBECONFIG.replace("cluster: kubernetes, user", "cluster: other, user"), nodePools: "existing" }, undefined, "threefs:cluster.existing.kubeconfig: current context names a cluster the file does not define"],
    ["a plain-http server", { kubeconfig: KUBECONFIG.replace("https://", "http://"), nodePools: "existing" }, undefined, "threefs:cluster.existing.kubeconfig: current context's cluster has no https:// server"],
  ])("refuses %s with a key-named line (never quoting the file)", (_what, existing, secretKeys, line) => {
    const out = problems(existing, secretKeys);
    expect(out).toEqual([expect.stringContaining(line)]);
    expect(out.join("\n")).not.toContain(TOKEN);
    expect(out.join("\n")).not.toContain("abc");
  });
});

describe("the program with an existing cluster by kubeconfig", () => {
  let plan: PlanResult;
  const invokes: string[] = [];
  beforeAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PlanMocks } = require("../../lib/plan/mocks") as typeof import("../../lib/plan/mocks");
    const call = PlanMocks.prototype.call;
    jest.spyOn(PlanMocks.prototype, "call").mockImplementation(function (this: InstanceType<typeof PlanMocks>, args) {
      invokes.push(args.token);
      return call.call(this, args);
    });
    const values = { ...base.values, "threefs:cluster": cluster({ kubeconfig: KUBECONFIG, nodePools: "existing" }) };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    plan = await runOnMocks({ project: "threefs", stack: "byo-kubeconfig", values, secretKeys: ["threefs:cluster"], showSecrets: false }, () => ({ ...(require(path.join(ROOT, "index.ts")) as Record<string, unknown>) }));
  }, 60000);

  it("never writes the kubeconfig or its token in clear", () => {
    const text = JSON.stringify({ rows: plan.rows, outputs: plan.outputs });
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain("192.168.0.10");
    expect(plan.outputs.kubeconfig).toEqual({ value: "[secret]", secret: true });
  });

  it("uses the kubeconfig as given, identified by its API server, and creates no cluster or node pool", () => {
    const provider = plan.rows.find((r) => r.type === "pulumi:providers:kubernetes")!;
    expect(provider.inputs).toMatchObject({ kubeconfig: "[secret]", clusterIdentifier: "[secret]" });
    const reg = plan.registrations.find((r) => r.type === "pulumi:providers:kubernetes")!;
    expect(JSON.stringify(reg.inputs.clusterIdentifier)).toContain("https://192.168.0.10:6443");
    expect(invokes).not.toContain("alicloud:cs/getClusterCredential:getClusterCredential");
    expect(invokes).not.toContain("alicloud:cs/getManagedKubernetesClusters:getManagedKubernetesClusters");
    for (const t of ["alicloud:cs/managedKubernetes:ManagedKubernetes", "alicloud:cs/nodePool:NodePool", "alicloud:vpc/network:Network", "alicloud:ecs/securityGroup:SecurityGroup"]) {
      expect(plan.rows.filter((r) => r.type === t)).toEqual([]);
    }
    expect(plan.outputs.clusterId).toEqual({ value: "", secret: false });
    expect(plan.outputs.nodePoolIds.value).toEqual({});
  });
});
