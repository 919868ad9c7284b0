/**
 * The constructions of lib/chaintable/designs.ts: each family is checked independently (pair counts and
 * degrees recomputed here), and planPlacement reaches the optimum spread on the near-exact 4-replica cases
 * where the local search alone stops at spread 2.
 */
import { pairBand, pairStats, planPlacement } from "../../lib/chaintable";
import { affineGeometry4, DF_25, gdd2x25, gdd4x25, knownDesign, projectiveGeometry3, RDF_50, steiner25 } from "../../lib/chaintable/designs";

/** Pair counts and degrees of flat 0-based blocks of 4. */
function profile(blocks: Int32Array, v: number): { degrees: Set<number>; counts: Map<number, number>; count: (x: number, y: number) => number } {
  const deg = new Int32Array(v);
  const c = new Int32Array(v * v);
  for (let g = 0; g < blocks.length; g += 4) {
    const b = Array.from(blocks.subarray(g, g + 4));
    expect(new Set(b).size).toBe(4);
    for (let i = 0; i < 4; i++) {
      deg[b[i]]++;
      for (let j = i + 1; j < 4; j++) c[Math.min(b[i], b[j]) * v + Math.max(b[i], b[j])]++;
    }
  }
  const counts = new Map<number, number>();
  for (let x = 0; x < v; x++) for (let y = x + 1; y < v; y++) counts.set(c[x * v + y], (counts.get(c[x * v + y]) ?? 0) + 1);
  return { degrees: new Set(deg), counts, count: (x, y) => c[Math.min(x, y) * v + Math.max(x, y)] };
}

test.each([
  ["PG(2,3)", projectiveGeometry3(2), 13],
  ["PG(3,3)", projectiveGeometry3(3), 40],
  ["AG(2,4)", affineGeometry4(2), 16],
  ["AG(3,4)", affineGeometry4(3), 64],
  ["S(2,4,25) from the Z5² difference family", steiner25(), 25],
  ["S(2,4,100) = TD(4,25) + S(2,4,25) on each row", gdd4x25(true), 100],
])("%s is a Steiner system: every pair exactly once, every point in (v−1)/3 blocks", (_name, blocks, v) => {
  const p = profile(blocks, v);
  expect(p.counts).toEqual(new Map([[1, (v * (v - 1)) / 2]]));
  expect(p.degrees).toEqual(new Set([(v - 1) / 3]));
});

test("the difference families: every non-zero difference once (Z5²), every difference but 0 and 25 once (Z50)", () => {
  const d25 = DF_25.flatMap((b) => b.flatMap((x) => b.filter((y) => y !== x).map((y) => `${(x[0] - y[0] + 5) % 5},${(x[1] - y[1] + 5) % 5}`)));
  expect(new Set(d25).size).toBe(24);
  expect(d25).toHaveLength(24);
  const d50 = RDF_50.flatMap((b) => b.flatMap((x) => b.filter((y) => y !== x).map((y) => (x - y + 50) % 50)));
  expect([...d50].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i).filter((i) => i !== 0 && i !== 25));
});

test("the GDDs: pairs inside a group never meet, every other pair exactly once", () => {
  const g4 = profile(gdd4x25(false), 100);
  expect(g4.degrees).toEqual(new Set([32]));
  expect(g4.counts).toEqual(new Map([[0, 150], [1, 4950 - 150]]));
  expect(g4.count(0, 25)).toBe(0); // (row 0, x=0) and (row 1, x=0): one group
  const g2 = profile(gdd2x25(), 50);
  expect(g2.degrees).toEqual(new Set([16]));
  expect(g2.counts).toEqual(new Map([[0, 25], [1, 1225 - 25]]));
  for (let x = 0; x < 25; x++) expect(g2.count(x, x + 25)).toBe(0);
});

test("no construction where none applies", () => {
  expect(knownDesign(50, 3, 24)).toBeNull();
  expect(knownDesign(100, 4, 31)).toBeNull();
  expect(knownDesign(26, 4, 8)).toBeNull();
});

describe("planPlacement reaches the optimum on near-exact 4-replica cases (the search alone: spread 2)", () => {
  test.each([
    [50, 16, 1],
    [100, 32, 1],
    [100, 99, 0],
    [100, 33, 0],
    [25, 8, 0],
    [40, 13, 0],
    [50, 96, 1],
    [100, 98, 1],
    [256, 85, 0],
  ])("v=%i, k=4, r=%i: spread %i, no warning, exact degrees", (v, r, spread) => {
    const p = planPlacement({ nodes: v, replicas: 4, targetsPerDisk: r });
    expect(p.spread).toBe(spread);
    expect(p.warnings).toEqual([]);
    expect(pairStats(v, p.groups).spread).toBe(spread);
    const band = pairBand(v, 4, r);
    expect([p.minPair, p.maxPair]).toEqual([band.lo, band.hi]);
    const deg = new Array<number>(v + 1).fill(0);
    for (const g of p.groups) for (const x of g) deg[x]++;
    expect(new Set(deg.slice(1))).toEqual(new Set([r]));
  });
});
