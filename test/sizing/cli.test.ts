/**
 * `npm run sizing`: argument errors (exit 2), config errors (exit 1), chart writing; and the SVG builder.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { niceStep } from "../../lib/sizing/chart";
import { el, num, renderSvg } from "../../lib/sizing/svg";
import { main } from "../../tools/sizing";

const root = path.join(__dirname, "..", "..");

function run(args: string[]): { code: number; out: string; err: string } {
  let out = "";
  let err = "";
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((c: string) => ((err += c), true)) as typeof process.stderr.write;
  try {
    const code = main([...args, "--dir", root], (s) => void (out += s));
    return { code, out, err };
  } finally {
    process.stderr.write = writeErr;
  }
}

describe("npm run sizing", () => {
  test.each([
    [[], /--stack or --reference is required/],
    [["--stack", "dev", "--fill", "0"], /--fill must be a number in \(0, 1\]/],
    [["--stack", "dev", "--peer-spare", "x"], /--peer-spare must be/],
    [["--stack", "dev", "--instance-type", "ecs.g8i.xlarge"], /--instance-type needs --compare/],
    [["--bogus"], /Unknown option/],
  ])("%j exits 2", (args, message) => {
    const r = run(args as string[]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).toContain("usage: npm run sizing");
  });

  it("an unknown stack is a config error (exit 1, one line per problem)", () => {
    const r = run(["--stack", "nope"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^invalid configuration\nno stack file Pulumi.nope.yaml/);
  });

  it("--fill and --peer-spare change the recovery estimate", () => {
    const full = run(["--stack", "prod"]).out;
    const half = run(["--stack", "prod", "--fill", "0.5", "--peer-spare", "0.5"]).out;
    expect(full).toContain("Recovery (fill 100 %, peer spare 100 %, worst lost node):");
    expect(half).toContain("Recovery (fill 50 %, peer spare 50 %, worst lost node):");
    expect(half).toContain("4.00 TiB into the replacement");
  });

  it("an instance type without figures is reported, not guessed", () => {
    const r = run(["--compare", "--stack", "prod", "--instance-type", "ecs.c8i.8xlarge"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/node read\s+n\/a/);
  });

  it("--write-charts writes one SVG per stack", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "charts-"));
    const r = run(["--stack", "staging", "--write-charts", dir]);
    expect(r.code).toBe(0);
    const svg = fs.readFileSync(path.join(dir, "sizing-recovery-staging.svg"), "utf8");
    expect(svg).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain("this stack: 3 nodes");
  });
});

describe("SVG builder", () => {
  it("escapes text and attributes, rounds numbers, refuses bad names", () => {
    const svg = renderSvg(el("svg", { width: 10.005, height: 2 }, [el("text", { title: 'a"b' }, ["x < y & z"]), el("line", { x1: -0.001 })]));
    expect(svg).toContain('<svg xmlns="http://www.w3.org/2000/svg" width="10.01" height="2">');
    expect(svg).toContain('<text title="a&quot;b">x &lt; y &amp; z</text>');
    expect(svg).toContain('<line x1="0"/>');
    expect(() => renderSvg(el("svg", { "on click": 1 }))).toThrow(/attribute name/);
    expect(() => renderSvg(el("g"))).toThrow(/root element/);
    expect(() => num(Number.NaN)).toThrow();
    expect(num(2.5)).toBe("2.5");
    expect(num(3)).toBe("3");
  });

  it("picks 1-2-5 tick steps", () => {
    expect(niceStep(10, 5)).toBe(2);
    expect(niceStep(118, 6)).toBe(20);
    expect(niceStep(2, 6)).toBe(0.5);
    expect(niceStep(46, 8)).toBe(10);
  });
});
