/**
 * The plan of a committed stack as the program renders it (Pulumi.yaml + Pulumi.<stack>.yaml, the same
 * mapping as index.ts via lib/threefs/stackArgs), turned into what the model and the scripts need: the
 * ClusterSpec (StatefulSets, Services, rendered files) and every Job's ConfigMap files.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { clusterFileConfigMapName } from "../../lib/fdb/spec";
import { buildWorkloads, type Workloads } from "../../lib/k8s/threefs/manifests";
import { planInput, type RenderResult } from "../../lib/k8s/threefs/render";
import type { WorkloadInput } from "../../lib/k8s/threefs/types";
import { planStorageClasses, storageClassPrefix } from "../../lib/nodepools/plan";
import { readStackConfig } from "../../lib/sizing/stack";
import type { ChainMembers } from "../../lib/threefs/bootstrap";
import { stackPlacement } from "../../stacks/placement";
import { threeFsArgsOf } from "../../lib/threefs/stackArgs";
import { APP_NAME, APP_NAME_LABEL, PROFILE_LABEL } from "../../lib/threefs/constants";
import { encodeToken } from "../../lib/threefs/token";
import type { StackConfig } from "../../stacks/config";
import { parse } from "smol-toml";
import type { KubeSpec } from "./kube";
import type { ClusterSpec } from "./types";

const ROOT = path.join(__dirname, "..", "..");

export interface StackPlan {
  cfg: StackConfig;
  input: WorkloadInput;
  rendered: RenderResult;
  workloads: Workloads;
  spec: ClusterSpec;
  /** The placement the plan ships (the lock's chain groups). */
  placement: readonly ChainMembers[];
}

/** Plans a stack from its committed files (config and placement lock), or with another placement. */
export function stackPlan(stack: string, placement?: readonly ChainMembers[]): StackPlan {
  const cfg = readStackConfig(ROOT, stack);
  return planOf(cfg, placement ?? stackPlacement(cfg, ROOT).chains);
}

