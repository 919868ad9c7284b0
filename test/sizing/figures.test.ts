/**
 * The published figures: EED formulas at known points, the instance table's consistency, and that every
 * type the profiles and committed stacks use has figures.
 */
import * as path from "node:path";
import { ERDMA_FAMILIES, instanceFamily } from "../../lib/erdma";
import { EED_FORMULAS, eedPerformance, isEedCategory, MB } from "../../lib/sizing/eed";
import { INSTANCE_FIGURES, instanceFigures } from "../../lib/sizing/instanceTypes";
import { readStackConfig } from "../../lib/sizing/stack";
import { ASSUMPTIONS, SOURCES } from "../../lib/sizing/sources";
import { PROFILES } from "../../stacks/profiles";

const root = path.join(__dirname, "..", "..");

describe("EED formulas (block storage performance page)", () => {
  test.each([
    // category, GiB, read IOPS, write IOPS, read MB/s, write MB/s
    ["elastic_ephemeral_disk_standard", 64, 6_400, 1_280, 51.2, 25.6],
    ["elastic_ephemeral_disk_standard", 256, 25_600, 5_120, 204.8, 102.4],
    ["elastic_ephemeral_disk_standard", 5_120, 512_000, 102_400, 4_096, 2_048], // throughput caps reached
    ["elastic_ephemeral_disk_standard", 8_192, 819_200, 160_000, 4_096, 2_048], // write IOPS cap at 8,000 GiB
    ["elastic_ephemeral_disk_premium", 64, 19_200, 9_600, 102.4, 64],
    ["elastic_ephemeral_disk_premium", 2_048, 614_400, 307_200, 3_276.8, 2_048],
    ["elastic_ephemeral_disk_premium", 8_192, 1_000_000, 500_000, 4_096, 2_048],
  ] as const)("%s %i GiB", (category, gib, readIops, writeIops, readMBps, writeMBps) => {
    const d = eedPerformance(category, gib);
    expect(d.readIops).toBeCloseTo(readIops, 6);
    expect(d.writeIops).toBeCloseTo(writeIops, 6);
    expect(d.readBps / MB).toBeCloseTo(readMBps, 6);
    expect(d.writeBps / MB).toBeCloseTo(writeMBps, 6);
  });

  it("refuses sizes outside 64–8,192 GiB and knows only the two EED categories", () => {
    expect(() => eedPerformance("elastic_ephemeral_disk_standard", 63)).toThrow(/outside/);
    expect(() => eedPerformance("elastic_ephemeral_disk_premium", 8193)).toThrow(/outside/);
    expect(isEedCategory("cloud_essd")).toBe(false);
    expect(Object.keys(EED_FORMULAS).sort()).toEqual(["elastic_ephemeral_disk_premium", "elastic_ephemeral_disk_standard"]);
  });
});

describe("instance table", () => {
  it("has one row per type, and only families lib/erdma.ts knows as eRDMA-capable", () => {
    const types = INSTANCE_FIGURES.map((f) => f.type);
    expect(new Set(types).size).toBe(types.length);
    const known = new Set(ERDMA_FAMILIES.map((f) => f.family));
    for (const t of types) expect(known.has(instanceFamily(t) ?? "")).toBe(true);
  });

  it("bursts are above baselines; sizes grow within a family", () => {
    for (const f of INSTANCE_FIGURES) {
      if (f.networkBurstGbps !== null) expect(f.networkBurstGbps).toBeGreaterThan(f.networkGbps);
      if (f.diskBurstGbps !== null) expect(f.diskBurstGbps).toBeGreaterThan(f.diskGbps);
      if (f.diskBurstIops !== null) expect(f.diskBurstIops).toBeGreaterThan(f.diskIops);
    }
    const byFamily = new Map<string, typeof INSTANCE_FIGURES[number][]>();
    for (const f of INSTANCE_FIGURES) byFamily.set(instanceFamily(f.type)!, [...(byFamily.get(instanceFamily(f.type)!) ?? []), f]);
    for (const rows of byFamily.values()) {
      for (let i = 1; i < rows.length; i++) {
        expect(rows[i].vcpu).toBeGreaterThan(rows[i - 1].vcpu);
        expect(rows[i].networkGbps).toBeGreaterThanOrEqual(rows[i - 1].networkGbps);
        expect(rows[i].diskGbps).toBeGreaterThanOrEqual(rows[i - 1].diskGbps);
      }
    }
  });

  test.each([
    // spot checks against the pages (type, vCPU, GiB, network, burst, disk Gbit/s, burst)
    ["ecs.g8i.xlarge", 4, 16, 4, 15, 2.5, 10],
    ["ecs.g8i.4xlarge", 16, 64, 12, 25, 6, 10],
    ["ecs.g8i.8xlarge", 32, 128, 20, 25, 10, null],
    ["ecs.g8ise.xlarge", 4, 16, 4, 15, 4, 12],
    ["ecs.g8a.8xlarge", 32, 128, 10, 25, 5, 10],
    ["ecs.g9a.16xlarge", 64, 256, 32, null, 16, null],
  ] as const)("%s", (type, vcpu, mem, net, netBurst, disk, diskBurst) => {
    expect(instanceFigures(type)).toMatchObject({ vcpu, memoryGiB: mem, networkGbps: net, networkBurstGbps: netBurst, diskGbps: disk, diskBurstGbps: diskBurst });
  });

  it("every instance type of the profiles and committed stacks has figures", () => {
    const types = new Set<string>();
    for (const p of Object.values(PROFILES)) for (const role of [p.storage, p.meta, p.client]) for (const t of role?.instanceTypes ?? []) types.add(t);
    for (const s of ["dev", "staging", "prod"]) {
      const cfg = readStackConfig(root, s);
      for (const t of [...cfg.storage.instanceTypes, ...cfg.client.instanceTypes, ...cfg.meta.instanceTypes]) types.add(t);
    }
    for (const t of types) expect(instanceFigures(t)?.type).toBe(t);
  });
});

describe("sources", () => {
  it("every source is a URL, every assumption has a reason", () => {
    for (const s of Object.values(SOURCES)) expect(s.url).toMatch(/^https:\/\/(www\.alibabacloud\.com|help\.aliyun\.com|github\.com)\//);
    for (const a of Object.values(ASSUMPTIONS)) expect(a.length).toBeGreaterThan(40);
  });
});
