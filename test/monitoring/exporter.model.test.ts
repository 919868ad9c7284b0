/**
 * The chain-health exporter (lib/monitoring/exporter.py, run by python3 as in the 3fs-init image) against
 * the upstream-faithful 3FS model's admin_cli, and the alert rules (lib/monitoring/alerts.ts) evaluated on
 * what it exports: a healthy cluster after the real bootstrap, a storage node lost, both replicas of
 * chains lost (LASTSRV), and a resync that takes longer than the threshold.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { alertRules, firing, parseExposition, type Sample } from "../../lib/monitoring/alerts";
import { encodeToken } from "../../lib/threefs/token";
import { ModelCluster } from "../model/harness";
import { mountJobVolumes, projectJob, stackPlan, type Mounts } from "../model/plans";
import type { Scenario } from "../model/types";

const EXPORTER = path.join(__dirname, "../../lib/monitoring/exporter.py");
const DRIVER = path.join(__dirname, "exporter_driver.py");
const SYNC_ALERT_MINUTES = 30;
const RULES = alertRules({ syncAlertMinutes: SYNC_ALERT_MINUTES });
const rule = (name: string) => RULES.find((r) => r.name === name)!;
const plan = stackPlan("dev");

let snapshot: { state: string; clock: string } | undefined;

/**
 * A dev cluster of the model, bootstrapped by the real bootstrap.sh and past the chains' newborn window.
 * The bootstrap runs once; each test starts from a copy of its state (with its own scenario).
 */
function bootstrapped(scenario: Scenario = {}): { cluster: ModelCluster; mounts: Mounts } {
  const cluster = new ModelCluster(plan.spec, scenario);
  const mounts = mountJobVolumes(cluster.dir, plan, encodeToken(0, 7n));
  if (!snapshot) {
    const dir = projectJob(cluster.dir, "bootstrap", plan.rendered.files.bootstrapFiles, mounts, {});
    const r = cluster.run(path.join(dir, "bootstrap.sh"));
    expect(r.status).toBe(0);
    cluster.wait(180); // new chains keep their states for 2 minutes (MgmtdNewBornChainsChecker.cc)
    snapshot = { state: fs.readFileSync(path.join(cluster.dir, "state.json"), "utf8"), clock: fs.readFileSync(path.join(cluster.dir, "clock"), "utf8") };
  } else {
    fs.writeFileSync(path.join(cluster.dir, "state.json"), snapshot.state);
    fs.writeFileSync(path.join(cluster.dir, "clock"), snapshot.clock);
  }
  cluster.update((s) => {
    s.scenario = { ...s.scenario, ...scenario };
  });
  return { cluster, mounts };
}

/** One `exporter.py --once` against the model's admin_cli. */
function scrape(cluster: ModelCluster, mounts: Mounts): Sample[] {
  const r = spawnSync("python3", [EXPORTER, "--once", `--admin-cli=${cluster.bin}/admin_cli`, `--config=${mounts.adminCliConfig}`], { env: cluster.env(), encoding: "utf8", timeout: 60_000 });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return parseExposition(r.stdout);
}

