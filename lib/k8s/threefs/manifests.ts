/**
 * The complete set of 3FS Kubernetes objects of one stack, as plain objects.
 *
 * `buildWorkloads` is the single entry point the ThreeFs component uses: it takes the resolved inputs
 * and the rendered 3FS files (TOML configs, process arguments, bootstrap script) and returns every
 * object, so that a test can check — or dump as YAML — exactly what the component will create.
 *
 * Pure module: no cloud SDK imports.
 */
import { createHash } from "node:crypto";
import type { ThreeFsService } from "../../threefs/constants";
import { adminCliDeployment, fuseDaemonSet, validateMountPath } from "./clients";
import { checkObjects, type CheckObjects } from "./check";
import { dayTwoObjects, type DayTwoObjects } from "./dayTwo";
import { bootstrapHash } from "../../threefs/bootstrap";
import { renderRoll, renderTargetHealth, ROLL_ORDER, TEMPLATE_HASH_ANNOTATION, type RollRole } from "../../threefs/dayTwo";
import { bootstrapConfigMap, bootstrapJob, fioJob } from "./jobs";
import { validatePinnedImage } from "./images";
import { objectLabels, objectNames, selectorLabels, validatePrefix } from "./names";
import { headlessService } from "./services";
import { disruptionBudget, serviceStatefulSet, zoneStorageSets } from "./statefulSets";
import type {
  ConfigComponent,
  ConfigMap,
  DaemonSet,
  Deployment,
  EnvVar,
  Job,
  ObjectMeta,
  PodDisruptionBudget,
  Service,
  StatefulSet,
  WorkloadInput,
} from "./types";

/** What the 3FS configuration renderers produce for the workloads. */
export interface RenderedFiles {
  /** TOML files by file name; each component's own files are mounted at CONFIG_DIR (CONFIG_FILES). */
  configFiles: Record<string, string>;
  /** Arguments of each long-running process (after the binary). */
  args: Record<ThreeFsService | "fuse", string[]>;
  /** The env var the service arguments read the node id from (`$(NAME)`). */
  nodeIdEnv: string;
  /** Bootstrap ConfigMap files (bootstrap.sh, chain-plan.json, …). */
  bootstrapFiles: Record<string, string>;
  /** The post-deploy check's ConfigMap files (check.sh, plan.env, …). */
  checkFiles: Record<string, string>;
  /** The migration Job's ConfigMap files (migrate.sh, placement.txt, plan.env, …). */
  migrateFiles: Record<string, string>;
  /** The replacement Job's ConfigMap files, when storage nodes are being replaced. */
  replaceFiles?: Record<string, string>;
  /** Environment of the bootstrap container. */
  bootstrapEnv: EnvVar[];
}

/** Every object of one 3FS deployment. The token Secret is not here: its value is a Pulumi secret. */
export interface Workloads {
  /** One TOML ConfigMap per component, named by the hash of its own files. */
  configMaps: Record<ConfigComponent, ConfigMap>;
  bootstrapConfigMap: ConfigMap;
  services: Record<ThreeFsService, Service>;
  statefulSets: Record<ThreeFsService, StatefulSet>;
  /** With zone spread: the storage StatefulSets of zones 1… (`statefulSets.storage` is zone 0's). */
  storageZoneSets: StatefulSet[];
  disruptionBudgets: Record<ThreeFsService, PodDisruptionBudget>;
  fuse: DaemonSet;
  adminCli: Deployment;
  bootstrapJob: Job;
  /** The post-deploy check (awaited Job, on-demand CronJob, read-only RBAC). */
  check: CheckObjects;
  /** Day-2 operations: migration, roll, replacement, the storage readiness gate (lib/k8s/threefs/dayTwo.ts). */
  dayTwo: DayTwoObjects;
  fioJob?: Job;
}

const SERVICES: readonly ThreeFsService[] = ["mgmtd", "meta", "storage"];

/** The components with a config ConfigMap, in apply order. */
export const CONFIG_COMPONENTS: readonly ConfigComponent[] = ["mgmtd", "meta", "storage", "fuse", "admin-cli"];

