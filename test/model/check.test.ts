/**
 * The post-deploy check (lib/threefs/scripts/check.sh), run for real against the 3FS model and the
 * model's Kubernetes API (test/model/kube.ts: nodes, FUSE pods, the check's RBAC enforced): it passes on a
 * freshly bootstrapped dev and prod, and on each fault it names what is wrong, one line per check, exits 1
 * and leaves the summary as the pod's termination message.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { deployment, TOKEN } from "./bootstrapScenarios";
import { checkPod, projectJob, stackPlan, type StackPlan } from "./plans";
import type { Scenario } from "./types";

/** A bootstrapped cluster of the plan and a check ready to run in it. */
function bootstrapped(plan: StackPlan, scenario: Scenario = {}, mounted = true) {
  const { cluster, script, mounts } = deployment(plan, scenario);
  expect(cluster.run(script).status).toBe(0);
  const pod = checkPod(cluster.dir, plan, mounted);
  const run = (env: Record<string, string> = {}) => {
    const dir = projectJob(cluster.dir, `check-${Math.random().toString(36).slice(2, 8)}`, plan.rendered.files.checkFiles, mounts, { ...pod.planEnv, ...env });
    return cluster.run(path.join(dir, "check.sh"));
  };
  return { cluster, pod, run };
}

/** A short budget for the failure cases: the verdict is the same, the model only has less time to fix itself. */
const FAST_FAIL = { TIME_BUDGET: "120", POLL_INTERVAL: "30" };
const line = (out: string, check: string) => out.split("\n").find((l) => l.startsWith(`PASS ${check.padEnd(6)}`) || l.startsWith(`FAIL ${check.padEnd(6)}`));

describe.each(["dev", "prod"])("%s: after the bootstrap", (stack) => {
  test("every check passes, one line each, and the summary is the termination message", () => {
    const plan = stackPlan(stack);
    const { cluster, pod, run } = bootstrapped(plan);
    const r = run();
    expect(r.stderr.split("\n").filter((l) => l.includes("ERROR"))).toEqual([]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines.slice(0, -1).map((l) => l.slice(0, 11))).toEqual(["PASS erdma ", "PASS nodes ", "PASS chains", "PASS fuse  ", "PASS io    "]);
    const chains = plan.cfg.storage.disksPerNode * JSON.parse(plan.rendered.files.bootstrapFiles["chain-plan.json"]).groups.length;
    expect(line(r.stdout, "chains")).toContain(`${chains} of ${chains} chains serving`);
    expect(lines.at(-1)).toBe("post-deploy check: 5 passed, 0 failed");
    expect(fs.readFileSync(pod.terminationLog, "utf8")).toBe("post-deploy check: 5 passed, 0 failed\n");
    // The io check cleaned up after itself.
    expect(fs.readdirSync(path.join(pod.mountDir, ".threefs-check"))).toEqual([]);
    // No token on a command line: neither the 3FS root token nor the ServiceAccount's.
    const sa = plan.spec.kube!.serviceAccount.token;
    for (const i of cluster.invocations()) expect(i.argv.some((a) => a.includes(TOKEN))).toBe(false);
    const curls = fs.readFileSync(path.join(cluster.dir, "curl-argv.log"), "utf8");
    expect(curls).not.toContain(sa);
    expect(curls.length).toBeGreaterThan(0);
  });
});

describe("dev: the check names what is wrong", () => {
  const plan = stackPlan("dev");

  test("a node without the eRDMA device plugin", () => {
    const { run } = bootstrapped(plan, { noErdma: ["all-1"] });
    const r = run(FAST_FAIL);
    expect(r.status).toBe(1);
    expect(line(r.stdout, "erdma")).toBe("FAIL erdma  no aliyun/erdma allocatable on all-1");
    expect(line(r.stdout, "io")).toBe("FAIL io     not run: the other checks did not pass");
    expect(r.stdout.trim().split("\n").at(-1)).toMatch(/^post-deploy check: 3 passed, 2 failed \(erdma io\) after \d+s; see kubectl logs of this Job$/);
  });

  test("a storage node down: its node is not connected and its chains are degraded", () => {
    const { cluster, run } = bootstrapped(plan);
    const id = plan.spec.storage.ids[0];
    cluster.update((s) => (s.scenario.storageRestarts = [{ nodeId: id, at: Math.ceil(s.simMs / 1000), downFor: 3600, graceful: false }]));
    cluster.wait(90);
    const r = run(FAST_FAIL);
    expect(r.status).toBe(1);
    expect(line(r.stdout, "nodes")).toBe(`FAIL nodes  6 of 7 nodes connected; not connected: ${id}=STORAGE/HEARTBEAT_FAILED`);
    expect(line(r.stdout, "chains")).toMatch(/^FAIL chains 16 of 48 chains serving \(the table lists 48\); e\.g\. \d+ SERVING\(1\/2\) \d+\(OFFLINE-OFFLINE\)/);
  });

  test("a client node whose FUSE pod is not Ready, and a check pod without the mount", () => {
    const down = bootstrapped(plan, { fuseDown: ["all-2"] }).run(FAST_FAIL);
    expect(line(down.stdout, "fuse")).toBe("FAIL fuse   2 of 3 client nodes mounted; no Ready FUSE pod on all-2");
    const unmounted = bootstrapped(plan, {}, false).run(FAST_FAIL);
    expect(unmounted.status).toBe(1);
    expect(line(unmounted.stdout, "io")).toMatch(/^FAIL io     3FS is not mounted at \S+\/mnt in this pod$/);
  });

  test("RBAC is what the program renders: without the ClusterRole the nodes cannot be read (403)", () => {
    const { cluster, run } = bootstrapped(plan);
    cluster.update((s) => (s.spec.kube!.rules.cluster = []));
    const r = run(FAST_FAIL);
    expect(line(r.stdout, "erdma")).toMatch(/^FAIL erdma  GET \/api\/v1\/nodes: HTTP 403 .*cannot list resource \\?"nodes\\?"/);
    expect(fs.readFileSync(path.join(cluster.dir, "kube.log"), "utf8")).toContain("GET /api/v1/nodes 403");
  });
});

