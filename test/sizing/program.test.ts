/**
 * The program exports `sizing` for the committed prod stack, computed on the chain groups it ships, and
 * `npm run plan` prints it as a short section with units and sources.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { sizingOf } from "../../lib/sizing";
import { readStackConfig, stackChainGroups } from "../../lib/sizing/stack";
import type { StorageSizing } from "../../stacks/contract";
import { main } from "../../tools/plan";

const root = path.join(__dirname, "..", "..");

describe("sizing in the plan (prod)", () => {
  let stdout = "";
  let outputs: Record<string, { value: unknown; secret: boolean }>;
  beforeAll(async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "plan-sizing-"));
    const write = process.stdout.write.bind(process.stdout);
    const writeErr = process.stderr.write.bind(process.stderr);
    process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof process.stdout.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined); // the program's config warnings
    try {
      expect(await main(["--stack", "prod", "--out", out, "--dir", root])).toBe(0);
    } finally {
      process.stdout.write = write;
      process.stderr.write = writeErr;
      warn.mockRestore();
    }
    outputs = JSON.parse(fs.readFileSync(path.join(out, "outputs.json"), "utf8"));
  }, 60000);

  it("exports the model's output on the program's chain groups", () => {
    const cfg = readStackConfig(root, "prod");
    expect(outputs.sizing).toEqual({ value: sizingOf(cfg, stackChainGroups(cfg, root)), secret: false });
    const s = outputs.sizing.value as StorageSizing;
    expect(s.instanceTypes).toEqual(["ecs.g8i.8xlarge"]);
    expect(s.readGBps).toBe(7.5);
    expect(s.clientReadGBps).toBe(5);
    expect(s.readLimit).toBe("client network");
    expect(s.nodeRecoveryBound).toBe("receiver");
    expect(s.nodeRecoverySeconds).toBe(Math.round((4 * 2048 * 2 ** 30) / 1.25e9));
  });

  it("prints a short section with units, limits and sources", () => {
    const section = stdout.slice(stdout.indexOf("\nSizing ("));
    expect(section).toContain("GB/s = 10^9 B/s");
    expect(section).toContain("1.25 GB/s read, 0.417 GB/s of client writes (ecs.g8i.8xlarge)");
    expect(section).toContain("5.00 GB/s read (limit: client network)");
    expect(section).toContain("usable capacity  16,384 GiB");
    expect(section).toMatch(/node lost: 1 h 57 min \(receiver-bound\); disk lost: 29 min 19 s/);
    expect(section).toContain("https://www.alibabacloud.com/help/en/ecs/user-guide/overview-of-instance-families#g8i");
    expect(section).toContain("https://www.alibabacloud.com/help/en/ecs/user-guide/block-storage-performance#elastic-ephemeral-disk-performance");
    expect(section).toContain("assumed: megabyte, duplex");
  });
});
