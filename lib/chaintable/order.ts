/**
 * Stripe-friendly group order.
 *
 * The 3FS metadata service stripes a new file over `stripe size` consecutive chains of the chain table
 * (docs/design_notes.md, "Location of file chunks"), and chain ids follow group numbers. If consecutive
 * groups share nodes, one file's chunks pile onto fewer nodes than necessary. Pair balance does not care
 * about order, so we reorder: each node has r groups to place among b positions, ideally one every
 * b/r = v/k positions, i.e. any v/k consecutive chains would sit on distinct nodes (the design notes'
 * example table). We schedule greedily by due date: at each position the node that is most overdue
 * places one of its remaining groups, choosing the group whose other members were used least recently.
 * O(b·(v + r·k)), integer arithmetic only, no randomness: deterministic.
 *
 * Nodes may have different counts c_x (the new chains of a rebalance): a node is then due every b/c_x
 * positions; due dates are kept as numerators over c_x and compared by cross-multiplication (exact).
 */

/** Returns the same groups (flat, k per group) in stripe-friendly order. */
export function stripeOrder(flat: Int32Array, v: number, k: number): Int32Array {
  const b = flat.length / k;
  const count = new Int32Array(v);
  for (const x of flat) count[x]++;
  const r = Math.max(0, ...count);
  // Each node's remaining groups, swap-removed as they are placed.
  const left = new Int32Array(v * r);
  const leftCount = new Int32Array(v);
  for (let g = 0; g < b; g++) {
    for (let i = 0; i < k; i++) {
      const x = flat[g * k + i];
      left[x * r + leftCount[x]++] = g;
    }
  }
  // Node y is due at due[y] / count[y] positions: scaled so that its ideal gap b/count[y] is the integer b.
  const due = new Float64Array(v);
  const lastUsed = new Int32Array(v).fill(-b);
  const out = new Int32Array(flat.length);
  for (let pos = 0; pos < b; pos++) {
    let x = -1;
    for (let y = 0; y < v; y++) if (leftCount[y] > 0 && (x < 0 || due[y] * count[x] < due[x] * count[y])) x = y;
    const t = pickGroup(flat, k, r, left, leftCount[x], x, lastUsed);
    const g = left[x * r + t];
    for (let i = 0; i < k; i++) {
      const y = flat[g * k + i];
      out[pos * k + i] = y;
      lastUsed[y] = pos;
      due[y] = pos * count[y] + b;
      for (let s = 0; s < leftCount[y]; s++) {
        if (left[y * r + s] === g) {
          left[y * r + s] = left[y * r + --leftCount[y]];
          break;
        }
      }
    }
  }
  return out;
}

/** Index into x's remaining groups of the one whose most recently used member is oldest. */
function pickGroup(
  flat: Int32Array,
  k: number,
  r: number,
  left: Int32Array,
  count: number,
  x: number,
  lastUsed: Int32Array,
): number {
  let best = 0;
  let bestNewest = 0;
  for (let t = 0; t < count; t++) {
    const g = left[x * r + t];
    let newest = -(2 ** 30);
    for (let i = 0; i < k; i++) {
      const y = flat[g * k + i];
      if (y !== x && lastUsed[y] > newest) newest = lastUsed[y];
    }
    if (t === 0 || newest < bestNewest) {
      best = t;
      bestNewest = newest;
    }
  }
  return best;
}
