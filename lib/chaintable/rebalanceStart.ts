/**
 * The start of a rebalance (rebalance.ts): the fair share each node keeps of the old chains, the freed
 * slots' new owners (greedy with augmenting paths, zone shares kept) and the new chains dealt from every
 * node's remaining degree. rebalance.ts then balances pairs with the local search.
 *
 * Pure module: no cloud SDK imports.
 */
import { ChainTableError } from "./errors";
import type { Prng } from "./prng";
import type { RebalanceInput } from "./rebalance";

/** Target indexes a node can hold: the 2-digit target field of a target id (ids.ts). */
export const MAX_TARGET_INDEXES = 99;

/** Working data of one rebalance, node indexes 0-based over the active nodes. */
export interface Work {
  v: number;
  k: number;
  bOld: number;
  zone: Int32Array;
  zoneCount: number;
  /** Members of one zone a chain holds: zoneLo..cap (⌊k/Z⌋..⌈k/Z⌉; 0..1 when there are more zones than replicas). */
  zoneLo: number;
  cap: number;
  /** Old members (0-based active indexes), b_old·k; −1 where a drained node was. */
  orig: Int32Array;
  /** Old degree of each active node. */
  oldDeg: Int32Array;
  /** Zone of the drained node at each old slot it held (orig −1 there). */
  drainedZone: Int32Array;
}

export function fail(message: string): never {
  throw new ChainTableError(message);
}

/** Checks the input and returns the active nodes (1-based) and their zones. */
export function prepare(input: RebalanceInput): { active: number[]; zoneOf: (i: number) => number; zones: number } {
  const k = input.replicas;
  const drain = new Set(input.drain ?? []);
  input.groups.forEach((g, i) => {
    if (g.length !== k) fail(`group ${i + 1} has ${g.length} members, replicas is ${k}`);
    if (new Set(g).size !== k) fail(`group ${i + 1} repeats a node`);
    for (const x of g) if (!Number.isInteger(x) || x < 1 || (x > input.nodes && !drain.has(x))) fail(`group ${i + 1} uses node index ${x}, beyond nodes ${input.nodes}: drain it before lowering the node count`);
  });
  for (const x of drain) if (!Number.isInteger(x) || x < 1) fail(`drain: node index ${x} is not a node`);
  const active: number[] = [];
  for (let i = 1; i <= input.nodes; i++) if (!drain.has(i)) active.push(i);
  if (active.length < k) fail(`${active.length} nodes left, a chain needs ${k}`);
  const zones = input.zones ? Math.max(1, ...input.zones.map((z) => z + 1)) : 1;
  if (input.zones && input.zones.length < input.nodes) fail(`zones lists ${input.zones.length} nodes, nodes is ${input.nodes}`);
  return { active, zoneOf: (i) => (input.zones ? input.zones[i - 1] : 0), zones };
}

/** Target degree of every active node, and the number of groups after the change. */
export function targetDegrees(input: RebalanceInput, w: Work, draining: boolean): { degree: Int32Array; b: number } {
  const { v, k, bOld } = w;
  const degree = new Int32Array(v);
  if (!draining) {
    const r = input.targetsPerDisk;
    if (!Number.isInteger(r) || r < 1 || r > MAX_TARGET_INDEXES) fail(`targetsPerDisk must be 1..${MAX_TARGET_INDEXES}, got ${r}`);
    if ((v * r) % k !== 0) fail(`nodes × targetsPerDisk (${v} × ${r}) must be divisible by replicas (${k})`);
    if ((v * r) / k < bOld) fail(`${v} nodes × ${r} targets hold ${(v * r) / k} chains, fewer than the ${bOld} deployed (chains are never deleted): keep more nodes or raise targetsPerDisk`);
    degree.fill(r);
    return { degree, b: (v * r) / k };
  }
  // Decommission: the old chains (b stays) shared out over the remaining nodes; the nodes with the most
  // old slots take the extra one so that they keep the most.
  const total = bOld * k;
  const base = Math.floor(total / v);
  const order = Array.from({ length: v }, (_, i) => i).sort((a, b) => w.oldDeg[b] - w.oldDeg[a] || a - b);
  degree.fill(base);
  for (let i = 0; i < total - base * v; i++) degree[order[i]]++;
  if (base + 1 > MAX_TARGET_INDEXES) fail(`${total} targets over ${v} nodes exceed ${MAX_TARGET_INDEXES} per node`);
  return { degree, b: bOld };
}

