/**
 * Golden YAML of every 3FS object for a dev-like and a prod-like stack. Regenerate after an intended
 * change with `UPDATE_GOLDEN=1 npx jest test/threefs-k8s` and review the diff.
 *
 * bootstrap.sh (owned by lib/threefs) is replaced by its size and digest: its text has its own tests,
 * and the digest still shows here, as it names the bootstrap ConfigMap and Job.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { devArgs, objects, prodArgs } from "./fixtures";

const DIR = path.join(__dirname, "..", "fixtures", "threefs-k8s");

function render(list: Record<string, unknown>[]): string {
  const docs = list.map((o) => {
    const data = (o as { data?: Record<string, string> }).data;
    if (data?.["bootstrap.sh"] === undefined) return o;
    const script = data["bootstrap.sh"];
    const digest = createHash("sha256").update(script).digest("hex").slice(0, 16);
    return { ...o, data: { ...data, "bootstrap.sh": `<lib/threefs/bootstrap.sh: ${script.length} bytes, sha256 ${digest}…>` } };
  });
  return docs.map((d) => stringify(d, { lineWidth: 0, aliasDuplicateObjects: false })).join("---\n");
}

describe.each([
  ["dev", devArgs],
  ["prod", prodArgs],
])("golden %s", (name, args) => {
  test("matches test/fixtures/threefs-k8s", () => {
    const file = path.join(DIR, `${name}.yaml`);
    const actual = render(objects(args()));
    if (process.env.UPDATE_GOLDEN === "1") {
      fs.mkdirSync(DIR, { recursive: true });
      fs.writeFileSync(file, actual);
    }
    expect(actual).toBe(fs.readFileSync(file, "utf8"));
  });
});
