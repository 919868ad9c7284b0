/**
 * Known combinatorial constructions for 4-replica placements, where the local search stops at spread 2:
 * Steiner systems S(2,4,v) (every pair in exactly one chain) and group-divisible designs (every pair in at
 * most one chain, the uncovered pairs forming disjoint groups). The search's random walk rarely finds these
 * near-exact structures (fewer than ~2 % of pairs away from the mean), but algebra gives them directly:
 *
 *  - projective geometry PG(n, 3): points = 1-dimensional subspaces of GF(3)^(n+1), chains = lines
 *    (2-dimensional subspaces, 4 points each): S(2,4,13), S(2,4,40), S(2,4,121);
 *  - affine geometry AG(n, 4): points = GF(4)^n, chains = lines {p + t·d : t ∈ GF(4)}: S(2,4,16),
 *    S(2,4,64), S(2,4,256);
 *  - S(2,4,25) from a difference family in Z5 × Z5 (two base blocks whose 24 differences are every non-zero
 *    element once, developed over the 25 translations);
 *  - the 4-GDD of type 4^25 on 100 points: a transversal design TD(4,25) (rows i = 0..3 over Z5², chain
 *    {(i, a + i·b)} for a, b ∈ Z5², b ≠ 0) plus S(2,4,25) on each row; adding its 25 groups (b = 0) as
 *    chains completes S(2,4,100);
 *  - the 4-GDD of type 2^25 on 50 points from a relative difference family in Z50 (four base blocks whose
 *    48 differences are every element but 0 and 25; the uncovered pairs are {x, x+25}).
 * The two difference families were found by a small exhaustive search and are checked by the tests.
 *
 * Larger r stacks copies: m copies of an exact design give every pair m (spread 0); m copies of S(2,4,100)
 * plus the 4^25 GDD give m or m+1; j copies of the 2^25 GDD, relabelled so their uncovered pairs are j
 * disjoint perfect matchings of K50 (a round-robin 1-factorisation), give j−1 or j. Every result has
 * exact degrees and distinct members and reaches the optimum spread for its (v, 4, r).
 *
 * Pure module: no cloud SDK imports.
 */
import { Prng, mixSeed } from "./prng";

/** Blocks of 4 points (0-based), flat: block g at [4g, 4g+4). */
type Blocks = number[];

/** Lines of PG(n, 3) for n ≥ 2: (3^(n+1) − 1)/2 points, every pair on exactly one line of 4 points. */
export function projectiveGeometry3(n: number): Int32Array {
  const dim = n + 1;
  const vectors: number[][] = [];
  // Normalised representatives: the first non-zero coordinate is 1.
  for (let code = 1; code < 3 ** dim; code++) {
    const v = Array.from({ length: dim }, (_, i) => Math.floor(code / 3 ** i) % 3);
    if (v.find((x) => x !== 0) === 1) vectors.push(v);
  }
  const index = new Map(vectors.map((v, i) => [v.join(), i]));
  const norm = (v: number[]): number => {
    const lead = v.find((x) => x !== 0)!;
    return index.get(v.map((x) => (x * lead) % 3).join())!; // lead is its own inverse in GF(3)
  };
  const seen = new Set<string>();
  const blocks: Blocks = [];
  for (let a = 0; a < vectors.length; a++) {
    for (let b = a + 1; b < vectors.length; b++) {
      const line = [a, b, norm(vectors[a].map((x, i) => (x + vectors[b][i]) % 3)), norm(vectors[a].map((x, i) => (x + 2 * vectors[b][i]) % 3))].sort((x, y) => x - y);
      const key = line.join();
      if (!seen.has(key)) {
        seen.add(key);
        blocks.push(...line);
      }
    }
  }
  return Int32Array.from(blocks);
}

/** GF(4) = {0, 1, α, α+1} as 0..3 with α² = α + 1: addition is XOR. */
const GF4_MUL = [
  [0, 0, 0, 0],
  [0, 1, 2, 3],
  [0, 2, 3, 1],
  [0, 3, 1, 2],
];

/** Lines of AG(n, 4) for n ≥ 2: 4^n points, every pair on exactly one line {p + t·d}. */
export function affineGeometry4(n: number): Int32Array {
  const points = 4 ** n;
  const digits = (x: number) => Array.from({ length: n }, (_, i) => Math.floor(x / 4 ** i) % 4);
  const value = (d: number[]) => d.reduce((s, x, i) => s + x * 4 ** i, 0);
  const seen = new Set<string>();
  const blocks: Blocks = [];
  for (let p = 0; p < points; p++) {
    for (let q = p + 1; q < points; q++) {
      const dp = digits(p);
      const dir = digits(q).map((x, i) => x ^ dp[i]);
      const line = [0, 1, 2, 3].map((t) => value(dp.map((x, i) => x ^ GF4_MUL[t][dir[i]]))).sort((x, y) => x - y);
      const key = line.join();
      if (!seen.has(key)) {
        seen.add(key);
        blocks.push(...line);
      }
    }
  }
  return Int32Array.from(blocks);
}

/** Base blocks of a (25,4,1) difference family in Z5 × Z5, points (a, b) as 5a + b. */
export const DF_25: ReadonlyArray<ReadonlyArray<readonly [number, number]>> = [
  [[0, 0], [0, 1], [1, 0], [2, 2]],
  [[0, 0], [0, 2], [1, 3], [3, 2]],
];

