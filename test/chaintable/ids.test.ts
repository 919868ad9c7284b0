import fc from "fast-check";
import { chainIdOf, chainIdRangeProblems, ChainTableError, ID_LIMITS, targetIdOf } from "../../lib/chaintable";

describe("targetIdOf", () => {
  it.each([
    [[10, 10001, 0, 0], 1001000100101],
    [[10, 10006, 1, 1], 1001000600202],
    [[1, 1, 0, 0], 100000100101],
    [[0, 42, 2, 5], 4200306],
    [[99, 999999, 998, 98], 9999999999999],
  ])("targetIdOf(%j) = %d", (args, id) => {
    const [tp, node, disk, t] = args;
    expect(targetIdOf(tp, node, disk, t)).toBe(id);
  });

  it("matches the formula in exact BigInt arithmetic over the whole field ranges", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: ID_LIMITS.maxNodeId }),
        fc.integer({ min: 0, max: 998 }),
        fc.integer({ min: 0, max: 98 }),
        (tp, node, disk, t) => {
          const exact = ((BigInt(tp) * 1_000_000n + BigInt(node)) * 1_000n + BigInt(disk + 1)) * 100n + BigInt(t + 1);
          expect(BigInt(targetIdOf(tp, node, disk, t))).toBe(exact);
          expect(Number.isSafeInteger(targetIdOf(tp, node, disk, t))).toBe(true);
        },
      ),
    );
  });

  it.each([
    [[100, 1, 0, 0], "targetIdPrefix must be an integer in 0..99, got 100"],
    [[10, 1_000_000, 0, 0], "nodeId must be an integer in 0..999999, got 1000000"],
    [[10, 1, 999, 0], "diskIndex must be an integer in 0..998, got 999"],
    [[10, 1, 0, 99], "targetIndex must be an integer in 0..98, got 99"],
    [[10, 1.5, 0, 0], "nodeId must be an integer in 0..999999, got 1.5"],
  ])("rejects %j", (args, message) => {
    const [tp, node, disk, t] = args;
    expect(() => targetIdOf(tp, node, disk, t)).toThrow(new ChainTableError(message));
  });
});

describe("chainIdOf", () => {
  it.each([
    [[10, 0, 1], 1000100001],
    [[10, 1, 4], 1000200004],
    [[9, 2, 7], 900300007],
    [[0, 0, 1], 100001],
    [[42, 948, 67295], 4294967295], // exactly the uint32 maximum
  ])("chainIdOf(%j) = %d", (args, id) => {
    const [cp, disk, g] = args;
    expect(chainIdOf(cp, disk, g)).toBe(id);
  });

  it("rejects ids that overflow uint32 and out-of-range fields", () => {
    expect(() => chainIdOf(42, 948, 67296)).toThrow(
      "chain id 4294967296 (prefix 42, disk index 948, group 67296) exceeds the uint32 maximum 4294967295",
    );
    expect(() => chainIdOf(99, 0, 1)).toThrow(/exceeds the uint32 maximum/);
    expect(() => chainIdOf(10, 0, 0)).toThrow("groupNumber must be an integer in 1..99999, got 0");
    expect(() => chainIdOf(10, 0, 100_000)).toThrow("groupNumber must be an integer in 1..99999, got 100000");
  });

  it("checks a whole table's id range up front", () => {
    expect(chainIdRangeProblems(10, 999, 99_999)).toEqual([]);
    expect(chainIdRangeProblems(42, 949, 67_295)).toEqual([]);
    expect(chainIdRangeProblems(42, 949, 67_296)).toEqual([
      "chain ids overflow uint32: chainIdPrefix 42 with 949 disks and 67296 chains per disk reaches 4294967296 > 4294967295 (chainIdPrefix·1000 + disks ≤ 42948 always fits)",
    ]);
    expect(chainIdRangeProblems(43, 1, 1)).toHaveLength(1);
  });
});
