/**
 * Every configuration key is declared in Pulumi.yaml (with a description) and documented in the README;
 * every stack output is in the README's outputs table.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { stackConfigSchema } from "../../stacks/schema";

const root = path.join(__dirname, "..", "..");
const project = parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { config: Record<string, { description?: string }> };
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
const keys = Object.keys(stackConfigSchema.shape);

describe("config documentation", () => {
  it("Pulumi.yaml declares exactly the schema's keys, each with a description", () => {
    expect(Object.keys(project.config).sort()).toEqual([...keys].sort());
    for (const k of keys) expect(project.config[k].description?.length ?? 0).toBeGreaterThan(10);
  });

  it.each(keys)("README documents threefs:%s", (key) => {
    expect(readme).toContain(`threefs:${key}`);
  });

  it("README documents every field of every structured key", () => {
    for (const key of keys) {
      const field = stackConfigSchema.shape[key as keyof typeof stackConfigSchema.shape];
      const shape = (field as unknown as { shape?: Record<string, unknown> }).shape;
      if (!shape || key === "resources" || key === "smokeTest") continue;
      for (const sub of Object.keys(shape)) expect(readme).toMatch(new RegExp(`threefs:${key}\\.[^|]*${sub}`));
    }
  });
});

describe("outputs documentation", () => {
  it("README lists every exported output of index.ts", () => {
    const index = fs.readFileSync(path.join(root, "index.ts"), "utf8");
    const exported = [...index.matchAll(/^export const (\w+)/gm)].map((m) => m[1]);
    expect(exported.length).toBeGreaterThan(5);
    for (const name of exported) expect(readme).toContain(`| \`${name}\``);
  });
});
