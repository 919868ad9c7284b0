/**
 * The placement lock: the deployed chain placement of a stack, committed as `stacks/<stack>.placement.json`,
 * written only by `npm run placement -- plan --stack <s>` (tools/placement.ts) and read by the program,
 * which never recomputes it. Growth, decommission and head balancing are reviewed as a diff of this file
 * and shown in `pulumi preview` (the `placementChange` output and the Job ConfigMaps).
 *
 * Content: the storage node ids it places (the StatefulSet's ordinals), the nodes drained of every target,
 * and one line per chain group (chain g on every disk index) listing its members as [node id, slot] in
 * the preferred order (head first). The slot is the target id's last field (targetIdOf's targetIndex + 1):
 * pinned, so a member that stays keeps its target id whatever else moves. A fresh plan numbers a node's
 * slots in ascending group number, exactly as gen_chain_table.py (and the bootstrap before the lock) did,
 * so a stack deployed before the lock keeps every target id.
 *
 * Slot rule for a rebalance: a member that stays keeps its slot; a node joining an old chain takes a slot
 * none of its old targets uses (its old targets exist until the migration removes them); a node joining a
 * new chain takes a free slot, or, when none is left (r = 99), the slot of an old membership it gives up —
 * that new chain is then created by the migration Job once the old target is gone.
 *
 * Pure module: no cloud SDK imports, no file system (the callers read and write the file).
 */
import { z } from "zod";
import { balancedHeads, MAX_TARGET_INDEXES, planPlacement, rebalancePlacement } from "../chaintable";
import { NODE_ID_BASE } from "./constants";
import { planChainGroups } from "./chainGroups";
import { storageNodeIds, storageSets, storageZoneIndex } from "./storageNodes";

/** Version of the file format. */
export const LOCK_FORMAT = 1;

/** What a lock changes against the lock it was planned from (the `placementChange` stack output). */
export interface PlacementChange {
  /** Chain groups added (each is one chain per disk index). */
  newChains: number;
  /** Chain memberships that move from one node to another (each moves one target per disk index). */
  movedTargets: number;
  /** Memberships that must move for every node to hold at most its fair share of the old chains. */
  lowerBound: number;
  /** Nodes added to the placement. */
  addedNodes: number[];
  /** Nodes emptied of every target by this change. */
  drainedNodes: number[];
  /** Chains whose head changed. */
  newHeads: number;
  /** Pair spread of the new placement (max − min chains shared by two nodes). */
  spread: number;
  /**
   * With zone spread (threefs:storage.zoneSpread): the zones and how many chain groups keep a replica when any
   * one zone is lost (all of them when every chain spans two zones). Absent without zone spread.
   */
  zones?: { zones: number; chainsSurvivingZoneLoss: number; chains: number };
}

export interface PlacementLock {
  format: number;
  stack: string;
  replicas: number;
  /** targetsPerDisk the lock was planned with (a drained cluster's nodes may hold more). */
  targetsPerDisk: number;
  /** Storage node ids placed, ascending (the StatefulSets' ordinals, lib/threefs/storageNodes.ts). */
  nodes: number[];
  /** Node ids that hold no target (decommissioned; lower threefs:storage.nodes to remove them). */
  drained: number[];
  /** Per chain group: members [node id, slot 1..99], head first. */
  chains: Array<Array<[number, number]>>;
  change: PlacementChange;
}

const nodeId = z.number().int().min(1).max(999_999);
const member = z.tuple([nodeId, z.number().int().min(1).max(MAX_TARGET_INDEXES)]);
const lockSchema = z.strictObject({
  format: z.literal(LOCK_FORMAT),
  stack: z.string().min(1),
  replicas: z.number().int().min(1).max(5),
  targetsPerDisk: z.number().int().min(1).max(MAX_TARGET_INDEXES),
  nodes: z.array(nodeId).min(1).max(1000),
  drained: z.array(nodeId),
  chains: z.array(z.array(member).min(1).max(5)).min(1).max(99_999),
  change: z.strictObject({
    newChains: z.number().int().min(0),
    movedTargets: z.number().int().min(0),
    lowerBound: z.number().int().min(0),
    addedNodes: z.array(nodeId),
    drainedNodes: z.array(nodeId),
    newHeads: z.number().int().min(0),
    spread: z.number().int().min(0),
    zones: z.strictObject({ zones: z.number().int().min(2), chainsSurvivingZoneLoss: z.number().int().min(0), chains: z.number().int().min(0) }).optional(),
  }),
});

