/**
 * The day-2 Jobs that act on Kubernetes objects, run for real against the 3FS model and its Kubernetes API
 * (test/model/kube.ts, pods.ts: pods with uids and template hashes, deletion and re-creation, readiness
 * gates, claims, released instances; each Job's rendered RBAC enforced):
 *  - target-health.sh sets the storage pods' readiness gate from the chains;
 *  - roll.sh restarts pods whose template changed one at a time, gated on the chains, and stops on a
 *    degraded chain (before it deletes anything, and when a second failure happens during a restart);
 *  - replace.sh brings a storage node whose instance (and disks) was lost back on new disks with its target
 *    ids, which resync; and no Job fights another: the bootstrap, the migration and a second run after it
 *    change nothing.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { planLock } from "../../lib/threefs/placementLock";
import { deployment, mutating } from "./bootstrapScenarios";
import { opsPod, planOf, projectJob, stackPlan, type StackPlan } from "./plans";
import type { ModelCluster } from "./harness";
import type { Mounts } from "./plans";

const FAST = { POLL_INTERVAL: "5" };

/** A bootstrapped cluster past its chains' 2-minute newborn window (no state changes before it, MgmtdData.cc:119). */
function deployed(plan: StackPlan) {
  const { cluster, script, mounts } = deployment(plan);
  expect(cluster.run(script).status).toBe(0);
  cluster.wait(150);
  return { cluster, mounts };
}

/** Runs one of the day-2 scripts from the plan's rendered ConfigMap, with its pod's ServiceAccount. */
function run(cluster: ModelCluster, mounts: Mounts, plan: StackPlan, job: "roll" | "replace" | "targetHealth", env: Record<string, string> = {}, args: string[] = []) {
  const objects = plan.workloads.dayTwo[job]!;
  const files = objects.configMap.data;
  const script = { roll: "roll.sh", replace: "replace.sh", targetHealth: "target-health.sh" }[job];
  const dir = projectJob(cluster.dir, `${job}-${Math.random().toString(36).slice(2, 8)}`, files, mounts, { ...opsPod(cluster.dir, plan, job), ...env });
  return cluster.run(path.join(dir, script), args);
}

const kubeLog = (c: ModelCluster) => (fs.existsSync(path.join(c.dir, "kube.log")) ? fs.readFileSync(path.join(c.dir, "kube.log"), "utf8").split("\n") : []);
const gates = (c: ModelCluster) => Object.fromEntries(Object.entries(c.state.k8s?.pods ?? {}).filter(([n]) => n.includes("-storage-")).map(([n, p]) => [n, p.gates["threefs.io/chains-serving"]?.status]));

describe("target-health: the storage readiness gate follows the chains (dev)", () => {
  const plan = stackPlan("dev");

  test("True while every chain of the node has its replicas serving; False on every node sharing a chain with a lost node; True again after the resync; other accounts may not patch", () => {
    const { cluster, mounts } = deployed(plan);
    expect(run(cluster, mounts, plan, "targetHealth", {}, ["--once"]).status).toBe(0);
    expect(gates(cluster)).toEqual({ "threefs-dev-storage-10000": "True", "threefs-dev-storage-10001": "True", "threefs-dev-storage-10002": "True" });
    cluster.update((s) => (s.scenario.storageRestarts = [{ nodeId: 10000, at: Math.ceil(s.simMs / 1000), downFor: 150, graceful: false }]));
    cluster.wait(90);
    expect(run(cluster, mounts, plan, "targetHealth", {}, ["--once"]).status).toBe(0);
    // Three nodes, two replicas: every node shares a chain with 10000.
    expect(gates(cluster)).toEqual({ "threefs-dev-storage-10000": "False", "threefs-dev-storage-10001": "False", "threefs-dev-storage-10002": "False" });
    cluster.wait(200);
    run(cluster, mounts, plan, "targetHealth", {}, ["--once"]);
    expect(Object.values(gates(cluster))).toEqual(["True", "True", "True"]);
    // The roll's ServiceAccount may delete pods but not patch their status (a stale gate to correct first).
    cluster.update((st) => (st.k8s!.pods["threefs-dev-storage-10000"].gates["threefs.io/chains-serving"] = { status: "False" }));
    const roll = opsPod(cluster.dir, plan, "roll");
    const r = run(cluster, mounts, plan, "targetHealth", roll, ["--once"]);
    expect(r.stderr).toMatch(/PATCH \S+\/status: HTTP 403 .*is forbidden: User .*threefs-dev-roll/);
  });
});

