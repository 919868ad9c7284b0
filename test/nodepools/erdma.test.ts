import { ERDMA_FAMILIES, familyInfo, instanceFamily, isErdmaCapable, suggestedFamilies, supportsEed } from "../../lib/erdma";

describe("instanceFamily", () => {
  it.each([
    ["ecs.g8i.4xlarge", "g8i"],
    ["ecs.g8ise.xlarge", "g8ise"],
    ["ecs.ebmgn8is.32xlarge", "ebmgn8is"],
    ["ecs.g7a-nps1.16xlarge", "g7a"],
    ["ecs.gn8is-8x.32xlarge", "gn8is"],
  ])("%s → %s", (type, family) => expect(instanceFamily(type)).toBe(family));

  it.each(["g8i.4xlarge", "ecs.g8i", "ecs..xlarge", "ECS.G8I.XLARGE", ""])("rejects %j", (type) => expect(instanceFamily(type)).toBeUndefined());
});

describe("the eRDMA family table", () => {
  it("has one entry per family, each with a source", () => {
    const names = ERDMA_FAMILIES.map((f) => f.family);
    expect(new Set(names).size).toBe(names.length);
    for (const f of ERDMA_FAMILIES) {
      expect(f.family).toMatch(/^[a-z][a-z0-9]*$/);
      expect(f.source.length).toBeGreaterThan(5);
    }
  });

  it.each(["ecs.g8i.xlarge", "ecs.g8ise.xlarge", "ecs.c8i.2xlarge", "ecs.r8i.8xlarge", "ecs.g8a.4xlarge", "ecs.g9i.4xlarge", "ecs.ebmgn8is.32xlarge"])(
    "accepts %s",
    (type) => expect(isErdmaCapable(type)).toBe(true),
  );

  it.each(["ecs.g7.xlarge", "ecs.c7.2xlarge", "ecs.g6.large", "ecs.g8ine.4xlarge", "ecs.g7se.4xlarge", "ecs.u1-c1m4.xlarge", "ecs.t6-c1m1.large"])(
    "refuses %s",
    (type) => expect(isErdmaCapable(type)).toBe(false),
  );

  it("accepts bare-metal GPU ebmgn8is with EED (a GPU client pool)", () => {
    expect(familyInfo("ecs.ebmgn8is.32xlarge")).toMatchObject({ family: "ebmgn8is", kind: "gpu", eed: true });
  });

  it("knows which eRDMA families cannot attach EED", () => {
    expect(supportsEed("ecs.g8i.4xlarge")).toBe(true);
    expect(supportsEed("ecs.g8ise.xlarge")).toBe(true);
    expect(supportsEed("ecs.g9i.4xlarge")).toBe(false); // eRDMA yes, disks: ESSD / AutoPL / Regional only
    expect(supportsEed("ecs.g8ae.4xlarge")).toBe(false);
    expect(supportsEed("ecs.g7.xlarge")).toBe(false); // no eRDMA at all
  });

  it("escape hatch: extra families are trusted for eRDMA and EED", () => {
    expect(isErdmaCapable("ecs.g10i.4xlarge")).toBe(false);
    expect(isErdmaCapable("ecs.g10i.4xlarge", ["g10i"])).toBe(true);
    expect(familyInfo("ecs.g10i.4xlarge", ["g10i"])).toMatchObject({ family: "g10i", kind: "unknown", eed: true, source: "threefs:nodePools.extraErdmaFamilies" });
    expect(supportsEed("ecs.g9i.4xlarge", ["g9i"])).toBe(true); // overrides the table's "no EED"
    expect(isErdmaCapable("ecs.g7.xlarge", ["g8i"])).toBe(false); // only the listed families
  });

  it("suggests only EED families when asked", () => {
    expect(suggestedFamilies()).toMatch(/^g8i, g8ise, /);
    for (const f of suggestedFamilies({ eed: true }).replace(", …", "").split(", ")) expect(supportsEed(`ecs.${f}.xlarge`)).toBe(true);
  });
});
