/**
 * The migration Job (lib/threefs/scripts/migrate.sh) against the 3FS model: growth 6 → 12 → 24 storage
 * nodes moves data onto the new nodes with exactly the lock's moves (its lower bound), a migration stopped
 * half-way resumes from the cluster's state without redoing anything, and the bootstrap and the migration
 * never fight: a re-run of either after the other issues no mutating command.
 */
import { chainIdOf, DEFAULT_CHAIN_ID_PREFIX, DEFAULT_TARGET_ID_PREFIX, targetIdOf } from "../../lib/chaintable/ids";
import { adds, deployFresh, expectAtPlacement, grow, mutating, runCheck, runJob } from "./migrateScenarios";

// Rounds every 10 s and 8 resyncs per node: the same steps in fewer rounds (model time is cheap, rounds are not).
const FAST = { POLL_INTERVAL: "10", MAX_SYNCS_PER_NODE: "8" };

describe("dev grown 6 → 12 → 24 storage nodes (k = 2, 16 targets per disk)", () => {
  test("each growth moves exactly the lock's memberships (= the lower bound), the cluster ends at the placement with balanced heads; a stopped run resumes; re-runs change nothing", () => {
    const d6 = deployFresh("dev", 6);
    // The first migration only balances heads (a fresh cluster: every chain's head is its lowest node).
    const heads = runJob(d6, "migrate", FAST);
    expect(heads.status).toBe(0);
    expect(mutating(heads).every((c) => /^(set-preferred-target-order|rotate-as-preferred-order) /.test(c))).toBe(true);
    expectAtPlacement(d6.cluster.state, d6);

    const d12 = grow(d6, 12);
    expect(d12.lock.change).toMatchObject({ newChains: 48, addedNodes: [10006, 10007, 10008, 10009, 10010, 10011] });
    expect(d12.lock.change.movedTargets).toBe(d12.lock.change.lowerBound);
    const b12 = runJob(d12, "bootstrap");
    expect(b12.status).toBe(0);
    // Stopped by its time budget part-way (as a killed Job), then run again: it resumes, nothing is redone.
    const first = runJob(d12, "migrate", { ...FAST, TIME_BUDGET: "150" }, "-cut");
    expect(first.status).not.toBe(0);
    expect(first.stderr).toMatch(/the time budget \(150s\) is used up: .* a new run resumes/);
    const done = adds(first).length;
    expect(done).toBeGreaterThan(0);
    // How far it got depends on how the rounds fall in the budget (all the adds may be done, removals pending):
    // the post-deploy check below passes meanwhile and reports the progress.
    expect(done).toBeLessThanOrEqual(d12.lock.change.movedTargets);
    // Half-way, the post-deploy check passes (every chain keeps its replicas serving) and reports the progress.
    const mid = runCheck(d12);
    expect(mid.status).toBe(0);
    const at = Number(/^PASS placement (\d+) of 96 chains at the placement lock; the migration Job moves the others/m.exec(mid.stdout)?.[1]);
    expect(at).toBeLessThanOrEqual(96); // the line is there (its count depends on where the budget fell)
    const rest = runJob(d12, "migrate", FAST);
    expect(rest.status).toBe(0);
    expect(rest.stderr).toContain("the cluster matches the placement");
    const added = [...adds(first), ...adds(rest)];
    expect(added).toHaveLength(d12.lock.change.movedTargets); // one disk: one target per moved membership
    expect(new Set(added).size).toBe(added.length);
    expectAtPlacement(d12.cluster.state, d12);
    // Data moved onto the new nodes: each holds its share of the old chains.
    const s12 = d12.cluster.state;
    for (const id of [10006, 10011]) expect(s12.storage[String(id)].filter((t) => t.chainId <= 1000100048).length).toBeGreaterThanOrEqual(7);

    // No fights: the bootstrap and the migration after each other change nothing.
    expect(mutating(runJob(d12, "bootstrap", {}, "-again"))).toEqual([]);
    expect(mutating(runJob(d12, "migrate", FAST, "-again"))).toEqual([]);

    const d24 = grow(d12, 24);
    expect(d24.lock.change.movedTargets).toBe(d24.lock.change.lowerBound);
    expect(runJob(d24, "bootstrap").status).toBe(0);
    const m24 = runJob(d24, "migrate", FAST);
    expect(m24.status).toBe(0);
    expect(adds(m24)).toHaveLength(d24.lock.change.movedTargets);
    expectAtPlacement(d24.cluster.state, d24);
    expect(mutating(runJob(d24, "bootstrap", {}, "-again"))).toEqual([]);
  });
});

describe("a target left behind on a joining node's disk (dev 6 → 12)", () => {
  test("is removed before the node joins a chain on that disk: removing it later would delete the chain's chunks there", () => {
    const d6 = deployFresh("dev", 6);
    expect(runJob(d6, "migrate", FAST).status).toBe(0);
    const d12 = grow(d6, 12);
    expect(runJob(d12, "bootstrap").status).toBe(0);
    // An old chain node 10006 joins, and a leftover target of that chain on 10006's disk 0 (slot 99: unused),
    // as an earlier move that could not remove it would leave it.
    const g = d12.lock.chains.findIndex((members, i) => i < 48 && members.some(([n]) => n === 10006));
    const chainId = chainIdOf(DEFAULT_CHAIN_ID_PREFIX, 0, g + 1);
    const leftover = String(targetIdOf(DEFAULT_TARGET_ID_PREFIX, 10006, 0, 98));
    d12.cluster.update((s) => {
      s.storage["10006"].push({ targetId: leftover, chainId, diskIndex: 0, localState: "ONLINE", offlineByUser: false });
    });
    d12.cluster.wait(20); // the node reports it: an orphan in mgmtd
    const r = runJob(d12, "migrate", FAST);
    expect(r.status).toBe(0);
    const removed = r.calls.indexOf(`remove-target --node-id 10006 --target-id ${leftover}`);
    const joined = r.calls.findIndex((c) => c.startsWith("create-target --node-id 10006 ") && c.includes(`--chain-id ${chainId} `));
    expect(removed).toBeGreaterThanOrEqual(0);
    expect(joined).toBeGreaterThan(removed);
    expectAtPlacement(d12.cluster.state, d12); // includes: no target lost its chunks
  });
});
