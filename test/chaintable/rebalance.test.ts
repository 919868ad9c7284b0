/**
 * Minimal-move rebalance (lib/chaintable/rebalance.ts) and balanced heads (heads.ts): every result is
 * re-checked here from the groups alone — exact degrees, distinct members, old chains keep their numbers,
 * every node within its fair share of the old chains, moves within the budget over the lower bound, zone
 * shares, target indexes — on the growth steps the model tests run and on random small cases.
 */
import fc from "fast-check";
import { ChainTableError, planPlacement } from "../../lib/chaintable";
import { balancedHeads } from "../../lib/chaintable/heads";
import { MAX_TARGET_INDEXES, rebalancePlacement, type Rebalance, type RebalanceInput } from "../../lib/chaintable/rebalance";

/** Independent checks of a rebalance against its input. */
function check(input: RebalanceInput, out: Rebalance): void {
  const k = input.replicas;
  const drain = new Set(input.drain ?? []);
  const old = input.groups;
  expect(out.groups.length).toBeGreaterThanOrEqual(old.length);
  const degree = new Map<number, number>();
  const oldShare = new Map<number, number>();
  let moves = 0;
  out.groups.forEach((g, i) => {
    expect(g).toHaveLength(k);
    expect(new Set(g).size).toBe(k);
    for (const x of g) {
      expect(x >= 1 && x <= input.nodes && !drain.has(x)).toBe(true);
      degree.set(x, (degree.get(x) ?? 0) + 1);
      if (i < old.length) oldShare.set(x, (oldShare.get(x) ?? 0) + 1);
    }
    if (i < old.length) moves += g.filter((x) => !old[i].includes(x)).length;
  });
  expect(out.moves).toBe(moves);
  expect(moves).toBeLessThanOrEqual(out.lowerBound + (input.moveSlack ?? 0));
  const active = input.nodes - drain.size;
  const fair = Math.ceil((old.length * k) / active);
  for (const s of oldShare.values()) expect(s).toBeLessThanOrEqual(fair);
  const degrees = new Set(degree.values());
  if (drain.size === 0) expect(degrees).toEqual(new Set([input.targetsPerDisk]));
  else expect(Math.max(...degrees) - Math.min(...degrees)).toBeLessThanOrEqual(1);
  // Target indexes: a node's old memberships plus the old chains it joins never exceed the 2-digit field.
  const indexes = new Map<number, number>();
  old.forEach((g, i) => {
    for (const x of g) indexes.set(x, (indexes.get(x) ?? 0) + 1);
    for (const x of out.groups[i]) if (!g.includes(x)) indexes.set(x, (indexes.get(x) ?? 0) + 1);
  });
  expect(Math.max(0, ...indexes.values())).toBeLessThanOrEqual(MAX_TARGET_INDEXES);
  if (input.zones) {
    const zones = Math.max(...input.zones) + 1;
    for (const g of out.groups) {
      const per = new Array<number>(zones).fill(0);
      for (const x of g) per[input.zones[x - 1]]++;
      expect(Math.max(...per)).toBeLessThanOrEqual(Math.ceil(k / zones));
      expect(new Set(g.map((x) => input.zones![x - 1])).size).toBeGreaterThanOrEqual(Math.min(2, k));
    }
    expect(out.zones.chainsSurvivingZoneLoss).toBe(out.groups.length);
  }
}

function grow(groups: number[][], nodes: number, k: number, r: number, extra: Partial<RebalanceInput> = {}): Rebalance {
  const input = { groups, nodes, replicas: k, targetsPerDisk: r, ...extra };
  const out = rebalancePlacement(input);
  check(input, out);
  return out;
}

describe("growth 6 → 12 → 24 (the model's scenario: dev's k = 2, r = 16)", () => {
  test("each step moves exactly the lower bound (every old node keeps its fair half), spread ≤ 1, old chains keep their numbers", () => {
    const g6 = planPlacement({ nodes: 6, replicas: 2, targetsPerDisk: 16 }).groups;
    const g12 = grow(g6, 12, 2, 16);
    expect([g12.moves, g12.lowerBound, g12.groups.length]).toEqual([48, 48, 96]);
    expect(g12.spread).toBeLessThanOrEqual(1);
    const g24 = grow(g12.groups, 24, 2, 16);
    expect([g24.moves, g24.lowerBound, g24.groups.length]).toEqual([96, 96, 192]);
    expect(g24.spread).toBeLessThanOrEqual(1);
    // Node 1 kept 8 of its 16 old memberships, then 8 of the 16 it held in the 96 chains of 12 nodes.
    expect(g12.groups.slice(0, 48).filter((g) => g.includes(1))).toHaveLength(8);
  });

  test.each([
    [6, 9, 3, 16],
    [9, 10, 3, 3],
    [60, 120, 3, 33],
    [100, 200, 4, 32],
    [60, 120, 3, 99],
  ])("%i → %i nodes, k = %i, r = %i: moves = lower bound, spread ≤ 1", (v0, v1, k, r) => {
    const out = grow(planPlacement({ nodes: v0, replicas: k, targetsPerDisk: r }).groups, v1, k, r);
    expect(out.moves).toBe(out.lowerBound);
    expect(out.spread).toBeLessThanOrEqual(1);
  });

  test("is deterministic", () => {
    const g6 = planPlacement({ nodes: 6, replicas: 3, targetsPerDisk: 16 }).groups;
    expect(rebalancePlacement({ groups: g6, nodes: 12, replicas: 3, targetsPerDisk: 16 }).groups).toEqual(rebalancePlacement({ groups: g6, nodes: 12, replicas: 3, targetsPerDisk: 16 }).groups);
  });
});

