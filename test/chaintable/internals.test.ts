import fc from "fast-check";
import { pairBand, planPlacement, provenInfeasible } from "../../lib/chaintable";
import { dealtPlacement, pairPlacement } from "../../lib/chaintable/construct";
import { stripeOrder } from "../../lib/chaintable/order";
import { mixSeed, Prng } from "../../lib/chaintable/prng";
import { PlacementState } from "../../lib/chaintable/state";

const sortedGroups = (flat: Int32Array, k: number): string[] => {
  const out: string[] = [];
  for (let g = 0; g < flat.length; g += k) out.push(Array.from(flat.subarray(g, g + k)).sort((a, b) => a - b).join(","));
  return out.sort();
};

describe("pairBand", () => {
  it.each([
    [[5, 3, 6], { lambda: 3, lo: 3, hi: 3, pairsAtHi: 0 }],
    [[6, 3, 2], { lambda: 0.8, lo: 0, hi: 1, pairsAtHi: 12 }],
    [[100, 3, 51], { lambda: 102 / 99, lo: 1, hi: 2, pairsAtHi: 150 }],
    [[1, 1, 3], { lambda: 0, lo: 0, hi: 0, pairsAtHi: 0 }],
  ])("pairBand(%j)", ([v, k, r], band) => {
    expect(pairBand(v, k, r)).toEqual(band);
  });
});

describe("provenInfeasible", () => {
  it.each([
    [8, 4, 2],
    [8, 4, 3],
    [10, 5, 2],
    [10, 5, 4],
    [15, 5, 3],
    [15, 5, 4],
    [15, 5, 7],
  ])("proves (%i, %i, %i) cannot reach spread ≤ 1", (v, k, r) => {
    expect(provenInfeasible(v, k, r)).not.toBeNull();
    expect(planPlacement({ nodes: v, replicas: k, targetsPerDisk: r }).spread).toBeGreaterThan(1);
  });

  it("never claims infeasibility for a case the search solves", () => {
    for (let v = 3; v <= 30; v++) {
      for (const k of [3, 4, 5]) {
        for (let r = 1; r <= 12; r++) {
          if (v < k || (v * r) % k !== 0 || provenInfeasible(v, k, r) === null) continue;
          expect([v, k, r, planPlacement({ nodes: v, replicas: k, targetsPerDisk: r, effort: 100_000 }).spread > 1]).toEqual([v, k, r, true]);
        }
      }
    }
  });
});

describe("constructions", () => {
  it("deals exact degrees with distinct members from any seed", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 99 }), fc.nat(), (k, v, r, seed) => {
        fc.pre(v >= k && (v * r) % k === 0);
        const flat = dealtPlacement(v, k, r, new Prng(seed));
        const degree = new Int32Array(v);
        let repeats = 0;
        for (let g = 0; g < flat.length; g += k) {
          if (new Set(flat.subarray(g, g + k)).size !== k) repeats++;
          for (let i = 0; i < k; i++) degree[flat[g + i]]++;
        }
        expect(repeats).toBe(0);
        expect(degree.every((d) => d === r)).toBe(true);
      }),
    );
  });

  it("builds k = 2 placements with every pair met ⌊λ⌋ or ⌈λ⌉ times", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 80 }), fc.integer({ min: 1, max: 99 }), (v, r) => {
        fc.pre((v * r) % 2 === 0);
        const flat = pairPlacement(v, r);
        const count = new Int32Array(v * v);
        let loops = 0;
        for (let e = 0; e < flat.length; e += 2) {
          const [a, b] = flat[e] < flat[e + 1] ? [flat[e], flat[e + 1]] : [flat[e + 1], flat[e]];
          if (a === b) loops++;
          count[a * v + b]++;
        }
        const { lo, hi } = pairBand(v, 2, r);
        let outOfBand = 0;
        for (let x = 0; x < v; x++) for (let y = x + 1; y < v; y++) if (count[x * v + y] < lo || count[x * v + y] > hi) outOfBand++;
        expect([flat.length, loops, outOfBand]).toEqual([v * r, 0, 0]);
      }),
      { numRuns: 50 },
    );
  });
});

describe("stripeOrder", () => {
  it("only permutes the groups", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 2, max: 60 }), fc.integer({ min: 1, max: 40 }), (k, v, r) => {
        fc.pre(v >= k && (v * r) % k === 0);
        const flat = dealtPlacement(v, k, r, new Prng(mixSeed(v, k, r)));
        expect(sortedGroups(stripeOrder(flat, v, k), k)).toEqual(sortedGroups(flat, k));
      }),
    );
  });

  it("spreads consecutive chains over many nodes (3FS stripes files over consecutive chains)", () => {
    const { groups } = planPlacement({ nodes: 100, replicas: 3, targetsPerDisk: 51 });
    let distinct = 0;
    const windows = groups.length - 16 + 1;
    for (let s = 0; s < windows; s++) distinct += new Set(groups.slice(s, s + 16).flat()).size;
    // 16 chains hold 48 targets; an unordered table averages ~39 distinct nodes per window.
    expect(distinct / windows).toBeGreaterThan(46);
  });
});

describe("PlacementState", () => {
  it("predicts every swap's objective change exactly and keeps its tables consistent", () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 5 }), fc.integer({ min: 5, max: 30 }), fc.integer({ min: 1, max: 12 }), fc.nat(), (k, v, r, seed) => {
        fc.pre(v >= k && (v * r) % k === 0);
        const rng = new Prng(seed);
        const s = new PlacementState(v, k, r, dealtPlacement(v, k, r, rng));
        let mismatches = 0;
        for (let n = 0; n < 200; n++) {
          const [ga, gb, ia, ib] = [rng.int(s.b), rng.int(s.b), rng.int(k), rng.int(k)];
          if (ga === gb || s.contains(gb, s.members[ga * k + ia]) || s.contains(ga, s.members[gb * k + ib])) continue;
          const before = s.excess;
          const predicted = 2 * s.delta(ga, ia, gb, ib);
          s.swap(ga, ia, gb, ib);
          if (s.excess - before !== predicted) mismatches++;
        }
        // A fresh state over the same groups agrees on every derived quantity.
        const fresh = new PlacementState(v, k, r, s.members);
        expect([mismatches, s.excess, s.badCount, s.spread()]).toEqual([0, fresh.excess, fresh.badCount, fresh.spread()]);
        expect(Array.from(s.pair)).toEqual(Array.from(fresh.pair));
      }),
      { numRuns: 60 },
    );
  });
});