/** Path of a stack's lock, relative to the project directory. */
export function lockPath(stack: string): string {
  return `stacks/${stack}.placement.json`;
}

/** The command that writes it. */
export function planCommand(stack: string, extra = ""): string {
  return `npm run placement -- plan --stack ${stack}${extra}`;
}

/** Structural problems of a lock (each one line), after the JSON shape is valid. */
function structureProblems(lock: PlacementLock): string[] {
  const out: string[] = [];
  const nodes = new Set(lock.nodes);
  if (nodes.size !== lock.nodes.length) out.push("nodes: a node id is listed twice");
  const slots = new Map<number, Set<number>>();
  lock.chains.forEach((chain, g) => {
    if (chain.length !== lock.replicas) out.push(`chains[${g}]: ${chain.length} members, replicas is ${lock.replicas}`);
    if (new Set(chain.map(([n]) => n)).size !== chain.length) out.push(`chains[${g}]: a node holds two members`);
    for (const [n, s] of chain) {
      if (!nodes.has(n)) out.push(`chains[${g}]: node ${n} is not in nodes`);
      if (lock.drained.includes(n)) out.push(`chains[${g}]: node ${n} is drained but still holds a member`);
      const used = slots.get(n) ?? new Set<number>();
      if (used.has(s)) out.push(`chains[${g}]: node ${n} uses slot ${s} twice (target ids must be unique)`);
      used.add(s);
      slots.set(n, used);
    }
  });
  for (const d of lock.drained) if (!nodes.has(d)) out.push(`drained: node ${d} is not in nodes`);
  return out.slice(0, 10);
}

/** Parses and checks a lock file's text; problems are prefixed with the file's path. */
export function parseLock(text: string, path: string): { lock?: PlacementLock; problems: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { problems: [`${path}: not valid JSON (${(e as Error).message})`] };
  }
  const parsed = lockSchema.safeParse(raw);
  if (!parsed.success) return { problems: parsed.error.issues.slice(0, 10).map((i) => `${path}: ${i.path.join(".")}: ${i.message}`) };
  const lock = parsed.data as PlacementLock;
  return { lock, problems: structureProblems(lock).map((p) => `${path}: ${p}`) };
}

/** The config values a lock is checked against. */
export interface LockConfig {
  stack: string;
  /** The stack's zones (threefs:zones); only read with zone spread. */
  zones?: readonly string[];
  storage: { nodes: number; zoneSpread?: boolean };
  chains: { replicas: number; targetsPerDisk: number; placementCohorts: readonly number[] };
}

/** The storage node ids a config runs: the StatefulSets' ordinals. */
export function configNodeIds(cfg: LockConfig): number[] {
  return storageNodeIds(cfg.storage.nodes, cfg.zones ?? [], cfg.storage.zoneSpread ?? false);
}

/** Zone spread is on (and possible: two zones or more), i.e. the nodes run in more than one StatefulSet. */
function spreads(cfg: LockConfig): boolean {
  return storageSets(cfg.storage.nodes, cfg.zones ?? [], cfg.storage.zoneSpread ?? false).length > 1;
}

/**
 * The config rules that involve the lock, one line each, key-named: a missing lock, a node count the lock
 * does not place (with the command to run), a lowered count whose removed nodes still hold targets, other
 * replicas or targetsPerDisk, and the superseded cohorts key.
 */
