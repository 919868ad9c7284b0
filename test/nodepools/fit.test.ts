import { fitWarnings, instanceShape, roleDemand } from "../../lib/nodepools/fit";
import { configOf } from "./stack";

describe("instanceShape", () => {
  it.each([
    ["ecs.g8i.xlarge", 4, 16],
    ["ecs.g8i.4xlarge", 16, 64],
    ["ecs.c8i.2xlarge", 8, 16],
    ["ecs.r8i.large", 2, 16],
    ["ecs.g8ise.8xlarge", 32, 128],
  ])("%s has %d vCPU and %d GiB", (type, vcpu, gib) => {
    expect(instanceShape(type)).toEqual({ vcpu, memoryBytes: gib * 2 ** 30 });
  });
  it("knows nothing about unusual names", () => {
    expect(instanceShape("ecs.ebmgn8is.32xlarge")?.memoryBytes).toBeUndefined();
    expect(instanceShape("ecs.weird")).toBeUndefined();
  });
});

describe("fitWarnings", () => {
  it("every profile fits its own pools", () => {
    for (const p of ["dev", "staging", "prod"] as const) expect(fitWarnings(configOf(p))).toEqual([]);
  });

  it("flags dev when requests outgrow the combined pool", () => {
    const big = { requests: { cpu: "1", memory: "4Gi" }, limits: { cpu: "2", memory: "6Gi" } };
    const cfg = configOf("dev", { "threefs:resources": { fdb: big, storage: big, fuse: big } });
    const warnings = fitWarnings(cfg);
    expect(warnings).toContainEqual(expect.stringMatching(/^threefs:storage\.instanceTypes: pods of the storage\/meta\/client role\(s\) request [\d.]+ vCPU, but 3 × ecs\.g8i\.xlarge leave about 9\.0/));
  });

  it("counts FDB pods with their sidecars on the meta role", () => {
    const d = roleDemand(configOf("dev"));
    expect(d.meta.cpu).toBeGreaterThan(2);
    expect(d.client.cpu).toBeCloseTo(0.75); // three combined nodes each run a FUSE client
  });
});

describe("roleDemand with the metrics pipeline and the backup agents", () => {
  it("adds their requests to the meta role, only for what runs in the cluster", () => {
    const on = configOf("staging");
    const off = configOf("staging", { "threefs:monitoring": { enabled: false }, "threefs:backup": { enabled: false } });
    const managed = configOf("staging", { "threefs:monitoring": { clickhouse: "managed", grafana: "external", grafanaUrl: "https://g.example.com" }, "threefs:backup": { enabled: false } });
    const cpu = (c: typeof on) => roleDemand(c).meta.cpu;
    // staging: collector 100m + exporter 100m + ClickHouse 500m + Grafana 100m, and 2 agents × 250m.
    expect(cpu(on) - cpu(off)).toBeCloseTo(0.8 + 0.5, 5);
    expect(cpu(managed) - cpu(off)).toBeCloseTo(0.2, 5);
    expect(roleDemand(on).storage).toEqual(roleDemand(off).storage);
  });
});
