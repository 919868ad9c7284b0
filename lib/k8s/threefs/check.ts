/**
 * The post-deploy check's Kubernetes objects: its ConfigMap (lib/threefs/check.ts), the Job `pulumi up`
 * awaits (named by the check's hash, so it re-runs when what it checks changes), a suspended CronJob with
 * the same pod for runs on demand (`kubectl create job --from=cronjob/<prefix>-check <name>`), and the
 * ServiceAccount with read-only access to pods in the namespace and to nodes.
 *
 * The pod runs in the 3fs-init image (admin_cli, curl, python3) on a client node, with the mount as a
 * HostToContainer hostPath, when the stack has client nodes; otherwise on a meta node.
 *
 * Pure module: no cloud SDK imports.
 */
import { CHECK_DEADLINE_SECONDS, CHECK_DIR } from "../../threefs/check";
import { imageRef, pullPolicy } from "./images";
import { objectLabels, shortHash } from "./names";
import { VOLUMES, configVolume, rdmaResources, rdmaSecurityContext, scheduling, tokenVolume } from "./podParts";
import type { ConfigMap, CronJob, Job, PodTemplateSpec, Role, RoleBinding, ServiceAccount, Volume, VolumeMount, WorkloadInput } from "./types";

/** Every object of the check. */
export interface CheckObjects {
  configMap: ConfigMap;
  serviceAccount: ServiceAccount;
  role: Role;
  roleBinding: RoleBinding;
  clusterRole: Role;
  clusterRoleBinding: RoleBinding;
  job: Job;
  cronJob: CronJob;
}

/** Names of the check's objects; the ClusterRole's carries the namespace (cluster-scoped, two stacks may share a name). */
export function checkNames(input: WorkloadInput): { base: string; job: string; configMap: string; clusterRole: string } {
  const base = `${input.prefix}-check`;
  return { base, job: `${base}-${shortHash(input.check.hash)}`, configMap: input.check.configMapName, clusterRole: `${input.prefix}-${input.namespace}-check`.slice(0, 253) };
}

function podTemplate(input: WorkloadInput): PodTemplateSpec {
  const labels = objectLabels(input.prefix, "check", input.profile, input.labels);
  const names = checkNames(input);
  const parts = [configVolume(input.configMaps["admin-cli"]), tokenVolume(input.tokenSecretName)];
  const volumes: Volume[] = [...parts.map((p) => p.volume), { name: "check", configMap: { name: names.configMap, defaultMode: 0o555 } }];
  const mounts: VolumeMount[] = [...parts.map((p) => p.mount), { name: "check", mountPath: CHECK_DIR, readOnly: true }];
  if (input.check.onClient) {
    // "Directory": on a client node the FUSE DaemonSet created it; missing means the wrong node.
    volumes.push({ name: VOLUMES.mount, hostPath: { path: input.fuse.mountPath, type: "Directory" } });
    mounts.push({ name: VOLUMES.mount, mountPath: input.fuse.mountPath, mountPropagation: "HostToContainer" });
  }
  return {
    metadata: { labels },
    spec: {
      ...scheduling(input.check.onClient ? "client" : "meta", input.layout),
      restartPolicy: "Never",
      serviceAccountName: names.base,
      // The check reads nodes and pods through the API with this ServiceAccount's token.
      automountServiceAccountToken: true,
      containers: [
        {
          name: "check",
          image: imageRef(input.images, "init"),
          imagePullPolicy: pullPolicy(input.images),
          command: ["/bin/bash", `${CHECK_DIR}/check.sh`],
          resources: rdmaResources(input.adminCli.resources),
          volumeMounts: mounts,
          securityContext: rdmaSecurityContext(input.rdmaPods),
        },
      ],
      volumes,
      enableServiceLinks: false,
    },
  };
}

/** The check's objects for a stack. */
export function checkObjects(input: WorkloadInput, files: Record<string, string>): CheckObjects {
  const names = checkNames(input);
  const labels = objectLabels(input.prefix, "check", input.profile, input.labels);
  const ns = input.namespace;
  const meta = (name: string, namespaced = true) => ({ name, ...(namespaced ? { namespace: ns } : {}), labels });
  const template = podTemplate(input);
  // One try: the script already retries what can still come right within its budget; a second pod would
  // only repeat the same verdict.
  const jobSpec: Job["spec"] = { backoffLimit: 0, activeDeadlineSeconds: CHECK_DEADLINE_SECONDS, template };
  const subject = { kind: "ServiceAccount" as const, name: names.base, namespace: ns };
  return {
    configMap: { apiVersion: "v1", kind: "ConfigMap", metadata: meta(names.configMap), data: { ...files } },
    serviceAccount: { apiVersion: "v1", kind: "ServiceAccount", metadata: meta(names.base), automountServiceAccountToken: false },
    role: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: meta(names.base), rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }] },
    roleBinding: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: meta(names.base), roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: names.base }, subjects: [subject] },
    clusterRole: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: meta(names.clusterRole, false), rules: [{ apiGroups: [""], resources: ["nodes"], verbs: ["get", "list"] }] },
    clusterRoleBinding: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: meta(names.clusterRole, false),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: names.clusterRole },
      subjects: [subject],
    },
    job: { apiVersion: "batch/v1", kind: "Job", metadata: meta(names.job), spec: jobSpec },
    cronJob: {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: meta(names.base),
      // Never scheduled (suspended; the date is only syntax): it exists to be run on demand.
      spec: { schedule: "0 0 1 1 *", suspend: true, concurrencyPolicy: "Forbid", successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3, jobTemplate: { metadata: { labels }, spec: jobSpec } },
    },
  };
}

