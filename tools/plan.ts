/**
 * `npm run plan -- --stack <name> [--out DIR] [--show-secrets]`
 *
 * Evaluates the real program offline (Pulumi mock runtime) and prints what it would create. With --out
 * it writes resources.json, outputs.json and kubernetes.yaml (byte-identical for the same config).
 * Invalid config: one line per problem on stderr and exit code 1.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError } from "../stacks/config";
import { ProjectConfigError } from "../lib/plan/projectConfig";
import { renderKubernetesYaml, renderOutputs, renderTree } from "../lib/plan/render";
import { runPlan } from "../lib/plan/run";
import { renderPlanSection } from "../lib/sizing/output";
import type { StorageSizing } from "../stacks/contract";

const USAGE = "usage: npm run plan -- --stack <name> [--out DIR] [--show-secrets] [--dir PROJECT_DIR] [--stack-outputs FILE.json]";

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, options: { stack: { type: "string" }, out: { type: "string" }, "show-secrets": { type: "boolean", default: false }, dir: { type: "string" }, "stack-outputs": { type: "string" } }, strict: true });
  } catch (e) {
    process.stderr.write(`plan: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { stack, out } = args.values;
  if (!stack) {
    process.stderr.write(`plan: --stack is required\n${USAGE}\n`);
    return 2;
  }
  const dir = path.resolve(args.values.dir ?? path.join(__dirname, ".."));
  if (out) {
    // Before the plan runs: an --out that cannot be created fails at once, with the reason.
    try {
      ensureDir(out);
    } catch (e) {
      process.stderr.write(`plan: cannot create --out ${out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return 1;
    }
  }
  try {
    const stackOutputs = readStackOutputs(args.values["stack-outputs"] ?? defaultStackOutputs(dir));
    const result = await runPlan({ dir, stack, showSecrets: args.values["show-secrets"] === true, stackOutputs });
    for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
    process.stdout.write(renderTree(result.rows, stack));
    process.stdout.write(renderOutputs(result.outputs));
    const sizing = result.outputs.sizing?.value as StorageSizing | undefined;
    if (sizing) process.stdout.write(renderPlanSection(sizing, stack));
    if (out) {
      fs.writeFileSync(path.join(out, "resources.json"), JSON.stringify(result.rows, null, 2) + "\n");
      fs.writeFileSync(path.join(out, "outputs.json"), JSON.stringify(result.outputs, null, 2) + "\n");
      fs.writeFileSync(path.join(out, "kubernetes.yaml"), renderKubernetesYaml(result.rows, result.registrations));
      process.stdout.write(`\nwrote resources.json, outputs.json, kubernetes.yaml to ${out}\n`);
    }
    return 0;
  } catch (e) {
    if (e instanceof ConfigError || e instanceof ProjectConfigError) {
      process.stderr.write(`stack ${stack}: invalid configuration\n${e.problems.join("\n")}\n`);
      return 1;
    }
    throw e;
  }
}

/**
 * mkdir -p without `recursive: true`: under special file systems (/proc) Node 20's recursive mkdir retries
 * forever instead of failing (same as tools/chain-table.ts).
 */
function ensureDir(dir: string): void {
  const abs = path.resolve(dir);
  if (fs.existsSync(abs)) {
    if (!fs.statSync(abs).isDirectory()) throw new Error(`${dir} exists and is not a directory`);
    return;
  }
  const parent = path.dirname(abs);
  if (parent !== abs) ensureDir(parent);
  fs.mkdirSync(abs);
}

/** A project may ship mocked outputs of the stacks it references (the example consumer does). */
function defaultStackOutputs(dir: string): string | undefined {
  const file = path.join(dir, "stack-outputs.mock.json");
  return fs.existsSync(file) ? file : undefined;
}

function readStackOutputs(file: string | undefined): Record<string, Record<string, unknown>> {
  if (!file) return {};
  return JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, Record<string, unknown>>;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`plan: ${(e as Error).message}\n`);
      process.exit(1);
    },
  );
}
