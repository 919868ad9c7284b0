/**
 * The consumer contract and the example consumer stack, rendered offline with mocked stack outputs (the dev
 * stack's own plan outputs): a tenant's FUSE Job and USRBIO Job, deployed with the tenant's kubeconfig.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CONTRACT_VERSION, OUTPUT_KEYS, SECRET_OUTPUTS, checkContractVersion } from "../../stacks/contract";
import { runPlan, type PlanResult } from "../../lib/plan/run";

const dir = path.join(__dirname, "..", "..", "stacks", "consumer");
const mockOutputs = JSON.parse(fs.readFileSync(path.join(dir, "stack-outputs.mock.json"), "utf8")) as Record<string, Record<string, unknown>>;
const stack = mockOutputs["myorg/threefs/dev"];

describe("contract", () => {
  it("accepts the same major version and refuses another", () => {
    expect(() => checkContractVersion(CONTRACT_VERSION)).not.toThrow();
    expect(() => checkContractVersion("1.7")).not.toThrow();
    expect(() => checkContractVersion("2.0")).toThrow(/major version differs/);
    expect(() => checkContractVersion(undefined)).toThrow(/no contractVersion/);
  });

  it("the consumer's mocked outputs cover every contract key; admin credentials and kubeconfigs are secret", () => {
    for (const outputs of Object.values(mockOutputs)) expect(Object.keys(outputs).sort()).toEqual([...OUTPUT_KEYS].sort());
    expect([...SECRET_OUTPUTS].sort()).toEqual(["kubeconfig", "operatorKubeconfig", "operatorToken", "tenantKubeconfigs", "token"]);
  });
});

type PodSpec = { nodeSelector: Record<string, string>; securityContext: Record<string, unknown>; volumes: Array<{ name: string; hostPath?: { path: string; type: string } }>; containers: Array<{ securityContext: Record<string, unknown>; volumeMounts: Array<{ name: string; mountPath: string; mountPropagation?: string }> }> };

describe("example consumer stack", () => {
  let plan: PlanResult;
  beforeAll(async () => {
    plan = await runPlan({ dir, stack: "example", showSecrets: true, stackOutputs: mockOutputs });
  }, 60000);
  const jobs = () => plan.rows.filter((r) => r.type === "kubernetes:batch/v1:Job");
  const podSpec = (name: string) => (jobs().find((r) => r.name === name)?.inputs as { spec: { template: { spec: PodSpec } } }).spec.template.spec;

  it("deploys a FUSE Job and a USRBIO Job into the tenant's namespace, on client nodes, unprivileged, as the tenant", () => {
    expect(jobs().map((j) => j.name).sort()).toEqual(["train", "usrbio"]);
    const tenant = (stack.tenants as Record<string, { namespace: string; uid: number; gid: number }>).vision;
    for (const j of jobs()) {
      expect((j.inputs as { metadata: { namespace: string } }).metadata.namespace).toBe(tenant.namespace);
      const spec = podSpec(j.name);
      expect(spec.nodeSelector).toEqual(stack.clientNodeSelector);
      expect(spec.securityContext).toEqual({ runAsUser: tenant.uid, runAsGroup: tenant.gid, runAsNonRoot: true });
      expect(spec.volumes).toContainEqual({ name: "threefs", hostPath: { path: stack.mountPath, type: "Directory" } });
      for (const c of spec.containers) {
        expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false });
        expect(c.volumeMounts).toContainEqual({ name: "threefs", mountPath: stack.mountPath, mountPropagation: "HostToContainer" });
      }
    }
  });

  it("the USRBIO Job shares the node's USRBIO directory with the FUSE daemon as /dev/shm", () => {
    const spec = podSpec("usrbio");
    expect(spec.volumes).toContainEqual({ name: "threefs-usrbio-shm", hostPath: { path: stack.usrbioShmHostPath, type: "Directory" } });
    expect(spec.containers[0].volumeMounts).toContainEqual({ name: "threefs-usrbio-shm", mountPath: "/dev/shm" });
    expect(podSpec("train").volumes.map((v) => v.name)).not.toContain("threefs-usrbio-shm");
  });

  it("deploys with the tenant's namespace-scoped kubeconfig, never the cluster-admin one", () => {
    const provider = plan.rows.find((r) => r.type === "pulumi:providers:kubernetes");
    const inputs = provider?.inputs as Record<string, unknown>;
    expect(inputs.kubeconfig).toBe((stack.tenantKubeconfigs as Record<string, string>).vision);
    expect(inputs.kubeconfig).not.toBe(stack.operatorKubeconfig);
    expect(JSON.stringify(plan.rows)).not.toContain(String(stack.operatorToken));
    for (const r of plan.rows.filter((x) => x.type.startsWith("kubernetes:"))) expect(r.provider).toBe(provider?.urn);
  });
});
