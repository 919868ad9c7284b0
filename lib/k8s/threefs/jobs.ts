/**
 * Jobs: the idempotent bootstrap (init-cluster, root user, targets, chain table) and the optional fio
 * benchmark (the post-deploy check, which also writes through the mount, is in check.ts).
 *
 * Re-running: a Job's pod template is immutable and a finished Job never runs again, so each Job's name
 * carries a hash of what it does. A changed input gives a new name, Pulumi replaces the Job and the new
 * one runs; an unchanged input leaves the finished Job alone. No `ttlSecondsAfterFinished`: Kubernetes
 * would delete the finished Job and the next `pulumi up` would recreate — and re-run — it.
 *
 * Pure module: no cloud SDK imports.
 */
import { BOOTSTRAP_DEADLINE_SECONDS } from "../../threefs/bootstrap";
import { BOOTSTRAP_DIR, TENANT_TOKEN_DIR } from "../../threefs/constants";
import { imageRef, pullPolicy } from "./images";
import { SKIP_AWAIT_ANNOTATION, objectLabels, objectNames } from "./names";
import { fuseMountedTest, validateMountPath } from "./clients";
import { VOLUMES, configVolume, fdbVolume, rdmaResources, rdmaSecurityContext, scheduling, tokenVolume } from "./podParts";
import type { ConfigMap, Container, EnvVar, Job, Volume, VolumeMount, WorkloadInput } from "./types";

export { SKIP_AWAIT_ANNOTATION };

/** The bootstrap Job's deadline: the script bounds all its waits below it (lib/threefs/bootstrap.ts). */
export { BOOTSTRAP_DEADLINE_SECONDS };

/** `activeDeadlineSeconds` of the fio Job (not awaited by Pulumi). */
export const FIO_DEADLINE_SECONDS = 3600;

/** How long the fio Job waits for the FUSE mount: the FUSE startup probe's 10 min. */
export const FUSE_MOUNT_WAIT_SECONDS = 600;

/**
 * The Pulumi create/update timeout of a Job Pulumi awaits, for `customTimeouts`: its deadline plus 5
 * minutes, so that the Job's own failure (DeadlineExceeded, with its pods' logs) is what `pulumi up`
 * reports, rather than a Pulumi timeout that fires first (Pulumi's default is 10 minutes).
 */
export function jobAwaitTimeout(deadlineSeconds: number): string {
  return `${Math.ceil(deadlineSeconds / 60) + 5}m`;
}

/** The bootstrap script's file name in the bootstrap ConfigMap. */
export const BOOTSTRAP_SCRIPT = "bootstrap.sh";

/**
 * The bootstrap ConfigMap: the script and the compact chain plan (`chain-plan.json`, which the policy
 * pack reads). Its name carries the same hash as the Job, so a running Job never sees its files change.
 */
export function bootstrapConfigMap(input: WorkloadInput, files: Record<string, string>): ConfigMap {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: input.bootstrap.configMapName,
      namespace: input.namespace,
      labels: objectLabels(input.prefix, "bootstrap", input.profile, input.labels),
    },
    data: { ...files },
  };
}

/**
 * The bootstrap Job. Runs `bash <BOOTSTRAP_DIR>/bootstrap.sh` in the admin-cli image with the TOML
 * config, the root token and the FDB cluster file; the script waits for FDB, mgmtd and the storage
 * nodes itself and skips steps already done, so a re-run is harmless. Unprivileged. A failed pod is not
 * restarted in place (`Never`): each retry is a new pod whose predecessor's log stays readable.
 * @param env the environment the config helper's script expects
 */
export function bootstrapJob(input: WorkloadInput, env: EnvVar[]): Job {
  const labels = objectLabels(input.prefix, "bootstrap", input.profile, input.labels);
  // admin_cli.toml only (the admin-cli ConfigMap): other components' config changes leave the Job alone.
  const parts = [configVolume(input.configMaps["admin-cli"]), tokenVolume(input.tokenSecretName), fdbVolume(input.fdbClusterFileConfigMap)];
  const scripts: Volume = { name: VOLUMES.bootstrap, configMap: { name: input.bootstrap.configMapName, defaultMode: 0o555 } };
  // The tenants' tokens (one file per tenant name), read-only for the Job's root user only.
  const tenantTokens = input.tenantTokensSecretName
    ? [{ volume: { name: VOLUMES.tenantTokens, secret: { secretName: input.tenantTokensSecretName, defaultMode: 0o400 } }, mount: { name: VOLUMES.tenantTokens, mountPath: TENANT_TOKEN_DIR, readOnly: true } }]
    : [];
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: objectNames(input.prefix).bootstrap(input.bootstrap.hash), namespace: input.namespace, labels },
    spec: {
      backoffLimit: 6,
      // Waiting for storage nodes is bounded by the script; this bounds a hung admin_cli.
      activeDeadlineSeconds: BOOTSTRAP_DEADLINE_SECONDS,
      template: {
        metadata: { labels },
        spec: {
          ...scheduling("meta", input.layout),
          restartPolicy: "Never",
          containers: [
            {
              name: "bootstrap",
              image: imageRef(input.images, "admin-cli"),
              imagePullPolicy: pullPolicy(input.images),
              command: ["/bin/bash", `${BOOTSTRAP_DIR}/${BOOTSTRAP_SCRIPT}`],
              env: env.length > 0 ? env : undefined,
              resources: rdmaResources(input.adminCli.resources),
              volumeMounts: [...parts.map((p) => p.mount), { name: VOLUMES.bootstrap, mountPath: BOOTSTRAP_DIR, readOnly: true }, ...tenantTokens.map((p) => p.mount)],
              securityContext: rdmaSecurityContext(input.rdmaPods),
            },
          ],
          volumes: [...parts.map((p) => p.volume), scripts, ...tenantTokens.map((p) => p.volume)],
          enableServiceLinks: false,
          automountServiceAccountToken: false,
        },
      },
    },
  };
}

