/**
 * The day-2 objects (docs/operations.md): the migration Job (placement lock → live chains), the roll Job
 * (health-gated restarts of pods whose template changed), the replacement Job (lost storage nodes on new
 * disks, only while `threefs:storage.replace` lists nodes) and the target-health Deployment (the storage
 * pods' readiness gate). Each Job is named by the hash of its ConfigMap and admin_cli.toml, so a change
 * re-runs it and an unchanged one leaves the finished Job alone; none is awaited by `pulumi up` (they
 * resync whole targets: hours), their progress is their log and the post-deploy check's lines.
 *
 * RBAC is minimal per Job: the roll reads and deletes pods; the replacement also reads and deletes the
 * storage pods' claims; the target-health gate lists pods and patches pods/status. The migration needs no
 * Kubernetes access (admin_cli only, in the admin-cli image); the others run in the 3fs-init image (curl,
 * python3).
 *
 * Pure module: no cloud SDK imports.
 */
import { DAY_TWO_DEADLINE_SECONDS } from "../../threefs/dayTwo";
import { MIGRATE_DEADLINE_SECONDS } from "../../threefs/migrate";
import { imageRef, pullPolicy } from "./images";
import { objectLabels, SKIP_AWAIT_ANNOTATION, selectorLabels, shortHash } from "./names";
import { configVolume, rdmaResources, rdmaSecurityContext, scheduling, tokenVolume } from "./podParts";
import type { Component, ConfigMap, Container, Deployment, Job, PolicyRule, Role, RoleBinding, ServiceAccount, Volume, VolumeMount, WorkloadInput } from "./types";

/** Where a day-2 ConfigMap is mounted. */
export const DAY_TWO_DIR = "/opt/3fs-ops";

/** A ServiceAccount with its Role and RoleBinding. */
export interface Access {
  serviceAccount: ServiceAccount;
  role: Role;
  roleBinding: RoleBinding;
}

export interface DayTwoObjects {
  migrate: { configMap: ConfigMap; job: Job };
  roll: { configMap: ConfigMap; job: Job } & Access;
  replace?: { configMap: ConfigMap; job: Job } & Access;
  targetHealth: { configMap: ConfigMap; deployment: Deployment } & Access;
}

/** The rendered day-2 files (lib/threefs/migrate.ts, dayTwo.ts) with their hashes. */
export interface DayTwoFiles {
  migrate: { files: Record<string, string>; hash: string };
  roll: { files: Record<string, string>; hash: string };
  replace?: { files: Record<string, string>; hash: string };
  targetHealth: { files: Record<string, string>; hash: string };
}

/** The rules of each Job's Role (the model's Kubernetes API enforces exactly these). */
export const DAY_TWO_RULES: Readonly<Record<"roll" | "replace" | "targetHealth", PolicyRule[]>> = {
  roll: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "delete"] }],
  replace: [
    { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "delete"] },
    { apiGroups: [""], resources: ["persistentvolumeclaims"], verbs: ["get", "delete"] },
  ],
  targetHealth: [
    { apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] },
    { apiGroups: [""], resources: ["pods/status"], verbs: ["patch"] },
  ],
};

function access(input: WorkloadInput, name: string, component: Component, rules: PolicyRule[]): Access {
  const labels = objectLabels(input.prefix, component, input.profile, input.labels);
  const meta = { name, namespace: input.namespace, labels };
  return {
    serviceAccount: { apiVersion: "v1", kind: "ServiceAccount", metadata: meta, automountServiceAccountToken: false },
    role: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: meta, rules },
    roleBinding: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: meta,
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
      subjects: [{ kind: "ServiceAccount", name, namespace: input.namespace }],
    },
  };
}

/** The container of a day-2 pod: its script from the ConfigMap, the admin_cli config, the token when needed. */
function opsPod(input: WorkloadInput, component: Component, script: string, cm: string, image: "admin-cli" | "init", withToken: boolean, serviceAccount?: string) {
  const parts = [configVolume(input.configMaps["admin-cli"]), ...(withToken ? [tokenVolume(input.tokenSecretName)] : [])];
  const volumes: Volume[] = [...parts.map((p) => p.volume), { name: "ops", configMap: { name: cm, defaultMode: 0o555 } }];
  const mounts: VolumeMount[] = [...parts.map((p) => p.mount), { name: "ops", mountPath: DAY_TWO_DIR, readOnly: true }];
  const container: Container = {
    name: component,
    image: imageRef(input.images, image),
    imagePullPolicy: pullPolicy(input.images),
    command: ["/bin/bash", `${DAY_TWO_DIR}/${script}`],
    // admin_cli starts RDMA (a failed IB start is fatal, admin_cli.cc:105-107): one eRDMA device.
    resources: rdmaResources(input.adminCli.resources),
    volumeMounts: mounts,
    securityContext: rdmaSecurityContext(input.rdmaPods),
  };
  return {
    metadata: { labels: objectLabels(input.prefix, component, input.profile, input.labels) },
    spec: {
      ...scheduling("meta", input.layout),
      containers: [container],
      volumes,
      enableServiceLinks: false,
      ...(serviceAccount ? { serviceAccountName: serviceAccount, automountServiceAccountToken: true } : { automountServiceAccountToken: false }),
    },
  };
}

