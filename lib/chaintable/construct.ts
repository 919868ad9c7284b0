/**
 * Direct constructions: the starting point of the local search, and the cases that need no search.
 *
 * All functions return b·k node indexes (0-based), group g at [g·k, g·k+k).
 */
import { Prng } from "./prng";

/**
 * A random placement with exact degrees and distinct members, the local search's starting point.
 *
 * Nodes are shuffled, written out r times each in a row (position p holds node perm[⌊p/r⌋]), and
 * position p is dealt to group p mod b, slot ⌊p/b⌋. A node's r consecutive positions land in r
 * different groups because r ≤ b (b = v·r/k and k ≤ v), and two positions in one group are b apart,
 * more than any node's run of r − 1, so no group repeats a node.
 */
export function dealtPlacement(v: number, k: number, r: number, rng: Prng): Int32Array {
  const b = (v * r) / k;
  const perm = new Int32Array(v);
  for (let i = 0; i < v; i++) perm[i] = i;
  for (let i = v - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  const groups = new Int32Array(b * k);
  for (let p = 0; p < v * r; p++) groups[(p % b) * k + ((p / b) | 0)] = perm[(p / r) | 0];
  return groups;
}

/**
 * k = 1: no pairs exist, so any placement is balanced. Round-robin (group g holds node g mod v) so
 * that consecutive chains sit on different nodes.
 */
export function singletonPlacement(v: number, r: number): Int32Array {
  const groups = new Int32Array(v * r);
  for (let g = 0; g < v * r; g++) groups[g] = g % v;
  return groups;
}

/**
 * k = 2: chains are edges of an r-regular multigraph. With λ = r/(v−1) = q + e/(v−1), take every pair
 * q times plus an e-regular circulant graph (i ~ i±1 … i±⌊e/2⌋, and i ~ i+v/2 when e is odd, which
 * forces v even since v·r and hence v·e is even). Every pair then meets q or q+1 times: spread ≤ 1 by
 * construction, no search needed. Requires v ≥ 2.
 */
export function pairPlacement(v: number, r: number): Int32Array {
  const q = Math.floor(r / (v - 1));
  const e = r - q * (v - 1);
  const edges: number[] = [];
  for (let round = 0; round < q; round++) {
    // Each round is a full K_v listed by distance, so edges sharing a node are spread apart.
    for (let d = 1; d <= Math.floor(v / 2); d++) {
      const count = 2 * d === v ? v / 2 : v;
      for (let i = 0; i < count; i++) edges.push(i, (i + d) % v);
    }
  }
  for (let d = 1; d <= Math.floor(e / 2); d++) {
    for (let i = 0; i < v; i++) edges.push(i, (i + d) % v);
  }
  if (e % 2 === 1) {
    for (let i = 0; i < v / 2; i++) edges.push(i, i + v / 2);
  }
  return Int32Array.from(edges);
}