/** Members of an old group g (0-based active indexes) currently; orig for the start. */
export function origHas(w: Work, g: number, x: number): boolean {
  if (g >= w.bOld) return false;
  for (let i = 0; i < w.k; i++) if (w.orig[g * w.k + i] === x) return true;
  return false;
}

/**
 * Steps 1 and 2: the move-minimal start. Returns the flat groups (b·k) and the lower bound.
 */
export function startPlacement(w: Work, degree: Int32Array, b: number, rng: Prng): { flat: Int32Array; lowerBound: number } {
  const { v, k, bOld, zone, zoneCount } = w;
  const q = bOld * k;
  const fair = q === 0 ? 0 : Math.ceil(q / v);
  const newGroups = b - bOld;
  const keepCap = Int32Array.from(degree, (d) => Math.min(d, fair));
  const keep = Int32Array.from(w.oldDeg, (d, i) => Math.min(d, keepCap[i]));
  // A node must take at least degree − newGroups slots of old chains (it cannot sit twice in a new chain).
  const need = Int32Array.from(degree, (d, i) => Math.max(0, d - newGroups - keep[i]));
  // Old slots held by drained nodes are freed too (orig −1).
  let freed = 0;
  for (let g = 0; g < bOld; g++) for (let i = 0; i < k; i++) if (w.orig[g * k + i] < 0) freed++;
  for (let i = 0; i < v; i++) freed += w.oldDeg[i] - keep[i];
  let needed = need.reduce((a, c) => a + c, 0);
  // Not enough freed slots for the nodes that must receive: free more from the nodes that keep most.
  while (needed > 0 && freed < needed) {
    let best = -1;
    for (let i = 0; i < v; i++) if (keep[i] > Math.max(0, degree[i] - newGroups) && (best < 0 || keep[i] > keep[best])) best = i;
    if (best < 0) fail("no placement: the new chains cannot hold the new nodes' targets");
    keep[best]--;
    keepCap[best] = keep[best]; // it gives one up; it must not take one back elsewhere
    freed++;
  }
  const members = new Int32Array(b * k).fill(-1);
  const lost = new Int32Array(bOld);
  // Which old memberships each node keeps: it frees the ones in the chains that lost least so far.
  const order = Array.from({ length: v }, (_, i) => i);
  shuffle(order, rng);
  const free: number[] = [];
  const leaverZone = new Int32Array(bOld * k);
  for (let s = 0; s < bOld * k; s++) leaverZone[s] = w.orig[s] >= 0 ? zone[w.orig[s]] : w.drainedZone[s];
  for (let g = 0; g < bOld; g++) for (let i = 0; i < k; i++) if (w.orig[g * k + i] < 0) (free.push(g * k + i), lost[g]++);
  const groupsOf: number[][] = Array.from({ length: v }, () => []);
  for (let g = 0; g < bOld; g++) for (let i = 0; i < k; i++) if (w.orig[g * k + i] >= 0) groupsOf[w.orig[g * k + i]].push(g * k + i);
  for (const x of order) {
    const slots = groupsOf[x].map((s) => [s, rng.nextU32()] as const).sort((a, b) => lost[(a[0] / k) | 0] - lost[(b[0] / k) | 0] || a[1] - b[1]);
    const leave = slots.length - keep[x];
    slots.forEach(([s], n) => {
      if (n < leave) (free.push(s), lost[(s / k) | 0]++);
      else members[s] = x;
    });
  }
  const zc = new Int32Array(b * zoneCount);
  for (let s = 0; s < bOld * k; s++) if (members[s] >= 0) zc[((s / k) | 0) * zoneCount + zone[members[s]]]++;
  const room = Int32Array.from(keepCap, (c, i) => c - keep[i]);
  assignFreed(w, members, zc, free, room, need, leaverZone, rng);
  dealNewGroups(w, members, zc, degree, b, rng);
  return { flat: members, lowerBound: freed };
}

