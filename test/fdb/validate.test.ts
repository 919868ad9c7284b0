import { type FdbValidationInput, validateFdb } from "../../lib/fdb/validate";

const ok: FdbValidationInput = { version: "7.1.61", fdbClientVersion: "7.1.61", redundancyMode: "double", metaNodes: 3, storageGiB: 32 };

describe("validateFdb accepts", () => {
  it.each<[string, Partial<FdbValidationInput>]>([
    ["the dev defaults", {}],
    ["prod: triple on 5 meta nodes", { redundancyMode: "triple", metaNodes: 5, storageGiB: 256 }],
    ["another 7.1 patch than the client library", { version: "7.1.67" }],
    ["single redundancy on one node", { redundancyMode: "single", metaNodes: 1 }],
    ["storage bounds", { storageGiB: 10 }],
    ["storage upper bound", { storageGiB: 16384 }],
    ["explicit process counts", { processCounts: { storage: 3, log: 3, stateless: 4 } }],
    ["the compact dev layout", { processCounts: { storage: 3, log: 4, stateless: -1, clusterController: 1 } }],
    ["7.3 servers with 3FS images built against 7.3", { version: "7.3.69", fdbClientVersion: "7.3.63" }],
  ])("%s", (_name, patch) => {
    expect(validateFdb({ ...ok, ...patch })).toEqual([]);
  });
});

describe("validateFdb rejects", () => {
  it.each<[string, Partial<FdbValidationInput>, RegExp]>([
    ["a server minor the 3FS client cannot talk to", { version: "7.3.69" },
      /^threefs:fdb\.version: 7\.3\.69 cannot serve the 3FS images, which link libfdb_c 7\.1\.61 .*set threefs:fdb\.version to 7\.1\.x.*threefs:images\.fdbClientVersion/],
    ["a client library of another minor", { fdbClientVersion: "7.3.63" }, /^threefs:fdb\.version: 7\.1\.61 cannot serve .* libfdb_c 7\.3\.63/],
    ["a version the operator v2 does not manage", { version: "6.3.24", fdbClientVersion: "6.3.24" }, /^threefs:fdb\.version: 6\.3\.24 is older than 7\.1/],
    ["a malformed version", { version: "7.1" }, /^threefs:fdb\.version: must look like 7\.1\.61/],
    ["a malformed client version", { fdbClientVersion: "latest" }, /^threefs:images\.fdbClientVersion: must look like/],
    ["double redundancy on 2 meta nodes", { metaNodes: 2 }, /^threefs:meta\.nodes: 2 node\(s\) .* double redundancy needs 3/],
    ["triple redundancy on 3 meta nodes", { redundancyMode: "triple", metaNodes: 3 }, /^threefs:meta\.nodes: 3 node\(s\) .* triple redundancy needs 5/],
    ["triple redundancy on 4 meta nodes", { redundancyMode: "triple", metaNodes: 4 }, /raise threefs:meta\.nodes to 5/],
    ["volumes below 10 GiB", { storageGiB: 8 }, /^threefs:fdb\.storageGiB: must be an integer from 10 to 16384 \(got 8\)/],
    ["volumes above 16 TiB", { storageGiB: 20000 }, /^threefs:fdb\.storageGiB: /],
    ["fractional volume size", { storageGiB: 31.5 }, /^threefs:fdb\.storageGiB: /],
    ["fewer storage pods than copies", { redundancyMode: "triple", metaNodes: 5, processCounts: { storage: 2, log: 5, stateless: 10 } },
      /^threefs:fdb\.processCounts\.storage: triple redundancy keeps 3 copies; needs ≥ 3 \(got 2\)/],
    ["fewer log pods than copies", { processCounts: { storage: 3, log: 1, stateless: 9 } }, /^threefs:fdb\.processCounts\.log: /],
    ["negative stateless count", { processCounts: { storage: 3, log: 4, stateless: -2 } }, /^threefs:fdb\.processCounts\.stateless: /],
    ["no stateless pods and no cluster controller", { processCounts: { storage: 3, log: 4, stateless: -1 } }, /^threefs:fdb\.processCounts\.clusterController: /],
  ])("%s", (_name, patch, message) => {
    const problems = validateFdb({ ...ok, ...patch });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.some((p) => message.test(p))).toBe(true);
    for (const p of problems) {
      expect(p).toMatch(/^threefs:[a-zA-Z]+(\.[a-zA-Z]+)*: /); // every line starts with its config key
      expect(p).not.toContain("\n");
    }
  });

  it("reports every problem at once", () => {
    expect(validateFdb({ ...ok, version: "7.3.69", metaNodes: 1, storageGiB: 1 })).toHaveLength(3);
  });
});
