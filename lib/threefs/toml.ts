/**
 * Renders the 3FS config files of one cluster from typed objects (smol-toml `stringify`, no string
 * templates). The files become the data of one ConfigMap, mounted at CONFIG_DIR in every 3FS container;
 * its keys are 3FS's own file names.
 *
 * Which files: each service reads its main config with `--cfg` (so mgmtd never pushes configs) and
 * FUSE likewise. The launcher files are needed too: mgmtd, meta, storage and FUSE load
 * `--launcher_cfg` unconditionally and abort when it is missing or empty-pathed (3FS
 * `app_detail::initConfigFromFile` → `loadFile`), and the images' own launcher files are bypassed once
 * the workload sets `command`. They hold the static launcher settings; the per-cluster ones (cluster
 * id, mgmtd addresses) and the node id travel as flags (see args.ts). The `*_app.toml` files are not
 * rendered: an empty `--app-cfg` path is allowed and the node id comes from `--app_config.node_id`.
 *
 * Pure module: no cloud SDK imports.
 */
import { stringify } from "smol-toml";
import { DEFAULT_MOUNT_PATH, FDB_CLUSTER_FILE, NODE_ID_BASE, PORTS, TOKEN_FILE, targetPath } from "./constants";
import {
  ADMIN_CLI_LOG,
  commonSection,
  erdmaIoWorker,
  erdmaStorageClient,
  serviceGroups,
  type AdminCliToml,
  type BufferPoolToml,
  type FuseLauncherToml,
  type FuseMainToml,
  type MetaMainToml,
  type MgmtdLauncherToml,
  type MgmtdMainToml,
  type ServerLauncherToml,
  type StorageMainToml,
} from "./tomlSections";

/** The ConfigMap keys (3FS's file names) renderThreeFsConfigs returns. */
export type ThreeFsConfigFileName =
  | "mgmtd_main.toml"
  | "meta_main.toml"
  | "storage_main.toml"
  | "hf3fs_fuse_main.toml"
  | "admin_cli.toml"
  | "mgmtd_main_launcher.toml"
  | "meta_main_launcher.toml"
  | "storage_main_launcher.toml"
  | "hf3fs_fuse_main_launcher.toml";

/** What the config files depend on. */
export interface ThreeFsConfigInput {
  /** 3FS cluster id; shorter than 32 characters (it becomes the FUSE fs name), see validateClusterId. */
  clusterId: string;
  /** mgmtd addresses every client tries in order, e.g. from mgmtdAddresses(); at least one. */
  mgmtdAddresses: string[];
  /** Data disks per storage pod (1–256); disk i is mounted at targetPath(i) and is target path i. */
  disksPerNode: number;
  /**
   * The storage container's memory limit in bytes (≥ 2 GiB); sizes `[server.buffer_pool]`
   * (see storageBufferPool). 3FS's defaults register 8 GiB of RDMA buffers whatever the pod's size.
   */
  storageMemoryBytes: number;
  /**
   * `ipv4:port` of a 3FS monitor_collector (e.g. its Service's ClusterIP); when absent, metrics go to
   * the log every 60 s. An IP, not a name: 3FS parses `remote_ip` with `Address::fromString`, which
   * does not resolve DNS (only the mgmtd addresses are resolved by the images).
   */
  monitorCollector?: string;
  /** FUSE mount point inside the FUSE container. Default DEFAULT_MOUNT_PATH. */
  mountpoint?: string;
  /** File holding the token FUSE authenticates with. Default TOKEN_FILE. */
  tokenFile?: string;
  /** FDB cluster file for meta, mgmtd and admin_cli. Default FDB_CLUSTER_FILE. */
  fdbClusterFile?: string;
  /**
   * Let mgmtd, meta and storage start although their build reports a development release version
   * (3FS aborts with "Dev version is not allowed" otherwise). Default true, 3FS's own default: the
   * published container images are development builds.
   */
  allowDevVersion?: boolean;
}

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
/** Smallest storage memory limit the buffer-pool formula accepts. */
export const MIN_STORAGE_MEMORY_BYTES = 2 * GIB;
/** RDMA buffers take at most this fraction of the storage container's memory limit. */
export const RDMA_BUFFER_FRACTION = 0.25;
/** …and at most 3FS's default total (1024 × 4 MiB + 64 × 64 MiB); more brings no benefit. */
export const MAX_RDMA_BUFFER_BYTES = 8 * GIB;