export function shuffle<T>(a: T[], rng: Prng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
}

export function inGroup(members: Int32Array, k: number, g: number, x: number): boolean {
  for (let i = 0; i < k; i++) if (members[g * k + i] === x) return true;
  return false;
}

/**
 * Gives every freed old slot to a node with room (its fair share not reached), first to the nodes that
 * must receive; a slot that fits no such node reroutes an earlier assignment along an augmenting path.
 */
export function assignFreed(w: Work, members: Int32Array, zc: Int32Array, free: number[], room: Int32Array, need: Int32Array, leaverZone: Int32Array, rng: Prng): void {
  const { v, k, zone, zoneCount } = w;
  // A node never returns to a chain it leaves (that would be two moves for nothing); with zones, the
  // freed member is replaced from its own zone, which keeps every chain's zone split.
  const fitsSlot = (s: number, x: number) => {
    const g = (s / k) | 0;
    return !inGroup(members, k, g, x) && !origHas(w, g, x) && (zoneCount < 2 || zone[x] === leaverZone[s]);
  };
  void zc;
  const place = (s: number, x: number) => {
    members[s] = x;
    zc[((s / k) | 0) * zoneCount + zone[x]]++;
    room[x]--;
    if (need[x] > 0) need[x]--;
  };
  const unplace = (s: number) => {
    const x = members[s];
    members[s] = -1;
    zc[((s / k) | 0) * zoneCount + zone[x]]--;
    room[x]++;
  };
  shuffle(free, rng);
  const held: number[][] = Array.from({ length: v }, () => []);
  for (const s of free) {
    const g = (s / k) | 0;
    let best = -1;
    let ties = 0;
    for (let x = 0; x < v; x++) {
      if (room[x] <= 0 || !fitsSlot(s, x)) continue;
      const better = best < 0 || need[x] > need[best] || (need[x] === need[best] && room[x] > room[best]);
      const same = best >= 0 && need[x] === need[best] && room[x] === room[best];
      if (better) (best = x), (ties = 1);
      else if (same && rng.int(++ties) === 0) best = x;
    }
    if (best >= 0) {
      place(s, best);
      held[best].push(s);
      continue;
    }
    // Augmenting path: a node x that fits g but is full gives up one of its slots s2 to a node y with room
    // that fits s2's group (breadth-first over nodes, so the shortest reroute wins).
    const prev = new Map<number, [number, number]>(); // node → [node it frees, slot]
    const queue: number[] = [];
    for (let x = 0; x < v; x++) if (fitsSlot(s, x)) (queue.push(x), prev.set(x, [-1, -1]));
    let end = -1;
    for (let h = 0; h < queue.length && end < 0; h++) {
      const x = queue[h];
      for (const s2 of held[x]) {
        const g2 = (s2 / k) | 0;
        unplace(s2);
        for (let y = 0; y < v && end < 0; y++) {
          if (prev.has(y) || !fitsSlot(s2, y)) continue;
          prev.set(y, [x, s2]);
          if (room[y] > 0) end = y;
          else queue.push(y);
        }
        members[s2] = x;
        zc[g2 * zoneCount + zone[x]]++;
        room[x]--;
        if (end >= 0) break;
      }
    }
    if (end < 0) fail(`no node can take a freed member of chain group ${g + 1} (every node with room is in it or its zone is full)`);
    // Walk back: each node on the path takes the slot its predecessor gives up.
    let y = end;
    while (prev.get(y)![0] >= 0) {
      const [x, s2] = prev.get(y)!;
      unplace(s2);
      held[x].splice(held[x].indexOf(s2), 1);
      place(s2, y);
      held[y].push(s2);
      y = x;
    }
    place(s, y);
    held[y].push(s);
  }
}

