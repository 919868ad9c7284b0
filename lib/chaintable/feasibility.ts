/**
 * Facts about the best balance a placement can reach, independent of any search.
 *
 * A placement has v nodes, b = v·r/k groups of k nodes, each node in r groups. Counting the pairs inside
 * groups gives Σ over node pairs of count = v·r·(k−1)/2, so the mean count is λ = r(k−1)/(v−1) and the
 * best conceivable balance puts every pair at ⌊λ⌋ or ⌈λ⌉ (spread ≤ 1; spread 0, a balanced incomplete
 * block design, when λ is an integer). Some parameters cannot reach it; `provenInfeasible` recognises
 * the families we can prove, so that the search does not burn its time budget on them and the
 * warning can say why.
 */

/** The target band for pair counts. */
export interface PairBand {
  /** Mean pair count r(k−1)/(v−1) (0 when v = 1). */
  lambda: number;
  /** ⌊λ⌋: the lowest count a balanced placement has. */
  lo: number;
  /** ⌈λ⌉: the highest count a balanced placement has. */
  hi: number;
  /** How many of the v(v−1)/2 pairs sit at `hi` in a balanced placement (0 when lo = hi). */
  pairsAtHi: number;
}

/** The band [⌊λ⌋, ⌈λ⌉] for v nodes, k replicas, r targets per disk (v ≥ 2 for a non-trivial band). */
export function pairBand(v: number, k: number, r: number): PairBand {
  if (v < 2) return { lambda: 0, lo: 0, hi: 0, pairsAtHi: 0 };
  const total = r * (k - 1);
  const lo = Math.floor(total / (v - 1));
  const hi = total % (v - 1) === 0 ? lo : lo + 1;
  const pairsAtHi = lo === hi ? 0 : (v * total) / 2 - ((v * (v - 1)) / 2) * lo;
  return { lambda: total / (v - 1), lo, hi, pairsAtHi };
}

const choose2 = (n: number): number => (n * (n - 1)) / 2;

/**
 * Why spread ≤ 1 is impossible for (v, k, r), or null when no proof is known (the parameters may
 * still be infeasible, but the search will try). Assumes valid, divisible inputs.
 *
 * 1. Second moment of group intersections. Counting (node pair, group pair) combinations where both
 *    nodes lie in both groups in two ways gives
 *    Σ over group pairs of C(|Gi ∩ Gj|, 2) = Σ over node pairs of C(count, 2). The right side is fixed by
 *    the band (pairsAtHi pairs at ⌈λ⌉, the rest at ⌊λ⌋). The left side has Σ|Gi ∩ Gj| = v·C(r, 2) spread
 *    over C(b, 2) group pairs and is smallest when the intersections are as equal as possible; if even
 *    that smallest value exceeds the right side, no balanced placement exists. Example: v=8, k=4, r=2
 *    needs all counts ≤ 1, hence groups meeting in ≤ 1 node, but 8 nodes each in 2 of only 4 groups
 *    force 8 meetings on C(4,2) = 6 group pairs.
 * 2. Fisher's inequality: an exact design (λ integer, so spread 0 is required) with k < v needs b ≥ v.
 * 3. The 2-(15,5,2) design (v=15, k=5, r=7) is known not to exist (Nandi, 1946).
 */
export function provenInfeasible(v: number, k: number, r: number): string | null {
  if (k < 2 || v <= k) return null;
  const b = (v * r) / k;
  const band = pairBand(v, k, r);
  const groupPairs = choose2(b);
  const meetings = v * choose2(r);
  const q = Math.floor(meetings / groupPairs);
  const leastLeft = groupPairs * choose2(q) + (meetings - groupPairs * q) * q;
  const pairs = choose2(v);
  const right = band.pairsAtHi * choose2(band.hi) + (pairs - band.pairsAtHi) * choose2(band.lo);
  if (leastLeft > right) {
    return (
      `${v} nodes each in ${r} of ${b} chains of ${k} must make chains overlap more than pair counts ` +
      `in [${band.lo}, ${band.hi}] allow (Σ C(overlap,2) ≥ ${leastLeft} > ${right})`
    );
  }
  if (band.lo === band.hi && b < v) {
    return `an exact design (every pair ${band.lo}×) with ${b} chains < ${v} nodes violates Fisher's inequality`;
  }
  if (v === 15 && k === 5 && r === 7) return "the 2-(15,5,2) design is known not to exist";
  return null;
}