/**
 * Sizes storage's registered RDMA buffers from its memory limit. The buffers are allocated and pinned
 * at start-up, so they count fully against the limit. Formula: budget = min(limit × 1/4, 8 GiB), half
 * in 4 MiB buffers (`rdmabuf_count` = ⌊budget/2 / 4 MiB⌋) and half in 64 MiB buffers
 * (`big_rdmabuf_count` = ⌊budget/2 / 64 MiB⌋). At 2 GiB that is 64 + 4 buffers (512 MiB); from 32 GiB on
 * it equals 3FS's defaults (1024 + 64). The other ¾ of the limit is left to the chunk engine, queues and
 * coroutines.
 * @param storageMemoryBytes the container's memory limit (≥ MIN_STORAGE_MEMORY_BYTES)
 */
export function storageBufferPool(storageMemoryBytes: number): BufferPoolToml {
  const budget = Math.min(Math.floor(storageMemoryBytes * RDMA_BUFFER_FRACTION), MAX_RDMA_BUFFER_BYTES);
  return {
    rdmabuf_size: "4MB",
    rdmabuf_count: Math.floor(budget / 2 / (4 * MIB)),
    big_rdmabuf_size: "64MB",
    big_rdmabuf_count: Math.floor(budget / 2 / (64 * MIB)),
  };
}

/**
 * Checks a 3FS cluster id. It must be shorter than 32 characters (3FS uses it as the FUSE file system
 * name, which the kernel caps) and use lowercase letters, digits and '-', starting with a letter or
 * digit: it also tags FDB keys and node registrations, is passed as a flag value, and names Kubernetes
 * objects, so the charset is the intersection of a DNS label and a safe TOML/shell word. The stack
 * config checks `threefs:fs.clusterId` with this function.
 * @returns undefined when valid, else the rule broken, without a subject (callers prefix their key)
 */
export function validateClusterId(id: string): string | undefined {
  if (id.length === 0) return "must not be empty";
  if (id.length >= 32) return `must be shorter than 32 characters (it becomes the FUSE fs name); "${id}" has ${id.length}`;
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) return `may use lowercase letters, digits and '-' and must start with a letter or digit; got "${id}"`;
  return undefined;
}

/** An address as 3FS's (DNS-resolving) images take it: `RDMA://host:port` or `TCP://host:port`. */
const ADDRESS_RE = /^(RDMA|TCP):\/\/[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?:([1-9][0-9]{0,4})$/;
const ABS_PATH_RE = /^\/[A-Za-z0-9._/-]+$/;
const IPV4_PORT_RE = /^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9]):([1-9][0-9]{0,4})$/;

/** Where the mgmtd pods are: the StatefulSet governed by a headless Service. */
export interface MgmtdEndpointsInput {
  /** mgmtd StatefulSet name (pod names are `<statefulSet>-<ordinal>`). */
  statefulSet: string;
  /** The headless Service governing the StatefulSet (gives each pod a DNS name). */
  service: string;
  /** Namespace of both. */
  namespace: string;
  /** mgmtd replicas (1–5); ordinals start at NODE_ID_BASE.mgmtd (1). */
  replicas: number;
  /** Cluster DNS domain. Default "cluster.local" (ACK's default). */
  clusterDomain?: string;
}

/**
 * mgmtd addresses, one per pod: `RDMA://<sts>-<i>.<svc>.<ns>.svc.<domain>:8000`. Per-pod names rather
 * than the Service name: a client walks the list and switches to the next address on a network error,
 * so one entry per mgmtd keeps each reachable even while another pod's record is missing. The images
 * re-resolve names, so a rescheduled pod's new IP is found. Set `publishNotReadyAddresses: true` on
 * the headless Service so names resolve before readiness.
 */
export function mgmtdAddresses(input: MgmtdEndpointsInput): string[] {
  const domain = input.clusterDomain ?? "cluster.local";
  const addresses: string[] = [];
  for (let i = 0; i < input.replicas; i++) {
    const host = `${input.statefulSet}-${NODE_ID_BASE.mgmtd + i}.${input.service}.${input.namespace}.svc.${domain}`;
    addresses.push(`RDMA://${host}:${PORTS.mgmtd.rdma}`);
  }
  return addresses;
}

/**
 * Every problem with a config input, one line each (empty when valid).
 */
