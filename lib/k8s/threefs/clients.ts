/**
 * The 3FS clients: the FUSE DaemonSet on client nodes and the admin-cli Deployment for operators.
 *
 * How a workload reads 3FS: the FUSE pod mounts the file system at `mountPath` inside a hostPath volume
 * of the same path with Bidirectional propagation, so the mount appears on the node. A workload pod on
 * a client node (the exported nodeSelector and tolerations) mounts the same hostPath with
 * `mountPropagation: HostToContainer` and sees the file system, including a remount after a FUSE
 * restart; it needs no privileges.
 *
 * Pure module: no cloud SDK imports.
 */
import { CONFIG_DIR, TOKEN_FILE, usrbioShmHostPath } from "../../threefs/constants";
import { imageRef, pullPolicy } from "./images";
import { SKIP_AWAIT_ANNOTATION, objectLabels, objectNames, selectorLabels } from "./names";
import {
  BINARIES,
  VOLUMES,
  configVolume,
  fdbVolume,
  launch,
  privilegedSecurityContext,
  rdmaResources,
  rdmaSecurityContext,
  scheduling,
  tokenVolume,
} from "./podParts";
import type { DaemonSet, Deployment, Probe, Volume, VolumeMount, WorkloadInput } from "./types";

const MOUNT_PATH = /^\/[A-Za-z0-9._/-]*[A-Za-z0-9._-]$/;

/**
 * Checks the FUSE mount path: absolute, no trailing slash, only `[A-Za-z0-9._/-]` (it is written into
 * shell scripts and compared with /proc/self/mountinfo), and not a system directory.
 * @throws Error when the path is unusable.
 */
export function validateMountPath(path: string): void {
  const reserved = ["/", "/dev", "/proc", "/sys", "/etc", "/usr", "/bin", "/sbin", "/lib", "/var", "/run", "/boot", "/root", "/tmp", "/mnt"];
  if (!MOUNT_PATH.test(path) || path.includes("//") || path.split("/").includes("..") || reserved.includes(path)) {
    throw new Error(`FUSE mount path '${path}' must be an absolute path like /mnt/3fs of [A-Za-z0-9._/-], not a system directory`);
  }
}

/**
 * A shell test that succeeds when a FUSE file system is mounted exactly at `path`, read from
 * /proc/self/mountinfo (field 5 is the mount point; the file-system type follows " - "). It never
 * touches the mount itself, so a hung FUSE daemon cannot hang the check.
 */
export function fuseMountedTest(path: string): string {
  return `awk '$5 == "${path}" && / - fuse/ { found = 1 } END { exit !found }' /proc/self/mountinfo`;
}

/** The hostPath of the mount point, created on the node if missing. */
function mountVolume(path: string): Volume {
  return { name: VOLUMES.mount, hostPath: { path, type: "DirectoryOrCreate" } };
}

/**
 * The USRBIO shared-memory directory (usrbioShmHostPath) as the FUSE container's /dev/shm. The kubelet
 * creates a missing hostPath directory with mode 0755 (https://kubernetes.io/docs/concepts/storage/volumes/#hostpath-volume-types);
 * the FUSE container makes it 1777 like any /dev/shm, so unprivileged workloads can create their buffers
 * in it (and, with the sticky bit, remove only their own). A container mount at /dev/shm replaces the
 * pod's own (containerd internal/cri/server/container_create.go:1150 at 301026e5, `isInCRIMounts(devShm, …)`).
 */
export function usrbioShm(clusterId: string): { volume: Volume; mount: VolumeMount } {
  return {
    volume: { name: VOLUMES.shm, hostPath: { path: usrbioShmHostPath(clusterId), type: "DirectoryOrCreate" } },
    mount: { name: VOLUMES.shm, mountPath: "/dev/shm" },
  };
}

/**
 * The FUSE client DaemonSet on every client node.
 *
 * USRBIO: its /dev/shm is the node's USRBIO directory (usrbioShm), shared with the USRBIO workloads on
 * the node, which register their buffers with this daemon (docs/consumers.md). It runs in the host's PID
 * namespace: the daemon keys each registered buffer by the pid the kernel reports for the registering
 * process (src/fuse/FuseOps.cc:1164,1216, IovTable.cc:124-214) and, when a process's handle on 3fs-virt/iovs is
 * released, drops every buffer of that pid (FuseOps.cc:1815-1829). The kernel reports pids as seen from
 * the mounting daemon's PID namespace and 0 for a process it cannot see (Linux fs/fuse/dev.c,
 * `pid_nr_ns(task_pid(current), fc->pid_ns)`), so in a PID namespace of its own every workload pod would
 * be pid 0 and one pod's exit would drop every other pod's buffers. (kvc-3fs-operator's sidecar shares the
 * app pod's PID namespace for the same reason: internal/webhook/threefscluster_webhook.go, ShareProcessNamespace.)
 *
 * Privileged: it opens /dev/fuse and mounts into a hostPath with Bidirectional propagation, which
 * Kubernetes only allows for privileged containers. Before starting it lazily unmounts a stale mount
 * left by a killed predecessor ("transport endpoint is not connected"), and its preStop hook unmounts
 * the file system so that the node is not left with a dead mount. No liveness probe: restarting the
 * daemon breaks every open file of every workload on the node, so only the process exiting restarts it.
 */