/** Plans a validated config with a placement. */
export function planOf(cfg: StackConfig, placement: readonly ChainMembers[]): StackPlan {
  const name = `threefs-${cfg.stack}`;
  const labels = { [APP_NAME_LABEL]: APP_NAME, [PROFILE_LABEL]: cfg.profile };
  const refs = {
    namespace: name,
    storageClassName: planStorageClasses(cfg, storageClassPrefix(cfg.stack)).eed.metadata.name,
    fdbClusterFileConfigMap: clusterFileConfigMapName(`${name}-fdb`),
  };
  const args = threeFsArgsOf(cfg, name, placement, refs, labels);
  const { input, rendered } = planInput(args);
  const workloads = buildWorkloads(input, rendered.files);
  const fuseLauncher = parse(rendered.files.configFiles["hf3fs_fuse_main_launcher.toml"]) as { cluster_id: string; mgmtd_client: { mgmtd_server_addresses: string[] } };
  const kube: KubeSpec = {
    nodes: args.check.pools.flatMap((p) => Array.from({ length: p.nodes }, (_, i) => ({ name: `${p.pool}-${i}`, labels: { ...p.nodeSelector, "kubernetes.io/hostname": `${p.pool}-${i}` } }))),
    fuse: { podLabels: workloads.fuse.spec.selector.matchLabels, nodeSelector: args.check.clientSelector, addresses: fuseLauncher.mgmtd_client.mgmtd_server_addresses, clusterId: fuseLauncher.cluster_id },
    serviceAccount: { namespace: input.namespace, name: workloads.check.serviceAccount.metadata.name, token: `sa-token-${cfg.stack}` },
    rules: { namespaced: workloads.check.role.rules, cluster: workloads.check.clusterRole.rules },
    // The day-2 Jobs' accounts with exactly the Roles the program renders.
    accounts: (["roll", "replace", "targetHealth"] as const).flatMap((job) => {
      const a = workloads.dayTwo[job];
      return a ? [{ namespace: input.namespace, name: a.serviceAccount.metadata.name, token: `sa-token-${cfg.stack}-${job}`, rules: { namespaced: a.role.rules, cluster: [] } }] : [];
    }),
    workloads: {
      labels: { mgmtd: workloads.statefulSets.mgmtd.spec.selector.matchLabels, meta: workloads.statefulSets.meta.spec.selector.matchLabels, storage: workloads.statefulSets.storage.spec.selector.matchLabels },
      templateHashes: {
        mgmtd: workloads.statefulSets.mgmtd.spec.template.metadata.annotations!["threefs.io/template-hash"],
        meta: workloads.statefulSets.meta.spec.template.metadata.annotations!["threefs.io/template-hash"],
        storage: workloads.statefulSets.storage.spec.template.metadata.annotations!["threefs.io/template-hash"],
        fuse: workloads.fuse.spec.template.metadata.annotations!["threefs.io/template-hash"],
      },
      storageGates: (workloads.statefulSets.storage.spec.template.spec.readinessGates ?? []).map((g) => g.conditionType),
    },
  };
  const sts = workloads.statefulSets;
  const ids = (s: keyof typeof sts) => Array.from({ length: sts[s].spec.replicas }, (_, i) => sts[s].spec.ordinals.start + i);
  const spec: ClusterSpec = {
    namespace: input.namespace,
    clusterDomain: "cluster.local",
    mgmtd: { statefulSet: sts.mgmtd.metadata.name, service: workloads.services.mgmtd.metadata.name, ids: ids("mgmtd") },
    meta: { statefulSet: sts.meta.metadata.name, service: workloads.services.meta.metadata.name, ids: ids("meta") },
    // With zone spread the zones' StatefulSets add their id blocks (pods named by storagePodName).
    storage: { statefulSet: sts.storage.metadata.name, service: workloads.services.storage.metadata.name, ids: [sts.storage, ...workloads.storageZoneSets].flatMap((set) => Array.from({ length: set.spec.replicas }, (_, i) => set.spec.ordinals.start + i)), disksPerNode: input.storage.disksPerNode },
    files: rendered.files.configFiles,
    kube,
  };
  if (!workloads.services.mgmtd.spec.publishNotReadyAddresses) throw new Error("model: the mgmtd Service must publish not-ready addresses (the model resolves it so)");
  return { cfg, input, rendered, workloads, spec, placement };
}

/** Writes a ConfigMap's files into a directory (as the kubelet projects it) and returns the directory. */
export function projectFiles(dir: string, files: Record<string, string>, mode = 0o644): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text, { mode });
  return dir;
}

/** Where a Job's volumes are mounted inside the model's temp dir (the pod's paths, relocated). */
export interface Mounts {
  dir: string;
  tokenFile: string;
  fdbClusterFile: string;
  adminCliConfig: string;
  /** The tenant-tokens Secret's directory: a file per tenant name. */
  tenantTokenDir: string;
}

/** The token a test gives tenant `uid` (the program derives it from RandomBytes; any token of the uid will do). */
export function tenantToken(uid: number): string {
  return encodeToken(uid, BigInt(uid) * 7919n + 17n);
}

/**
 * Projects a Job ConfigMap's files into `<cluster>/<name>`, with plan.env's mount paths (token, FDB cluster
 * file, admin_cli.toml) moved to where the test mounts them, as the kubelet would mount the volumes.
 */
export function projectJob(clusterDir: string, name: string, files: Record<string, string>, m: Mounts, planOverrides: Record<string, string> = {}): string {
  const dir = path.join(clusterDir, name);
  const relocated = { ...files };
  if (relocated["plan.env"] !== undefined) {
    let env = relocated["plan.env"];
    const set = (k: string, v: string, required: boolean) => {
      const re = new RegExp(`^${k}=.*$`, "m");
      if (re.test(env)) env = env.replace(re, `${k}=${v}`);
      else if (required) throw new Error(`plan.env of ${name} has no ${k}`);
    };
    for (const [k, v] of Object.entries({ TOKEN_FILE: m.tokenFile, FDB_CLUSTER_FILE: m.fdbClusterFile, ADMIN_CLI_CONFIG: m.adminCliConfig, TENANT_TOKEN_DIR: m.tenantTokenDir })) set(k, v, false);
    for (const [k, v] of Object.entries(planOverrides)) set(k, v, true);
    relocated["plan.env"] = env;
  }
  return projectFiles(dir, relocated, 0o555);
}

