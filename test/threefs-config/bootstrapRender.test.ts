import {
  BOOTSTRAP_DEADLINE_SECONDS,
  BOOTSTRAP_PHASE_TIMEOUT_KEYS,
  BOOTSTRAP_TIME_BUDGET_SECONDS,
  BOOTSTRAP_WORK_MARGIN_SECONDS,
  DEFAULT_BOOTSTRAP_TIMEOUTS,
  bootstrapHash,
  chainPlan,
  renderBootstrap,
  validateBootstrapInput,
  type BootstrapInput,
} from "../../lib/threefs/bootstrap";
import { chainsFromGroups } from "../../lib/threefs/placementLock";
import { SMALL_PLAN as SMALL } from "./helpers";

/** A valid placement of any size: the node sequence repeated r times, cut into groups of k (slots numbered per node). */
function roundRobin(nodes: number, k: number, r: number): Array<Array<[number, number]>> {
  const seq = Array.from({ length: nodes * r }, (_, p) => (p % nodes) + 1);
  const groups: number[][] = [];
  for (let i = 0; i < seq.length; i += k) groups.push(seq.slice(i, i + k));
  return chainsFromGroups(groups);
}

const size = (files: Record<string, string>) => Object.values(files).reduce((n, v) => n + Buffer.byteLength(v), 0);
const KiB = 1024;

