/**
 * Pieces shared by the 3FS pod specs: volumes, resources, probes, scheduling, security contexts and the
 * launch wrapper that raises the open-file limit.
 *
 * Pure module: no cloud SDK imports.
 */
import { schedulingFor, type NodeRole, type PoolLayout } from "../../roles";
import {
  CONFIG_DIR,
  ERDMA_RESOURCE,
  FDB_CLUSTER_FILE,
  FDB_CLUSTER_FILE_KEY,
  OPEN_FILE_LIMIT,
  TOKEN_DIR,
  TOKEN_FILE,
  TOKEN_SECRET_KEY,
} from "../../threefs/constants";
import { selectorLabels } from "./names";
import type { Affinity, Component, Probe, RdmaPodSecurity, ResourceRequirements, Resources, SecurityContext, Toleration, Volume, VolumeMount } from "./types";

/** Volume names used in every pod spec. */
export const VOLUMES = { config: "config", token: "token", fdb: "fdb-cluster-file", bootstrap: "bootstrap", mount: "mnt", tenantTokens: "tenant-tokens", shm: "usrbio-shm" } as const;

/** Directory of the FDB cluster file (the FDB operator's ConfigMap is mounted there). */
export const FDB_DIR = FDB_CLUSTER_FILE.slice(0, FDB_CLUSTER_FILE.lastIndexOf("/"));

/** The TOML ConfigMap, mounted read-only at CONFIG_DIR. */
export function configVolume(configMapName: string): { volume: Volume; mount: VolumeMount } {
  return {
    volume: { name: VOLUMES.config, configMap: { name: configMapName } },
    mount: { name: VOLUMES.config, mountPath: CONFIG_DIR, readOnly: true },
  };
}

/** The token Secret, mounted read-only (0400) so the token file is TOKEN_FILE. */
export function tokenVolume(secretName: string): { volume: Volume; mount: VolumeMount } {
  const file = TOKEN_FILE.slice(TOKEN_DIR.length + 1);
  return {
    volume: { name: VOLUMES.token, secret: { secretName, items: [{ key: TOKEN_SECRET_KEY, path: file }], defaultMode: 0o400 } },
    mount: { name: VOLUMES.token, mountPath: TOKEN_DIR, readOnly: true },
  };
}

/**
 * The FDB operator's `<cluster>-config` ConfigMap, its `cluster-file` key projected to FDB_CLUSTER_FILE
 * (libfdb_c's default path). The operator rewrites the ConfigMap when coordinators change and the kubelet
 * refreshes the projected file, so a pod keeps finding the cluster without a restart.
 */
export function fdbVolume(configMapName: string): { volume: Volume; mount: VolumeMount } {
  const file = FDB_CLUSTER_FILE.slice(FDB_DIR.length + 1);
  return {
    volume: { name: VOLUMES.fdb, configMap: { name: configMapName, items: [{ key: FDB_CLUSTER_FILE_KEY, path: file }] } },
    mount: { name: VOLUMES.fdb, mountPath: FDB_DIR, readOnly: true },
  };
}

/**
 * Requests and limits of a 3FS container: the profile's cpu/memory plus one eRDMA device in both
 * (extended resources must have request == limit). Every 3FS process speaks RDMA, admin-cli included.
 * Many pods per node may each take one: the eRDMA device plugin advertises 200 `aliyun/erdma` per eRDMA
 * device (AliyunContainerService/alibabacloud-erdma-controller 72e8f0c,
 * internal/deviceplugin/deviceplugin.go:224-227).
 */
export function rdmaResources(resources: Resources): ResourceRequirements {
  return {
    requests: { cpu: resources.requests.cpu, memory: resources.requests.memory, [ERDMA_RESOURCE]: "1" },
    limits: { cpu: resources.limits.cpu, memory: resources.limits.memory, [ERDMA_RESOURCE]: "1" },
  };
}

/** Node selector and tolerations of a role (tolerations omitted when the layout has no taints). */
export function scheduling(role: NodeRole, layout: PoolLayout): { nodeSelector: Record<string, string>; tolerations?: Toleration[] } {
  const s = schedulingFor(role, layout);
  return s.tolerations.length > 0 ? { nodeSelector: s.nodeSelector, tolerations: s.tolerations } : { nodeSelector: s.nodeSelector };
}

