/**
 * Decommission against the 3FS model (docs/operations.md "Decommissioning storage nodes"): PR 1 drains the
 * top nodes with `npm run placement -- plan --drain` (node count unchanged), the migration moves their
 * memberships to the others; PR 2 lowers `storage.nodes`, the StatefulSet removes the drained pods and
 * nothing moves. Each Job re-run after the other issues no mutating command.
 */
import { lockProblems, planLock } from "../../lib/threefs/placementLock";
import { adds, deployFresh, expectAtPlacement, grow, mutating, runJob, sized } from "./migrateScenarios";

const FAST = { POLL_INTERVAL: "10", MAX_SYNCS_PER_NODE: "8" };

describe("dev drained 8 → 6 storage nodes (k = 2, 16 targets per disk)", () => {
  test("the drained nodes' memberships move to the others (= the lock's moves); lowering the count then moves nothing; re-runs change nothing", () => {
    const d8 = deployFresh("dev", 8);
    expect(runJob(d8, "migrate", FAST).status).toBe(0); // heads only
    const drained = grow(d8, 8, [10006, 10007]);
    expect(drained.lock.change).toMatchObject({ newChains: 0, drainedNodes: [10006, 10007] });
    // Every membership of the two nodes moves (2 × 16 targets per disk), no chain is deleted.
    expect(drained.lock.change.movedTargets).toBe(32);
    expect(mutating(runJob(drained, "bootstrap"))).toEqual([]);
    const m = runJob(drained, "migrate", FAST);
    expect(m.status).toBe(0);
    expect(adds(m)).toHaveLength(32);
    expectAtPlacement(drained.cluster.state, drained);
    for (const id of ["10006", "10007"]) expect(drained.cluster.state.storage[id]).toEqual([]);

    // PR 2: the drained nodes leave the placement and the StatefulSet.
    const d6 = grow(drained, 6);
    expect(d6.lock.nodes).toEqual([10000, 10001, 10002, 10003, 10004, 10005]);
    expect(d6.lock.change).toMatchObject({ newChains: 0, movedTargets: 0 });
    expect(mutating(runJob(d6, "bootstrap", {}, "-after"))).toEqual([]);
    expect(mutating(runJob(d6, "migrate", FAST, "-after"))).toEqual([]);
    expectAtPlacement(d6.cluster.state, d6);
  });

  test("lowering the count before the drain is refused at preview with the command to run; the lock command keeps the nodes", () => {
    const lock8 = planLock(sized("dev", 8), undefined);
    expect(lockProblems(sized("dev", 6), lock8).join("\n")).toMatch(/^threefs:storage\.nodes: lowering it to 6 removes nodes 10006, 10007, which still hold targets .*--drain 10006,10007/);
    expect(planLock(sized("dev", 6), lock8)).toBe(lock8);
  });
});