/**
 * Which rendered TOML files each component's ConfigMap holds: exactly the files its process reads
 * (lib/threefs/args.ts names them; bootstrap.sh and the admin-cli pod read only admin_cli.toml). A
 * change to one file then rolls only the pods that read it — the storage buffer pool, which follows
 * the storage memory limit, no longer restarts mgmtd, meta and every FUSE mount.
 */
export const CONFIG_FILES: Readonly<Record<ConfigComponent, readonly string[]>> = {
  mgmtd: ["mgmtd_main.toml", "mgmtd_main_launcher.toml"],
  meta: ["meta_main.toml", "meta_main_launcher.toml"],
  storage: ["storage_main.toml", "storage_main_launcher.toml"],
  fuse: ["hf3fs_fuse_main.toml", "hf3fs_fuse_main_launcher.toml"],
  "admin-cli": ["admin_cli.toml"],
};

/**
 * Splits the rendered TOML files into each component's files (CONFIG_FILES).
 * @throws Error when a file is missing or a rendered file belongs to no component (a new renderer
 *   output must be assigned, or no pod would see it).
 */
export function splitConfigFiles(files: Record<string, string>): Record<ConfigComponent, Record<string, string>> {
  const assigned = new Set(Object.values(CONFIG_FILES).flat());
  const stray = Object.keys(files).filter((f) => !assigned.has(f));
  if (stray.length > 0) throw new Error(`config files ${stray.join(", ")} belong to no component's ConfigMap (CONFIG_FILES)`);
  const out = {} as Record<ConfigComponent, Record<string, string>>;
  for (const c of CONFIG_COMPONENTS) {
    out[c] = {};
    for (const f of CONFIG_FILES[c]) {
      if (files[f] === undefined) throw new Error(`config file ${f} of ${c} was not rendered`);
      out[c][f] = files[f];
    }
  }
  return out;
}

/** The content hash of each component's config files (names its ConfigMap). */
export function configHashes(files: Record<string, string>): Record<ConfigComponent, string> {
  const split = splitConfigFiles(files);
  const out = {} as Record<ConfigComponent, string>;
  for (const c of CONFIG_COMPONENTS) out[c] = contentHash(split[c]);
  return out;
}

/** The ConfigMap names of rendered files: `<prefix>-<component>-config-<hash of its files>`. */
export function configMapNames(prefix: string, files: Record<string, string>): Record<ConfigComponent, string> {
  const names = objectNames(prefix);
  const hashes = configHashes(files);
  const out = {} as Record<ConfigComponent, string>;
  for (const c of CONFIG_COMPONENTS) out[c] = names.config(c, hashes[c]);
  return out;
}

/** Hex SHA-256 of a JSON-serialisable value (key order as given; callers pass fixed shapes). */
export function contentHash(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}

/**
 * Checks the sizes Kubernetes and 3FS impose before anything is built.
 * @throws Error naming the first offending field.
 */
