/**
 * threefs:storage.zoneSpread: the id layout (lib/threefs/storageNodes.ts), its config rules and the lock rule
 * that a deployed stack keeps its layout.
 */
import { lockProblems, planLock } from "../../lib/threefs/placementLock";
import { storageNodeIds, storagePodName, storageSets, storageZoneIndex } from "../../lib/threefs/storageNodes";
import { ConfigError, loadConfig } from "../../stacks/config";

function problems(profile: string, zones: string[], storage: Record<string, unknown>, extra: Record<string, unknown> = {}): string[] {
  const values: Record<string, string> = { "alicloud:region": "cn-beijing", "threefs:profile": profile, "threefs:zones": JSON.stringify(zones), "threefs:storage": JSON.stringify(storage) };
  for (const [k, v] of Object.entries(extra)) values[k] = JSON.stringify(v);
  try {
    loadConfig({ stack: profile, values });
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
}
const THREE = ["cn-beijing-i", "cn-beijing-j", "cn-beijing-k"];

describe("storage node layout", () => {
  it.each<[number, string[], boolean, number[]]>([
    [3, ["cn-beijing-i"], true, [10000, 10001, 10002]], // one zone: nothing to spread
    [4, THREE, false, [10000, 10001, 10002, 10003]],
    [6, THREE, true, [10000, 10001, 11000, 11001, 12000, 12001]],
    [4, THREE, true, [10000, 10001, 11000, 12000]], // round-robin: zone 0 first
  ])("%i nodes over %j, spread %s", (n, zones, spread, ids) => {
    expect(storageNodeIds(n, zones, spread)).toEqual(ids);
    expect(storageSets(n, zones, spread).reduce((a, s) => a + s.replicas, 0)).toBe(n);
  });

  it("names each id's zone and pod (zone 0 keeps the base StatefulSet name)", () => {
    expect([10999, 11000, 12003].map(storageZoneIndex)).toEqual([0, 1, 2]);
    expect([10001, 11000].map((id) => storagePodName("threefs-prod-storage", id))).toEqual(["threefs-prod-storage-10001", "threefs-prod-storage-z1-11000"]);
  });
});

describe("config rules", () => {
  it.each<[string, string, string[], Record<string, unknown>, Record<string, unknown>, string]>([
    ["one zone", "prod", ["cn-beijing-i"], { zoneSpread: true }, {}, "threefs:storage.zoneSpread: needs at least 2 zones in threefs:zones (has 1)"],
    ["a node count that is not a multiple of the zones", "prod", THREE, { zoneSpread: true, nodes: 7 }, {}, "threefs:storage.nodes: 7 is not a multiple of the 3 zones"],
    ["single-replica chains", "dev", THREE, { zoneSpread: true, nodes: 3 }, { "threefs:chains": { replicas: 1 } }, "threefs:storage.zoneSpread: needs threefs:chains.replicas ≥ 2"],
    ["replacing an id outside the layout", "prod", THREE, { zoneSpread: true, replace: [10002] }, {}, "threefs:storage.replace: 10002 is not a storage node of this stack (10000..10001, 11000..11001, 12000..12001)"],
  ])("refuses %s", (_l, profile, zones, storage, extra, expected) => {
    expect(problems(profile, zones, storage, extra)).toContainEqual(expect.stringContaining(expected));
  });

  it("accepts prod with zone spread, and a replacement in zone 2", () => {
    expect(problems("prod", THREE, { zoneSpread: true, replace: [12001] })).toEqual([]);
  });
});

describe("the lock keeps the layout it was planned with", () => {
  const cfg = (zoneSpread: boolean) => ({ stack: "prod", zones: THREE, storage: { nodes: 6, zoneSpread }, chains: { replicas: 3, targetsPerDisk: 16, placementCohorts: [] } });
  it("refuses switching a planned stack either way, naming the way out for an undeployed one", () => {
    expect(lockProblems(cfg(true), planLock(cfg(false), undefined))).toEqual([
      "threefs:storage.zoneSpread: true but stacks/prod.placement.json was planned without zone spread; a deployed stack keeps its layout (its node ids name their StatefulSets); for a stack not deployed yet, delete the lock and run `npm run placement -- plan --stack prod`",
    ]);
    expect(lockProblems(cfg(false), planLock(cfg(true), undefined))[0]).toMatch(/^threefs:storage\.zoneSpread: false but .* was planned with zone spread/);
    expect(lockProblems(cfg(true), planLock(cfg(true), undefined))).toEqual([]);
  });
});