/** The topology key that makes a node its own failure domain. */
export const HOSTNAME_TOPOLOGY_KEY = "kubernetes.io/hostname";

/**
 * Pod anti-affinity against the component's own pods (of this stack only) per host. `required` for
 * storage — two storage services on one VM would put two replicas of a chain in one failure domain —
 * and `preferred` for mgmtd/meta, which tolerate sharing a host when the pool is small.
 */
export function hostAntiAffinity(prefix: string, component: Component, required: boolean): Affinity {
  const term = { labelSelector: { matchLabels: selectorLabels(prefix, component) }, topologyKey: HOSTNAME_TOPOLOGY_KEY };
  return required
    ? { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } }
    : { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] } };
}

/**
 * Probes on a service's TCP listener. The startup probe gives a slow start (waiting for FDB or mgmtd,
 * loading targets) `startupSeconds` before liveness may restart the container; readiness then gates
 * Service endpoints and PDB accounting, liveness restarts a hung process.
 */
export function tcpProbes(port: number, startupSeconds: number): { startupProbe: Probe; readinessProbe: Probe; livenessProbe: Probe } {
  const period = 10;
  return {
    startupProbe: { tcpSocket: { port }, periodSeconds: period, timeoutSeconds: 5, failureThreshold: Math.ceil(startupSeconds / period) },
    readinessProbe: { tcpSocket: { port }, periodSeconds: period, timeoutSeconds: 5, failureThreshold: 3 },
    livenessProbe: { tcpSocket: { port }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 },
  };
}


/** Security context of an RDMA process that needs no host access of its own (see RdmaPodSecurity). */
export function rdmaSecurityContext(mode: RdmaPodSecurity): SecurityContext {
  if (mode === "privileged") return privilegedSecurityContext();
  return { privileged: false, allowPrivilegeEscalation: false, capabilities: { add: ["IPC_LOCK", "SYS_RESOURCE"] } };
}

/** Security context of the containers that must be privileged (see the callers for why). */
export function privilegedSecurityContext(): SecurityContext {
  return { privileged: true };
}

/**
 * The launch wrapper. Kubernetes has no ulimit field, and containers inherit the runtime's open-file
 * limit (containerd 2.x gives 1024 soft). 3FS opens a descriptor per chunk file, RDMA queue and client,
 * so the wrapper raises the limit to OPEN_FILE_LIMIT (soft and hard; raising the hard limit needs
 * CAP_SYS_RESOURCE, granted or implied by privileged), falls back to "soft = hard" with a warning when
 * that fails, and `exec`s the 3FS binary so it is PID 1 and receives SIGTERM directly.
 * The node pool also raises containerd's LimitNOFILE, so the fallback is a safety net.
 *
 * The script avoids `$(…)`: Kubernetes expands `$(NAME)` in command and args.
 * @param binary absolute path of the 3FS binary in the image
 * @param args its arguments
 * @param pre extra shell lines to run first (e.g. clearing a stale FUSE mount)
 */
export function launch(binary: string, args: string[], pre: string[] = []): { command: string[]; args: string[] } {
  const script = [
    "set -u",
    ...pre,
    `if ! ulimit -n ${OPEN_FILE_LIMIT} 2>/dev/null; then`,
    `  echo "warning: cannot raise the open-file limit to ${OPEN_FILE_LIMIT}; using the hard limit" >&2`,
    "  ulimit -S -n hard",
    "fi",
    'echo "open-file limit:" `ulimit -n`',
    'exec "$0" "$@"',
  ].join("\n");
  return { command: ["/bin/bash", "-c", script, binary], args };
}

/** Paths of the 3FS binaries in Alibaba's images (their ENTRYPOINTs). */
export const BINARIES = {
  mgmtd: "/usr/local/bin/mgmtd_main",
  meta: "/usr/local/bin/meta_main",
  storage: "/usr/local/bin/storage_main",
  fuse: "/usr/local/bin/hf3fs_fuse_main",
  adminCli: "/usr/local/bin/admin_cli",
} as const;
