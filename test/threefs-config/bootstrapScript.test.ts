/**
 * Runs lib/threefs/bootstrap.sh for real (bash) against test/fixtures/threefs/fake_admin_cli, which
 * keeps the cluster's state in a directory and logs every command and every invocation's argv. Every
 * run checks that the token was on no admin_cli command line.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { planPlacement } from "../../lib/chaintable/placement";
import { renderBootstrap, type BootstrapInput } from "../../lib/threefs/bootstrap";
import { encodeToken } from "../../lib/threefs/token";
import { FIXTURES, SMALL_PLAN } from "./helpers";

const FAKE = path.join(FIXTURES, "fake_admin_cli");
fs.chmodSync(FAKE, 0o755); // the script runs it directly, as it runs admin_cli
const TOKEN = encodeToken(0, 2624224032140508533n);
/** Commands that only read; everything else the script sends changes the cluster. */
const READ_ONLY = /^(list-nodes|list-targets|list-chains|list-chain-tables|stat|user-stat)\b/;

interface Node {
  id: number;
  type: string;
  status: string;
}

/** One admin_cli invocation as the fake records it (argv.log). */
interface Invocation {
  argv: string[];
  cfg: string | null;
  cfgMode: number | null;
  stdin: boolean;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A fake cluster: state directory, token, FDB cluster file and admin_cli config in a temp dir. */
class Cluster {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "3fs-bootstrap-test-"));
  private plans = 0;

  constructor(storageNodes: number, state: Record<string, unknown> = {}, adminCliToml = 'cluster_id = "threefs-dev"\n') {
    dirs.push(this.dir);
    fs.mkdirSync(path.join(this.dir, "state"));
    fs.mkdirSync(path.join(this.dir, "tmp"));
    fs.writeFileSync(path.join(this.dir, "token"), `${TOKEN}\n`);
    fs.writeFileSync(path.join(this.dir, "fdb.cluster"), "threefs:abc@10.0.0.1:4500\n");
    fs.writeFileSync(path.join(this.dir, "admin_cli.toml"), adminCliToml);
    const nodes: Node[] = [
      { id: 1, type: "MGMTD", status: "PRIMARY_MGMTD" },
      { id: 100, type: "META", status: "HEARTBEAT_CONNECTED" },
    ];
    this.writeState({ nodes, ...state });
    this.setStorageNodes(storageNodes);
  }

  get state(): { nodes: Node[]; chains: Record<string, string[]>; targets: Record<string, unknown>; tables: Record<string, Array<{ version: number; chains: string[] }>>; initialized?: unknown; users?: Array<{ uid: number; token: string; root: boolean; admin: boolean }> } {
    return JSON.parse(fs.readFileSync(path.join(this.dir, "state", "state.json"), "utf8"));
  }

  writeState(state: object): void {
    fs.writeFileSync(path.join(this.dir, "state", "state.json"), JSON.stringify(state));
  }

  /** Storage nodes 10000…10000+n-1, all connected. */
  setStorageNodes(n: number, status = "HEARTBEAT_CONNECTED"): void {
    const s = this.state;
    s.nodes = [...s.nodes.filter((x) => x.type !== "STORAGE"), ...Array.from({ length: n }, (_, i) => ({ id: 10000 + i, type: "STORAGE", status }))];
    this.writeState(s);
  }

  calls(): string[] {
    const log = path.join(this.dir, "state", "calls.log");
    return fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [];
  }

  invocations(): Invocation[] {
    const log = path.join(this.dir, "state", "argv.log");
    return fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Invocation) : [];
  }

  /**
   * Renders the plan like the Pulumi program does and runs its bootstrap.sh; returns the new calls and
   * admin_cli invocations. Fails the test if any invocation had the token in its argv.
   */
  run(plan: BootstrapInput, env: Record<string, string> = {}): { status: number | null; log: string; calls: string[]; mutating: string[]; invocations: Invocation[] } {
    const planDir = path.join(this.dir, `plan-${this.plans++}`);
    fs.mkdirSync(planDir);
    const input = { ...plan, tokenFile: path.join(this.dir, "token"), fdbClusterFile: path.join(this.dir, "fdb.cluster"), adminCliConfig: path.join(this.dir, "admin_cli.toml") };
    for (const [name, text] of Object.entries(renderBootstrap(input).files)) fs.writeFileSync(path.join(planDir, name), text);
    const before = this.calls().length;
    const invocationsBefore = this.invocations().length;
    const r = spawnSync("bash", [path.join(planDir, "bootstrap.sh")], {
      env: { PATH: process.env.PATH, ADMIN_CLI: FAKE, FAKE_ADMIN_STATE: path.join(this.dir, "state"), TMPDIR: path.join(this.dir, "tmp"), POLL_INTERVAL: "0.05", ...env },
      encoding: "utf8",
      timeout: 30000,
    });
    const calls = this.calls().slice(before);
    const invocations = this.invocations().slice(invocationsBefore);
    for (const i of invocations) expect(i.argv.filter((a) => a.includes(TOKEN))).toEqual([]);
    return { status: r.status, log: `${r.stdout}${r.stderr}`, calls, mutating: calls.filter((c) => !READ_ONLY.test(c)), invocations };
  }
}

