/**
 * `npm run sizing -- --stack <s>` prints the full sizing report of a committed stack: the published
 * figures with their sources, per-node and cluster ceilings, usable capacity, read ceiling with a
 * node lost, recovery after losing a node or a disk, and the assumptions.
 *
 *   --stack S [--stack T …] --compare       the stacks side by side
 *   --stack S --compare --instance-type A --instance-type B …
 *                                           stack S with each storage instance type instead of its own
 *   --fill F (0–1, default 1)               used fraction of the disks for the recovery estimates
 *   --peer-spare P (0–1, default 1)         bandwidth share the peers give the resync
 *   --reference                             DeepSeek's 180-node reference shape through the model
 *   --write-charts DIR                      write DIR/sizing-recovery-<stack>.svg for every --stack
 *
 * Invalid config: one line per problem on stderr and exit code 1; bad arguments exit 2.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ProjectConfigError } from "../lib/plan/projectConfig";
import { recoveryChartSvg } from "../lib/sizing/chart";
import { sizingInputOf } from "../lib/sizing/input";
import { renderReference } from "../lib/sizing/reference";
import { renderComparison, renderReport } from "../lib/sizing/render";
import { readStackConfig, stackSizing } from "../lib/sizing/stack";
import { ConfigError } from "../stacks/config";

const USAGE =
  "usage: npm run sizing -- --stack <name> [--stack <name> …] [--compare] [--instance-type T …] [--fill 0-1] [--peer-spare 0-1] [--reference] [--write-charts DIR] [--dir PROJECT_DIR]";

/** The chart file of a stack, relative to the charts directory. */
export const chartFile = (stack: string): string => `sizing-recovery-${stack}.svg`;

function fraction(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n > 0 && n <= 1)) throw new UsageError(`--${name} must be a number in (0, 1], got ${JSON.stringify(v)}`);
  return n;
}

class UsageError extends Error {}

/** Runs the CLI; returns the exit code. */
export function main(argv: string[], write: (s: string) => void = (s) => process.stdout.write(s)): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        stack: { type: "string", multiple: true },
        compare: { type: "boolean", default: false },
        "instance-type": { type: "string", multiple: true },
        fill: { type: "string" },
        "peer-spare": { type: "string" },
        reference: { type: "boolean", default: false },
        "write-charts": { type: "string" },
        dir: { type: "string" },
      },
      strict: true,
    }));
  } catch (e) {
    process.stderr.write(`sizing: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const dir = path.resolve(values.dir ?? path.join(__dirname, ".."));
  const stacks = values.stack ?? [];
  const types = values["instance-type"] ?? [];
  try {
    const options = { fill: fraction("fill", values.fill), peerSpare: fraction("peer-spare", values["peer-spare"]) };
    if (stacks.length === 0 && !values.reference) throw new UsageError("--stack or --reference is required");
    if (types.length > 0 && (!values.compare || stacks.length !== 1)) throw new UsageError("--instance-type needs --compare and exactly one --stack");
    const configs = stacks.map((s) => ({ stack: s, cfg: readStackConfig(dir, s) }));
    if (values["write-charts"]) {
      const out = path.resolve(values["write-charts"]);
      fs.mkdirSync(out, { recursive: true });
      for (const { stack, cfg } of configs) fs.writeFileSync(path.join(out, chartFile(stack)), recoveryChartSvg(sizingInputOf(cfg), stack));
      write(`wrote ${configs.map((c) => chartFile(c.stack)).join(", ")} to ${out}\n`);
    } else if (values.compare) {
      const items =
        types.length > 0
          ? types.map((t) => ({ label: `${stacks[0]} on ${t}`, report: stackSizing(configs[0].cfg, dir, options, { storageTypes: [t] }) }))
          : configs.map(({ stack, cfg }) => ({ label: stack, report: stackSizing(cfg, dir, options) }));
      write(renderComparison(items));
    } else {
      for (const { stack, cfg } of configs) write(renderReport(stackSizing(cfg, dir, options), `Stack ${stack}`) + "\n");
    }
    if (values.reference) write(renderReference());
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`sizing: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    if (e instanceof ConfigError || e instanceof ProjectConfigError) {
      process.stderr.write(`invalid configuration\n${e.problems.join("\n")}\n`);
      return 1;
    }
    throw e;
  }
}

if (require.main === module) {
  try {
    process.exit(main(process.argv.slice(2)));
  } catch (e) {
    process.stderr.write(`sizing: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
