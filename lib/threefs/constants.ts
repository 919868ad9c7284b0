/**
 * Fixed facts shared by the 3FS configuration renderers and the Kubernetes workloads that run them.
 * Both sides import these so that a path or port is written in exactly one place.
 *
 * Pure module: no cloud SDK imports.
 */

/** The 3FS services this stack runs as StatefulSets. */
export type ThreeFsService = "mgmtd" | "meta" | "storage";

/**
 * Node ids. 3FS requires every process to have a cluster-unique numeric id. mgmtd uses 1, 2, …;
 * meta 100, 101, …; storage 10000 + ordinal. StatefulSets set `spec.ordinals.start` to these bases and
 * pass the `apps.kubernetes.io/pod-index` label as `--app_config.node_id`, so a pod's node id follows its
 * identity across restarts. The chain table's `nodeIdBegin` equals STORAGE.
 */
export const NODE_ID_BASE: Readonly<Record<ThreeFsService, number>> = {
  mgmtd: 1,
  meta: 100,
  storage: 10000,
};

/** RDMA and TCP listener ports. RDMA listeners also take a TCP handshake on the same port. */
export const PORTS: Readonly<Record<ThreeFsService, { rdma: number; tcp: number }>> = {
  mgmtd: { rdma: 8000, tcp: 9000 },
  meta: { rdma: 8001, tcp: 9001 },
  storage: { rdma: 8000, tcp: 9000 },
};

/** Where the ConfigMap with the rendered TOML files is mounted in every 3FS container. */
export const CONFIG_DIR = "/etc/3fs";

/** Where the token Secret is mounted; the file inside is TOKEN_FILE. */
export const TOKEN_DIR = "/etc/3fs-token";
export const TOKEN_FILE = `${TOKEN_DIR}/token`;
/** The key in the token Secret that holds the token. */
export const TOKEN_SECRET_KEY = "token";

/**
 * Where the bootstrap Job mounts the tenant-tokens Secret: one file per tenant, named by the tenant, holding
 * its 3FS token (lib/tenants, scripts/tenants.sh).
 */
export const TENANT_TOKEN_DIR = "/etc/3fs-tenant-tokens";

/** libfdb_c's default cluster-file path; 3FS pods mount the operator's `<cluster>-config` ConfigMap here. */
export const FDB_CLUSTER_FILE = "/etc/foundationdb/fdb.cluster";
/** The key in the FDB operator's `<cluster>-config` ConfigMap that holds the connection string. */
export const FDB_CLUSTER_FILE_KEY = "cluster-file";

/** Mount path of storage disk `i` (0-based) in the storage container; position = disk index. */
export function targetPath(diskIndex: number): string {
  return `/var/3fs/data${diskIndex}`;
}

/** Where the bootstrap ConfigMap (script and chain plan) is mounted in the bootstrap Job. */
export const BOOTSTRAP_DIR = "/opt/3fs-bootstrap";

/**
 * The host directory that is /dev/shm of the FUSE pod and of every USRBIO workload on a client node
 * (docs/consumers.md, "USRBIO"). USRBIO shares memory through POSIX shm: the application creates its
 * buffers with shm_open under /dev/shm and registers them by symlinking `/dev/shm/<name>` into
 * `<mount>/3fs-virt/iovs/` (src/lib/api/UsrbIo.cc:127-153, src/lib/common/Shm.cc:149-170); the FUSE
 * daemon stats and maps that path in its own mount namespace (src/fuse/IovTable.cc:141-174), and the
 * application opens the daemon's submit semaphores under /dev/shm (src/fuse/IoRing.h:217-266,
 * src/lib/api/UsrbIo.cc:330-368). Both must therefore see one /dev/shm: a subdirectory of the host's
 * /dev/shm (tmpfs, so the buffers stay memory that RDMA can register), one per 3FS cluster.
 */
export function usrbioShmHostPath(clusterId: string): string {
  return `/dev/shm/3fs-${clusterId}`;
}

/** Default FUSE mount point on client nodes (a hostPath with Bidirectional propagation). */
export const DEFAULT_MOUNT_PATH = "/mnt/3fs";

/** Labels every 3FS object carries; the policy pack recognises the storage StatefulSet by these. */
export const APP_NAME_LABEL = "app.kubernetes.io/name";
export const APP_NAME = "3fs";
export const COMPONENT_LABEL = "app.kubernetes.io/component";
/** Label carrying the environment profile on every Kubernetes object (read by the policy pack). */
export const PROFILE_LABEL = "threefs.io/profile";

/** The eRDMA device plugin's extended resource; every 3FS container requests one. */
export const ERDMA_RESOURCE = "aliyun/erdma";

/** Open-file limit for 3FS processes (3FS opens one fd per chunk file and RDMA queue). */
export const OPEN_FILE_LIMIT = 1048576;

/**
 * The host sysctl `fs.aio-max-nr` the storage service needs (3FS's deploy guide: libaio queues per target).
 * It is not namespaced, so pod `securityContext.sysctls` cannot set it; the storage pods' privileged
 * `node-tuning` init container raises it on the node (never lowers it).
 */
export const AIO_MAX_NR = 67108864;

/**
 * The env var every 3FS server container gets from its pod's `apps.kubernetes.io/pod-index` label
 * (downward API). The container args reference it as `--app_config.node_id=$(NODE_ID)`, which the kubelet
 * expands, so the 3FS node id equals the StatefulSet ordinal (see NODE_ID_BASE).
 */
export const NODE_ID_ENV = "NODE_ID";

/** The chain table id `init-cluster` puts in the root directory's layout and `upload-chain-table` fills. */
export const CHAIN_TABLE_ID = 1;
