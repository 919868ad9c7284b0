import fc from "fast-check";
import {
  ChainTableError,
  pairBand,
  placementInputIssues,
  planPlacement,
  provenInfeasible,
  validatePlacementInput,
} from "../../lib/chaintable";
import type { Placement } from "../../lib/chaintable";

/** Independent re-computation of the invariants every placement must satisfy. */
function checkStructure(p: Placement, v: number, k: number, r: number): void {
  expect(p.groups).toHaveLength((v * r) / k);
  const degree = new Int32Array(v + 1);
  const counts = new Int32Array((v + 1) * (v + 1));
  let malformed = 0;
  for (const g of p.groups) {
    if (g.length !== k) malformed++;
    for (let i = 0; i < g.length; i++) {
      // In range and strictly ascending (hence distinct).
      if (!Number.isInteger(g[i]) || g[i] < 1 || g[i] > v || (i > 0 && g[i] <= g[i - 1])) malformed++;
      degree[g[i]]++;
      for (let j = i + 1; j < g.length; j++) counts[g[i] * (v + 1) + g[j]]++;
    }
  }
  expect(malformed).toBe(0);
  expect(degree.subarray(1).every((d) => d === r)).toBe(true);
  let min = Infinity;
  let max = 0;
  for (let x = 1; x <= v; x++) {
    for (let y = x + 1; y <= v; y++) {
      min = Math.min(min, counts[x * (v + 1) + y]);
      max = Math.max(max, counts[x * (v + 1) + y]);
    }
  }
  expect([p.minPair, p.maxPair]).toEqual(v >= 2 ? [min, max] : [0, 0]);
  expect(p.spread).toBe(p.maxPair - p.minPair);
  expect(p.spread > 1).toBe(p.warnings.some((w) => w.startsWith("placement spread is")));
}

/** Share of pairs that must sit at the rarer of ⌊λ⌋, ⌈λ⌉: near 0 means a (near-)exact design. */
function looseness(v: number, k: number, r: number): number {
  const band = pairBand(v, k, r);
  const pairs = (v * (v - 1)) / 2;
  return Math.min(band.pairsAtHi, pairs - band.pairsAtHi) / pairs;
}

const validInput = (maxV: number, maxR: number) =>
  fc
    .record({ k: fc.integer({ min: 1, max: 5 }), v: fc.integer({ min: 1, max: maxV }), r: fc.integer({ min: 1, max: maxR }) })
    .filter(({ k, v, r }) => v >= k && (v * r) % k === 0);

describe("planPlacement properties", () => {
  // The search is exhaustively known (by a grid run over this whole domain with the default seed) to
  // reach spread ≤ 1 for k ≤ 3 and for looser k = 4, 5 designs; near-exact k = 4, 5 designs
  // (Steiner systems and their neighbours) are the hard ones and are covered by the next property.
  it("gives exact degrees, distinct members and spread ≤ 1 (unless provably impossible)", () => {
    fc.assert(
      fc.property(
        validInput(40, 30).filter(({ k, v, r }) => k <= 3 || looseness(v, k, r) >= 0.2),
        ({ k, v, r }) => {
          const p = planPlacement({ nodes: v, replicas: k, targetsPerDisk: r });
          checkStructure(p, v, k, r);
          const why = provenInfeasible(v, k, r);
          if (why === null) expect(p.spread).toBeLessThanOrEqual(1);
          else expect(p.warnings[0]).toContain("no balanced placement exists");
        },
      ),
      { numRuns: 300, seed: 42 },
    );
  });

  it("stays structurally valid and reports any spread > 1 under a tiny budget, for any valid input", () => {
    fc.assert(
      fc.property(validInput(60, 40), ({ k, v, r }) => {
        const p = planPlacement({ nodes: v, replicas: k, targetsPerDisk: r, effort: 50_000 });
        checkStructure(p, v, k, r);
      }),
      { numRuns: 100, seed: 7 },
    );
  });
});

