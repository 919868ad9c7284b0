/**
 * Golden YAML of every 3FS object for a dev-like and a prod-like stack. Regenerate after an intended
 * change with `UPDATE_GOLDEN=1 npx jest test/threefs-k8s` and review the diff.
 *
 * The Jobs' scripts (lib/threefs/scripts/*.sh) are replaced by their size and digest: their text has its
 * own tests (test/model), and the digest still shows here, as it names the Jobs and their ConfigMaps.
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
    if (!data || !Object.keys(data).some((k) => k.endsWith(".sh"))) return o;
    const shown = Object.fromEntries(
      Object.entries(data).map(([k, v]) => [k, k.endsWith(".sh") ? `<lib/threefs/scripts/${k}: ${v.length} bytes, sha256 ${createHash("sha256").update(v).digest("hex").slice(0, 16)}…>` : v]),
    );
    return { ...o, data: shown };
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