/**
 * Deals the new groups from every node's remaining degree: nodes in zone order (shuffled within a zone),
 * each written as often as it still needs, position p to group p mod B; then repairs any chain that took a
 * node twice or a zone over its share by swapping with another new group.
 */
export function dealNewGroups(w: Work, members: Int32Array, zc: Int32Array, degree: Int32Array, b: number, rng: Prng): void {
  const { v, k, bOld, zone, zoneCount } = w;
  const B = b - bOld;
  if (B === 0) return;
  const held = new Int32Array(v);
  for (let s = 0; s < bOld * k; s++) if (members[s] >= 0) held[members[s]]++;
  const order = Array.from({ length: v }, (_, i) => i);
  shuffle(order, rng);
  order.sort((a, c) => zone[a] - zone[c]);
  const seq: number[] = [];
  for (const x of order) for (let t = held[x]; t < degree[x]; t++) seq.push(x);
  if (seq.length !== B * k) fail(`internal: ${seq.length} remaining slots for ${B} new chains of ${k}`);
  seq.forEach((x, p) => {
    const g = bOld + (p % B);
    members[g * k + ((p / B) | 0)] = x;
    zc[g * zoneCount + zone[x]]++;
  });
  repairNewGroups(w, members, zc, B, rng);
}

/** Swaps members between new groups until none repeats a node or exceeds a zone's share. */
export function repairNewGroups(w: Work, members: Int32Array, zc: Int32Array, B: number, rng: Prng): void {
  const { k, bOld, zone, zoneCount, cap, zoneLo } = w;
  // A member to move out: a repeated node, or one from a zone over its share (another zone is then under).
  const bad = (g: number) => {
    for (let i = 0; i < k; i++) {
      const x = members[g * k + i];
      if (zc[g * zoneCount + zone[x]] > cap) return i;
      for (let j = i + 1; j < k; j++) if (members[g * k + j] === x) return j;
    }
    return -1;
  };
  const under = (g: number) => {
    for (let z = 0; z < zoneCount; z++) if (zc[g * zoneCount + z] < zoneLo) return z;
    return -1;
  };
  for (let pass = 0; pass < 50; pass++) {
    let fixed = true;
    for (let g = bOld; g < bOld + B; g++) {
      let i = bad(g);
      const short = under(g);
      if (i < 0 && short < 0) continue;
      fixed = false;
      if (i < 0) {
        // Under a zone's share: give up a member of a zone above its minimum.
        i = 0;
        while (zc[g * zoneCount + zone[members[g * k + i]]] <= zoneLo) i++;
      }
      const x = members[g * k + i];
      for (let tries = 0; tries < 20 * B; tries++) {
        const h = bOld + rng.int(B);
        const j = rng.int(k);
        const y = members[h * k + j];
        if (h === g || inGroup(members, k, h, x) || inGroup(members, k, g, y)) continue;
        const zx = zone[x];
        const zy = zone[y];
        if (short >= 0 && zy !== short) continue;
        if (zx !== zy && (zc[h * zoneCount + zx] + 1 > cap || zc[g * zoneCount + zy] + 1 > cap || zc[h * zoneCount + zy] - 1 < zoneLo)) continue;
        members[g * k + i] = y;
        members[h * k + j] = x;
        zc[g * zoneCount + zx]--;
        zc[g * zoneCount + zy]++;
        zc[h * zoneCount + zy]--;
        zc[h * zoneCount + zx]++;
        break;
      }
    }
    if (fixed) return;
  }
  fail("could not deal the new chains within the zone constraint (too few nodes in some zone?)");
}