describe("decommission (drain)", () => {
  test("a drained node's memberships move to the others, no chain is deleted, degrees differ by ≤ 1", () => {
    const g = planPlacement({ nodes: 12, replicas: 3, targetsPerDisk: 16 }).groups;
    const out = rebalancePlacement({ groups: g, nodes: 12, drain: [11, 12], replicas: 3, targetsPerDisk: 16 });
    check({ groups: g, nodes: 12, drain: [11, 12], replicas: 3, targetsPerDisk: 16 }, out);
    expect(out.groups).toHaveLength(g.length);
    expect([out.moves, out.lowerBound]).toEqual([32, 32]);
    expect(out.groups.flat().some((x) => x > 10)).toBe(false);
  });

  test("lowering the node count while chains still use the removed nodes is refused", () => {
    const g = planPlacement({ nodes: 6, replicas: 2, targetsPerDisk: 16 }).groups;
    expect(() => rebalancePlacement({ groups: g, nodes: 5, replicas: 2, targetsPerDisk: 16 })).toThrow(/node index 6, beyond nodes 5: drain it/);
    expect(() => rebalancePlacement({ groups: g, nodes: 6, drain: [1, 2, 3, 4, 5], replicas: 2, targetsPerDisk: 16 })).toThrow(ChainTableError);
  });
});

describe("zones", () => {
  const zones = (n: number, z: number) => Array.from({ length: n }, (_, i) => i % z);

  test.each([
    [12, 3, 3, 16],
    [12, 2, 3, 16],
    [12, 3, 2, 16],
    [150, 3, 3, 32],
  ])("a fresh placement of %i nodes in %i zones (k = %i, r = %i): every chain spans the zones, a zone outage leaves every chain a replica", (v, z, k, r) => {
    const input = { groups: [], nodes: v, replicas: k, targetsPerDisk: r, zones: zones(v, z) };
    const out = rebalancePlacement(input);
    check(input, out);
    expect(out.spread).toBeLessThanOrEqual(1);
    expect(out.zones.minZonesPerChain).toBe(Math.min(k, z));
  });

  test("growth keeps every chain's zone split (a freed member is replaced from its own zone)", () => {
    const f = rebalancePlacement({ groups: [], nodes: 6, replicas: 3, targetsPerDisk: 16, zones: zones(6, 3) });
    const out = grow(f.groups, 12, 3, 16, { zones: zones(12, 3) });
    expect(out.moves).toBe(out.lowerBound);
  });

  test("unequal zones that cannot give every chain one replica per zone are refused, naming the zone", () => {
    expect(() => rebalancePlacement({ groups: [], nodes: 7, replicas: 3, targetsPerDisk: 3, zones: [0, 0, 0, 1, 1, 2, 2] })).toThrow(/zone 0 holds 9 targets but its share of 7 chains of 3 over 3 zones is 7\.\.7/);
  });
});

test("random small growths and drains satisfy every invariant", () => {
  fc.assert(
    fc.property(
      fc.record({ k: fc.integer({ min: 2, max: 4 }), v0: fc.integer({ min: 4, max: 16 }), add: fc.integer({ min: 0, max: 16 }), r: fc.integer({ min: 1, max: 12 }), drainOne: fc.boolean(), seed: fc.nat(1000) }).filter(({ k, v0, add, r }) => v0 >= k && (v0 * r) % k === 0 && ((v0 + add) * r) % k === 0),
      ({ k, v0, add, r, drainOne, seed }) => {
        const g = planPlacement({ nodes: v0, replicas: k, targetsPerDisk: r, seed }).groups;
        const input: RebalanceInput = drainOne && v0 > k ? { groups: g, nodes: v0, drain: [v0], replicas: k, targetsPerDisk: r, seed } : { groups: g, nodes: v0 + add, replicas: k, targetsPerDisk: r, seed };
        let out: Rebalance;
        try {
          out = rebalancePlacement(input);
        } catch (e) {
          if (e instanceof ChainTableError) return; // e.g. a drain that leaves too many targets per node
          throw e;
        }
        check(input, out);
      },
    ),
    { numRuns: 30, seed: 12 },
  );
});

describe("balancedHeads", () => {
  test("every node heads ⌊d/k⌋ or ⌈d/k⌉ of its chains; the ascending order would give node 1 all of its", () => {
    const { groups } = planPlacement({ nodes: 10, replicas: 3, targetsPerDisk: 9 });
    const heads = balancedHeads(groups);
    heads.forEach((h, g) => expect(groups[g]).toContain(h));
    const per = new Map<number, number>();
    for (const h of heads) per.set(h, (per.get(h) ?? 0) + 1);
    expect(new Set(per.values())).toEqual(new Set([3]));
    expect(groups.filter((g) => g[0] === 1)).toHaveLength(9);
  });

  test("uneven degrees (after a drain) stay within ⌈d/k⌉", () => {
    const g = planPlacement({ nodes: 12, replicas: 3, targetsPerDisk: 16 }).groups;
    const { groups } = rebalancePlacement({ groups: g, nodes: 12, drain: [12], replicas: 3, targetsPerDisk: 16 });
    const heads = balancedHeads(groups);
    for (let x = 1; x <= 11; x++) {
      const d = groups.filter((m) => m.includes(x)).length;
      expect(heads.filter((h) => h === x).length).toBeLessThanOrEqual(Math.ceil(d / 3));
    }
  });
});