/** The chains the formulas of the chain-table issue give (an oracle independent of the script). */
function expectedChains(plan: BootstrapInput): Record<string, string[]> {
  const chains: Record<string, string[]> = {};
  for (let d = 0; d < plan.disksPerNode; d++) {
    for (let node = 1; node <= plan.storageNodes; node++) {
      const mine = plan.groups.map((g, i) => (g.includes(node) ? i + 1 : 0)).filter((g) => g > 0);
      mine.forEach((g, t) => {
        const targetId = ((10 * 1_000_000 + 10000 + node - 1) * 1_000 + (d + 1)) * 100 + (t + 1);
        const chainId = (10 * 1_000 + (d + 1)) * 100_000 + g;
        (chains[chainId] ??= []).push(String(targetId));
      });
    }
  }
  return chains;
}

const count = (calls: string[], prefix: string) => calls.filter((c) => c.startsWith(prefix)).length;
/** SMALL_PLAN grown by two nodes whose groups are appended (the old groups keep numbers and members). */
const GROWN: BootstrapInput = { ...SMALL_PLAN, storageNodes: 6, groups: [...SMALL_PLAN.groups, [5, 6], [5, 6]] };

describe("bootstrap.sh against a fake admin_cli", () => {
  const cluster = new Cluster(4);

  test("first run: init-cluster, user-add, every target, the chains and the chain table", () => {
    const r = cluster.run(SMALL_PLAN);
    expect(r.status).toBe(0);
    expect(r.log).not.toContain(TOKEN);
    expect(r.mutating.filter((c) => !c.startsWith("create-target"))).toEqual([
      "init-cluster 1 1048576 4",
      `user-add --root --admin --token ${TOKEN} 0 root`,
      expect.stringMatching(/^upload-chains \S+\/new_chains\.csv$/),
      expect.stringMatching(/^upload-chain-table --desc dev 1 \S+\/generated_chain_table\.csv$/),
    ]);
    expect(count(r.mutating, "create-target")).toBe(4 * 2 * 2);
    expect(r.mutating).toContain("create-target --node-id 10003 --disk-index 1 --target-id 1001000300202 --chain-id 1000200004 --use-new-chunk-engine");
    expect(cluster.state.users).toEqual([expect.objectContaining({ uid: 0, token: TOKEN, root: true, admin: true })]);
    // One admin_cli session per storage node here (node id mod CREATE_PARALLELISM=8), run concurrently.
    const work = fs.readdirSync(path.join(cluster.dir, "tmp")).map((d) => path.join(cluster.dir, "tmp", d));
    expect(work).toHaveLength(1);
    expect(fs.readdirSync(work[0]).filter((f) => /^create_target_cmd\.\d+$/.test(f)).sort()).toEqual(["create_target_cmd.0", "create_target_cmd.1", "create_target_cmd.2", "create_target_cmd.3"]);
    const s = cluster.state;
    expect(s.chains).toEqual(expectedChains(SMALL_PLAN));
    expect(s.tables["1"].map((t) => t.chains)).toEqual([Object.keys(expectedChains(SMALL_PLAN)).sort()]);
  });

  test("second run issues no mutating command", () => {
    const r = cluster.run(SMALL_PLAN);
    expect(r.status).toBe(0);
    expect(r.mutating).toEqual([]);
    expect(r.calls).not.toContain("stat /");
  });

  test("after storage grows, only the new targets and chains are added", () => {
    cluster.setStorageNodes(6);
    const before = cluster.state;
    const r = cluster.run(GROWN);
    expect(r.status).toBe(0);
    expect(count(r.mutating, "create-target")).toBe(2 * 2 * 2);
    expect(r.mutating.filter((c) => c.startsWith("create-target")).every((c) => /--node-id 1000[45] /.test(c))).toBe(true);
    expect(r.mutating.filter((c) => !c.startsWith("create-target")).map((c) => c.split(" ")[0])).toEqual(["upload-chains", "upload-chain-table"]);
    const uploaded = r.mutating.find((c) => c.startsWith("upload-chains"))!.split(" ")[1];
    expect(fs.readFileSync(uploaded, "utf8").trim().split("\n").slice(1).map((l) => l.split(",")[0])).toEqual(["1000100005", "1000100006", "1000200005", "1000200006"]);
    const after = cluster.state;
    for (const [cid, targets] of Object.entries(before.chains)) expect(after.chains[cid]).toEqual(targets);
    expect(after.chains).toEqual(expectedChains(GROWN));
    expect(after.tables["1"].map((t) => t.version)).toEqual([1, 2]);
    expect(cluster.run(GROWN).mutating).toEqual([]);
  });

  test("a recomputed placement that moves existing chains is refused before any change", () => {
    const recomputed: BootstrapInput = { ...GROWN, groups: [[1, 2], [3, 4], [5, 6], [1, 3], [2, 5], [4, 6]] };
    const r = cluster.run(recomputed);
    expect(r.status).not.toBe(0);
    expect(r.mutating).toEqual([]);
    expect(r.log).toContain("chain 1000100003 has targets");
    expect(r.log).toContain("3FS cannot change chain members by upload");
  });

  test("a shrunk plan (dropped chains) is refused", () => {
    const r = cluster.run(SMALL_PLAN);
    expect(r.status).not.toBe(0);
    expect(r.mutating).toEqual([]);
    expect(r.log).toContain("chain 1000100005 exists but is not in the plan");
  });
});

