/**
 * Smoke test of the offline plan: the real program, the real Pulumi.dev.yaml, on mocks.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import { main } from "../../tools/plan";

const root = path.join(__dirname, "..", "..");
let planOut = "";
/** Directory the dev plan was written to (set by the first describe block). */
const lastOut = (): string => planOut;

describe("npm run plan", () => {
  let out: string;
  let stdout = "";
  let stderr = "";
  beforeAll(async () => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
    planOut = out;
    const write = process.stdout.write.bind(process.stdout);
    const writeErr = process.stderr.write.bind(process.stderr);
    process.stdout.write = ((chunk: string) => {
      stdout += chunk;
      return true;
    }) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string) => {
      stderr += chunk;
      return true;
    }) as typeof process.stderr.write;
    try {
      expect(await main(["--stack", "dev", "--out", out, "--dir", root])).toBe(0);
    } finally {
      process.stdout.write = write;
      process.stderr.write = writeErr;
    }
  }, 60000);

  it("prints the program's warnings to stderr, one 'warning:' line each, never into the tree", () => {
    expect(stderr).toMatch(/^warning: threefs:images\.registry: /m);
    for (const line of stderr.split("\n").filter((l) => l !== "")) expect(line).toMatch(/^warning: threefs:/);
    expect(stdout).not.toContain("warning:");
  });

  it("prints a tree with counts", () => {
    expect(stdout).toMatch(/^Stack dev: \d+ resources would be created/m);
    expect(stdout).toContain("+ threefs:index:Network  threefs-dev");
    expect(stdout).toContain("Resources by type:");
  });

  it("writes resources.json with one row per resource, components included", () => {
    const rows = JSON.parse(fs.readFileSync(path.join(out, "resources.json"), "utf8")) as Record<string, unknown>[];
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows) expect(Object.keys(r)).toEqual(expect.arrayContaining(["urn", "type", "name", "parent", "dependsOn", "provider", "inputs"]));
    expect(rows.some((r) => r.type === "threefs:index:AckCluster")).toBe(true);
    const urns = new Set(rows.map((r) => r.urn));
    for (const r of rows) if (r.parent !== null && !String(r.parent).includes("pulumi:pulumi:Stack")) expect(urns.has(r.parent)).toBe(true);
    expect(JSON.stringify(rows)).not.toContain("mock-token"); // the kubeconfig is redacted
  });

  it("writes outputs.json with the contract outputs and secrets redacted", () => {
    const outputs = JSON.parse(fs.readFileSync(path.join(out, "outputs.json"), "utf8")) as Record<string, { value: unknown; secret: boolean }>;
    for (const key of ["region", "zones", "vpcId", "vswitchIds", "securityGroupId", "clusterId", "kubeconfig"]) expect(outputs).toHaveProperty(key);
    expect(outputs.kubeconfig).toEqual({ value: "[secret]", secret: true });
    expect(outputs.region.value).toBe("cn-beijing");
    expect(outputs.vpcId.value).toMatch(/^vpc-[0-9a-f]{20}$/);
  });

  it("writes kubernetes.yaml as parseable YAML documents", () => {
    const text = fs.readFileSync(path.join(out, "kubernetes.yaml"), "utf8");
    for (const doc of parseAllDocuments(text)) {
      const obj = doc.toJS() as Record<string, unknown> | null;
      if (obj === null) continue;
      expect(obj.apiVersion).toBeDefined();
      expect(obj.kind).toBeDefined();
      expect(obj.metadata).toBeDefined();
    }
  });
});

