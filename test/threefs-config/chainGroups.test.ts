import { chainGroupProblems, planChainGroups } from "../../lib/threefs/chainGroups";

describe("planChainGroups", () => {
  it("one cohort is the plain placement; every node is in exactly r groups", () => {
    const { groups, spread } = planChainGroups({ nodes: 6, cohorts: [], replicas: 3, targetsPerDisk: 4 });
    expect(groups).toHaveLength(8);
    const degree = new Map<number, number>();
    for (const g of groups) for (const n of g) degree.set(n, (degree.get(n) ?? 0) + 1);
    expect([...degree.keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const d of degree.values()) expect(d).toBe(4);
    expect(spread).toBeLessThanOrEqual(1);
  });

  it("growing by a cohort keeps every existing group and its number", () => {
    const before = planChainGroups({ nodes: 3, cohorts: [], replicas: 2, targetsPerDisk: 16 });
    const after = planChainGroups({ nodes: 6, cohorts: [3, 3], replicas: 2, targetsPerDisk: 16 });
    expect(after.groups.slice(0, before.groups.length)).toEqual(before.groups);
    for (const g of after.groups.slice(before.groups.length)) for (const n of g) expect(n).toBeGreaterThan(3);
    expect(after.groups).toHaveLength(48);
  });

  it("is deterministic", () => {
    const a = planChainGroups({ nodes: 12, cohorts: [], replicas: 3, targetsPerDisk: 9 });
    const b = planChainGroups({ nodes: 12, cohorts: [], replicas: 3, targetsPerDisk: 9 });
    expect(a.groups).toEqual(b.groups);
  });

  it.each([
    [{ nodes: 6, cohorts: [3, 2], replicas: 2, targetsPerDisk: 16 }, "threefs:chains.placementCohorts: cohorts sum to 5 but threefs:storage.nodes is 6"],
    [{ nodes: 6, cohorts: [5, 1], replicas: 2, targetsPerDisk: 16 }, "threefs:chains.placementCohorts[1]: nodes (1) must be at least replicas (2)"],
    [{ nodes: 6, cohorts: [3, 3], replicas: 2, targetsPerDisk: 3 }, "threefs:chains.placementCohorts[0]: nodes × targetsPerDisk (3 × 3 = 9) must be divisible by replicas (2)"],
  ])("rejects %j", (input, message) => {
    expect(chainGroupProblems(input)).toContainEqual(expect.stringContaining(message));
  });
});
