/**
 * Plans one committed stack (Pulumi.<stack>.yaml) with `npm run plan -- --out` and checks what every stack
 * must satisfy: the output contract, no credential outside a secret in resources.json and outputs.json, and
 * no warning a user could not act on. One stack per test file (Pulumi's mock runtime is per process).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { UNDECRYPTABLE } from "../../lib/plan/projectConfig";
import { findUnmarkedSecrets } from "../../lib/plan/secretScan";
import { OUTPUT_KEYS, SECRET_OUTPUTS } from "../../stacks/contract";
import { main } from "../../tools/plan";

export const root = path.join(__dirname, "..", "..");

/** Every committed stack file. */
export function committedStacks(): string[] {
  return fs
    .readdirSync(root)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/** Warnings every stack may print: each names a key and says what to do. */
const ACTIONABLE = [/^threefs:images\.tag is the moving branch tag 'main'.*pin digests/, /^threefs:images\.registry: images come from ghcr\.io.*mirror/];

/** What each infrastructure mode creates (README "Infrastructure modes"): VPC, ACK cluster, node pools. */
const MODES: Record<string, { vpc: boolean; cluster: boolean; pools: boolean }> = {
  dev: { vpc: true, cluster: true, pools: true },
  staging: { vpc: true, cluster: true, pools: true },
  prod: { vpc: true, cluster: true, pools: true },
  "prod-zones": { vpc: true, cluster: true, pools: true },
  "byo-vpc": { vpc: false, cluster: true, pools: true },
  "byo-cluster": { vpc: false, cluster: false, pools: true },
  "byo-kubeconfig": { vpc: false, cluster: false, pools: false },
};
const VPC_TYPES = ["alicloud:vpc/network:Network", "alicloud:vpc/switch:Switch", "alicloud:vpc/natGateway:NatGateway", "alicloud:vpc/snatEntry:SnatEntry"];

export function describeCommittedStack(stack: string): void {
  describe(`committed stack ${stack}`, () => {
    let out = "";
    const warnings: string[] = [];
    let rows: Record<string, unknown>[] = [];
    let outputs: Record<string, { value: unknown; secret: boolean }> = {};
    beforeAll(async () => {
      out = fs.mkdtempSync(path.join(os.tmpdir(), `plan-${stack}-`));
      const write = process.stdout.write.bind(process.stdout);
      const writeErr = process.stderr.write.bind(process.stderr);
      const warn = console.warn;
      // tools/plan.ts prints the program's warnings to stderr as "warning: <message>" lines (as the CLI does);
      // anything reaching console.warn directly escaped the plan's collection.
      let stderr = "";
      process.stdout.write = (() => true) as typeof process.stdout.write;
      process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
      console.warn = (...a: unknown[]) => void (stderr += `${a.map(String).join(" ")}\n`);
      try {
        expect(await main(["--stack", stack, "--out", out, "--dir", root])).toBe(0);
      } finally {
        process.stdout.write = write;
        process.stderr.write = writeErr;
        console.warn = warn;
      }
      for (const line of stderr.split("\n").filter((l) => l !== "")) warnings.push(line.replace(/^warning: (\[runtime\] )?/, ""));
      rows = JSON.parse(fs.readFileSync(path.join(out, "resources.json"), "utf8"));
      outputs = JSON.parse(fs.readFileSync(path.join(out, "outputs.json"), "utf8"));
    }, 60000);

    it("exports exactly the contract's outputs, secrets marked", () => {
      expect(Object.keys(outputs).sort()).toEqual([...OUTPUT_KEYS].sort());
      for (const key of OUTPUT_KEYS) expect(outputs[key].secret).toBe(SECRET_OUTPUTS.has(key));
    });

    it("has no PEM private key, AccessKey or token outside a secret in resources.json or outputs.json", () => {
      expect(findUnmarkedSecrets(rows, "resources.json")).toEqual([]);
      expect(findUnmarkedSecrets(outputs, "outputs.json")).toEqual([]);
      // Encrypted stack config reaches the program as this placeholder offline: it must only travel as a secret.
      for (const file of ["resources.json", "outputs.json"]) expect(fs.readFileSync(path.join(out, file), "utf8")).not.toContain(UNDECRYPTABLE);
    });

    it("creates exactly the infrastructure of its mode (VPC, cluster, node pools)", () => {
      const mode = MODES[stack];
      expect(mode).toBeDefined(); // a new committed stack names its mode here
      const count = (types: string[]) => rows.filter((r) => types.includes(String(r.type))).length;
      expect(count(VPC_TYPES) > 0).toBe(mode.vpc);
      expect(count(["alicloud:cs/managedKubernetes:ManagedKubernetes"])).toBe(mode.cluster ? 1 : 0);
      expect(count(["alicloud:cs/nodePool:NodePool"]) > 0).toBe(mode.pools);
    });

    it("prints only warnings a user can act on, and the committed stacks' known ones", () => {
      for (const w of warnings) expect([w, ACTIONABLE.some((re) => re.test(w))]).toEqual([w, true]);
      // Every committed stack pulls from ghcr.io without a mirror today: the warning must reach the user.
      expect(warnings.some((w) => ACTIONABLE[1].test(w))).toBe(true);
    });
  });
}
