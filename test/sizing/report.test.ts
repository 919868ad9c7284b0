/**
 * Reports that cannot be complete say why instead of guessing: a type without figures, a disk category
 * without formulas, a single replica; the output and the plan's section then show n/a.
 */
import { planPlacement } from "../../lib/chaintable/placement";
import { renderPlanSection, sizingOutput } from "../../lib/sizing/output";
import { sizeStorage, slowestOf, type SizingInput } from "../../lib/sizing/report";
import { instanceFigures } from "../../lib/sizing/instanceTypes";

const input: SizingInput = {
  storageNodes: 6,
  storageTypes: ["ecs.g8i.8xlarge"],
  disksPerNode: 4,
  diskSizeGiB: 2048,
  diskCategory: "elastic_ephemeral_disk_premium",
  replicas: 3,
  targetsPerDisk: 16,
  clientNodes: 2,
  clientTypes: ["ecs.g8i.8xlarge"],
};
const groups = (k: number) => planPlacement({ nodes: 6, replicas: k, targetsPerDisk: 16 }).groups;

describe("incomplete reports", () => {
  it("a storage type without published figures gives no ceilings, and says so", () => {
    const r = sizeStorage({ ...input, storageTypes: ["ecs.g8i.8xlarge", "ecs.c8i.8xlarge"] }, groups(3));
    expect(r.node).toBeNull();
    expect(r.problems).toEqual(["storage: no published figures in lib/sizing/instanceTypes.ts for ecs.c8i.8xlarge"]);
    const out = sizingOutput(r);
    expect(out).toMatchObject({ readGBps: null, nodeRecoverySeconds: null, usableGiB: 16384 });
    expect(renderPlanSection(out, "x")).toMatch(/storage tier\s+n\/a read, n\/a write/);
  });

  it("a disk category without formulas leaves the disks out of the limits", () => {
    const r = sizeStorage({ ...input, diskCategory: "cloud_essd" }, groups(3));
    expect(r.disk).toBeNull();
    expect(r.node!.read.limit).toBe("instance disk bandwidth");
    expect(r.problems).toEqual(["storage: no published figures for disk category cloud_essd"]);
  });

  it("one replica: nothing to recover from, no degraded ceiling", () => {
    const r = sizeStorage({ ...input, replicas: 1 }, groups(1));
    expect(r.recovery).toEqual({ node: null, disk: null });
    expect(r.degradedReadBps).toBeNull();
    expect(r.node!.write.value).toBe(1.25e9);
    expect(renderPlanSection(sizingOutput(r), "x")).toContain("node lost: n/a (no second copy)");
  });

  it("several types: each figure is the slowest among them", () => {
    const s = slowestOf([instanceFigures("ecs.g8i.xlarge")!, instanceFigures("ecs.g8ise.xlarge")!]);
    expect(s).toMatchObject({ type: "ecs.g8i.xlarge | ecs.g8ise.xlarge", networkGbps: 4, diskGbps: 2.5, diskIops: 50_000, diskBurstGbps: 10 });
  });
});