describe("npm run plan (errors)", () => {
  it("rejects a stack with bad config with one line per problem and exit 1", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bad-"));
    fs.copyFileSync(path.join(root, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    fs.writeFileSync(
      path.join(dir, "Pulumi.bad.yaml"),
      "config:\n  alicloud:region: cn-beijing\n  threefs:profile: dev\n  threefs:zones: [cn-hangzhou-h]\n  threefs:storage:\n    disksPerNodes: 2\n    diskSizeGiB: 10\n",
    );
    let stderr = "";
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => {
      stderr += chunk;
      return true;
    }) as typeof process.stderr.write;
    let code: number;
    try {
      code = await main(["--stack", "bad", "--dir", dir]);
    } finally {
      process.stderr.write = write;
    }
    expect(code).toBe(1);
    expect(stderr).toContain("threefs:storage.disksPerNodes: unknown key");
    expect(stderr).toContain("threefs:storage.diskSizeGiB: must be ≥ 64");
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("fails at once, with the reason, when --out cannot be created", async () => {
    let stderr = "";
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => {
      stderr += chunk;
      return true;
    }) as typeof process.stderr.write;
    try {
      expect(await main(["--stack", "dev", "--dir", root, "--out", "/proc/threefs-plan-test/out"])).toBe(1);
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-file-")), "f");
      fs.writeFileSync(file, "");
      expect(await main(["--stack", "dev", "--dir", root, "--out", file])).toBe(1);
    } finally {
      process.stderr.write = write;
    }
    expect(stderr).toContain("plan: cannot create --out /proc/threefs-plan-test/out: ENOENT");
    expect(stderr).toContain("exists and is not a directory");
  });

  it("rejects a missing stack file and unknown flags", async () => {
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      expect(await main(["--stack", "nope", "--dir", root])).toBe(1);
      expect(await main(["--bogus"])).toBe(2);
      expect(await main([])).toBe(2);
    } finally {
      process.stderr.write = write;
    }
  });
});

describe("output contract", () => {
  it("the program exports exactly the contract's outputs", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { OUTPUT_KEYS, SECRET_OUTPUTS } = require("../../stacks/contract") as typeof import("../../stacks/contract");
    // The plan above already wrote outputs.json for dev.
    const outputs = JSON.parse(fs.readFileSync(path.join(lastOut(), "outputs.json"), "utf8")) as Record<string, { secret: boolean }>;
    expect(Object.keys(outputs).sort()).toEqual([...OUTPUT_KEYS].sort());
    for (const key of OUTPUT_KEYS) expect(outputs[key].secret).toBe(SECRET_OUTPUTS.has(key));
  });
});

describe("tenants in the dev plan", () => {
  type Row = { urn: string; type: string; name: string; parent: string | null; dependsOn: string[]; inputs: Record<string, unknown> };
  const rows = () => JSON.parse(fs.readFileSync(path.join(lastOut(), "resources.json"), "utf8")) as Row[];

  it("tenant vision: namespace, deployer, Role, token Secrets and the admission policy, under one component", () => {
    const all = rows();
    const tenant = all.find((r) => r.type === "threefs:index:Tenant" && r.name === "threefs-dev-tenant-vision");
    expect(tenant).toBeDefined();
    const kids = all.filter((r) => r.parent === tenant!.urn).map((r) => r.type).sort();
    expect(kids).toEqual([
      "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy",
      "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding",
      "kubernetes:core/v1:Namespace",
      "kubernetes:core/v1:Secret",
      "kubernetes:core/v1:Secret",
      "kubernetes:core/v1:ServiceAccount",
      "kubernetes:rbac.authorization.k8s.io/v1:Role",
      "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
    ]);
  });

  it("the bootstrap Job waits for and mounts the tenant-tokens Secret (one key per tenant), and plans the tenant", () => {
    const all = rows();
    const secret = all.find((r) => r.name === "threefs-dev-tenant-tokens")!;
    expect(secret.inputs.stringData).toBe("[secret]");
    const job = all.find((r) => r.type === "kubernetes:batch/v1:Job" && r.name === "threefs-dev-bootstrap")!;
    expect(job.dependsOn).toContain(secret.urn);
    const pod = (job.inputs as { spec: { template: { spec: { volumes: Array<{ secret?: { secretName: string } }>; containers: Array<{ volumeMounts: Array<{ mountPath: string }> }> } } } }).spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: "tenant-tokens", secret: { secretName: "threefs-dev-tenant-tokens", defaultMode: 0o400 } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: "tenant-tokens", mountPath: "/etc/3fs-tenant-tokens", readOnly: true });
    const cm = all.find((r) => r.type === "kubernetes:core/v1:ConfigMap" && r.name === "threefs-dev-bootstrap")!;
    expect((cm.inputs.data as Record<string, string>)["tenants.tsv"]).toContain("vision 1001 1001 /tenants/vision 0700\n");
  });
});
