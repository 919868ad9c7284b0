import * as fs from "node:fs";
import * as path from "node:path";
import {
  buildChains,
  CHAIN_TABLE_FILES,
  ChainTableError,
  chainIdOf,
  chainTableLines,
  chainTableSpecIssues,
  parseIncidence,
  planPlacement,
  renderChainTableFiles,
  targetIdOf,
  validateChainTableSpec,
} from "../../lib/chaintable";
import type { ChainTableSpec } from "../../lib/chaintable";

const FIXTURES = path.join(__dirname, "..", "fixtures", "chaintable");
const fixture = (...parts: string[]): string => fs.readFileSync(path.join(FIXTURES, ...parts), "utf8");
const groups6 = (): number[][] => parseIncidence(fixture("v6-k3-r2.groups.json"));
const spec6 = (over: Partial<ChainTableSpec> = {}): ChainTableSpec => ({
  groups: groups6(),
  nodes: 6,
  targetsPerDisk: 2,
  disks: 2,
  nodeIdBegin: 10001,
  ...over,
});

// The golden files were checked byte for byte against upstream gen_chain_table.py run on the same
// groups (see docs/chain-table.md, "Compatibility"); these tests keep us there.
describe("golden files", () => {
  it.each([
    ["v6-k3-r2-d2", spec6()],
    ["v6-k3-r2-d2-chunks", spec6({ chunkSizes: [1048576, 4194304] })],
    [
      "v7-k3-r3-d3-b1-tp1-cp9",
      {
        groups: parseIncidence(fixture("v7-k3-r3.groups.json")),
        nodes: 7,
        targetsPerDisk: 3,
        disks: 3,
        nodeIdBegin: 1,
        targetIdPrefix: 1,
        chainIdPrefix: 9,
      },
    ],
  ])("renders %s exactly", (dir, spec) => {
    const files = renderChainTableFiles(spec);
    for (const name of CHAIN_TABLE_FILES) expect(files[name]).toBe(fixture(dir, name));
  });

  it("pins the default placement for the golden case (a change here changes deployed chain tables)", () => {
    expect(planPlacement({ nodes: 6, replicas: 3, targetsPerDisk: 2 }).groups).toEqual(groups6());
    expect(planPlacement({ nodes: 7, replicas: 3, targetsPerDisk: 3 }).groups).toEqual(
      parseIncidence(fixture("v7-k3-r3.groups.json")),
    );
  });
});

describe("buildChains", () => {
  it("returns every chain as data, ordered by chain id, members in ascending node id", () => {
    const chains = buildChains(spec6());
    expect(chains.map((c) => c.chainId)).toEqual([
      1000100001, 1000100002, 1000100003, 1000100004, 1000200001, 1000200002, 1000200003, 1000200004,
    ]);
    // Group 1 is nodes 1, 4, 6; node 6's first group is group 1, so it uses its target index 0.
    expect(chains[0].targets).toEqual([
      { nodeId: 10001, diskIndex: 0, targetId: targetIdOf(10, 10001, 0, 0) },
      { nodeId: 10004, diskIndex: 0, targetId: targetIdOf(10, 10004, 0, 0) },
      { nodeId: 10006, diskIndex: 0, targetId: targetIdOf(10, 10006, 0, 0) },
    ]);
    // Group 2 is nodes 1, 2, 3; on disk index 1 it is chain 6.
    expect(chains[5].targets.map((t) => [t.nodeId, t.diskIndex])).toEqual([[10001, 1], [10002, 1], [10003, 1]]);
    const allTargets = chains.flatMap((c) => c.targets.map((t) => t.targetId));
    expect(new Set(allTargets).size).toBe(6 * 2 * 2);
  });

  it("gives a node's t-th target to its t-th group in ascending group number, whatever the member order", () => {
    const shuffled = groups6().map((g) => [...g].reverse());
    expect(renderChainTableFiles(spec6({ groups: shuffled }))).toEqual(renderChainTableFiles(spec6()));
    const chains = buildChains(spec6());
    const node6 = chains.filter((c) => c.chainId < 1000200000).flatMap((c) => c.targets.filter((t) => t.nodeId === 10006).map((t) => [c.chainId, t.targetId]));
    // Node 6 is in groups 1 and 4 of the fixture.
    expect(node6).toEqual([
      [chainIdOf(10, 0, 1), targetIdOf(10, 10006, 0, 0)],
      [chainIdOf(10, 0, 4), targetIdOf(10, 10006, 0, 1)],
    ]);
  });

  it.each<[Partial<ChainTableSpec>, string]>([
    [{ groups: [] }, "groups must be a non-empty array of groups"],
    [{ groups: [[1, 4, 6], [2, 5], [3, 4, 5], [1, 2, 3]] }, "group 2 must be an array of 3 node indexes like group 1"],
    [{ groups: [[1, 4, 7], [2, 5, 6], [3, 4, 5], [1, 2, 3]] }, "group 1 has node indexes outside 1..6: [1,4,7]"],
    [{ groups: [[1, 4, 4], [2, 5, 6], [3, 6, 5], [1, 2, 3]] }, "group 1 repeats a node: [1,4,4]"],
    [{ groups: [[1, 4, 6], [2, 5, 6], [3, 4, 5], [1, 2, 6]] }, "every node must be in exactly targetsPerDisk = 2 groups: node 3 is in 1, node 6 is in 3"],
    [{ disks: 1000 }, "disks must be an integer in 1..999 (3 digits of a target id), got 1000"],
    [{ nodeIdBegin: 999_998 }, "node ids 999998..1000003 exceed 999999 (6 digits of a target id)"],
    [{ chainIdPrefix: 43 }, "chain ids overflow uint32: chainIdPrefix 43 with 2 disks and 4 chains per disk reaches 4300200004 > 4294967295 (chainIdPrefix·1000 + disks ≤ 42948 always fits)"],
    [{ targetIdPrefix: 100 }, "targetIdPrefix must be an integer in 0..99, got 100"],
    [{ chunkSizes: ["1MB", "abc"] }, 'chunk size "abc" must be a positive integer with an optional B/KB/MB/GB/TB/K/M/G/T unit'],
  ])("rejects %j", (over, message) => {
    expect(validateChainTableSpec(spec6(over))).toEqual([message]);
    expect(() => buildChains(spec6(over))).toThrow(new ChainTableError(`invalid chain table: ${message}`));
  });
});

