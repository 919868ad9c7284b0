/**
 * The bootstrap's details against the 3FS model (the dev stack): order, the token off command lines,
 * refusals, limits, growth; and what the model catches in the bootstrap and config before it. The
 * bring-up scenarios of every stack are in bootstrap-<stack>.test.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { encodeToken } from "../../lib/threefs/token";
import { count, deployment, expectedChains, mutating, TOKEN } from "./bootstrapScenarios";
import { projectJob, stackPlan } from "./plans";

describe("the bootstrap's details (dev)", () => {
  const plan = stackPlan("dev");

  test("init-cluster runs first, before meta can start; targets exist before their chains", () => {
    const { cluster, script } = deployment(plan);
    const r = cluster.run(script);
    const m = mutating(r);
    expect(m[0]).toMatch(/^init-cluster /);
    expect(m[1]).toBe(`user-add --root --admin --token ${TOKEN} 0 root`);
    expect(m.findIndex((c) => c.startsWith("upload-chains"))).toBeGreaterThan(m.map((c) => c.startsWith("create-target")).lastIndexOf(true));
    // meta serves only after init-cluster: nothing asks it before (the tenants' directories come last).
    expect(r.calls.slice(0, r.calls.findIndex((c) => c.startsWith("init-cluster"))).filter((c) => c.startsWith("stat "))).toEqual([]);
    expect(r.calls.findIndex((c) => c === "stat /")).toBeGreaterThan(r.calls.findIndex((c) => c.startsWith("upload-chain-table")));
    expect(count(m, "create-target")).toBe(plan.input.storage.nodes * plan.input.storage.disksPerNode * plan.cfg.chains.targetsPerDisk);
  });

  test("the token is on no command line: a private 0600 --cfg copy, user-add through stdin, logs masked", () => {
    const { cluster, script, mounts } = deployment(plan);
    const r = cluster.run(script);
    expect(r.status).toBe(0);
    for (const i of r.invocations) {
      expect(i.argv.some((a) => a.includes(TOKEN))).toBe(false);
      expect(i.argv.filter((a) => a.startsWith("-"))).toEqual([`--cfg=${i.cfg}`]);
      expect(i.cfg).not.toBe(mounts.adminCliConfig);
      expect(i.cfgMode).toBe(0o600);
    }
    const cfgs = [...new Set(r.invocations.map((i) => i.cfg!))];
    expect(cfgs).toHaveLength(1);
    expect(fs.existsSync(cfgs[0])).toBe(false); // removed on exit
    expect(r.invocations.some((i) => i.argv.some((a) => a.startsWith("user-add")))).toBe(false);
    expect(r.stderr).toContain("user-add --root --admin --token <token> 0 root (through admin_cli's stdin)");
    expect(r.stderr).not.toContain(TOKEN);
    const work = fs.readdirSync(cluster.dir).filter((d) => d.startsWith("3fs-bootstrap."));
    expect(work).toHaveLength(1);
    for (const f of fs.readdirSync(path.join(cluster.dir, work[0]))) expect(fs.readFileSync(path.join(cluster.dir, work[0], f), "utf8")).not.toContain(TOKEN);
  });

  test("a root user with another token, or a token of another uid, is a clear error and changes nothing", () => {
    const first = deployment(plan);
    expect(first.cluster.run(first.script).status).toBe(0);
    fs.chmodSync(first.mounts.tokenFile, 0o600);
    fs.writeFileSync(first.mounts.tokenFile, `${encodeToken(0, 7n)}\n`);
    const r = first.cluster.run(first.script);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("the root user exists but does not accept the token");
    expect(mutating(r)).toEqual([]);
    const other = deployment(plan, {}, {}, encodeToken(7, 1n));
    const o = other.cluster.run(other.script);
    expect(o.stderr).toContain("is not a token of uid 0");
    expect(mutating(o)).toEqual([]);
  });

  test("a token file that is not base64 is refused without echoing it", () => {
    const { cluster, script } = deployment(plan, {}, {}, "abc'def");
    const r = cluster.run(script);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("does not hold a base64 token");
    expect(r.stderr).not.toContain("abc'def");
    expect(r.invocations).toEqual([]);
  });

  test("a storage node that never starts fails the run at its limit, naming it, before any target", () => {
    const missing = `${plan.spec.storage.statefulSet}-${plan.spec.storage.ids[2]}`;
    const { cluster, script } = deployment(plan, { missingPods: [missing] }, { POLL_INTERVAL: "30" });
    const r = cluster.run(script);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`timed out after 900s waiting for all 3 storage nodes (not connected: ${plan.spec.storage.ids[2]})`);
    expect(mutating(r).filter((c) => /^(create-target|upload)/.test(c))).toEqual([]);
  });

  test("every wait ends by the time budget, with the reason", () => {
    const { cluster, script } = deployment(plan, { fdbUpAt: 100_000 }, { TIME_BUDGET: "1200", POLL_INTERVAL: "30" });
    const r = cluster.run(script);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("timed out after 600s waiting for FoundationDB to answer");
    const t = deployment(plan, { fdbUpAt: 100_000 }, { TIME_BUDGET: "300", POLL_INTERVAL: "30" });
    const budget = t.cluster.run(t.script);
    expect(budget.stderr).toContain("gave up: the time budget (300s, within the Job's deadline) is used up waiting for FoundationDB to answer");
    expect(budget.seconds).toBeLessThan(300 + 130); // the last admin_cli call may run out its own limit
  });
});

describe("growth: the bootstrap's share (dev)", () => {
  const base = stackPlan("dev");

  test("a grown placement: the bootstrap creates only the new chains (and their targets), leaves moved memberships to the migration Job, and a re-run changes nothing", async () => {
    const { planOf } = await import("./plans");
    const { planLock } = await import("../../lib/threefs/placementLock");
    const { readLock } = await import("../../stacks/placement");
    const grownCfg = { ...base.cfg, storage: { ...base.cfg.storage, nodes: 6 } };
    const lock = planLock(grownCfg, readLock(path.join(__dirname, "../.."), "dev").lock);
    expect(lock.change.movedTargets).toBe(lock.change.lowerBound);
    const grown = planOf(grownCfg, lock.chains);
    const { cluster, script, mounts } = deployment(base);
    expect(cluster.run(script).status).toBe(0);
    const before = cluster.state.chains;
    // The StatefulSet scales to 6: the model gets the new pods; the new bootstrap ConfigMap is projected.
    cluster.update((s) => {
      s.spec = grown.spec;
      for (const id of grown.spec.storage.ids) s.storage[String(id)] ??= [];
    });
    const dir = projectJob(cluster.dir, "bootstrap-grown", grown.rendered.files.bootstrapFiles, mounts);
    const r = cluster.run(path.join(dir, "bootstrap.sh"));
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/\d+ existing chain\(s\) differ from the placement: the migration Job moves their members/);
    expect(mutating(r).filter((c) => !c.startsWith("create-target")).map((c) => c.split(" ")[0])).toEqual(["upload-chains", "upload-chain-table"]);
    const after = cluster.state;
    // Old chains keep their members (the migration's to change); the new ones are as planned.
    for (const [id, c] of Object.entries(before)) expect(after.chains[id].targets.map((t) => t.targetId)).toEqual(c.targets.map((t) => t.targetId));
    const want = expectedChains(grown);
    for (const [id, members] of Object.entries(want)) if (!(id in before)) expect(after.chains[id].targets.map((t) => t.targetId).sort()).toEqual([...members].sort());
    expect(after.tables["1"].map((t) => t.version)).toEqual([1, 2]);
    const again = cluster.run(path.join(dir, "bootstrap.sh"));
    expect(again.status).toBe(0);
    expect(mutating(again)).toEqual([]);
  });
});

describe("what the model catches: the bootstrap and config before it (commit 29a035b)", () => {
  const plan = stackPlan("dev");

  test("the old bootstrap waits for meta to answer `stat /` before init-cluster: meta never serves, init-cluster never runs", () => {
    const { cluster, mounts } = deployment(plan);
    const env = plan.rendered.files.bootstrapFiles["plan.env"]
      .replace(/^(CLI_TIMEOUT|CREATE_PARALLELISM|TENANT_TOKEN_DIR|TENANT_PARENT_MODE|STORAGE_NODE_IDS)=.*\n/gm, "")
      // Its limits count bash's $SECONDS (real time): give up after 3 real seconds, however many model minutes pass.
      .replace(/^META_TIMEOUT=.*$/m, "")
      .replace(/^TIME_BUDGET=.*$/m, "TIME_BUDGET=3");
    const dir = projectJob(cluster.dir, "old", { "bootstrap.sh": fs.readFileSync(path.join(__dirname, "../fixtures/threefs/pre-model/bootstrap.sh"), "utf8"), "plan.env": `${env}META_TIMEOUT=3\n`, "chain-plan.json": plan.rendered.files.bootstrapFiles["chain-plan.json"] }, mounts);
    const r = cluster.run(path.join(dir, "bootstrap.sh"));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("waiting for meta to answer 'stat /'");
    expect(r.calls.some((c) => c.startsWith("init-cluster"))).toBe(false);
    const stats = r.calls.filter((c) => c === "stat /").length;
    expect(stats).toBeGreaterThan(0);
    // Each `stat /` waited out the meta client's minute: meta never served before init-cluster.
    expect(r.seconds).toBeGreaterThanOrEqual(60 * stats);
  });

  test("the old sparse mgmtd_main.toml (no [server.service]): storage nodes never register, the bootstrap fails", () => {
    const spec = { ...plan.spec, files: { ...plan.spec.files, "mgmtd_main.toml": fs.readFileSync(path.join(__dirname, "../fixtures/threefs/pre-model/mgmtd_main.toml"), "utf8") } };
    const { cluster, script } = deployment({ ...plan, spec }, {}, { STORAGE_TIMEOUT: "300", POLL_INTERVAL: "30" });
    const r = cluster.run(script);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("timed out after 300s waiting for all 3 storage nodes (not connected: 10000 10001 10002)");
  });
});
