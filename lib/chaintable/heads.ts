/**
 * Balanced chain heads. In CRAQ every write enters a chain at its head, so a node that heads many chains
 * takes more than its share of the write path. The chain files list members in ascending node id, as
 * upstream's gen_chain_table.py does (byte compatibility), which makes the lowest id the head of all its
 * chains: node 1 heads every chain it is in and the highest node none. The head is instead chosen here, one
 * per group, so that every node heads ⌊d/k⌋ or ⌈d/k⌉ of its d chains, and set with
 * `set-preferred-target-order` (the files are untouched; see lib/threefs/scripts/migrate.sh).
 *
 * Greedy with augmenting paths (a bipartite b-matching of groups to members with capacities ⌈d/k⌉):
 * always completes, because the capacities sum to at least b. Deterministic.
 *
 * Pure module: no cloud SDK imports.
 */

/** The head (a member) of each group: every node heads at most ⌈its groups / k⌉. */
export function balancedHeads(groups: readonly (readonly number[])[]): number[] {
  const degree = new Map<number, number>();
  for (const g of groups) for (const x of g) degree.set(x, (degree.get(x) ?? 0) + 1);
  const cap = new Map([...degree].map(([x, d]) => [x, Math.ceil(d / Math.max(1, groups[0]?.length ?? 1))]));
  const heads = new Array<number>(groups.length).fill(-1);
  const headed = new Map<number, number[]>([...degree.keys()].map((x) => [x, []]));
  const take = (g: number, x: number) => {
    heads[g] = x;
    headed.get(x)!.push(g);
  };
  groups.forEach((members, g) => {
    // The member with the most room left (ties: the lowest id).
    let best = -1;
    let room = 0;
    for (const x of members) {
      const left = cap.get(x)! - headed.get(x)!.length;
      if (left > room) (best = x), (room = left);
    }
    if (best >= 0) return take(g, best);
    // Augmenting path: a full member y gives up one of its groups to another member with room.
    const prev = new Map<number, [number, number]>(); // group → [group it came from, node handing over]
    const queue = [g];
    prev.set(g, [-1, -1]);
    for (let h = 0; h < queue.length; h++) {
      for (const y of groups[queue[h]]) {
        if (cap.get(y)! > headed.get(y)!.length) {
          // y takes queue[h]; walk back handing each group to the node that freed it.
          let cur = queue[h];
          let node = y;
          while (cur >= 0) {
            const [from, giver] = prev.get(cur)!;
            if (heads[cur] >= 0) headed.get(heads[cur])!.splice(headed.get(heads[cur])!.indexOf(cur), 1);
            take(cur, node);
            node = giver;
            cur = from;
          }
          return;
        }
        for (const g2 of headed.get(y)!) {
          if (!prev.has(g2)) {
            prev.set(g2, [queue[h], y]);
            queue.push(g2);
          }
        }
      }
    }
    throw new Error(`internal: no head for group ${g + 1}`);
  });
  return heads;
}