export function validateWorkloadInput(input: WorkloadInput): void {
  validatePrefix(input.prefix);
  validateMountPath(input.fuse.mountPath);
  const counts: [string, number, number, number][] = [
    ["mgmtd.replicas", input.mgmtd.replicas, 1, 99], // node ids 1…99 stay below meta's base 100
    ["meta.replicas", input.meta.replicas, 1, 9900], // 100…9999 stay below storage's base 10000
    ["storage.nodes", input.storage.nodes, 1, 1000],
    ["storage.disksPerNode", input.storage.disksPerNode, 1, 64],
    ["storage.diskSizeGiB", input.storage.diskSizeGiB, 1, 65536],
  ];
  for (const [field, value, min, max] of counts) {
    if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${field} must be an integer in ${min}–${max}, got ${value}`);
  }
  if (input.smokeTest.fioImage !== undefined) validatePinnedImage(input.smokeTest.fioImage);
  for (const [field, value] of [
    ["namespace", input.namespace],
    ["clusterId", input.clusterId],
    ["storage.storageClassName", input.storage.storageClassName],
    ["fdbClusterFileConfigMap", input.fdbClusterFileConfigMap],
  ] as const) {
    if (value.trim() === "") throw new Error(`${field} must not be empty`);
  }
}

/** Kubernetes rejects objects over 1 MiB; the bootstrap ConfigMap is the one that could grow. */
export const MAX_OBJECT_BYTES = 1024 * 1024;

function assertFits(kind: string, meta: ObjectMeta, data: Record<string, string>): void {
  const bytes = Object.entries(data).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  // Leave headroom for metadata and encoding (managedFields are server-side).
  if (bytes > MAX_OBJECT_BYTES - 64 * 1024) {
    throw new Error(`${kind} ${meta.name} would hold ${bytes} bytes; Kubernetes objects are limited to 1 MiB`);
  }
}

/** A component's config ConfigMap (its own TOML files), labelled with the component. */
export function configMapOf(input: WorkloadInput, component: ConfigComponent, files: Record<string, string>): ConfigMap {
  const cm: ConfigMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: input.configMaps[component], namespace: input.namespace, labels: objectLabels(input.prefix, component, input.profile, input.labels) },
    data: { ...files },
  };
  assertFits("ConfigMap", cm.metadata, cm.data);
  return cm;
}

/**
 * Every component's config ConfigMap.
 * @throws Error when a name in `input.configMaps` is not the one its files hash to: a pod would then
 *   not roll when its files change (or roll when they do not).
 */
export function configMapsOf(input: WorkloadInput, files: Record<string, string>): Record<ConfigComponent, ConfigMap> {
  const split = splitConfigFiles(files);
  const expected = configMapNames(input.prefix, files);
  const out = {} as Record<ConfigComponent, ConfigMap>;
  for (const c of CONFIG_COMPONENTS) {
    if (input.configMaps[c] !== expected[c]) throw new Error(`configMaps.${c} is ${input.configMaps[c]}, but its files hash to ${expected[c]}`);
    out[c] = configMapOf(input, c, split[c]);
  }
  return out;
}

/**
 * Metadata of the token Secret (its data, the token, is added by the component as a Pulumi secret).
 * Labelled `bootstrap`: the bootstrap Job registers this token for 3FS's root user.
 */
export function tokenSecretMeta(input: WorkloadInput): ObjectMeta {
  return { name: input.tokenSecretName, namespace: input.namespace, labels: objectLabels(input.prefix, "bootstrap", input.profile, input.labels) };
}

/** Builds every 3FS object of a stack. @throws Error for invalid input. */
export function buildWorkloads(input: WorkloadInput, files: RenderedFiles): Workloads {
  validateWorkloadInput(input);
  const services = {} as Record<ThreeFsService, Service>;
  const statefulSets = {} as Record<ThreeFsService, StatefulSet>;
  const disruptionBudgets = {} as Record<ThreeFsService, PodDisruptionBudget>;
  for (const s of SERVICES) {
    services[s] = headlessService(input, s);
    statefulSets[s] = serviceStatefulSet(input, s, { args: files.args[s], nodeIdEnv: files.nodeIdEnv });
    disruptionBudgets[s] = disruptionBudget(input, s);
  }
  const bootstrapCm = bootstrapConfigMap(input, files.bootstrapFiles);
  assertFits("ConfigMap", bootstrapCm.metadata, bootstrapCm.data);
  const check = checkObjects(input, files.checkFiles);
  assertFits("ConfigMap", check.configMap.metadata, check.configMap.data);
  const fuse = fuseDaemonSet(input, files.args.fuse);
  // Every pod template carries the hash of its own content: the roll Job restarts the pods whose
  // annotation differs from the current template's (mgmtd, meta, storage and FUSE all update OnDelete).
  const templates: Record<RollRole, { metadata: { annotations?: Record<string, string> } }> = { mgmtd: statefulSets.mgmtd.spec.template, meta: statefulSets.meta.spec.template, storage: statefulSets.storage.spec.template, fuse: fuse.spec.template };
  const templateHashes = {} as Record<RollRole, string>;
  for (const role of ROLL_ORDER) {
    templateHashes[role] = contentHash(templates[role]).slice(0, 16);
    templates[role].metadata.annotations = { ...templates[role].metadata.annotations, [TEMPLATE_HASH_ANNOTATION]: templateHashes[role] };
  }
  // After hashing: the zones' storage StatefulSets share the template hash (statefulSets.ts zoneStorageSets).
  const storageZoneSets = zoneStorageSets(input, statefulSets.storage);
  const withAdminCli = (f: Record<string, string>) => ({ files: f, hash: contentHash({ files: bootstrapHash(f), adminCliConfig: input.configMaps["admin-cli"] }) });
  const dayTwo = dayTwoObjects(input, {
    migrate: withAdminCli(files.migrateFiles),
    roll: withAdminCli(renderRoll({ namespace: input.namespace, selectors: { mgmtd: selectorLabels(input.prefix, "mgmtd"), meta: selectorLabels(input.prefix, "meta"), storage: selectorLabels(input.prefix, "storage"), fuse: selectorLabels(input.prefix, "fuse") }, templateHashes }).files),
    replace: files.replaceFiles && withAdminCli(files.replaceFiles),
    targetHealth: withAdminCli(renderTargetHealth({ namespace: input.namespace, storageSelector: selectorLabels(input.prefix, "storage"), replicas: input.operations.replicas }).files),
  });
  for (const cm of [dayTwo.migrate.configMap, dayTwo.roll.configMap, dayTwo.targetHealth.configMap, ...(dayTwo.replace ? [dayTwo.replace.configMap] : [])]) assertFits("ConfigMap", cm.metadata, cm.data);
  // fio re-runs when the cluster was re-bootstrapped or the client side changed.
  const clientHash = contentHash([input.bootstrap.hash, input.images, input.fuse.mountPath, files.args.fuse, input.smokeTest.fioImage ?? ""]);
  return {
    configMaps: configMapsOf(input, files.configFiles),
    bootstrapConfigMap: bootstrapCm,
    services,
    statefulSets,
    storageZoneSets,
    disruptionBudgets,
    fuse,
    adminCli: adminCliDeployment(input),
    bootstrapJob: bootstrapJob(input, files.bootstrapEnv),
    check,
    dayTwo,
    fioJob: input.smokeTest.fio && input.check.onClient ? fioJob(input, clientHash) : undefined,
  };
}

/** Every object in apply order (for YAML dumps and golden files). */
export function workloadList(w: Workloads): object[] {
  const list: (object | undefined)[] = [
    ...CONFIG_COMPONENTS.map((c) => w.configMaps[c]),
    w.bootstrapConfigMap,
    ...SERVICES.flatMap((s) => [w.services[s], w.statefulSets[s], ...(s === "storage" ? w.storageZoneSets : []), w.disruptionBudgets[s]]),
    w.fuse,
    w.adminCli,
    w.bootstrapJob,
    w.check.configMap,
    w.check.serviceAccount,
    w.check.role,
    w.check.roleBinding,
    w.check.clusterRole,
    w.check.clusterRoleBinding,
    w.check.job,
    w.check.cronJob,
    w.dayTwo.migrate.configMap,
    w.dayTwo.migrate.job,
    w.dayTwo.roll.configMap,
    w.dayTwo.roll.serviceAccount,
    w.dayTwo.roll.role,
    w.dayTwo.roll.roleBinding,
    w.dayTwo.roll.job,
    ...(w.dayTwo.replace ? [w.dayTwo.replace.configMap, w.dayTwo.replace.serviceAccount, w.dayTwo.replace.role, w.dayTwo.replace.roleBinding, w.dayTwo.replace.job] : []),
    w.dayTwo.targetHealth.configMap,
    w.dayTwo.targetHealth.serviceAccount,
    w.dayTwo.targetHealth.role,
    w.dayTwo.targetHealth.roleBinding,
    w.dayTwo.targetHealth.deployment,
    w.fioJob,
  ];
  return list.filter((o): o is object => o !== undefined);
}