describe("bootstrap.sh with lib/chaintable's placement", () => {
  test("takes planPlacement's groups as they are and expands them by the chain-table formulas", () => {
    const groups = planPlacement({ nodes: 6, replicas: 3, targetsPerDisk: 4 }).groups;
    const plan: BootstrapInput = { ...SMALL_PLAN, groups, replicas: 3, targetsPerDisk: 4, storageNodes: 6, disksPerNode: 1, stripeSize: 8 };
    const cluster = new Cluster(6);
    const r = cluster.run(plan);
    expect(r.status).toBe(0);
    expect(count(r.mutating, "create-target")).toBe(6 * 4);
    expect(cluster.state.chains).toEqual(expectedChains(plan));
    expect(cluster.run(plan).mutating).toEqual([]);
  });
});

describe("bootstrap.sh recovery and failures", () => {
  test("after init-cluster but before user-add (an interrupted run), it only adds the user and goes on", () => {
    const cluster = new Cluster(4, { initialized: { tableId: 1 } });
    const r = cluster.run(SMALL_PLAN);
    expect(r.status).toBe(0);
    expect(r.calls).toContain("stat /");
    expect(count(r.mutating, "init-cluster")).toBe(0);
    expect(count(r.mutating, "user-add")).toBe(1);
  });

  test("waits for storage nodes to report new targets", () => {
    const cluster = new Cluster(4);
    const r = cluster.run(SMALL_PLAN, { FAKE_TARGET_REPORT_DELAY: "2" });
    expect(r.status).toBe(0);
    expect(count(r.calls, "list-targets --orphan")).toBeGreaterThanOrEqual(3);
    expect(cluster.run(SMALL_PLAN).mutating).toEqual([]);
  });

  test("a storage node that never connects fails the run, naming it", () => {
    const cluster = new Cluster(3);
    const r = cluster.run(SMALL_PLAN, { STORAGE_TIMEOUT: "1" });
    expect(r.status).not.toBe(0);
    expect(r.log).toContain("waiting for all 4 storage nodes (not connected: 10003)");
    expect(r.mutating.filter((c) => /^(create-target|upload)/.test(c))).toEqual([]);
  });

  test("a root user with another token is a clear error, not a second user-add", () => {
    const cluster = new Cluster(4, { initialized: { tableId: 1 }, users: [{ uid: 0, name: "root", token: encodeToken(0, 1n), root: true, admin: true }] });
    const r = cluster.run(SMALL_PLAN);
    expect(r.status).not.toBe(0);
    expect(r.log).toContain("does not accept the token");
    expect(r.mutating).toEqual([]);
  });

  test("no FDB cluster file: bounded wait with the reason", () => {
    const cluster = new Cluster(4);
    fs.rmSync(path.join(cluster.dir, "fdb.cluster"));
    const r = cluster.run(SMALL_PLAN, { FDB_TIMEOUT: "1" });
    expect(r.status).not.toBe(0);
    expect(r.log).toContain("timed out after 1s waiting for the FDB cluster file");
    expect(r.calls).toEqual([]);
  });

  test("a slow bring-up stops at the time budget, with the reason, even when a phase allows more", () => {
    const cluster = new Cluster(3);
    const r = cluster.run(SMALL_PLAN, { STORAGE_TIMEOUT: "600", TIME_BUDGET: "1" });
    expect(r.status).not.toBe(0);
    expect(r.log).toContain("the bootstrap's time budget (TIME_BUDGET=1s, within the Job's deadline) is used up waiting for all 4 storage nodes (not connected: 10003)");
  });

  const shellcheck = spawnSync("shellcheck", ["--version"]).status === 0;
  (shellcheck ? test : test.skip)("bootstrap.sh is shellcheck-clean (runs where shellcheck is installed)", () => {
    const r = spawnSync("shellcheck", ["-s", "bash", path.join(__dirname, "../../lib/threefs/bootstrap.sh")], { encoding: "utf8" });
    expect(r.stdout).toBe("");
    expect(r.status).toBe(0);
  });
});