describe("planPlacement examples", () => {
  it("reaches spread ≤ 1 at v=1000, k=3, r=99 well within the default budget's order of magnitude", () => {
    // The default 2 s wall-clock safety net can trip on a loaded 2-core CI runner while other suites run
    // (the result then depends on the machine, with a warning): give the search room so the quality
    // assertion is deterministic; the speed itself is measured by `npm run bench:placement` (≈ 0.3–0.8 s).
    const p = planPlacement({ nodes: 1000, replicas: 3, targetsPerDisk: 99, timeBudgetMs: 60_000 });
    expect(p.spread).toBeLessThanOrEqual(1);
    expect(p.warnings).toEqual([]);
    expect(p.elapsedMs).toBeLessThan(20_000); // a regression guard, not the goal
  });

  it("builds exact designs where they are within reach (Fano plane, STS(69), PG(2,4))", () => {
    for (const [v, k, r] of [[7, 3, 3], [69, 3, 34], [21, 5, 5]]) {
      const p = planPlacement({ nodes: v, replicas: k, targetsPerDisk: r });
      expect([v, k, r, p.spread, p.minPair]).toEqual([v, k, r, 0, 1]);
    }
  });

  it("handles k = 1 (no pairs), k = v (one group shape) and k = 2 (by construction)", () => {
    expect(planPlacement({ nodes: 3, replicas: 1, targetsPerDisk: 2 }).groups).toEqual([[1], [2], [3], [1], [2], [3]]);
    expect(planPlacement({ nodes: 1, replicas: 1, targetsPerDisk: 1 })).toMatchObject({ groups: [[1]], spread: 0 });
    expect(planPlacement({ nodes: 4, replicas: 4, targetsPerDisk: 2 }).groups).toEqual([[1, 2, 3, 4], [1, 2, 3, 4]]);
    const k2 = planPlacement({ nodes: 101, replicas: 2, targetsPerDisk: 98 });
    checkStructure(k2, 101, 2, 98);
    expect(k2.spread).toBe(1);
  });

  it("is deterministic, and the seed picks another valid placement", () => {
    const input = { nodes: 30, replicas: 3, targetsPerDisk: 10 };
    const a = planPlacement(input);
    expect(planPlacement(input).groups).toEqual(a.groups);
    const b = planPlacement({ ...input, seed: 1 });
    checkStructure(b, 30, 3, 10);
    expect(b.groups).not.toEqual(a.groups);
  });

  it("warns with a reason on provably infeasible inputs instead of failing", () => {
    const p = planPlacement({ nodes: 8, replicas: 4, targetsPerDisk: 2 });
    checkStructure(p, 8, 4, 2);
    expect(p.spread).toBe(2);
    expect(p.warnings).toHaveLength(1);
    expect(p.warnings[0]).toMatch(/^placement spread is 2 .*no balanced placement exists: 8 nodes each in 2 of 4 chains/);
    expect(provenInfeasible(15, 5, 7)).toMatch(/2-\(15,5,2\)/);
    expect(provenInfeasible(8, 4, 3)).not.toBeNull(); // needs Σ C(overlap,2) ≥ 9 > 8
    expect(provenInfeasible(7, 3, 3)).toBeNull();
  });

  it("never hangs: a hard design under a 50 ms time budget returns promptly with warnings", () => {
    // (300, 4, 97) is near-exact with no construction in designs.ts: the search runs until stopped.
    const p = planPlacement({ nodes: 300, replicas: 4, targetsPerDisk: 97, timeBudgetMs: 50 });
    checkStructure(p, 300, 4, 97);
    expect(p.elapsedMs).toBeLessThan(1000);
    expect(p.warnings.join(" ")).toMatch(/time budget/);
  });
});

describe("validatePlacementInput", () => {
  it.each([
    [{ nodes: 2, replicas: 3, targetsPerDisk: 3 }, "nodes (2) must be at least replicas (3): a chain needs 3 distinct nodes"],
    [{ nodes: 8, replicas: 3, targetsPerDisk: 2 }, "nodes × targetsPerDisk (8 × 2 = 16) must be divisible by replicas (3)"],
    [{ nodes: 10, replicas: 3, targetsPerDisk: 100 }, "targetsPerDisk must be an integer in 1..99 (2 digits of a target id), got 100"],
    [{ nodes: 1001, replicas: 1, targetsPerDisk: 1 }, "nodes must be an integer in 1..1000 (upstream's per-table limit), got 1001"],
    [{ nodes: 6, replicas: 6, targetsPerDisk: 1 }, "replicas must be an integer in 1..5, got 6"],
    [{ nodes: 6, replicas: 0, targetsPerDisk: 1 }, "replicas must be an integer in 1..5, got 0"],
    [{ nodes: 6.5, replicas: 3, targetsPerDisk: 1 }, "nodes must be an integer in 1..1000 (upstream's per-table limit), got 6.5"],
    [{ nodes: 6, replicas: 3, targetsPerDisk: 2, seed: -1 }, "seed must be an integer in 0..4294967295, got -1"],
    [{ nodes: 6, replicas: 3, targetsPerDisk: 2, timeBudgetMs: 0 }, "timeBudgetMs must be a positive number, got 0"],
  ])("rejects %j", (input, message) => {
    expect(validatePlacementInput(input)).toEqual([message]);
    expect(() => planPlacement(input)).toThrow(ChainTableError);
    expect(() => planPlacement(input)).toThrow(`invalid placement input: ${message}`);
  });

  it("reports every problem at once, and planPlacement joins them into one line", () => {
    const input = { nodes: 0, replicas: 9, targetsPerDisk: 0 };
    expect(validatePlacementInput(input)).toHaveLength(3);
    expect(() => planPlacement(input)).toThrow(/^invalid placement input: nodes .*; replicas .*; targetsPerDisk .*$/);
  });

  it("tags each problem with the field a config layer should report it under", () => {
    expect(placementInputIssues({ nodes: 2, replicas: 3, targetsPerDisk: 3 }).map((i) => i.field)).toEqual(["replicas"]);
    expect(placementInputIssues({ nodes: 8, replicas: 3, targetsPerDisk: 2 }).map((i) => i.field)).toEqual(["targetsPerDisk"]);
    expect(placementInputIssues({ nodes: 0, replicas: 1, targetsPerDisk: 1, seed: 1.5 }).map((i) => i.field)).toEqual(["nodes", "seed"]);
  });

  it("accepts the upper limits", () => {
    expect(validatePlacementInput({ nodes: 1000, replicas: 5, targetsPerDisk: 99 })).toEqual([]);
  });
});