export function lockProblems(cfg: LockConfig, lock: PlacementLock | undefined): string[] {
  const file = lockPath(cfg.stack);
  if (cfg.chains.placementCohorts.length > 0) {
    return [`threefs:chains.placementCohorts: superseded by the placement lock ${file}; run \`${planCommand(cfg.stack)}\` (it takes over these cohorts' chains unchanged), commit the lock, then remove this key`];
  }
  if (!lock) return [`threefs:storage.nodes: no placement lock ${file}; run \`${planCommand(cfg.stack)}\` and commit it`];
  const out: string[] = [];
  if (lock.stack !== cfg.stack) out.push(`${file}: planned for stack ${lock.stack}, not ${cfg.stack}`);
  if (lock.replicas !== cfg.chains.replicas) out.push(`threefs:chains.replicas: ${cfg.chains.replicas} but ${file} has chains of ${lock.replicas}; chains cannot change their replica count`);
  const want = configNodeIds(cfg);
  const lockSpread = lock.change.zones !== undefined || lock.nodes.some((n) => storageZoneIndex(n) > 0);
  if (lockSpread !== spreads(cfg)) {
    // Node ids name their StatefulSet, so switching moves every node: not something a migration does.
    out.push(`threefs:storage.zoneSpread: ${spreads(cfg)} but ${file} was planned ${lockSpread ? "with" : "without"} zone spread; a deployed stack keeps its layout (its node ids name their StatefulSets); for a stack not deployed yet, delete the lock and run \`${planCommand(cfg.stack)}\``);
    return out;
  }
  const have = new Set(lock.nodes);
  const missing = want.filter((n) => !have.has(n));
  const removed = lock.nodes.filter((n) => !want.includes(n));
  const holding = removed.filter((n) => !lock.drained.includes(n));
  if (missing.length > 0) {
    out.push(`threefs:storage.nodes: ${cfg.storage.nodes} storage nodes but ${file} places ${lock.nodes.length} (nodes ${missing.join(", ")} have no chains); run \`${planCommand(cfg.stack)}\` and commit the lock`);
  } else if (holding.length > 0) {
    out.push(
      `threefs:storage.nodes: lowering it to ${cfg.storage.nodes} removes nodes ${holding.join(", ")}, which still hold targets in ${file}; drain them first (\`${planCommand(cfg.stack, ` --drain ${holding.join(",")}`)}\`, deploy, wait for the migration), then lower the count`,
    );
  }
  if (missing.length === 0 && lock.targetsPerDisk !== cfg.chains.targetsPerDisk) {
    out.push(`threefs:chains.targetsPerDisk: ${cfg.chains.targetsPerDisk} but ${file} was planned with ${lock.targetsPerDisk}; run \`${planCommand(cfg.stack)}\` and commit the lock`);
  }
  return out;
}

/** A lock's groups as 1-based node indexes (position in `nodes`), members ascending. */
export function lockGroups(lock: Pick<PlacementLock, "chains" | "nodes">, nodes: readonly number[] = lock.nodes): number[][] {
  const index = new Map(nodes.map((n, i) => [n, i + 1]));
  return lock.chains.map((c) => c.map(([n]) => index.get(n)!).sort((a, b) => a - b));
}

/** Slots of fresh groups: a node's t-th group (ascending group number) gets slot t + 1 (gen_chain_table.py). */
function freshSlots(groups: number[][], ids: readonly number[]): Array<Array<[number, number]>> {
  const next = new Map<number, number>();
  return groups.map((g) => g.map((i): [number, number] => {
    const id = ids[i - 1];
    const s = (next.get(id) ?? 0) + 1;
    next.set(id, s);
    return [id, s];
  }));
}

/** Orders each chain's members head first (heads from balancedHeads), the rest ascending. */
function withHeads(chains: Array<Array<[number, number]>>, heads: number[]): Array<Array<[number, number]>> {
  return chains.map((c, g) => [...c].sort((a, b) => (a[0] === heads[g] ? -1 : b[0] === heads[g] ? 1 : a[0] - b[0])));
}

/**
 * Slots of a rebalanced placement (see the module comment): kept members keep theirs, old chains' newcomers
 * take slots their node never used, new chains take free slots, then given-up ones.
 */
function rebalancedSlots(old: Array<Array<[number, number]>>, groups: number[][], ids: readonly number[]): Array<Array<[number, number]>> {
  const oldSlots = new Map<number, Set<number>>();
  for (const c of old) for (const [n, s] of c) (oldSlots.get(n) ?? oldSlots.set(n, new Set()).get(n)!).add(s);
  const used = new Map<number, Set<number>>([...oldSlots].map(([n, s]) => [n, new Set(s)]));
  const keeps = new Map<number, Set<number>>();
  const out: Array<Array<[number, number]>> = groups.map((g, gi) => {
    const before = new Map((old[gi] ?? []).map(([n, s]) => [n, s]));
    return g.map((i): [number, number] => {
      const id = ids[i - 1];
      const s = before.get(id);
      if (s !== undefined) (keeps.get(id) ?? keeps.set(id, new Set()).get(id)!).add(s);
      return [id, s ?? 0];
    });
  });
  const freeSlot = (n: number, allowReuse: boolean): number => {
    const u = used.get(n) ?? used.set(n, new Set()).get(n)!;
    for (let s = 1; s <= MAX_TARGET_INDEXES; s++) {
      if (!u.has(s)) {
        u.add(s);
        return s;
      }
    }
    if (allowReuse) {
      // A slot of an old membership the node gives up (not kept): freed once the migration removes it.
      const given = [...(oldSlots.get(n) ?? [])].filter((s) => !keeps.get(n)?.has(s)).sort((a, b) => a - b);
      for (const s of given) {
        if (!reused.has(`${n}:${s}`)) {
          reused.add(`${n}:${s}`);
          return s;
        }
      }
    }
    throw new Error(`node ${n} needs more than ${MAX_TARGET_INDEXES} target slots`);
  };
  const reused = new Set<string>();
  // Old chains first (only never-used slots), then new chains.
  out.forEach((c, gi) => c.forEach((m) => m[1] === 0 && gi < old.length && (m[1] = freeSlot(m[0], false))));
  out.forEach((c, gi) => c.forEach((m) => m[1] === 0 && gi >= old.length && (m[1] = freeSlot(m[0], true))));
  return out;
}