describe("chainTableSpecIssues", () => {
  it("tags problems with their field", () => {
    expect(chainTableSpecIssues(spec6({ disks: 0, chunkSizes: ["x"] })).map((i) => i.field)).toEqual(["disks", "chunkSizes"]);
    expect(chainTableSpecIssues(spec6({ nodeIdBegin: 999_998 })).map((i) => i.field)).toEqual(["nodeIdBegin"]);
    expect(chainTableSpecIssues(spec6({ chainIdPrefix: 60 })).map((i) => i.field)).toEqual(["chainIdPrefix"]);
    expect(chainTableSpecIssues(spec6({ groups: [[1, 1, 1]] }))).toEqual([{ field: "groups", message: "group 1 repeats a node: [1,1,1]" }]);
  });
});

describe("chainTableLines", () => {
  it("writes one TargetId column per replica, also for k = 1", () => {
    const chains = buildChains({ groups: [[1], [2]], nodes: 2, targetsPerDisk: 1, disks: 1, nodeIdBegin: 5 });
    expect([...chainTableLines("generated_chains.csv", chains)]).toEqual([
      "ChainId,TargetId\n",
      `1000100001,${targetIdOf(10, 5, 0, 0)}\n`,
      `1000100002,${targetIdOf(10, 6, 0, 0)}\n`,
    ]);
  });

  it("keeps the double space when no chunk sizes are given, and passes sizes through as written", () => {
    const chains = buildChains(spec6());
    const [plain] = chainTableLines("create_target_cmd.txt", chains);
    expect(plain).toBe("create-target --node-id 10001 --disk-index 0 --target-id 1001000100101 --chain-id 1000100001  --use-new-chunk-engine\n");
    const [sized] = chainTableLines("create_target_cmd.txt", chains, ["512KB", 1048576]);
    expect(sized).toContain("--chain-id 1000100001 --chunk-size 512KB 1048576 --use-new-chunk-engine\n");
  });
});

describe("parseIncidence", () => {
  it("rejects non-JSON and wrong shapes with one line", () => {
    expect(() => parseIncidence("[[1,2],", "x.json")).toThrow(/^x\.json is not valid JSON: /);
    expect(() => parseIncidence("{}", "x.json")).toThrow("x.json must be a non-empty JSON array of groups (arrays of 1-based node indexes)");
    expect(() => parseIncidence('[[1,2],[3,"4"]]', "x.json")).toThrow('x.json: group 2 must be an array of integers, got [3,"4"]');
  });
});
