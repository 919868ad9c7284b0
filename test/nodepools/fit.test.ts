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
