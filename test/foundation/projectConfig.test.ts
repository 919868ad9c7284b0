/**
 * The offline reading of stack files (lib/plan/projectConfig.ts) for encrypted values: a whole key
 * (`pulumi config set --secret k v`) and one leaf of a structured key (`--secret --path k.a.b`), which the
 * CLI hands to the program as the whole key, decrypted and marked secret.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { resolveConfig, UNDECRYPTABLE } from "../../lib/plan/projectConfig";

function stackDir(stackYaml: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cfg-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: threefs\nruntime: nodejs\nconfig:\n  cluster:\n    default: {}\n");
  fs.writeFileSync(path.join(dir, "Pulumi.s.yaml"), stackYaml);
  return dir;
}

describe("encrypted stack config offline", () => {
  it("marks a key secret when one leaf is encrypted and passes the placeholder in its place", () => {
    const r = resolveConfig(stackDir("config:\n  threefs:cluster:\n    existing:\n      kubeconfig:\n        secure: v1:abc:def\n      nodePools: existing\n"), "s");
    expect(JSON.parse(r.values["threefs:cluster"])).toEqual({ existing: { kubeconfig: UNDECRYPTABLE, nodePools: "existing" } });
    expect(r.secretKeys).toEqual(["threefs:cluster"]);
  });

  it("marks a wholly encrypted key secret, and a plain structured key not", () => {
    const r = resolveConfig(stackDir("config:\n  threefs:token:\n    secure: v1:abc:def\n  threefs:cluster:\n    existing:\n      kubeconfig: 'apiVersion: v1'\n"), "s");
    expect(r.values["threefs:token"]).toBe(UNDECRYPTABLE);
    expect(r.secretKeys).toEqual(["threefs:token"]);
  });
});
