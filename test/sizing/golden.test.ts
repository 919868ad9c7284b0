/**
 * Golden tables of the committed stacks (`npm run sizing`), the comparisons, DeepSeek's reference, and
 * the recovery charts committed in docs/. Regenerate after an intended change with
 * `UPDATE_GOLDEN=1 npx jest test/sizing/golden` (charts: `npm run sizing -- --stack dev --stack staging
 * --stack prod --write-charts docs`) and review the diff.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { recoveryChartSvg } from "../../lib/sizing/chart";
import { sizingInputOf } from "../../lib/sizing/input";
import { readStackConfig } from "../../lib/sizing/stack";
import { chartFile, main } from "../../tools/sizing";

const root = path.join(__dirname, "..", "..");
const DIR = path.join(root, "test", "fixtures", "sizing");
const STACKS = ["dev", "staging", "prod"];

function run(args: string[]): string {
  let out = "";
  expect(main([...args, "--dir", root], (s) => void (out += s))).toBe(0);
  return out;
}

function golden(name: string, actual: string): void {
  const file = path.join(DIR, name);
  if (process.env.UPDATE_GOLDEN === "1") {
    fs.mkdirSync(DIR, { recursive: true });
    fs.writeFileSync(file, actual);
  }
  expect(actual).toBe(fs.readFileSync(file, "utf8"));
}

describe("golden sizing tables", () => {
  test.each(STACKS)("stack %s", (stack) => golden(`${stack}.txt`, run(["--stack", stack])));

  it("stacks side by side", () => golden("compare-stacks.txt", run(["--compare", ...STACKS.flatMap((s) => ["--stack", s])])));

  it("prod on other storage instance types", () =>
    golden("compare-prod-types.txt", run(["--compare", "--stack", "prod", ...["ecs.g8i.8xlarge", "ecs.g8i.16xlarge", "ecs.g8ise.8xlarge", "ecs.g8a.16xlarge", "ecs.g9a.16xlarge"].flatMap((t) => ["--instance-type", t])])));

  it("DeepSeek's reference shape", () => golden("reference.txt", run(["--reference"])));
});

describe("recovery charts in docs/", () => {
  test.each(STACKS)("docs/%s chart regenerates byte for byte", (stack) => {
    const svg = recoveryChartSvg(sizingInputOf(readStackConfig(root, stack)), stack);
    expect(svg).toBe(fs.readFileSync(path.join(root, "docs", chartFile(stack)), "utf8"));
  });
});
