/**
 * docs/sizing.md shows the current numbers (the golden comparison and reference blocks), embeds every
 * committed chart, and lists every source and every assumption of the model.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ASSUMPTIONS, SOURCES } from "../../lib/sizing/sources";
import { chartFile } from "../../tools/sizing";

const root = path.join(__dirname, "..", "..");
const doc = fs.readFileSync(path.join(root, "docs", "sizing.md"), "utf8");
const fixture = (name: string) => fs.readFileSync(path.join(root, "test", "fixtures", "sizing", name), "utf8");

describe("docs/sizing.md", () => {
  test.each(["compare-stacks.txt", "reference.txt"])("carries %s verbatim", (name) => {
    expect(doc).toContain("```\n" + fixture(name) + "```\n");
  });

  test.each(["dev", "staging", "prod"])("embeds the %s chart", (stack) => {
    expect(doc).toContain(`(${chartFile(stack)})`);
    expect(fs.existsSync(path.join(root, "docs", chartFile(stack)))).toBe(true);
  });

  it("lists every source and every assumption", () => {
    for (const s of Object.values(SOURCES)) expect(doc).toContain(s.url.split("#")[0]);
    for (const key of Object.keys(ASSUMPTIONS)) expect(doc).toContain(`| \`${key}\` |`);
  });
});