/** How to plan. */
export interface PlanOptions {
  /** Node ids to drain (decommission). */
  drain?: readonly number[];
  /** Wall-clock safety net of the searches (ms). */
  timeBudgetMs?: number;
}

/**
 * The groups of a fresh plan: the cohorts (a stack deployed before the lock), one balanced placement, or with
 * zone spread the zone-aware placement (the rebalance from no chains, lib/chaintable/rebalance.ts).
 */
function freshGroups(cfg: LockConfig, ids: readonly number[], timeBudgetMs: number): { groups: number[][]; spread: number; zones?: PlacementChange["zones"] } {
  if (spreads(cfg)) {
    const rb = rebalancePlacement({ groups: [], nodes: ids.length, replicas: cfg.chains.replicas, targetsPerDisk: cfg.chains.targetsPerDisk, zones: ids.map(storageZoneIndex), timeBudgetMs });
    return { groups: rb.groups, spread: rb.spread, zones: zoneSummary(rb.zones) };
  }
  if (cfg.chains.placementCohorts.length > 0) {
    const g = planChainGroups({ nodes: cfg.storage.nodes, cohorts: cfg.chains.placementCohorts, replicas: cfg.chains.replicas, targetsPerDisk: cfg.chains.targetsPerDisk });
    return { groups: g.groups, spread: g.spread };
  }
  const p = planPlacement({ nodes: cfg.storage.nodes, replicas: cfg.chains.replicas, targetsPerDisk: cfg.chains.targetsPerDisk, timeBudgetMs });
  return { groups: p.groups, spread: p.spread };
}

function zoneSummary(z: { zones: number; chainsSurvivingZoneLoss: number; chains: number }): PlacementChange["zones"] {
  return z.zones >= 2 ? { zones: z.zones, chainsSurvivingZoneLoss: z.chainsSurvivingZoneLoss, chains: z.chains } : undefined;
}

/** Counts chains whose head differs between two chain lists (over the groups both have). */
function changedHeads(a: Array<Array<[number, number]>>, b: Array<Array<[number, number]>>): number {
  let n = 0;
  for (let g = 0; g < Math.min(a.length, b.length); g++) if (a[g][0][0] !== b[g][0][0]) n++;
  return n + Math.max(0, b.length - a.length);
}

/**
 * Plans a stack's lock: from the previous lock (growth when storage.nodes or targetsPerDisk rose, a drain
 * when asked, nothing otherwise), or fresh. Returns the previous lock unchanged when there is nothing to do.
 * @throws Error with a one-line reason when the change is impossible
 */
