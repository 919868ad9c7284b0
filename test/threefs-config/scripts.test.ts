/**
 * The Jobs' scripts (lib/threefs/scripts) are shellcheck-clean where shellcheck is installed; their
 * behaviour is tested against the 3FS model (test/model).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const DIR = path.join(__dirname, "../../lib/threefs/scripts");
const shellcheck = spawnSync("shellcheck", ["--version"]).status === 0;

(shellcheck ? test : test.skip)("every script is shellcheck-clean (runs where shellcheck is installed)", () => {
  const scripts = fs.readdirSync(DIR).filter((f) => f.endsWith(".sh"));
  const r = spawnSync("shellcheck", ["-s", "bash", "-x", ...scripts], { cwd: DIR, encoding: "utf8" });
  expect(r.stdout).toBe("");
  expect(r.status).toBe(0);
});