describe("renderBootstrap", () => {
  test("ships the script, the plan and the scalars", () => {
    const { files, hash } = renderBootstrap(SMALL);
    expect(Object.keys(files).sort()).toEqual(["bootstrap.sh", "chain-plan.json", "chains.sh", "common.sh", "placement.txt", "plan.env", "tenants.sh", "tenants.tsv"]);
    expect(files["bootstrap.sh"]).toMatch(/^#!\/usr\/bin\/env bash\n/);
    expect(files["bootstrap.sh"]).toContain("set -euo pipefail");
    const plan = JSON.parse(files["chain-plan.json"]);
    expect(plan).toMatchObject({
      replicas: 2,
      targetsPerDisk: 2,
      stripeSize: 4,
      disksPerNode: 2,
      nodeIdBegin: 10000,
      storageNodes: 4,
      chunkSize: 1048576,
      targetIdPrefix: 10,
      chainIdPrefix: 10,
      chainTableId: 1,
      chainCount: 8,
      groupCount: 4,
      desc: "dev",
    });
    expect(files["placement.txt"].split("\n").slice(1)).toEqual(["10000:1 10001:1", "10002:1 10003:1", "10000:2 10002:2", "10001:2 10003:2", ""]);
    expect(files["plan.env"]).toContain("GROUP_COUNT=4\n");
    expect(files["plan.env"]).toContain("TOKEN_FILE=/etc/3fs-token/token\n");
    expect(files["plan.env"]).toContain("ADMIN_CLI_CONFIG=/etc/3fs/admin_cli.toml\n");
    expect(hash).toMatch(/^[0-9a-f]{10}$/);
  });

  test("tenants.tsv lists the tenants for scripts/tenants.sh (a header only without tenants)", () => {
    expect(renderBootstrap(SMALL).files["tenants.tsv"]).toBe("# name uid gid directory mode\n");
    const t = { name: "vision", uid: 1001, gid: 2000, directory: "/tenants/vision", mode: "0750" };
    const { files, hash } = renderBootstrap({ ...SMALL, tenants: [t] });
    expect(files["tenants.tsv"]).toBe("# name uid gid directory mode\nvision 1001 2000 /tenants/vision 0750\n");
    expect(files["plan.env"]).toContain("TENANT_TOKEN_DIR=/etc/3fs-tenant-tokens\nTENANT_PARENT_MODE=0755\nMETA_TIMEOUT=300\n");
    expect(hash).not.toBe(renderBootstrap(SMALL).hash);
  });

  test("the hash is stable and follows every input", () => {
    const base = renderBootstrap(SMALL).hash;
    expect(renderBootstrap({ ...SMALL, chains: SMALL.chains.map((g) => g.map(([n, t]) => [n, t] as const)) }).hash).toBe(base);
    expect(renderBootstrap({ ...SMALL, stripeSize: 3 }).hash).not.toBe(base);
    expect(renderBootstrap({ ...SMALL, chains: [SMALL.chains[0], SMALL.chains[1], SMALL.chains[3], SMALL.chains[2]] }).hash).not.toBe(base);
    expect(renderBootstrap({ ...SMALL, timeouts: { storageNodesSeconds: 60 } }).hash).not.toBe(base);
    expect(bootstrapHash({ a: "1", b: "2" })).toBe(bootstrapHash({ b: "2", a: "1" }));
    expect(bootstrapHash({ a: "1b", b: "" })).not.toBe(bootstrapHash({ a: "1", b: "b" }));
  });

  test("stays below the 1 MiB ConfigMap limit: the placement ships once, never expanded targets", () => {
    // The issue's large stack: 200 nodes, 16 disks, 30 targets per disk (96,000 targets).
    const issue = renderBootstrap({ ...SMALL, chains: roundRobin(200, 3, 30), replicas: 3, targetsPerDisk: 30, storageNodes: 200, disksPerNode: 16, stripeSize: 200 });
    expect(size(issue.files)).toBeLessThan(96 * KiB);
    // The schema's extreme: 1000 nodes × 99 targets per disk; size does not depend on disks. Node ids and
    // pinned slots take ~9 bytes a member (0.9 MiB for 99,000 members), under the limit with headroom.
    const sizes: Record<number, number> = {};
    for (const k of [1, 3, 5]) {
      const chains = roundRobin(1000, k, 99);
      sizes[k] = size(renderBootstrap({ ...SMALL, chains, replicas: k, targetsPerDisk: 99, storageNodes: 1000, disksPerNode: 16, stripeSize: 64 }).files);
    }
    for (const k of [1, 3, 5]) expect(sizes[k]).toBeLessThan(1024 * KiB - 64 * KiB);
  });

  test("the plan records the chain groups' count, the placement file their members", () => {
    expect(chainPlan(SMALL)).toMatchObject({ groupCount: 4, chainCount: 8 });
  });
});

describe("validateBootstrapInput", () => {
  test("accepts the small plan", () => expect(validateBootstrapInput(SMALL)).toEqual([]));

  test.each<[Partial<BootstrapInput>, string]>([
    [{ stripeSize: 9 }, "stripeSize: must be 1–8"],
    [{ stripeSize: 0 }, "stripeSize"],
    [{ replicas: 5, chains: [[[10000, 1], [10001, 1], [10002, 1], [10003, 1], [10004, 1]]], targetsPerDisk: 1 }, "5 replicas need at least 5 storage nodes"],
    [{ minReplicas: 3 }, "replicas: at least 3 required"],
    [{ chains: [...SMALL.chains.slice(0, 3), [[10001, 2], [10001, 3]]] }, "lists a node twice"],
    [{ chains: [...SMALL.chains.slice(0, 3), [[10001, 2], [10004, 2]]] }, "is not a planned storage node (10000..10003)"],
    [{ chains: [...SMALL.chains.slice(0, 3), [[9999, 2], [10003, 2]]] }, "is not a planned storage node (10000..10003)"],
    [{ chains: [...SMALL.chains.slice(0, 3), [[10001, 2]]] }, "has 1 members"],
    [{ chains: [...SMALL.chains.slice(0, 3), [[10001, 1], [10003, 2]]] }, "node 10001 uses slot 1 twice"],
    [{ chains: [...SMALL.chains.slice(0, 3), [[10001, 2], [10003, 100]]] }, "slot 100 is outside 1..99"],
    [{ targetsPerDisk: 100 }, "targetsPerDisk"],
    [{ disksPerNode: 0 }, "disksPerNode"],
    [{ chunkSize: 1000000 }, "power of two"],
    [{ clusterId: "A" }, "clusterId"],
    [{ desc: "my stack" }, "desc"],
    [{ chainIdPrefix: 43 }, "chainIdPrefix"],
    [{ tokenFile: "token" }, "absolute path"],
    [{ timeouts: { pollSeconds: 0 } }, "timeouts.pollSeconds"],
    [{ tenants: [{ name: "a", uid: 0, gid: 1, directory: "/t/a", mode: "0700" }] }, "tenants[0].uid: must be an integer ≥ 1 (never root)"],
    [{ tenants: [{ name: "a", uid: 5, gid: 5, directory: "/", mode: "0700" }] }, "tenants[0].directory"],
    [{ tenants: [{ name: "a", uid: 5, gid: 5, directory: "/t/a", mode: "700" }] }, "tenants[0].mode"],
    [{ tenants: [{ name: "a", uid: 5, gid: 5, directory: "/t/a", mode: "0700" }, { name: "b", uid: 5, gid: 5, directory: "/t/b", mode: "0700" }] }, "tenants[1].uid: 5 is listed twice"],
    [{ timeouts: { totalSeconds: BOOTSTRAP_TIME_BUDGET_SECONDS + 1 } }, "timeouts.totalSeconds: at most 3000"],
  ])("rejects %j", (patch, reason) => {
    expect(validateBootstrapInput({ ...SMALL, ...patch }).join("\n")).toContain(reason);
    expect(() => renderBootstrap({ ...SMALL, ...patch })).toThrow("invalid 3FS bootstrap input");
  });
});

describe("bootstrap time budget", () => {
  /** plan.env as a map. */
  const env = (input: BootstrapInput) =>
    Object.fromEntries(renderBootstrap(input).files["plan.env"].trim().split("\n").map((l) => l.split("=") as [string, string]));
  const PHASE_ENV = ["FDB_TIMEOUT", "MGMTD_TIMEOUT", "STORAGE_TIMEOUT", "TARGETS_TIMEOUT"];
  /** The waits of the script, in order: the plan.env key each one is bounded by. */
  const waits = (script: string) => [...script.matchAll(/^\s*wait_until "\$PLAN_(\w+)"/gm)].map((m) => m[1]);

  test("the default waits add up to the budget, and the budget leaves room before the Job's deadline", () => {
    const script = renderBootstrap(SMALL).files["bootstrap.sh"];
    const sum = waits(script).reduce((n, w) => n + DEFAULT_BOOTSTRAP_TIMEOUTS[BOOTSTRAP_PHASE_TIMEOUT_KEYS[PHASE_ENV.indexOf(w)]], 0);
    expect(sum).toBe(3000);
    expect(sum).toBeLessThanOrEqual(BOOTSTRAP_TIME_BUDGET_SECONDS);
    expect(sum).toBeLessThan(BOOTSTRAP_DEADLINE_SECONDS);
    expect(DEFAULT_BOOTSTRAP_TIMEOUTS.totalSeconds).toBe(BOOTSTRAP_TIME_BUDGET_SECONDS);
    expect(BOOTSTRAP_TIME_BUDGET_SECONDS + BOOTSTRAP_WORK_MARGIN_SECONDS).toBe(BOOTSTRAP_DEADLINE_SECONDS);
    expect(BOOTSTRAP_DEADLINE_SECONDS).toBe(3600);
  });

  test("plan.env carries the defaults and the budget; the script waits for nothing plan.env does not bound", () => {
    const e = env(SMALL);
    const script = renderBootstrap(SMALL).files["bootstrap.sh"];
    const sum = waits(script).reduce((n, w) => n + Number(e[w]), 0);
    expect(sum).toBe(3000);
    expect(Number(e.TIME_BUDGET)).toBe(BOOTSTRAP_TIME_BUDGET_SECONDS);
    expect(sum).toBeLessThanOrEqual(Number(e.TIME_BUDGET));
    // Every wait_until in the script uses one of the phase limits (and so also the budget).
    expect(waits(script)).toEqual(["FDB_TIMEOUT", "FDB_TIMEOUT", "MGMTD_TIMEOUT", "STORAGE_TIMEOUT", "TARGETS_TIMEOUT"]);
  });

  test("a raised phase limit is accepted (the budget still stops the waits); a smaller budget is passed on", () => {
    expect(validateBootstrapInput({ ...SMALL, timeouts: { storageNodesSeconds: 3600 } })).toEqual([]);
    expect(env({ ...SMALL, timeouts: { totalSeconds: 1200 } }).TIME_BUDGET).toBe("1200");
  });
});