export function planLock(cfg: LockConfig, previous: PlacementLock | undefined, options: PlanOptions = {}): PlacementLock {
  const timeBudgetMs = options.timeBudgetMs ?? 60_000;
  const k = cfg.chains.replicas;
  const r = cfg.chains.targetsPerDisk;
  const ids = configNodeIds(cfg);
  if (!previous) {
    const fresh = freshGroups(cfg, ids, timeBudgetMs);
    const slots = freshSlots(fresh.groups, ids);
    const chains = withHeads(slots, balancedHeads(fresh.groups.map((g) => g.map((i) => ids[i - 1]))));
    const change: PlacementChange = { newChains: chains.length, movedTargets: 0, lowerBound: 0, addedNodes: ids, drainedNodes: [], newHeads: chains.length, spread: fresh.spread, ...(fresh.zones ? { zones: fresh.zones } : {}) };
    return { format: LOCK_FORMAT, stack: cfg.stack, replicas: k, targetsPerDisk: r, nodes: ids, drained: [], chains, change };
  }
  if (previous.replicas !== k) throw new Error(`chains have ${previous.replicas} replicas; threefs:chains.replicas cannot change (${k})`);
  const drain = [...new Set(options.drain ?? [])].sort((a, b) => a - b);
  for (const d of drain) if (!previous.nodes.includes(d)) throw new Error(`--drain ${d}: not a storage node of the lock (${previous.nodes[0]}..${previous.nodes.at(-1)})`);
  // Nodes lowered out of the config must already be drained.
  const kept = previous.nodes.filter((n) => ids.includes(n) || !previous.drained.includes(n));
  const nodes = [...new Set([...kept, ...ids])].sort((a, b) => a - b);
  const added = nodes.filter((n) => !previous.nodes.includes(n));
  const alreadyDrained = previous.drained.filter((n) => nodes.includes(n));
  if (added.length === 0 && drain.length === 0 && r === previous.targetsPerDisk) {
    if (nodes.length === previous.nodes.length) return previous;
    // Drained nodes lowered out of storage.nodes: they leave the lock, nothing moves.
    const none: PlacementChange = { newChains: 0, movedTargets: 0, lowerBound: 0, addedNodes: [], drainedNodes: [], newHeads: 0, spread: previous.change.spread, ...(previous.change.zones ? { zones: previous.change.zones } : {}) };
    return { ...previous, nodes, drained: alreadyDrained, change: none };
  }
  if (drain.length > 0 && (added.length > 0 || r !== previous.targetsPerDisk)) throw new Error("drain nodes in a change of their own: not together with growth or a new targetsPerDisk");
  // Node indexes are positions in the new node list (zone spread leaves gaps between the zones' id blocks).
  const index = (n: number) => nodes.indexOf(n) + 1;
  const rb = rebalancePlacement({
    groups: lockGroups(previous, nodes),
    nodes: nodes.length,
    drain: [...alreadyDrained, ...drain].map(index),
    replicas: k,
    targetsPerDisk: r,
    ...(spreads(cfg) ? { zones: nodes.map(storageZoneIndex) } : {}),
    timeBudgetMs,
  });
  const slots = rebalancedSlots(previous.chains, rb.groups, nodes);
  const heads = balancedHeads(rb.groups.map((g) => g.map((i) => nodes[i - 1])));
  const chains = withHeads(slots, heads);
  const change: PlacementChange = {
    newChains: chains.length - previous.chains.length,
    movedTargets: rb.moves,
    lowerBound: rb.lowerBound,
    addedNodes: added,
    drainedNodes: drain,
    newHeads: changedHeads(previous.chains, chains),
    spread: rb.spread,
    ...(spreads(cfg) ? { zones: zoneSummary(rb.zones) } : {}),
  };
  return { format: LOCK_FORMAT, stack: cfg.stack, replicas: k, targetsPerDisk: r, nodes, drained: [...alreadyDrained, ...drain].sort((a, b) => a - b), chains, change };
}

/** The lock file's text: scalars one per line, one chain per line (diffs show exactly what moved). */
export function renderLock(lock: PlacementLock): string {
  const { chains, ...rest } = lock;
  const head = Object.entries(rest).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
  return `{\n${head.join("\n")}\n  "chains": [\n${chains.map((c) => `    ${JSON.stringify(c)}`).join(",\n")}\n  ]\n}\n`;
}

/** The `placementChange` stack output: the lock's change, with moves in targets (one per disk index). */
export function placementChangeOutput(lock: PlacementLock, disksPerNode: number): PlacementChange & { movedTargetsPerDisk: number; nodes: number; chainGroups: number } {
  return { ...lock.change, movedTargets: lock.change.movedTargets * disksPerNode, movedTargetsPerDisk: lock.change.movedTargets, nodes: lock.nodes.length, chainGroups: lock.chains.length };
}

/** Chain groups of plain 1-based node-index groups with fresh slots (tests and tools; head = listed first). */
export function chainsFromGroups(groups: readonly (readonly number[])[], nodeIdBegin = NODE_ID_BASE.storage): Array<Array<[number, number]>> {
  const next = new Map<number, number>();
  return groups.map((g) => g.map((i): [number, number] => {
    const id = nodeIdBegin + i - 1;
    const s = (next.get(id) ?? 0) + 1;
    next.set(id, s);
    return [id, s];
  }));
}