export function fuseDaemonSet(input: WorkloadInput, args: string[]): DaemonSet {
  const path = input.fuse.mountPath;
  validateMountPath(path);
  const labels = objectLabels(input.prefix, "fuse", input.profile, input.labels);
  const config = configVolume(input.configMaps.fuse);
  const token = tokenVolume(input.tokenSecretName);
  const mount: VolumeMount = { name: VOLUMES.mount, mountPath: path, mountPropagation: "Bidirectional" };
  const mounted: Probe = { exec: { command: ["/bin/sh", "-c", fuseMountedTest(path)] }, periodSeconds: 10, timeoutSeconds: 5 };
  const unmountStale = `umount -l ${path} 2>/dev/null && echo "cleared a stale mount at ${path}" || true`;
  const shm = usrbioShm(input.clusterId);
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    // OnDelete rollouts never complete by themselves, and the provider's DaemonSet await (kstatus)
    // would wait for them until the update timed out; the smoke test checks the mount instead.
    metadata: { name: objectNames(input.prefix).fuse, namespace: input.namespace, labels, annotations: { [SKIP_AWAIT_ANNOTATION]: "true" } },
    spec: {
      selector: { matchLabels: selectorLabels(input.prefix, "fuse") },
      // OnDelete: a FUSE restart drops the node's mount under its workloads (open files fail), so a new
      // config or image waits until an operator deletes each node's pod when its workloads can take it.
      updateStrategy: { type: "OnDelete" },
      template: {
        metadata: { labels },
        spec: {
          ...scheduling("client", input.layout),
          hostPID: true,
          containers: [
            {
              name: "fuse",
              image: imageRef(input.images, "fuse"),
              imagePullPolicy: pullPolicy(input.images),
              ...launch(BINARIES.fuse, args, [unmountStale, "chmod 1777 /dev/shm"]),
              resources: rdmaResources(input.fuse.resources),
              volumeMounts: [config.mount, token.mount, mount, shm.mount],
              securityContext: privilegedSecurityContext(),
              startupProbe: { ...mounted, failureThreshold: 60 },
              readinessProbe: { ...mounted, failureThreshold: 3 },
              lifecycle: { preStop: { exec: { command: ["/bin/sh", "-c", `umount -l ${path} || true`] } } },
            },
          ],
          volumes: [config.volume, token.volume, mountVolume(path), shm.volume],
          terminationGracePeriodSeconds: 60,
          enableServiceLinks: false,
          automountServiceAccountToken: false,
        },
      },
    },
  };
}

/** Private admin_cli config (with the root token) that the admin-cli pod writes at start. */
export const ADMIN_CLI_PRIVATE_CONFIG = "/tmp/admin_cli.toml";

/**
 * Writes the private config, then idles until terminated. The rendered admin_cli.toml is the whole
 * shipped file, so it has a `[user_info]` table (token = ""): the copy keeps every line but that table's
 * token, and writes the token right after the table's header (shell builtins only: the token is on no
 * command line). Only if the table were missing is one appended.
 */
const ADMIN_CLI_IDLE_SCRIPT = [
  "set -eu",
  "umask 077",
  `token=\`cat ${TOKEN_FILE}\``,
  "in_user=0 seen=0",
  "while IFS= read -r line || [ -n \"$line\" ]; do",
  '  case "$line" in',
  "    '[user_info]') in_user=1 seen=1; printf '%s\\n' \"$line\"; printf \"token = '%s'\\n\" \"$token\"; continue ;;",
  "    '['*) in_user=0 ;;",
  "  esac",
  '  if [ "$in_user" = 1 ]; then case "$line" in token=*|"token "*) continue ;; esac; fi',
  "  printf '%s\\n' \"$line\"",
  `done < ${CONFIG_DIR}/admin_cli.toml > ${ADMIN_CLI_PRIVATE_CONFIG}`,
  `[ "$seen" = 1 ] || printf "\\n[user_info]\\ntoken = '%s'\\n" "$token" >> ${ADMIN_CLI_PRIVATE_CONFIG}`,
  "trap 'exit 0' TERM INT",
  "while :; do sleep 3600 & wait; done",
].join("\n");

/**
 * The admin-cli Deployment: one idle pod with admin_cli, its config, the root token and the FDB cluster
 * file, for operators to `kubectl exec` into (see docs/threefs.md). It idles rather than running an
 * interactive admin_cli on stdin, so nobody has to attach to PID 1 and a stray Ctrl-D does not restart
 * it. Unprivileged. `Recreate`: there is never a reason for two.
 */
export function adminCliDeployment(input: WorkloadInput): Deployment {
  const labels = objectLabels(input.prefix, "admin-cli", input.profile, input.labels);
  const parts = [configVolume(input.configMaps["admin-cli"]), tokenVolume(input.tokenSecretName), fdbVolume(input.fdbClusterFileConfigMap)];
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: objectNames(input.prefix).adminCli, namespace: input.namespace, labels },
    spec: {
      replicas: 1,
      strategy: { type: "Recreate" },
      selector: { matchLabels: selectorLabels(input.prefix, "admin-cli") },
      template: {
        metadata: { labels },
        spec: {
          ...scheduling("meta", input.layout),
          containers: [
            {
              name: "admin-cli",
              image: imageRef(input.images, "admin-cli"),
              imagePullPolicy: pullPolicy(input.images),
              // At start, write a private admin_cli config that carries the token (mode 0600 in the pod's
              // /tmp), so operators run `admin_cli --cfg=${ADMIN_CLI_PRIVATE_CONFIG} …` and the token never
              // appears on a command line (visible in /proc to anything with host PID access).
              command: ["/bin/sh", "-c", ADMIN_CLI_IDLE_SCRIPT],
              resources: rdmaResources(input.adminCli.resources),
              volumeMounts: parts.map((p) => p.mount),
              securityContext: rdmaSecurityContext(input.rdmaPods),
            },
          ],
          volumes: parts.map((p) => p.volume),
          terminationGracePeriodSeconds: 5,
          enableServiceLinks: false,
          automountServiceAccountToken: false,
        },
      },
    },
  };
}
