import fc from "fast-check";
import { gibQuantity, parseQuantity, quantityToBytes } from "../../lib/k8s/quantity";
import { imageRef, validateImages } from "../../lib/k8s/threefs/images";
import {
  MAX_PREFIX_LENGTH,
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isLabelValue,
  objectLabels,
  objectNames,
  validatePrefix,
} from "../../lib/k8s/threefs/names";
import { validateMountPath } from "../../lib/k8s/threefs/clients";

describe("parseQuantity", () => {
  test.each([
    ["16Gi", 16 * 2 ** 30],
    ["512Mi", 512 * 2 ** 20],
    ["1.5G", 1.5e9],
    ["500m", 0.5],
    ["2", 2],
    ["1e3", 1000],
    ["64Ki", 65536],
    [3, 3],
  ])("%s", (q, want) => expect(parseQuantity(q)).toBeCloseTo(want));

  test.each(["", "1GiB", "abc", "1.2.3", "Gi"])("rejects %p", (q) => expect(() => parseQuantity(q)).toThrow());

  test("bytes round down and GiB quantities are whole", () => {
    expect(quantityToBytes("1.5Ki")).toBe(1536);
    expect(gibQuantity(64)).toBe("64Gi");
    expect(() => gibQuantity(1.5)).toThrow();
    expect(() => quantityToBytes("-1Gi")).toThrow();
  });
});

describe("images", () => {
  const digest = `sha256:${"a".repeat(64)}`;
  const registry = "ghcr.io/aliyuncontainerservice/alibabacloud-3fs";
  test("tag shared, digest per component", () => {
    const images = { registry: `${registry}/`, tag: "main", digests: { storage: digest } };
    expect(imageRef(images, "storage")).toBe(`${registry}/3fs-storage:main@${digest}`);
    expect(imageRef(images, "fuse")).toBe(`${registry}/3fs-fuse:main`);
    expect(imageRef({ registry: "registry.cn-beijing.aliyuncs.com:5000/mirror/3fs", tag: "v1.2.3" }, "admin-cli")).toBe(
      "registry.cn-beijing.aliyuncs.com:5000/mirror/3fs/3fs-admin-cli:v1.2.3",
    );
  });

  test.each([
    ["latest", {}],
    ["dev", {}],
    ["DEV", {}],
    ["", {}],
    [digest, {}],
    [`main@${digest}`, {}],
    ["a b", {}],
    ["main", { meta: "sha256:abc" }],
    ["main", { bootstrap: digest }],
  ])("rejects tag %p with digests %p", (tag, digests) => {
    expect(() => validateImages({ registry, tag, digests: digests as Record<string, string> })).toThrow();
  });

  test("rejects an uppercase registry", () => {
    expect(() => validateImages({ registry: "GHCR.io/x", tag: "main" })).toThrow();
  });
});

describe("names", () => {
  const prefixArb = fc
    .tuple(
      fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz"),
      fc.array(fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789-"), { maxLength: MAX_PREFIX_LENGTH - 2 }),
      fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789"),
    )
    .map(([a, mid, z]) => a + mid.join("") + z);
  const hashArb = fc.stringMatching(/^[0-9a-f]{64}$/);

  test("every name of any valid prefix is a DNS label within Kubernetes' limits", () => {
    fc.assert(
      fc.property(prefixArb, hashArb, (prefix, hash) => {
        const n = objectNames(prefix);
        for (const svc of [n.mgmtd, n.meta, n.storage]) {
          expect(isDns1035Label(svc)).toBe(true); // Service names
          // StatefulSet names: pods carry controller-revision-hash=<name>-<10 chars> (≤ 63)
          expect(svc.length).toBeLessThanOrEqual(52);
          // pod host names <name>-<ordinal>, ordinals up to 5 digits
          expect(isDns1123Label(`${svc}-10999`)).toBe(true);
        }
        for (const name of [n.fuse, n.adminCli, n.token, n.bootstrap(hash), n.check(hash), n.fio(hash)]) {
          expect(isDns1123Label(name)).toBe(true);
          expect(name.startsWith(`${prefix}-`)).toBe(true);
        }
        // ConfigMap names are DNS-1123 subdomains (≤ 253); `<prefix>-admin-cli-config-<8>` may exceed 63.
        for (const c of ["mgmtd", "meta", "storage", "fuse", "admin-cli"] as const) {
          expect(isDns1123Subdomain(n.config(c, hash))).toBe(true);
          expect(n.config(c, hash).startsWith(`${prefix}-${c}-config-`)).toBe(true);
        }
        expect(isLabelValue(objectLabels(prefix, "storage", "prod")["app.kubernetes.io/instance"]!)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  test("two prefixes never share a name", () => {
    const a = objectNames("threefs-dev");
    const b = objectNames("threefs-dev2");
    expect(new Set([a.mgmtd, a.meta, a.storage, b.mgmtd, b.meta, b.storage]).size).toBe(6);
  });

  test.each(["", "3fs", "Threefs", "a_b", "threefs-", "a".repeat(MAX_PREFIX_LENGTH + 1)])("rejects prefix %p", (p) =>
    expect(() => validatePrefix(p)).toThrow(),
  );

  test("hashed names change with the hash", () => {
    const n = objectNames("threefs-dev");
    expect(n.bootstrap("0123456789abcdef")).toBe("threefs-dev-bootstrap-01234567");
    expect(n.bootstrap("fedcba9876543210")).not.toBe(n.bootstrap("0123456789abcdef"));
    expect(() => n.bootstrap("xyz")).toThrow();
    expect(n.config("storage", "0123456789abcdef")).toBe("threefs-dev-storage-config-01234567");
    expect(n.config("admin-cli", "0123456789abcdef")).toBe("threefs-dev-admin-cli-config-01234567");
  });

  test("labels carry name, component, instance and profile; extras cannot override them", () => {
    const l = objectLabels("threefs-dev", "fuse", "dev", { "app.kubernetes.io/name": "other", team: "ai" });
    expect(l).toMatchObject({
      "app.kubernetes.io/name": "3fs",
      "app.kubernetes.io/component": "fuse",
      "app.kubernetes.io/instance": "threefs-dev",
      "threefs.io/profile": "dev",
      team: "ai",
    });
    expect(() => objectLabels("threefs-dev", "fuse", "dev", { bad: "x y" })).toThrow();
  });
});

describe("mount path", () => {
  test.each(["/mnt/3fs", "/data/3fs-stage", "/3fs/stage"])("accepts %s", (p) => expect(() => validateMountPath(p)).not.toThrow());
  test.each(["mnt/3fs", "/mnt/3fs/", "/", "/mnt", "/etc", "/mnt/a b", "/mnt/../etc", "/mnt//x", "/mnt/$x"])("rejects %p", (p) =>
    expect(() => validateMountPath(p)).toThrow(),
  );
});
