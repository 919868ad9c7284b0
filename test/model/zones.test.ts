/**
 * Zone spread (threefs:storage.zoneSpread) against the 3FS model: prod's three zones, one storage StatefulSet
 * per zone (node ids 10000 + 1000·zone + j), a placement lock whose every chain holds one replica per zone,
 * the real bootstrap bringing it up, and a whole-zone outage leaving every chain a serving replica. Growth
 * keeps the zones: the new nodes' memberships come from their own zone's leavers.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { planLock, type PlacementLock } from "../../lib/threefs/placementLock";
import { storageZoneIndex } from "../../lib/threefs/storageNodes";
import type { StackConfig } from "../../stacks/config";
import { deployment, expectComplete } from "./bootstrapScenarios";
import { adds, deployFresh, expectAtPlacement, grow, mutating, runJob, sized } from "./migrateScenarios";
import { opsPod, planOf, projectJob } from "./plans";

const FAST = { POLL_INTERVAL: "10", MAX_SYNCS_PER_NODE: "8" };

const spread = (nodes: number): StackConfig => sized("prod", nodes, { zoneSpread: true });
const zonesOf = (lock: PlacementLock) => lock.chains.map((c) => c.map(([n]) => storageZoneIndex(n)).sort());

describe("zone spread (prod: 3 zones, 3 replicas)", () => {
  test("one StatefulSet per zone; every chain has a replica in each zone; a zone outage leaves every chain serving", () => {
    const lock = planLock(spread(6), undefined);
    expect(lock.nodes).toEqual([10000, 10001, 11000, 11001, 12000, 12001]);
    for (const z of zonesOf(lock)) expect(z).toEqual([0, 1, 2]);
    expect(lock.change.zones).toEqual({ zones: 3, chainsSurvivingZoneLoss: lock.chains.length, chains: lock.chains.length });
    const plan = planOf(spread(6), lock.chains);
    const sets = [plan.workloads.statefulSets.storage, ...plan.workloads.storageZoneSets];
    expect(sets.map((s) => [s.metadata.name, s.spec.ordinals.start, s.spec.replicas, s.spec.template.spec.nodeSelector?.["topology.kubernetes.io/zone"]])).toEqual([
      ["threefs-prod-storage", 10000, 2, "cn-beijing-i"],
      ["threefs-prod-storage-z1", 11000, 2, "cn-beijing-j"],
      ["threefs-prod-storage-z2", 12000, 2, "cn-beijing-k"],
    ]);
    // One template hash for the roll Job; selectors that do not overlap.
    expect(new Set(sets.map((s) => s.spec.template.metadata.annotations?.["threefs.io/template-hash"])).size).toBe(1);
    expect(new Set(sets.map((s) => JSON.stringify(s.spec.selector))).size).toBe(3);

    const { cluster, script } = deployment(plan);
    const r = cluster.run(script);
    expect([r.status, r.stderr.split("\n").filter((l) => l.includes("ERROR"))]).toEqual([0, []]);
    expectComplete(cluster.state, plan);
    cluster.wait(150); // past the chains' newborn window

    // Zone 1 goes away (both of its instances).
    cluster.update((s) => (s.scenario.lostInstances = [11000, 11001].map((nodeId) => ({ nodeId, at: Math.ceil(s.simMs / 1000) + 1 }))));
    cluster.wait(120);
    for (const c of Object.values(cluster.state.chains)) {
      const serving = c.targets.filter((t) => t.publicState === "SERVING").length;
      expect([c.chainId, serving]).toEqual([c.chainId, 2]);
    }
  });

  test("growth 6 → 9 keeps one replica per zone, with moves at the lower bound", () => {
    const six = planLock(spread(6), undefined);
    const nine = planLock(spread(9), six);
    expect(nine.nodes).toEqual([10000, 10001, 10002, 11000, 11001, 11002, 12000, 12001, 12002]);
    expect(nine.change.movedTargets).toBe(nine.change.lowerBound);
    for (const z of zonesOf(nine)) expect(z).toEqual([0, 1, 2]);
    expect(nine.change.zones).toEqual({ zones: 3, chainsSurvivingZoneLoss: nine.chains.length, chains: nine.chains.length });
  });
});

describe("zone spread: growth on the model", () => {
  test("6 → 9: the bootstrap adds the new chains, the migration moves exactly the lock's memberships, every chain keeps a replica per zone", () => {
    const d6 = deployFresh("prod", 6, { zoneSpread: true });
    expect(runJob(d6, "migrate", FAST).status).toBe(0);
    const d9 = grow(d6, 9);
    expect(d9.lock.nodes.filter((n) => !d6.lock.nodes.includes(n))).toEqual([10002, 11002, 12002]);
    expect(runJob(d9, "bootstrap").status).toBe(0);
    const m = runJob(d9, "migrate", FAST);
    expect(m.status).toBe(0);
    expect(adds(m)).toHaveLength(d9.lock.change.movedTargets);
    expectAtPlacement(d9.cluster.state, d9);
    for (const c of Object.values(d9.cluster.state.chains)) expect(c.targets.map((t) => storageZoneIndex(d9.cluster.state.targets[t.targetId].nodeId!)).sort()).toEqual([0, 1, 2]);
    expect(mutating(runJob(d9, "bootstrap", {}, "-again"))).toEqual([]);
  });
});

describe("zone spread: replacing a lost node of zone 1", () => {
  test("the Job finds the zone's pod and claims (threefs-prod-storage-z1-<id>) and brings the node back with its target ids", () => {
    const cfg = { ...spread(6), storage: { ...spread(6).storage, replace: [11001] } };
    const plan = planOf(cfg, planLock(cfg, undefined).chains);
    const { cluster, script, mounts } = deployment(plan);
    expect(cluster.run(script).status).toBe(0);
    cluster.wait(150);
    cluster.update((s) => (s.scenario.lostInstances = [{ nodeId: 11001, at: Math.ceil(s.simMs / 1000) + 1 }]));
    cluster.wait(120);
    const objects = plan.workloads.dayTwo.replace!;
    const dir = projectJob(cluster.dir, "replace-z", objects.configMap.data, mounts, { ...opsPod(cluster.dir, plan, "replace"), POLL_INTERVAL: "5" });
    const r = cluster.run(path.join(dir, "replace.sh"));
    expect(r.status).toBe(0);
    const deletes = fs.readFileSync(path.join(cluster.dir, "kube.log"), "utf8").split("\n").filter((l) => l.startsWith("DELETE"));
    expect(deletes).toEqual(["DELETE /api/v1/namespaces/threefs-prod/persistentvolumeclaims/data0-threefs-prod-storage-z1-11001 200"]);
    expect(mutating(r).filter((c) => c.startsWith("create-target")).every((c) => c.includes("--node-id 11001 "))).toBe(true);
    for (const c of Object.values(cluster.state.chains)) for (const t of c.targets) expect([t.targetId, t.publicState]).toEqual([t.targetId, "SERVING"]);
  });
});
