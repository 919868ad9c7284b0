/**
 * The placement lock (lib/threefs/placementLock.ts, stacks/placement.ts, tools/placement.ts): the config
 * rules that refuse a config the lock does not match (at preview, key-named, with the command to run), what
 * `placement plan` writes for a first plan, growth, a drain and the removal of drained nodes, and the
 * committed locks matching their stacks.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readStackConfig } from "../../lib/sizing/stack";
import { lockGroups, lockProblems, parseLock, planLock, renderLock, type LockConfig, type PlacementLock } from "../../lib/threefs/placementLock";
import { ConfigError } from "../../stacks/config";
import { readLock, stackPlacement } from "../../stacks/placement";
import { main } from "../../tools/placement";

const ROOT = path.join(__dirname, "../..");
const cfg = (nodes: number, extra: Partial<LockConfig["chains"]> = {}): LockConfig => ({ stack: "dev", storage: { nodes }, chains: { replicas: 2, targetsPerDisk: 16, placementCohorts: [], ...extra } });

describe("the config rules of the lock (before any resource)", () => {
  const lock3 = planLock(cfg(3), undefined);

  test("a matching lock passes; a missing one names the command", () => {
    expect(lockProblems(cfg(3), lock3)).toEqual([]);
    expect(lockProblems(cfg(3), undefined)).toEqual(["threefs:storage.nodes: no placement lock stacks/dev.placement.json; run `npm run placement -- plan --stack dev` and commit it"]);
  });

  test("more storage nodes than the lock places: refused with the command to run", () => {
    expect(lockProblems(cfg(6), lock3)).toEqual([
      "threefs:storage.nodes: 6 storage nodes but stacks/dev.placement.json places 3 (nodes 10003, 10004, 10005 have no chains); run `npm run placement -- plan --stack dev` and commit the lock",
    ]);
  });

  test("fewer: refused while the removed nodes hold targets, accepted once the lock drained them", () => {
    const lock6 = planLock(cfg(6), lock3);
    expect(lockProblems(cfg(5), lock6)).toEqual([
      "threefs:storage.nodes: lowering it to 5 removes nodes 10005, which still hold targets in stacks/dev.placement.json; drain them first (`npm run placement -- plan --stack dev --drain 10005`, deploy, wait for the migration), then lower the count",
    ]);
    const drained = planLock(cfg(6), lock6, { drain: [10005] });
    expect(drained.drained).toEqual([10005]);
    expect(lockProblems(cfg(5), drained)).toEqual([]);
    // Planning at 5 then drops the drained node; nothing moves.
    const removed = planLock(cfg(5), drained);
    expect(removed.nodes).toEqual([10000, 10001, 10002, 10003, 10004]);
    expect(removed.chains).toEqual(drained.chains);
    expect(removed.change).toMatchObject({ movedTargets: 0, newChains: 0 });
  });

  test("replicas, targetsPerDisk and the superseded cohorts key", () => {
    expect(lockProblems(cfg(3, { replicas: 3 }), lock3)[0]).toMatch(/^threefs:chains\.replicas: 3 but stacks\/dev\.placement\.json has chains of 2/);
    expect(lockProblems(cfg(3, { targetsPerDisk: 8 }), lock3)[0]).toMatch(/^threefs:chains\.targetsPerDisk: 8 but .* was planned with 16; run `npm run placement -- plan --stack dev`/);
    expect(lockProblems(cfg(6, { placementCohorts: [3, 3] }), lock3)).toEqual([
      "threefs:chains.placementCohorts: superseded by the placement lock stacks/dev.placement.json; run `npm run placement -- plan --stack dev` (it takes over these cohorts' chains unchanged), commit the lock, then remove this key",
    ]);
  });

  test("a malformed lock is refused by its path", () => {
    const bad = JSON.parse(renderLock(lock3)) as PlacementLock;
    bad.chains[1][0] = [...bad.chains[0][0]] as [number, number];
    expect(parseLock(JSON.stringify(bad), "stacks/dev.placement.json").problems.join("\n")).toMatch(/uses slot 1 twice/);
    expect(parseLock("{", "x.json").problems[0]).toMatch(/^x\.json: not valid JSON/);
    expect(parseLock(JSON.stringify({ ...bad, format: 2 }), "x.json").problems[0]).toMatch(/^x\.json: format/);
  });
});

describe("planLock", () => {
  test("a first plan numbers each node's slots in ascending group number (the target ids of a stack deployed before the lock)", () => {
    const lock = planLock(cfg(3), undefined);
    const perNode = new Map<number, number[]>();
    lock.chains.forEach((c) => c.forEach(([n, s]) => perNode.set(n, [...(perNode.get(n) ?? []), s])));
    // Slots are a node's rank order over the groups (head-first order inside a chain does not matter).
    const ranks = new Map<number, number>();
    lockGroups(lock).forEach((g) => g.forEach((i) => ranks.set(i, (ranks.get(i) ?? 0) + 1)));
    for (const slots of perNode.values()) expect(slots).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(ranks.get(1)).toBe(16);
  });

  test("cohorts (a stack grown before the lock) are taken over unchanged", () => {
    const lock = planLock(cfg(6, { placementCohorts: [3, 3] }), undefined);
    const first = planLock(cfg(3), undefined);
    expect(lock.chains.slice(0, first.chains.length).map((c) => [...c].sort((a, b) => a[0] - b[0]))).toEqual(first.chains.map((c) => [...c].sort((a, b) => a[0] - b[0])));
  });

  test("growth: kept members keep their slots, moves equal the lower bound, a node never reuses a slot of a target it still holds in an old chain", () => {
    const lock3 = planLock(cfg(3), undefined);
    const lock6 = planLock(cfg(6), lock3);
    expect(lock6.change).toMatchObject({ newChains: 24, addedNodes: [10003, 10004, 10005], drainedNodes: [] });
    expect(lock6.change.movedTargets).toBe(lock6.change.lowerBound);
    lock3.chains.forEach((c, g) => {
      for (const [n, s] of lock6.chains[g]) {
        const before = c.find(([m]) => m === n);
        if (before) expect(s).toBe(before[1]);
        else expect(lock3.chains.some((o) => o.some(([m, t]) => m === n && t === s))).toBe(false);
      }
    });
    expect(planLock(cfg(6), lock6)).toBe(lock6); // nothing to do: the same object back
  });
});

describe("the committed locks and the tool", () => {
  test.each(["dev", "staging", "prod", "byo-vpc", "byo-cluster"])("stacks/%s.placement.json matches its stack", (stack) => {
    const c = readStackConfig(ROOT, stack);
    expect(() => stackPlacement(c, ROOT)).not.toThrow();
    expect(readLock(ROOT, stack).lock!.stack).toBe(stack);
  });

  test("`placement plan` writes the lock of a grown stack; the plan of the grown stack without it fails at preview naming the command", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "placement-"));
    try {
      fs.mkdirSync(path.join(dir, "stacks"));
      fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
      fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8").replace("    nodes: 3\n    instanceTypes", "    nodes: 6\n    instanceTypes"));
      fs.copyFileSync(path.join(ROOT, "stacks/dev.placement.json"), path.join(dir, "stacks/dev.placement.json"));
      const grown = readStackConfig(dir, "dev");
      expect(() => stackPlacement(grown, dir)).toThrow(ConfigError);
      expect(() => stackPlacement(grown, dir)).toThrow(/npm run placement -- plan --stack dev/);
      const out: string[] = [];
      const err: string[] = [];
      expect(main(["plan", "--stack", "dev", "--dir", dir], { out: (l) => out.push(l), err: (l) => err.push(l) })).toBe(0);
      expect(err).toEqual([]);
      expect(out[0]).toMatch(/^stacks\/dev\.placement\.json: 6 nodes, 48 chain groups; 24 new, 24 membership\(s\) moved \(lower bound 24\)/);
      expect(stackPlacement(grown, dir).nodes).toHaveLength(6);
      expect(main(["plan", "--stack", "dev", "--dir", dir], { out: (l) => out.push(l), err: (l) => err.push(l) })).toBe(0);
      expect(out[1]).toMatch(/is up to date/);
      expect(main(["plan", "--stack", "dev", "--drain", "99", "--dir", dir], { out: (l) => out.push(l), err: (l) => err.push(l) })).toBe(2);
      expect(err[0]).toMatch(/^placement: --drain 99: not a storage node/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