/** A Job `<prefix>-<kind>-<hash>` not awaited by Pulumi; a failed attempt is retried by a new pod that resumes. */
function opsJob(input: WorkloadInput, component: Component, kind: string, hash: string, script: string, image: "admin-cli" | "init", withToken: boolean, deadline: number, serviceAccount?: string): { configMap: ConfigMap; job: Job; name: string } {
  const name = `${input.prefix}-${kind}-${shortHash(hash)}`;
  const labels = objectLabels(input.prefix, component, input.profile, input.labels);
  const template = opsPod(input, component, script, name, image, withToken, serviceAccount);
  return {
    name,
    configMap: { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: input.namespace, labels }, data: {} },
    job: {
      apiVersion: "batch/v1",
      kind: "Job",
      // Long runs: `pulumi up` does not wait (logs: `kubectl logs job/<name>`; the check reports the state).
      metadata: { name, namespace: input.namespace, labels, annotations: { [SKIP_AWAIT_ANNOTATION]: "true" } },
      spec: { backoffLimit: 6, activeDeadlineSeconds: deadline, template: { metadata: template.metadata, spec: { ...template.spec, restartPolicy: "Never" } } },
    },
  };
}

/** Every day-2 object of a stack. */
export function dayTwoObjects(input: WorkloadInput, files: DayTwoFiles): DayTwoObjects {
  const migrate = opsJob(input, "migrate", "migrate", files.migrate.hash, "migrate.sh", "admin-cli", true, MIGRATE_DEADLINE_SECONDS);
  migrate.configMap.data = { ...files.migrate.files };
  const rollName = `${input.prefix}-roll`;
  const roll = opsJob(input, "roll", "roll", files.roll.hash, "roll.sh", "init", false, DAY_TWO_DEADLINE_SECONDS, rollName);
  roll.configMap.data = { ...files.roll.files };
  const out: DayTwoObjects = {
    migrate: { configMap: migrate.configMap, job: migrate.job },
    roll: { configMap: roll.configMap, job: roll.job, ...access(input, rollName, "roll", DAY_TWO_RULES.roll) },
    targetHealth: targetHealth(input, files.targetHealth),
  };
  if (files.replace) {
    const replaceName = `${input.prefix}-replace`;
    const r = opsJob(input, "replace", "replace", files.replace.hash, "replace.sh", "init", true, DAY_TWO_DEADLINE_SECONDS, replaceName);
    r.configMap.data = { ...files.replace.files };
    out.replace = { configMap: r.configMap, job: r.job, ...access(input, replaceName, "replace", DAY_TWO_RULES.replace) };
  }
  return out;
}

/** The target-health Deployment (one pod on a meta node) and its ConfigMap `<prefix>-target-health-<hash>`. */
function targetHealth(input: WorkloadInput, rendered: { files: Record<string, string>; hash: string }): DayTwoObjects["targetHealth"] {
  const base = `${input.prefix}-target-health`;
  const cm = `${base}-${shortHash(rendered.hash)}`;
  const labels = objectLabels(input.prefix, "target-health", input.profile, input.labels);
  const template = opsPod(input, "target-health", "target-health.sh", cm, "init", false, base);
  return {
    configMap: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: cm, namespace: input.namespace, labels }, data: { ...rendered.files } },
    deployment: {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: base, namespace: input.namespace, labels },
      spec: {
        replicas: 1,
        strategy: { type: "Recreate" },
        selector: { matchLabels: selectorLabels(input.prefix, "target-health") },
        template: { metadata: template.metadata, spec: { ...template.spec, terminationGracePeriodSeconds: 5 } },
      },
    },
    ...access(input, base, "target-health", DAY_TWO_RULES.targetHealth),
  };
}