/** Shell lines that wait (up to `seconds`) for the FUSE mount to appear in this pod. */
function waitForMount(path: string, seconds: number): string[] {
  return [
    `for i in \`seq ${Math.ceil(seconds / 5)}\`; do ${fuseMountedTest(path)} && break; sleep 5; done`,
    `${fuseMountedTest(path)} || { echo "3FS is not mounted at ${path}" >&2; exit 1; }`,
  ];
}

/** A Job on a client node with the mount path as a HostToContainer hostPath (what workloads do). */
function clientJob(input: WorkloadInput, name: string, container: Omit<Container, "volumeMounts" | "imagePullPolicy">, deadline: number): Job {
  const path = input.fuse.mountPath;
  validateMountPath(path);
  const labels = objectLabels(input.prefix, "fio", input.profile, input.labels);
  const mount: VolumeMount = { name: VOLUMES.mount, mountPath: path, mountPropagation: "HostToContainer" };
  // "Directory", not DirectoryOrCreate: on a client node the FUSE DaemonSet has created it; a missing
  // directory means the pod landed on the wrong node and should fail rather than test an empty dir.
  const volume: Volume = { name: VOLUMES.mount, hostPath: { path, type: "Directory" } };
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name, namespace: input.namespace, labels },
    spec: {
      backoffLimit: 2,
      activeDeadlineSeconds: deadline,
      template: {
        metadata: { labels },
        spec: {
          ...scheduling("client", input.layout),
          restartPolicy: "Never",
          containers: [{ ...container, imagePullPolicy: pullPolicy(input.images), volumeMounts: [mount] }],
          volumes: [volume],
          enableServiceLinks: false,
          automountServiceAccountToken: false,
        },
      },
    },
  };
}

/**
 * The optional fio throughput Job: sequential 1 MiB writes then reads (4 jobs × 4 GiB, direct I/O) on
 * the mount. It uses `input.smokeTest.fioImage` when set (any image with fio on PATH); otherwise the
 * pinned FUSE image installs Ubuntu's fio from the image's apt mirror at start (needs egress). The
 * result is the Job's log; the component does not wait for it.
 */
export function fioJob(input: WorkloadInput, hash: string): Job {
  const path = input.fuse.mountPath;
  const dir = `${path}/.threefs-fio/${input.prefix}-${hash.slice(0, 8)}`;
  const common = `--directory=${dir} --bs=1M --size=4G --numjobs=4 --ioengine=libaio --iodepth=16 --direct=1 --group_reporting`;
  const install = input.smokeTest.fioImage
    ? []
    : ["command -v fio >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fio >/dev/null; }"];
  const script = [
    "set -euo pipefail",
    ...install,
    ...waitForMount(path, FUSE_MOUNT_WAIT_SECONDS),
    `mkdir -p ${dir}`,
    `trap 'rm -rf ${dir}' EXIT`,
    `fio --name=seq-write --rw=write ${common}`,
    `fio --name=seq-read --rw=read ${common}`,
  ].join("\n");
  const image = input.smokeTest.fioImage ?? imageRef(input.images, "fuse");
  const resources = { requests: { cpu: "2", memory: "1Gi" }, limits: { cpu: "4", memory: "2Gi" } };
  const job = clientJob(input, objectNames(input.prefix).fio(hash), { name: "fio", image, command: ["/bin/bash", "-c", script], resources }, FIO_DEADLINE_SECONDS);
  // A benchmark is read from its log; `pulumi up` should not wait up to an hour for it.
  job.metadata.annotations = { [SKIP_AWAIT_ANNOTATION]: "true" };
  return job;
}