describe("bootstrap.sh keeps the root token off command lines", () => {
  const tmpEntries = (cluster: Cluster) => fs.readdirSync(path.join(cluster.dir, "tmp"));

  test("admin_cli authenticates with a private --cfg copy; user-add goes through stdin", () => {
    const cluster = new Cluster(4);
    const r = cluster.run(SMALL_PLAN);
    expect(r.status).toBe(0);
    expect(r.invocations.length).toBeGreaterThan(5);
    for (const i of r.invocations) {
      // Only --cfg=<private copy> besides the command: no --config.user_info.token override.
      expect(i.argv.filter((a) => a.startsWith("-"))).toEqual([`--cfg=${i.cfg}`]);
      expect(path.dirname(i.cfg!)).toBe(path.join(cluster.dir, "tmp"));
      expect(i.cfg).not.toBe(path.join(cluster.dir, "admin_cli.toml"));
      expect(i.cfgMode).toBe(0o600);
    }
    // One private copy for the run, removed on exit; only the scratch directory stays.
    const cfgs = [...new Set(r.invocations.map((i) => i.cfg!))];
    expect(cfgs).toHaveLength(1);
    expect(fs.existsSync(cfgs[0])).toBe(false);
    expect(tmpEntries(cluster)).toEqual([expect.stringMatching(/^3fs-bootstrap\./)]);
    // user-add, the one command carrying the token, is not in any argv: it came through stdin.
    expect(r.invocations.some((i) => i.argv.some((a) => a.startsWith("user-add")))).toBe(false);
    expect(r.calls).toContain(`user-add --root --admin --token ${TOKEN} 0 root`);
    expect(r.invocations.filter((i) => i.stdin).length).toBe(1 + 4); // user-add + one create-target session per node
    expect(r.log).toContain("user-add --root --admin --token <token> 0 root (through admin_cli's stdin)");
    expect(r.log).not.toContain(TOKEN);
    // The scratch directory kept for inspection does not hold the token.
    const work = path.join(cluster.dir, "tmp", tmpEntries(cluster)[0]);
    for (const f of fs.readdirSync(work)) expect(fs.readFileSync(path.join(work, f), "utf8")).not.toContain(TOKEN);
  });

  test.each([
    ["a [user_info] table with its own token", "cluster_id = \"threefs-dev\"\n\n[user_info]\nuid = 0\ntoken = ''\ngids = []\n\n[fdb]\nclusterFile = \"/etc/foundationdb/fdb.cluster\"\n"],
    ["no trailing newline", 'cluster_id = "threefs-dev"'],
    ["the golden dev config", fs.readFileSync(path.join(FIXTURES, "golden/dev/admin_cli.toml"), "utf8")],
  ])("the private copy is valid TOML with known keys (%s)", (_, toml) => {
    // The fake parses --cfg strictly and checks its keys against valid-keys.json (user_info.token is one).
    const cluster = new Cluster(4, {}, toml);
    const r = cluster.run(SMALL_PLAN);
    expect(r.log).not.toContain("Parse config file");
    expect(r.status).toBe(0);
    expect(cluster.state.users?.[0]?.token).toBe(TOKEN);
  });

  test("user_info set other than as a [user_info] table is refused before admin_cli runs", () => {
    const cluster = new Cluster(4, {}, "cluster_id = \"threefs-dev\"\nuser_info.uid = 0\n");
    const r = cluster.run(SMALL_PLAN);
    expect(r.status).not.toBe(0);
    expect(r.log).toContain("set user_info as a [user_info] table");
    expect(r.invocations).toEqual([]);
    expect(tmpEntries(cluster).filter((e) => e.startsWith("3fs-admin-cli."))).toEqual([]);
  });

  test("stdin mode exits 0 even when user-add fails: the read-back catches it, the token stays masked", () => {
    const cluster = new Cluster(4);
    const r = cluster.run(SMALL_PLAN, { FAKE_USER_ADD_FAIL: "1" });
    expect(r.status).not.toBe(0);
    expect(r.log).toContain("user-add did not create the root user");
    expect(r.log).toContain("cannot add root; token <token>");
    expect(r.log).not.toContain(TOKEN);
    expect(r.mutating.filter((c) => /^(create-target|upload)/.test(c))).toEqual([]);
    expect(tmpEntries(cluster).filter((e) => e.startsWith("3fs-admin-cli."))).toEqual([]);
  });

  test("a token file that is not base64 is refused without echoing it", () => {
    const cluster = new Cluster(4);
    fs.writeFileSync(path.join(cluster.dir, "token"), "abc'def\n");
    const r = cluster.run(SMALL_PLAN);
    expect(r.status).not.toBe(0);
    expect(r.log).toContain("does not hold a base64 token");
    expect(r.log).not.toContain("abc'def");
    expect(r.invocations).toEqual([]);
  });
});