const value = (samples: Sample[], metric: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.metric === metric && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((a, s) => a + s.value, 0);
const firingNames = (samples: Sample[]) => RULES.filter((r) => firing(r, samples).length > 0).map((r) => r.name);

function stopStorage(cluster: ModelCluster, nodeIds: number[], downFor = 100_000): void {
  cluster.update((s) => {
    s.scenario.storageRestarts = [...(s.scenario.storageRestarts ?? []), ...nodeIds.map((nodeId) => ({ nodeId, at: Math.ceil(cluster.clockMs / 1000), downFor, graceful: false }))];
  });
}

describe("the exporter on the model's admin_cli", () => {
  it("a healthy cluster: every chain SERVING, every target SERVING-UPTODATE, every node connected, no alert", () => {
    const { cluster, mounts } = bootstrapped();
    const s = scrape(cluster, mounts);
    const total = Object.keys(cluster.state.chains).length;
    expect(total).toBeGreaterThan(0);
    expect(value(s, "threefs_exporter_command_success")).toBe(3);
    expect(value(s, "threefs_chains", { status: "SERVING" })).toBe(total);
    expect(value(s, "threefs_targets", { public_state: "SERVING", local_state: "UPTODATE" })).toBe(total * plan.cfg.chains.replicas);
    // Every meta and storage node connected (the model does not list the standby mgmtd; spec §2.1 says it heartbeats).
    expect(value(s, "threefs_node_status", { type: "META", status: "HEARTBEAT_CONNECTED" })).toBe(plan.spec.meta.ids.length);
    expect(value(s, "threefs_node_status", { type: "STORAGE", status: "HEARTBEAT_CONNECTED" })).toBe(plan.spec.storage.ids.length);
    expect(value(s, "threefs_node_status", { status: "PRIMARY_MGMTD" })).toBe(1);
    expect(value(s, "threefs_node_status") - value(s, "threefs_node_status", { status: "HEARTBEAT_CONNECTED" }) - 1).toBe(0);
    expect(firingNames(s)).toEqual([]);
  }, 60_000);

  it("a storage node lost: its targets OFFLINE, chains degraded but serving, the node HEARTBEAT_FAILED", () => {
    const { cluster, mounts } = bootstrapped();
    const lost = plan.spec.storage.ids[0];
    stopStorage(cluster, [lost]);
    cluster.wait(120); // HEARTBEAT_FAILED and OFFLINE 60–70 s after the last heartbeat (MgmtdHeartbeatChecker.cc)
    const s = scrape(cluster, mounts);
    const onLost = value(s, "threefs_targets", { public_state: "OFFLINE" });
    expect(onLost).toBe(plan.cfg.chains.targetsPerDisk * plan.cfg.storage.disksPerNode);
    expect(value(s, "threefs_chains", { status: "DEGRADED" })).toBe(onLost);
    expect(value(s, "threefs_chains", { status: "UNAVAILABLE" })).toBe(0);
    expect(s.filter((x) => x.metric === "threefs_node_status" && x.labels.status === "HEARTBEAT_FAILED").map((x) => x.labels.node_id)).toEqual([String(lost)]);
    // Instant conditions; each rule's `for` then holds them (OFFLINE 10 min, node 5 min) before firing.
    expect(firingNames(s)).toEqual(["ThreeFsTargetsOffline", "ThreeFsNodeNotConnected"]);
    expect(firing(rule("ThreeFsNodeNotConnected"), s).map((x) => x.labels.node_id)).toEqual([String(lost)]);
  }, 60_000);

  it("both replicas of some chains lost: the last one LASTSRV, those chains UNAVAILABLE, ThreeFsChainNotServing fires", () => {
    const { cluster, mounts } = bootstrapped();
    const [a, b] = plan.spec.storage.ids;
    stopStorage(cluster, [a]);
    cluster.wait(120);
    stopStorage(cluster, [b]);
    cluster.wait(120);
    const s = scrape(cluster, mounts);
    const shared = Object.values(cluster.state.chains).filter((c) => c.targets.some((t) => t.publicState === "LASTSRV")).length;
    expect(shared).toBeGreaterThan(0);
    expect(value(s, "threefs_chains", { status: "UNAVAILABLE" })).toBe(shared);
    expect(value(s, "threefs_targets", { public_state: "LASTSRV" })).toBe(shared);
    expect(firing(rule("ThreeFsChainNotServing"), s)).toHaveLength(shared);
    expect(firingNames(s)).toEqual(expect.arrayContaining(["ThreeFsChainNotServing", "ThreeFsTargetLastServing", "ThreeFsNodeNotConnected"]));
  }, 60_000);

  it("a node back after a loss: its targets SYNCING; ThreeFsSyncTooLong fires only once the resync outlasts the threshold", () => {
    const { cluster, mounts } = bootstrapped({ syncSeconds: 3 * 3600 });
    const node = plan.spec.storage.ids[0];
    stopStorage(cluster, [node], 200);
    cluster.wait(400); // down, OFFLINE, back up: one target of each affected chain starts syncing
    const capture = () => Object.fromEntries(["list-chains", "list-targets", "list-nodes"].map((c) => [c, cluster.admin(`--cfg=${mounts.adminCliConfig}`, c).stdout]));
    const t0 = cluster.clockMs / 1000;
    const first = capture();
    cluster.wait(SYNC_ALERT_MINUTES * 60 + 120);
    const later = capture();
    const steps = [
      { now: t0, outputs: first },
      { now: cluster.clockMs / 1000, outputs: later },
    ];
    const file = path.join(cluster.dir, "steps.json");
    fs.writeFileSync(file, JSON.stringify(steps));
    const r = spawnSync("python3", [DRIVER, EXPORTER, "render", file], { encoding: "utf8" });
    expect(r.status).toBe(0);
    const [before, after] = (JSON.parse(r.stdout) as string[]).map(parseExposition);
    expect(value(before, "threefs_chains", { status: "SYNCING" })).toBeGreaterThan(0);
    expect(firing(rule("ThreeFsSyncTooLong"), before)).toEqual([]);
    const long = firing(rule("ThreeFsSyncTooLong"), after);
    expect(long.length).toBeGreaterThan(0);
    for (const x of long) expect(x.value).toBeGreaterThan(SYNC_ALERT_MINUTES * 60);
  }, 60_000);

  it("mgmtd unreachable: every command reports 6004 (RoutingInfoNotReady) and ThreeFsExporterCommandFailing's condition holds", () => {
    const { cluster, mounts } = bootstrapped();
    cluster.update((s) => {
      s.scenario.missingPods = plan.spec.mgmtd.ids.map((id) => `${plan.spec.mgmtd.statefulSet}-${id}`);
    });
    const s = scrape(cluster, mounts);
    expect(value(s, "threefs_exporter_command_success")).toBe(0);
    expect(s.filter((x) => x.metric === "threefs_exporter_command_error").map((x) => x.labels.code)).toEqual(["6004", "6004", "6004"]);
    expect(firingNames(s)).toEqual(["ThreeFsExporterCommandFailing"]);
  }, 60_000);
});

describe("the exporter's HTTP endpoint", () => {
  it("serves /metrics in the text format (admin_cli run at most every --min-interval) and /healthz", async () => {
    const { cluster, mounts } = bootstrapped();
    const child = spawn("python3", [EXPORTER, "--host=127.0.0.1", "--port=0", `--admin-cli=${cluster.bin}/admin_cli`, `--config=${mounts.adminCliConfig}`, "--min-interval=3600"], { env: cluster.env() });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let err = "";
        child.stderr.on("data", (d: Buffer) => {
          err += d.toString();
          const m = /listening on 127\.0\.0\.1:(\d+)/.exec(err);
          if (m) resolve(Number(m[1]));
        });
        child.on("exit", (code) => reject(new Error(`exporter exited ${code}: ${err}`)));
      });
      const get = async (p: string) => {
        const r = await fetch(`http://127.0.0.1:${port}${p}`);
        return { status: r.status, type: r.headers.get("content-type"), body: await r.text() };
      };
      const first = await get("/metrics");
      expect(first.status).toBe(200);
      expect(first.type).toBe("text/plain; version=0.0.4; charset=utf-8");
      expect(value(parseExposition(first.body), "threefs_exporter_command_success")).toBe(3);
      const calls = cluster.calls().length;
      expect((await get("/metrics")).body).toBe(first.body); // cached: no admin_cli run within the interval
      expect(cluster.calls().length).toBe(calls);
      expect(await get("/healthz")).toMatchObject({ status: 200, body: "ok\n" });
      expect((await get("/other")).status).toBe(404);
    } finally {
      // Wait for the exit: the fetch client's keep-alive socket to it closes with it (no handle outlives the test).
      const exited = child.exitCode !== null && child.stdout.closed ? Promise.resolve() : new Promise<void>((r) => child.once("close", () => r()));
      child.kill();
      await exited;
    }
  }, 60_000);
});
