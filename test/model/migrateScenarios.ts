/**
 * Growth and migration against the 3FS model: a stack's config grown to more storage nodes, its placement
 * lock planned as `npm run placement -- plan` would (lib/threefs/placementLock), the StatefulSet scaled in
 * the model, and the real bootstrap.sh and migrate.sh run from their rendered ConfigMaps.
 */
import * as path from "node:path";
import { planLock, type PlacementLock } from "../../lib/threefs/placementLock";
import type { StackConfig } from "../../stacks/config";
import { deployment, expectedChains, mutating } from "./bootstrapScenarios";
import type { ModelCluster, ScriptRun } from "./harness";
import { checkPod, planOf, projectJob, stackPlan, type Mounts, type StackPlan } from "./plans";
import type { ModelState } from "./types";

/** A stack's config with another storage node count (and one disk per node: half the chains, same logic). */
export function sized(stack: string, nodes: number, storage: Partial<StackConfig["storage"]> = {}): StackConfig {
  const cfg = stackPlan(stack).cfg;
  return { ...cfg, storage: { ...cfg.storage, nodes, disksPerNode: 1, ...storage } };
}

/** A deployed cluster at `lock`, with its Job mounts. */
export interface Deployed {
  cluster: ModelCluster;
  mounts: Mounts;
  plan: StackPlan;
  lock: PlacementLock;
  /** Storage settings every size of this deployment keeps (e.g. zoneSpread). */
  storage?: Partial<StackConfig["storage"]>;
}

/** Deploys a fresh placement of `nodes` storage nodes: bootstrap run to completion. */
export function deployFresh(stack: string, nodes: number, storage: Partial<StackConfig["storage"]> = {}): Deployed {
  const lock = planLock(sized(stack, nodes, storage), undefined);
  const plan = planOf(sized(stack, nodes, storage), lock.chains);
  const { cluster, script, mounts } = deployment(plan);
  const r = cluster.run(script);
  if (r.status !== 0) throw new Error(`bootstrap failed:\n${r.stderr}`);
  return { cluster, mounts, plan, lock, storage };
}

/**
 * Plans the change to `nodes` (growth, or with `drain` a decommission) and applies it in the model
 * (`pulumi up`): the StatefulSet scales.
 */
export function grow(d: Deployed, nodes: number, drain: number[] = []): Deployed {
  const lock = planLock(sized(d.plan.cfg.stack, nodes, d.storage), d.lock, { drain });
  const plan = planOf(sized(d.plan.cfg.stack, nodes, d.storage), lock.chains);
  d.cluster.update((s) => {
    s.spec = plan.spec;
    for (const id of plan.spec.storage.ids) s.storage[String(id)] ??= [];
  });
  return { ...d, plan, lock };
}

/** Runs a Job's script from its rendered files (projected as the kubelet would) with plan.env overrides. */
export function runJob(d: Deployed, job: "bootstrap" | "migrate", env: Record<string, string> = {}, tag = ""): ScriptRun {
  const files = job === "bootstrap" ? d.plan.rendered.files.bootstrapFiles : d.plan.rendered.files.migrateFiles;
  const dir = projectJob(d.cluster.dir, `${job}-${d.plan.input.storage.nodes}${tag}`, files, d.mounts, env);
  return d.cluster.run(path.join(dir, `${job}.sh`));
}

/** The cluster is exactly at the lock: every chain's members in the lock's order (head first), all SERVING-UPTODATE, no stray target. */
export function expectAtPlacement(s: ModelState, d: Deployed, heads = true): void {
  const want = expectedChains(d.plan);
  const live = Object.fromEntries(Object.values(s.chains).map((c) => [String(c.chainId), c.targets.map((t) => t.targetId)]));
  const sorted = (o: Record<string, string[]>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, [...v].sort()]));
  expect(sorted(live)).toEqual(sorted(want));
  if (heads) for (const [id, members] of Object.entries(want)) expect(live[id][0]).toBe(members[0]);
  for (const c of Object.values(s.chains)) for (const t of c.targets) expect([t.publicState, s.targets[t.targetId]?.localState]).toEqual(["SERVING", "UPTODATE"]);
  const onDisk = Object.values(s.storage).flat().map((t) => t.targetId).sort();
  expect(onDisk).toEqual(Object.values(want).flat().sort());
  expect(s.tables["1"].at(-1)!.chains).toEqual(Object.keys(want).map(Number).sort((a, b) => a - b));
  expect(s.wiped ?? []).toEqual([]);
}

/** Runs the post-deploy check of the deployed plan. */
export function runCheck(d: Deployed): ScriptRun {
  const pod = checkPod(d.cluster.dir, d.plan);
  const dir = projectJob(d.cluster.dir, `check-${Math.random().toString(36).slice(2, 8)}`, d.plan.rendered.files.checkFiles, d.mounts, pod.planEnv);
  return d.cluster.run(path.join(dir, "check.sh"));
}

/** Commands of a run that change membership. */
export const adds = (r: ScriptRun) => r.calls.filter((c) => c.startsWith("update-chain --mode add"));
export { mutating };