/** The Job volumes of a plan in the model's dir: the token Secret, the FDB cluster file, admin_cli.toml. */
export function mountJobVolumes(clusterDir: string, plan: StackPlan, token: string, fdbReady = true): Mounts {
  const dir = path.join(clusterDir, "mounts");
  fs.mkdirSync(dir, { recursive: true });
  const m: Mounts = { dir, tokenFile: path.join(dir, "token"), fdbClusterFile: path.join(dir, "fdb.cluster"), adminCliConfig: path.join(dir, "admin_cli.toml"), tenantTokenDir: path.join(dir, "tenant-tokens") };
  fs.writeFileSync(m.tokenFile, `${token}\n`, { mode: 0o400 });
  fs.mkdirSync(m.tenantTokenDir, { recursive: true });
  for (const t of plan.cfg.tenants) fs.writeFileSync(path.join(m.tenantTokenDir, t.name), tenantToken(t.uid), { mode: 0o400 });
  fs.writeFileSync(m.adminCliConfig, plan.rendered.files.configFiles["admin_cli.toml"]);
  fs.writeFileSync(m.fdbClusterFile, fdbReady ? "threefs:abc@10.0.0.1:4500\n" : "");
  return m;
}

/**
 * The check Job's pod in the model's dir: its ServiceAccount token and CA, the client node's mount (a real
 * directory, listed as a FUSE mount in a mountinfo file unless `mounted` is false) and a termination log.
 * Returns the plan.env values that point the script at them.
 */
export function checkPod(clusterDir: string, plan: StackPlan, mounted = true): { planEnv: Record<string, string>; mountDir: string; terminationLog: string } {
  const dir = path.join(clusterDir, "check-pod");
  const sa = path.join(dir, "serviceaccount");
  const mountDir = path.join(dir, "mnt");
  fs.mkdirSync(sa, { recursive: true });
  fs.mkdirSync(mountDir, { recursive: true });
  fs.writeFileSync(path.join(sa, "token"), plan.spec.kube!.serviceAccount.token);
  fs.writeFileSync(path.join(sa, "ca.crt"), "-----BEGIN CERTIFICATE-----\nmodel\n-----END CERTIFICATE-----\n");
  const mountinfo = path.join(dir, "mountinfo");
  fs.writeFileSync(mountinfo, mounted ? `1021 987 0:77 / ${mountDir} rw,nosuid,nodev,relatime shared:501 - fuse.hf3fs hf3fs.${plan.cfg.fs.clusterId} rw\n` : "");
  const terminationLog = path.join(dir, "termination-log");
  return { planEnv: { SA_DIR: sa, MOUNT_PATH: mountDir, MOUNTINFO: mountinfo, TERMINATION_LOG: terminationLog }, mountDir, terminationLog };
}

/**
 * A day-2 Job's pod in the model's dir: its ServiceAccount token (the plan's account of `job`) and CA.
 * Returns the plan.env value that points the script at them.
 */
export function opsPod(clusterDir: string, plan: StackPlan, job: "roll" | "replace" | "targetHealth"): { SA_DIR: string } {
  const account = plan.spec.kube!.accounts!.find((a) => a.token.endsWith(`-${job}`))!;
  const sa = path.join(clusterDir, `${job}-pod`, "serviceaccount");
  fs.mkdirSync(sa, { recursive: true });
  fs.writeFileSync(path.join(sa, "token"), account.token);
  fs.writeFileSync(path.join(sa, "ca.crt"), "-----BEGIN CERTIFICATE-----\nmodel\n-----END CERTIFICATE-----\n");
  return { SA_DIR: sa };
}