/** S(2,4,25): DF_25 developed over Z5 × Z5 (50 chains, r = 8). */
export function steiner25(): Int32Array {
  const blocks: Blocks = [];
  for (const base of DF_25) {
    for (let s = 0; s < 25; s++) {
      const [sa, sb] = [Math.floor(s / 5), s % 5];
      blocks.push(...base.map(([a, b]) => ((a + sa) % 5) * 5 + ((b + sb) % 5)).sort((x, y) => x - y));
    }
  }
  return Int32Array.from(blocks);
}

/**
 * The 4-GDD of type 4^25 (withGroups false: 800 chains, r = 32, pairs inside the 25 groups never meet) or
 * S(2,4,100) (withGroups true: the groups as 25 more chains, r = 33). Point (row i, x ∈ Z5²) is 25i + x.
 */
export function gdd4x25(withGroups: boolean): Int32Array {
  const blocks: Blocks = [];
  const add = (x: number, y: number) => ((Math.floor(x / 5) + Math.floor(y / 5)) % 5) * 5 + ((x % 5) + (y % 5)) % 5;
  const scale = (t: number, y: number) => ((t * Math.floor(y / 5)) % 5) * 5 + ((t * (y % 5)) % 5);
  // TD(4,25): rows 0..3, chain (a, b) = {(i, a + i·b)}; two points in different rows lie on exactly one,
  // because (i − j)·b = x − y has one solution b in Z5² when i − j is a unit of Z5.
  for (let a = 0; a < 25; a++) {
    for (let b = withGroups ? 0 : 1; b < 25; b++) blocks.push(...[0, 1, 2, 3].map((i) => 25 * i + add(a, scale(i, b))));
  }
  const s25 = steiner25();
  for (let i = 0; i < 4; i++) for (const x of s25) blocks.push(25 * i + x);
  return Int32Array.from(blocks);
}

/** Base blocks of a (50, 2, 4, 1) relative difference family in Z50 (differences miss 0 and 25 only). */
export const RDF_50: ReadonlyArray<readonly number[]> = [
  [0, 1, 3, 7],
  [0, 5, 17, 35],
  [0, 8, 22, 31],
  [0, 10, 21, 34],
];

/** The 4-GDD of type 2^25: RDF_50 developed mod 50 (200 chains, r = 16); pairs {x, x+25} never meet. */
export function gdd2x25(): Int32Array {
  const blocks: Blocks = [];
  for (const base of RDF_50) for (let s = 0; s < 50; s++) blocks.push(...base.map((x) => (x + s) % 50));
  return Int32Array.from(blocks);
}

/** A seeded permutation of 0..v−1 (copy c > 0 of a stacked design is relabelled by one). */
function permutation(v: number, seed: number): Int32Array {
  const rng = new Prng(seed);
  const p = Int32Array.from({ length: v }, (_, i) => i);
  for (let i = v - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

function relabel(blocks: Int32Array, map: ArrayLike<number>): Int32Array {
  return blocks.map((x) => map[x]);
}

/** m copies of an exact design on v points, copy c > 0 relabelled by a seeded permutation. */
function stacked(design: Int32Array, v: number, m: number, seed: number): Int32Array[] {
  return Array.from({ length: m }, (_, c) => (c === 0 ? design : relabel(design, permutation(v, mixSeed(seed, c)))));
}

/**
 * j copies of the 2^25 GDD whose uncovered pairs are the factors 0..j−1 of the round-robin
 * 1-factorisation of K50 (vertex 49 = ∞; factor f: {∞, f} and {f − d, f + d} mod 49, d = 1..24).
 */
function stackedGdd2x25(j: number): Int32Array[] {
  const base = gdd2x25();
  return Array.from({ length: j }, (_, f) => {
    const map = new Int32Array(50);
    // Uncovered pair x of the GDD is {x, x + 25}; map it onto pair x of factor f.
    for (let x = 0; x < 25; x++) {
      const pair = x === 0 ? [49, f] : [(((f - x) % 49) + 49) % 49, (f + x) % 49];
      map[x] = pair[0];
      map[x + 25] = pair[1];
    }
    return relabel(base, map);
  });
}

function concat(parts: Int32Array[]): Int32Array {
  const out = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Exact designs S(2,4,v) by v, with r = (v − 1)/3. */
const STEINER: ReadonlyMap<number, () => Int32Array> = new Map([
  [13, () => projectiveGeometry3(2)],
  [16, () => affineGeometry4(2)],
  [25, steiner25],
  [40, () => projectiveGeometry3(3)],
  [64, () => affineGeometry4(3)],
  [100, () => gdd4x25(true)],
  [121, () => projectiveGeometry3(4)],
  [256, () => affineGeometry4(4)],
]);

/**
 * A construction reaching the optimum spread for (v, 4, r), or null when none of the families above
 * applies: 0-based groups, flat (b·4 entries), every node in exactly r groups.
 */
export function knownDesign(v: number, k: number, r: number, seed = 0): Int32Array | null {
  if (k !== 4) return null;
  const steiner = STEINER.get(v);
  const r0 = (v - 1) / 3;
  if (steiner && r % r0 === 0) return concat(stacked(steiner(), v, r / r0, mixSeed(v, r, seed)));
  if (v === 100 && r % 33 === 32) return concat([...stacked(gdd4x25(true), v, (r - 32) / 33, mixSeed(v, r, seed)), gdd4x25(false)]);
  if (v === 50 && r % 16 === 0 && r / 16 <= 49) return concat(stackedGdd2x25(r / 16));
  return null;
}
