/**
 * The consumer contract and the example consumer stack, rendered offline with mocked stack outputs.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CONTRACT_VERSION, OUTPUT_KEYS, checkContractVersion } from "../../stacks/contract";
import { runPlan, type PlanResult } from "../../lib/plan/run";

const dir = path.join(__dirname, "..", "..", "stacks", "consumer");
const mockOutputs = JSON.parse(fs.readFileSync(path.join(dir, "stack-outputs.mock.json"), "utf8")) as Record<string, Record<string, unknown>>;

describe("contract", () => {
  it("accepts the same major version and refuses another", () => {
    expect(() => checkContractVersion(CONTRACT_VERSION)).not.toThrow();
    expect(() => checkContractVersion("1.7")).not.toThrow();
    expect(() => checkContractVersion("2.0")).toThrow(/major version differs/);
    expect(() => checkContractVersion(undefined)).toThrow(/no contractVersion/);
  });

  it("the consumer's mocked outputs cover every contract key", () => {
    for (const outputs of Object.values(mockOutputs)) expect(Object.keys(outputs).sort()).toEqual([...OUTPUT_KEYS].sort());
  });
});

describe("example consumer stack", () => {
  let plan: PlanResult;
  beforeAll(async () => {
    plan = await runPlan({ dir, stack: "example", showSecrets: false, stackOutputs: mockOutputs });
  }, 60000);

  it("deploys a Job onto client nodes with the 3FS mount", () => {
    const job = plan.rows.find((r) => r.type === "kubernetes:batch/v1:Job");
    const spec = (job?.inputs as { spec: { template: { spec: Record<string, unknown> } } }).spec.template.spec;
    const stack = mockOutputs["myorg/threefs/dev"];
    expect(spec.nodeSelector).toEqual(stack.clientNodeSelector);
    expect(spec.volumes).toEqual([{ name: "threefs", hostPath: { path: stack.mountPath, type: "Directory" } }]);
    const containers = spec.containers as { volumeMounts: { mountPropagation: string }[] }[];
    expect(containers[0].volumeMounts[0].mountPropagation).toBe("HostToContainer");
  });

  it("uses the referenced stack's kubeconfig as a secret", () => {
    const provider = plan.rows.find((r) => r.type === "pulumi:providers:kubernetes");
    expect((provider?.inputs as Record<string, unknown>).kubeconfig).toBe("[secret]");
    for (const r of plan.rows.filter((x) => x.type.startsWith("kubernetes:"))) expect(r.provider).toBe(provider?.urn);
  });
});
