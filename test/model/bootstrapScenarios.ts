/**
 * Running a committed stack's real bootstrap.sh against the 3FS model: the Job's volumes and ConfigMap
 * projected into a model cluster, the oracle of the chains a plan must produce, and the bring-up
 * scenarios every stack is tested with (test/model/bootstrap-<stack>.test.ts).
 */
import * as path from "node:path";
import { encodeToken } from "../../lib/threefs/token";
import { ModelCluster, type ScriptRun } from "./harness";
import { resolveTenant } from "../../lib/tenants/spec";
import { mountJobVolumes, projectJob, stackPlan, tenantToken, type Mounts, type StackPlan } from "./plans";
import type { ModelState, Scenario } from "./types";

export const TOKEN = encodeToken(0, 2624224032140508533n);
const READ_ONLY = /^(list-nodes|list-targets|list-chains|list-chain-tables|stat|user-stat)\b/;
export const mutating = (r: ScriptRun) => r.calls.filter((c) => !READ_ONLY.test(c));
export const count = (calls: string[], prefix: string) => calls.filter((c) => c.startsWith(prefix)).length;

/** Target id of node, disk, slot by gen_chain_table.py's formula (prefix 10): an oracle independent of the script. */
export const targetIdOf = (node: number, disk: number, slot: number) => String(((10 * 1_000_000 + node) * 1_000 + (disk + 1)) * 100 + slot);
/** Chain id of disk, group (prefix 10). */
export const chainIdOf = (disk: number, group: number) => (10 * 1_000 + (disk + 1)) * 100_000 + group;

/** The chains a placement gives by gen_chain_table.py's formulas, members in the placement's (preferred) order. */
export function expectedChains(plan: Pick<StackPlan, "placement" | "input">): Record<string, string[]> {
  const chains: Record<string, string[]> = {};
  for (let d = 0; d < plan.input.storage.disksPerNode; d++) {
    plan.placement.forEach((members, g) => (chains[chainIdOf(d, g + 1)] = members.map(([n, s]) => targetIdOf(n, d, s))));
  }
  return chains;
}

/** A model cluster of the plan with the bootstrap Job's volumes and ConfigMap projected. */
export function deployment(plan: StackPlan, scenario: Scenario = {}, planEnv: Record<string, string> = {}, token = TOKEN): { cluster: ModelCluster; script: string; mounts: Mounts } {
  const cluster = new ModelCluster(plan.spec, scenario);
  const mounts = mountJobVolumes(cluster.dir, plan, token);
  const dir = projectJob(cluster.dir, "bootstrap", plan.rendered.files.bootstrapFiles, mounts, planEnv);
  return { cluster, script: path.join(dir, "bootstrap.sh"), mounts };
}

/** The state a complete bootstrap leaves: every planned chain with its members, the table, the root user. */
export function expectComplete(s: ModelState, plan: StackPlan): void {
  const chains = Object.fromEntries(Object.values(s.chains).map((c) => [String(c.chainId), c.targets.map((t) => t.targetId).sort()]));
  const want = Object.fromEntries(Object.entries(expectedChains(plan)).map(([c, t]) => [c, [...t].sort()]));
  expect(chains).toEqual(want);
  expect(s.tables["1"].at(-1)!.chains).toEqual(Object.keys(want).map(Number).sort((a, b) => a - b));
  const tenants = plan.cfg.tenants.map(resolveTenant);
  expect(s.users).toEqual([
    expect.objectContaining({ uid: 0, token: TOKEN, root: true, admin: true }),
    ...tenants.map((t) => ({ uid: t.uid, name: t.name, token: tenantToken(t.uid), root: false, admin: false, groups: t.gid === t.uid ? [] : [t.gid] })),
  ]);
  for (const t of tenants) expect(s.fs.inodes.find((i) => i.path === t.directory)).toEqual({ path: t.directory, uid: t.uid, gid: t.gid, perm: parseInt(t.mode, 8) });
  expect(s.fs.layout).toEqual({ tableId: 1, chunkSize: plan.cfg.chains.chunkSizeBytes, stripeSize: plan.cfg.chains.stripeSize });
  // Every planned target exists on its node's disk.
  const onDisk = Object.values(s.storage).flat().map((t) => t.targetId).sort();
  expect(onDisk).toEqual(Object.values(want).flat().sort());
}

/** Scenarios, and plan.env overrides that only save real time (a longer poll while nothing can change). */
export const SCENARIOS: Array<[string, (p: StackPlan) => Scenario, Record<string, string>]> = [
  ["from an empty cluster", () => ({}), {}],
  ["with one mgmtd pod Pending", (p) => ({ missingPods: [`${p.spec.mgmtd.statefulSet}-${p.spec.mgmtd.ids[0]}`] }), {}],
  ["with a storage pod restarting while targets are created", (p) => ({ storageRestarts: [{ nodeId: p.spec.storage.ids[1], at: 8, downFor: 90, graceful: false }] }), {}],
  // Storage pods crash-loop without a primary mgmtd and come back on the kubelet's back-off (≤ 5 min).
  ["with FoundationDB answering only after 7 minutes", () => ({ fdbUpAt: 420 }), { POLL_INTERVAL: "20" }],
];

export function bootstrapScenarios(stack: string): void {
  describe(`${stack}: the bootstrap against the model`, () => {
    const plan = stackPlan(stack);

    test.each(SCENARIOS)("first deploy %s completes; a second run issues no mutating command", (_name, scenario, env) => {
      const { cluster, script } = deployment(plan, scenario(plan), env);
      const r = cluster.run(script);
      expect({ status: r.status, tail: r.stderr.split("\n").slice(-4) }).toEqual({ status: 0, tail: expect.arrayContaining([expect.stringContaining("bootstrap: done in")]) });
      const tenantSteps = plan.cfg.tenants.length > 0 ? ["user-add", "mkdir", "mkdir", "set-perm"] : [];
      expect(mutating(r).filter((c) => !c.startsWith("create-target")).map((c) => c.split(" ")[0])).toEqual(["init-cluster", "user-add", ...tenantSteps.slice(0, 1), "upload-chains", "upload-chain-table", ...tenantSteps.slice(1)]);
      expect(mutating(r)[0]).toBe(`init-cluster 1 ${plan.cfg.chains.chunkSizeBytes} ${plan.cfg.chains.stripeSize}`);
      expectComplete(cluster.state, plan);
      // Within the Job's deadline, in model time.
      expect(r.seconds).toBeLessThan(3600);
      const again = cluster.run(script);
      expect(again.status).toBe(0);
      expect(mutating(again)).toEqual([]);
    });
  });
}
