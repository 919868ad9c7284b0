import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CHAIN_TABLE_FILES } from "../../lib/chaintable";
import { main } from "../../tools/chain-table";

const FIXTURES = path.join(__dirname, "..", "fixtures", "chaintable");
const GROUPS = path.join(FIXTURES, "v6-k3-r2.groups.json");
const BASE = ["--nodes", "6", "--replicas", "3", "--targets-per-disk", "2", "--disks", "2"];

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "chain-table-"));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs the CLI in-process and captures its output lines. */
function cli(...argv: string[]): { code: number; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

function expectGolden(dir: string, golden: string): void {
  for (const file of CHAIN_TABLE_FILES) {
    expect(fs.readFileSync(path.join(dir, file), "utf8")).toBe(fs.readFileSync(path.join(FIXTURES, golden, file), "utf8"));
  }
}

describe("chain-table CLI", () => {
  it("computes a placement and writes the four files", () => {
    const out = path.join(tmp, "new", "dir");
    const res = cli(...BASE, "--out", out);
    expect(res).toMatchObject({ code: 0, err: [] });
    expect(res.out).toEqual([expect.stringMatching(/^chain-table: placed 4 chains per disk in \d+ ms \(pair spread 1, 0\.\.1\); wrote 8 chains/)]);
    expectGolden(out, "v6-k3-r2-d2");
  });

  it("renders an incidence file exactly, with chunk sizes", () => {
    const res = cli(...BASE, "--incidence", GROUPS, "--chunk-sizes", "1048576,4194304", "--out", tmp);
    expect(res.code).toBe(0);
    expect(res.out[0]).toContain(`rendered 4 groups from ${GROUPS} (pair spread 1, 0..1)`);
    expectGolden(tmp, "v6-k3-r2-d2-chunks");
  });

  it("passes id options through", () => {
    const groups = path.join(FIXTURES, "v7-k3-r3.groups.json");
    const args = ["--nodes", "7", "--replicas", "3", "--targets-per-disk", "3", "--disks", "3"];
    const res = cli(...args, "--node-id-begin", "1", "--target-id-prefix", "1", "--chain-id-prefix", "9", "--incidence", groups, "--out", tmp);
    expect(res.code).toBe(0);
    expectGolden(tmp, "v7-k3-r3-d3-b1-tp1-cp9");
  });

  it("writes files but warns on stderr when no balanced placement exists", () => {
    const res = cli("--nodes", "8", "--replicas", "4", "--targets-per-disk", "2", "--disks", "1", "--out", tmp);
    expect(res.code).toBe(0);
    expect(res.err).toEqual([expect.stringMatching(/^chain-table: warning: placement spread is 2 .*no balanced placement exists/)]);
    expect(fs.readdirSync(tmp).sort()).toEqual([...CHAIN_TABLE_FILES].sort());
  });

  it.each([
    [["--out", "x"], "chain-table: --nodes is required"],
    [[...BASE], "chain-table: --out is required"],
    [[...BASE, "--out", "x", "--bogus"], /^chain-table: Unknown option '--bogus'/],
    [[...BASE, "--out", "x", "extra"], /^chain-table: unexpected argument "extra"; usage: /],
    [["--nodes", "six", "--out", "x"], 'chain-table: --nodes must be a non-negative integer, got "six"'],
    [["--nodes", "8", "--replicas", "3", "--targets-per-disk", "2", "--disks", "1", "--out", "x"], "chain-table: nodes × targetsPerDisk (8 × 2 = 16) must be divisible by replicas (3)"],
    [[...BASE, "--chain-id-prefix", "43", "--out", "x"], /^chain-table: chain ids overflow uint32: chainIdPrefix 43/],
    [[...BASE, "--chunk-sizes", "1MB,,2MB", "--out", "x"], 'chain-table: chunk size "" must be a positive integer with an optional B/KB/MB/GB/TB/K/M/G/T unit'],
    [[...BASE, "--incidence", "/nonexistent/groups.json", "--out", "x"], "chain-table: cannot read /nonexistent/groups.json: ENOENT"],
  ])("rejects %j with one line and exit code 2", (argv, message) => {
    const res = cli(...(argv as string[]));
    expect(res.code).toBe(2);
    expect(res.out).toEqual([]);
    expect(res.err).toHaveLength(1);
    expect(res.err[0]).toEqual(typeof message === "string" ? message : expect.stringMatching(message));
    expect(res.err[0]).not.toContain("\n");
  });

  it("rejects incidence files that do not match the flags", () => {
    const bad = path.join(tmp, "bad.json");
    fs.writeFileSync(bad, "[[1,2],[3,4],[5,6]]");
    expect(cli(...BASE, "--incidence", bad, "--out", tmp).err).toEqual([`chain-table: ${bad}: groups have 2 nodes but --replicas is 3`]);
    fs.writeFileSync(bad, "[[1,2,3],[1,5,6],[1,2,4],[3,5,6]]");
    const res = cli(...BASE, "--incidence", bad, "--out", tmp);
    expect(res.code).toBe(2);
    expect(res.err).toEqual([
      "chain-table: invalid chain table: every node must be in exactly targetsPerDisk = 2 groups: node 1 is in 3, node 4 is in 1",
    ]);
    fs.writeFileSync(bad, "not json");
    expect(cli(...BASE, "--incidence", bad, "--out", tmp).err[0]).toMatch(/^chain-table: .*bad\.json is not valid JSON: /);
  });

  it("renders a valid but unbalanced incidence file with a warning", () => {
    const lopsided = path.join(tmp, "lopsided.json");
    fs.writeFileSync(lopsided, "[[1,2,3],[4,5,6],[1,2,3],[4,5,6]]");
    const res = cli(...BASE, "--incidence", lopsided, "--out", tmp);
    expect(res.code).toBe(0);
    expect(res.err).toEqual([`chain-table: warning: ${lopsided} has pair spread 2 (pair counts 0..2); a computed placement would be more balanced`]);
  });

  it("fails with exit code 1 and one line when the output cannot be written", () => {
    const file = path.join(tmp, "file");
    fs.writeFileSync(file, "");
    expect(cli(...BASE, "--out", file)).toEqual({ code: 1, out: [], err: [`chain-table: ${file} exists and is not a directory`] });
  });

  it("prints usage with --help", () => {
    expect(cli("--help")).toMatchObject({ code: 0, out: [expect.stringMatching(/^usage: chain-table --nodes V/)] });
  });
});