describe("roll: health-gated restarts (dev)", () => {
  const base = stackPlan("dev");
  // A storage memory change: new storage config files, so a new storage pod template (and nothing else).
  const changed = planOf({ ...base.cfg, resources: { ...base.cfg.resources, storage: { ...base.cfg.resources.storage, limits: { ...base.cfg.resources.storage.limits, memory: "8Gi" } } } }, base.placement);
  const apply = (c: ModelCluster) => c.update((s) => (s.spec = { ...changed.spec, kube: changed.spec.kube }));

  test("after a template change: the storage pods restart one at a time, each back with its chains serving before the next; nothing else restarts; a re-run deletes nothing", () => {
    const { cluster, mounts } = deployed(base);
    // The first roll of a fresh deployment: every pod already runs its template.
    expect(run(cluster, mounts, base, "roll", FAST).status).toBe(0);
    expect(kubeLog(cluster).filter((l) => l.startsWith("DELETE"))).toEqual([]);
    apply(cluster);
    const r = run(cluster, mounts, changed, "roll", FAST);
    expect(r.status).toBe(0);
    const deletes = kubeLog(cluster).filter((l) => l.startsWith("DELETE")).map((l) => l.split(" ")[1].split("/").pop());
    expect(deletes).toEqual(["threefs-dev-storage-10000", "threefs-dev-storage-10001", "threefs-dev-storage-10002"]);
    expect(r.stderr).toMatch(/storage: 3 of 3 pod\(s\) to restart/);
    expect(r.stderr).toMatch(/mgmtd: 0 of 2 pod\(s\) to restart/);
    expect(r.stderr).toMatch(/done in \d+s: 3 pod\(s\) restarted/);
    // Each was back (its chains serving) before the next delete.
    const lines = r.stderr.split("\n");
    for (const pod of deletes) expect(lines.findIndex((l) => l.includes(`${pod} is back`))).toBeGreaterThan(lines.findIndex((l) => l.includes(`deleted ${pod}`)));
    for (const c of Object.values(cluster.state.chains)) expect(c.targets.every((t) => t.publicState === "SERVING")).toBe(true);
    const again = run(cluster, mounts, changed, "roll", FAST);
    expect(again.status).toBe(0);
    expect(kubeLog(cluster).filter((l) => l.startsWith("DELETE"))).toHaveLength(3);
  });

  test("stops on a degraded chain: before any delete while a chain is short, and when a second node fails during a restart", () => {
    const { cluster, mounts } = deployed(base);
    apply(cluster);
    cluster.update((s) => (s.scenario.storageRestarts = [{ nodeId: 10002, at: Math.ceil(s.simMs / 1000), downFor: 3600, graceful: false }]));
    cluster.wait(90);
    const waiting = run(cluster, mounts, changed, "roll", { ...FAST, HEALTH_TIMEOUT: "120" });
    expect(waiting.status).not.toBe(0);
    expect(waiting.stderr).toMatch(/timed out after 120s waiting for every chain serving before restarting threefs-dev-storage-10000 \(\d+ chain\(s\) not serving:/);
    expect(kubeLog(cluster).filter((l) => l.startsWith("DELETE"))).toEqual([]);
    // Healthy again; then 10002 fails while 10000 restarts: a chain of 10001/10002 degrades, which the
    // restart of 10000 does not explain: the roll halts after that pod.
    cluster.update((s) => (s.scenario.storageRestarts = [{ nodeId: 10002, at: Math.ceil(s.simMs / 1000) + 1, downFor: 1, graceful: false }]));
    cluster.wait(200);
    cluster.update((s) => (s.scenario.storageRestarts = [{ nodeId: 10002, at: Math.ceil(s.simMs / 1000) + 15, downFor: 3600, graceful: true }]));
    const halted = run(cluster, mounts, changed, "roll", FAST);
    expect(halted.status).not.toBe(0);
    expect(halted.stderr).toMatch(/halted: chain\(s\) .*stopped serving while threefs-dev-storage-10000 restarted \(a new degradation\); nothing more is restarted/);
    expect(kubeLog(cluster).filter((l) => l.startsWith("DELETE"))).toHaveLength(1);
  });
});

describe("replace: a lost storage node comes back on new disks (dev)", () => {
  test("its pod is Pending on the lost disks' claims; the Job deletes them, the node returns empty, its targets are recreated with their ids and resync; no Job fights it", () => {
    const base = stackPlan("dev");
    const plan = planOf({ ...base.cfg, storage: { ...base.cfg.storage, replace: [10001] } }, base.placement);
    const { cluster, mounts } = deployed(plan);
    cluster.update((s) => (s.scenario.lostInstances = [{ nodeId: 10001, at: Math.ceil(s.simMs / 1000) + 1 }]));
    cluster.wait(120);
    expect(cluster.state.storage["10001"]).toEqual([]);
    const before = Object.values(cluster.state.chains).flatMap((c) => c.targets.filter((t) => t.targetId.startsWith("1001000100")).map((t) => t.publicState));
    expect(new Set(before)).toEqual(new Set(["OFFLINE"]));
    const r = run(cluster, mounts, plan, "replace", FAST);
    expect(r.stderr.split("\n").filter((l) => l.includes("ERROR"))).toEqual([]);
    expect(r.status).toBe(0);
    expect(kubeLog(cluster).filter((l) => l.startsWith("DELETE"))).toEqual(["DELETE /api/v1/namespaces/threefs-dev/persistentvolumeclaims/data0-threefs-dev-storage-10001 200", "DELETE /api/v1/namespaces/threefs-dev/persistentvolumeclaims/data1-threefs-dev-storage-10001 200"]);
    const created = mutating(r).filter((c) => c.startsWith("create-target"));
    expect(created).toHaveLength(32);
    expect(created.every((c) => c.includes("--node-id 10001 "))).toBe(true);
    expect(r.stderr).toMatch(/node 10001: 0 serving, \d+ syncing, \d+ offline of 32 targets/);
    expect(r.stderr).toContain("storage node 10001 replaced");
    const s = cluster.state;
    for (const c of Object.values(s.chains)) for (const t of c.targets) expect([t.targetId, t.publicState, s.targets[t.targetId].localState]).toEqual([t.targetId, "SERVING", "UPTODATE"]);
    expect(s.storage["10001"]).toHaveLength(32);
    // No fights: the replacement again, the bootstrap and the migration change nothing.
    expect(mutating(run(cluster, mounts, plan, "replace", FAST))).toEqual([]);
    const boot = projectJob(cluster.dir, "bootstrap-again", plan.rendered.files.bootstrapFiles, mounts);
    expect(mutating(cluster.run(path.join(boot, "bootstrap.sh")))).toEqual([]);
    const mig = projectJob(cluster.dir, "migrate", plan.rendered.files.migrateFiles, mounts, FAST);
    const m = cluster.run(path.join(mig, "migrate.sh"));
    expect(m.status).toBe(0);
    // Only heads (a fresh cluster's chains all start at their lowest node).
    expect(mutating(m).every((c) => /^(set-preferred-target-order|rotate-as-preferred-order) /.test(c))).toBe(true);
    expect(mutating(cluster.run(path.join(mig, "migrate.sh")))).toEqual([]);
  });
});

describe("replace: what it must not do", () => {
  test("single-replica chains (dev with chains.replicas 1): the lost node's chains are named LOST, not recreated empty", () => {
    const base = stackPlan("dev");
    const cfg = { ...base.cfg, chains: { ...base.cfg.chains, replicas: 1 }, storage: { ...base.cfg.storage, replace: [10001] } };
    const plan = planOf(cfg, planLock(cfg, undefined).chains);
    const { cluster, mounts } = deployed(plan);
    cluster.update((s) => (s.scenario.lostInstances = [{ nodeId: 10001, at: Math.ceil(s.simMs / 1000) + 1 }]));
    cluster.wait(120);
    const r = run(cluster, mounts, plan, "replace", FAST);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/LOST: chain \d+: target 1001000100\d+ was its last serving replica/);
    expect(mutating(r).filter((c) => c.startsWith("create-target"))).toEqual([]);
  });

  test("a Running pod that is not Ready keeps its claims (it still has its disks)", () => {
    const base = stackPlan("dev");
    const plan = planOf({ ...base.cfg, storage: { ...base.cfg.storage, replace: [10001] } }, base.placement);
    const { cluster, mounts } = deployed(plan);
    // The node's storage process is down (its pod Running, containers not Ready): not a lost instance.
    cluster.update((s) => (s.scenario.storageRestarts = [{ nodeId: 10001, at: Math.ceil(s.simMs / 1000) + 1, downFor: 600, graceful: false }]));
    cluster.wait(150); // past mgmtd's heartbeat timeout: the node is not connected
    const status = (id: number) => cluster.state.nodes.find((n) => n.id === id)?.status;
    expect([status(10000), status(10001)]).toEqual(["HEARTBEAT_CONNECTED", "HEARTBEAT_FAILED"]);
    const r = run(cluster, mounts, plan, "replace", { ...FAST, NODE_TIMEOUT: "60" });
    expect(r.status).not.toBe(0);
    expect(kubeLog(cluster).filter((l) => l.startsWith("DELETE"))).toEqual([]);
    expect(r.stderr).toMatch(/its claims are deleted only while it is Pending/);
  });
});