export function validateThreeFsConfigInput(input: ThreeFsConfigInput): string[] {
  const out: string[] = [];
  const id = validateClusterId(input.clusterId);
  if (id) out.push(`clusterId: ${id}`);
  if (input.mgmtdAddresses.length === 0) out.push("mgmtdAddresses: at least one mgmtd address is needed");
  for (const a of input.mgmtdAddresses) {
    const m = ADDRESS_RE.exec(a);
    if (!m || Number(m[3]) > 65535) out.push(`mgmtdAddresses: "${a}" is not RDMA://host:port or TCP://host:port`);
  }
  if (!Number.isInteger(input.disksPerNode) || input.disksPerNode < 1 || input.disksPerNode > 256) out.push(`disksPerNode: must be an integer 1–256, got ${input.disksPerNode}`);
  if (!Number.isSafeInteger(input.storageMemoryBytes) || input.storageMemoryBytes < MIN_STORAGE_MEMORY_BYTES) {
    out.push(`storageMemoryBytes: the storage memory limit must be at least 2 GiB (RDMA buffers take up to a quarter), got ${input.storageMemoryBytes}`);
  }
  const collector = input.monitorCollector === undefined ? undefined : IPV4_PORT_RE.exec(input.monitorCollector);
  if (collector === null || (collector && Number(collector[4]) > 65535)) out.push(`monitorCollector: expected ipv4:port (3FS does not resolve names here), got "${input.monitorCollector}"`);
  for (const [key, p] of [["mountpoint", input.mountpoint], ["tokenFile", input.tokenFile], ["fdbClusterFile", input.fdbClusterFile]] as const) {
    if (p !== undefined && !ABS_PATH_RE.test(p)) out.push(`${key}: expected an absolute path of [A-Za-z0-9._/-], got "${p}"`);
  }
  return out;
}

/**
 * Renders every 3FS config file of the cluster.
 * @returns file name → TOML text
 * @throws Error listing every input problem (see validateThreeFsConfigInput)
 */
export function renderThreeFsConfigs(input: ThreeFsConfigInput): Record<ThreeFsConfigFileName, string> {
  const problems = validateThreeFsConfigInput(input);
  if (problems.length > 0) throw new Error(`invalid 3FS config input:\n  ${problems.join("\n  ")}`);
  const fdb = { clusterFile: input.fdbClusterFile ?? FDB_CLUSTER_FILE };
  const addresses = [...input.mgmtdAddresses];
  const common = commonSection(input.monitorCollector);
  const allowDev = input.allowDevVersion ?? true;

  const mgmtd: MgmtdMainToml = { common, server: { base: { groups: serviceGroups("Mgmtd", PORTS.mgmtd) } } };
  const meta: MetaMainToml = {
    common,
    server: {
      base: { groups: serviceGroups("MetaSerde", PORTS.meta) },
      background_client: erdmaIoWorker(),
      mgmtd_client: { mgmtd_server_addresses: addresses },
      storage_client: erdmaStorageClient(),
      kv_engine: { fdb },
    },
  };
  const storage: StorageMainToml = {
    common,
    server: {
      base: { groups: serviceGroups("StorageSerde", PORTS.storage) },
      client: erdmaIoWorker(),
      forward_client: erdmaIoWorker(),
      mgmtd: { mgmtd_server_addresses: addresses },
      buffer_pool: storageBufferPool(input.storageMemoryBytes),
      targets: { target_paths: Array.from({ length: input.disksPerNode }, (_, i) => targetPath(i)) },
    },
  };
  const fuse: FuseMainToml = { common, client: erdmaIoWorker(), mgmtd: { mgmtd_server_addresses: addresses }, storage: erdmaStorageClient() };
  const adminCli: AdminCliToml = {
    cluster_id: input.clusterId,
    log: ADMIN_CLI_LOG,
    client: erdmaIoWorker(),
    storage_client: erdmaStorageClient(),
    mgmtd_client: { mgmtd_server_addresses: addresses },
    fdb,
  };
  const mgmtdLauncher: MgmtdLauncherToml = { allow_dev_version: allowDev, kv_engine: { fdb } };
  const serverLauncher: ServerLauncherToml = { allow_dev_version: allowDev, client: erdmaIoWorker() };
  const fuseLauncher: FuseLauncherToml = {
    mountpoint: input.mountpoint ?? DEFAULT_MOUNT_PATH,
    token_file: input.tokenFile ?? TOKEN_FILE,
    client: erdmaIoWorker(),
  };
  return {
    "mgmtd_main.toml": toml(mgmtd),
    "meta_main.toml": toml(meta),
    "storage_main.toml": toml(storage),
    "hf3fs_fuse_main.toml": toml(fuse),
    "admin_cli.toml": toml(adminCli),
    "mgmtd_main_launcher.toml": toml(mgmtdLauncher),
    "meta_main_launcher.toml": toml(serverLauncher),
    "storage_main_launcher.toml": toml(serverLauncher),
    "hf3fs_fuse_main_launcher.toml": toml(fuseLauncher),
  };
}

/** smol-toml writes JS integers as TOML integers (3FS distinguishes them from floats); no floats here. */
function toml(doc: object): string {
  return stringify(doc);
}
