/**
 * Renders the 3FS config files of one cluster. Each file is written WHOLE: the file 3FS ships for the
 * images' commit (shipped.ts, lib/threefs/shipped/configs.json) with the program's overrides applied
 * (tomlMerge.ts; every change and its reason in tomlSections.ts OVERRIDE_REASONS). A sparse file would
 * leave every omitted key at its C++ default, which can differ from the shipped value every 3FS
 * deployment runs with (mgmtd's `allow_heartbeat_from_unregistered` is false in code and true in the
 * shipped file; without it no meta or storage node ever registers). The files become ConfigMap data,
 * mounted at CONFIG_DIR; their keys are 3FS's own file names.
 *
 * Which files: each service reads its main config with `--cfg` (so mgmtd never pushes configs) and
 * FUSE likewise. The launcher files are needed too: mgmtd, meta, storage and FUSE load `--launcher_cfg`
 * unconditionally (src/core/app/ServerLauncher.h:35-36) and the images' own launcher files are bypassed
 * once the workload sets `command`. They carry the cluster id and the mgmtd addresses; only the node id
 * travels as a flag (args.ts), being per pod. The `*_app.toml` files are not rendered: an empty
 * `--app_cfg` (the default, src/common/app/gflags.cc:5) leaves the app config at its defaults, and its
 * one key that matters, `node_id`, comes from `--app_config.node_id`.
 *
 * Pure module: no cloud SDK imports.
 */
import { DEFAULT_MOUNT_PATH, FDB_CLUSTER_FILE, PORTS, TOKEN_FILE, targetPath } from "./constants";
import type { ShippedFileName } from "./shipped";
import { renderMerged, type Override } from "./tomlMerge";
import { ADMIN_CLI_LOG, commonSection, erdmaIoWorker, erdmaStorageClient, serviceGroups } from "./tomlSections";

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
/** `[server.buffer_pool]` of storage: the registered RDMA buffers (see storageBufferPool). */
export interface BufferPoolToml {
  rdmabuf_size: string;
  rdmabuf_count: number;
  big_rdmabuf_size: string;
  big_rdmabuf_count: number;
}

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

/** Where the mgmtd pods are: the headless Service governing their StatefulSet. */
export interface MgmtdEndpointsInput {
  /** The headless Service of the mgmtd StatefulSet (publishNotReadyAddresses: true). */
  service: string;
  /** Its namespace. */
  namespace: string;
  /** Cluster DNS domain. Default "cluster.local" (ACK's default). */
  clusterDomain?: string;
}

/**
 * The mgmtd address list every 3FS process and admin_cli gets: ONE entry, the headless Service's name,
 * `RDMA://<svc>.<ns>.svc.<domain>:8000`, which resolves to the IP of every mgmtd pod that exists
 * (publishNotReadyAddresses), ready or not.
 *
 * Not one name per pod: the images' mgmtd client resolves every entry of `mgmtd_server_addresses` before
 * it connects and fails if any one does not resolve (`verifyAddresses`, RETURN_ON_ERROR per entry,
 * src/client/mgmtd/MgmtdClient.cc:431,467-476 of AliyunContainerService/alibabacloud-3FS ab363af;
 * NamedAddress::resolve → getaddrinfo, src/common/utils/NamedAddress.cc:11-19), so a per-pod name of a
 * Pending mgmtd pod would stop admin_cli, every restarting service and every new FUSE pod. The Service
 * name fails only when no mgmtd pod exists at all. Alibaba's chart uses the Service name too
 * (deploy/container/chart/templates/storage.yaml, `mgmtd_server_addresses`). The client then probes each
 * resolved address for the primary (MgmtdClient.cc:433).
 */
export function mgmtdAddresses(input: MgmtdEndpointsInput): string[] {
  const domain = input.clusterDomain ?? "cluster.local";
  return [`RDMA://${input.service}.${input.namespace}.svc.${domain}:${PORTS.mgmtd.rdma}`];
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
 * What the program sets in each file, as overrides of the shipped files (every change has a reason in
 * OVERRIDE_REASONS). Exposed so tests can list each change against the shipped value.
 * @throws Error listing every input problem (see validateThreeFsConfigInput)
 */
export function threeFsConfigOverrides(input: ThreeFsConfigInput): Record<ThreeFsConfigFileName, Override> {
  const problems = validateThreeFsConfigInput(input);
  if (problems.length > 0) throw new Error(`invalid 3FS config input:\n  ${problems.join("\n  ")}`);
  const clusterFile = input.fdbClusterFile ?? FDB_CLUSTER_FILE;
  const addresses = { mgmtd_server_addresses: [...input.mgmtdAddresses] };
  const common = (file: ShippedFileName) => commonSection(file, input.monitorCollector);
  const allowDev = input.allowDevVersion ?? true;
  const launcher = { allow_dev_version: allowDev, cluster_id: input.clusterId };
  return {
    "mgmtd_main.toml": { common: common("mgmtd_main.toml"), server: { base: { groups: serviceGroups(PORTS.mgmtd) } } },
    "meta_main.toml": {
      common: common("meta_main.toml"),
      server: {
        base: { groups: serviceGroups(PORTS.meta) },
        background_client: erdmaIoWorker(),
        mgmtd_client: addresses,
        storage_client: erdmaStorageClient(),
        // Both FDB sections name the same file: the shipped meta config has a legacy `fdb` table besides
        // `kv_engine.fdb`, and an empty path would fall back to libfdb_c's search order.
        fdb: { clusterFile },
        kv_engine: { fdb: { clusterFile } },
      },
    },
    "storage_main.toml": {
      common: common("storage_main.toml"),
      server: {
        base: { groups: serviceGroups(PORTS.storage) },
        client: erdmaIoWorker(),
        forward_client: erdmaIoWorker(),
        mgmtd: addresses,
        buffer_pool: { ...storageBufferPool(input.storageMemoryBytes) },
        targets: { target_paths: Array.from({ length: input.disksPerNode }, (_, i) => targetPath(i)) },
      },
    },
    "hf3fs_fuse_main.toml": { common: common("hf3fs_fuse_main.toml"), client: erdmaIoWorker(), mgmtd: addresses, storage: erdmaStorageClient() },
    "admin_cli.toml": {
      cluster_id: input.clusterId,
      log: ADMIN_CLI_LOG,
      client: erdmaIoWorker(),
      storage_client: erdmaStorageClient(),
      mgmtd_client: addresses,
      fdb: { clusterFile },
    },
    "mgmtd_main_launcher.toml": { ...launcher, fdb: { clusterFile }, kv_engine: { fdb: { clusterFile } } },
    "meta_main_launcher.toml": { ...launcher, client: erdmaIoWorker(), mgmtd_client: addresses },
    "storage_main_launcher.toml": { ...launcher, client: erdmaIoWorker(), mgmtd_client: addresses },
    "hf3fs_fuse_main_launcher.toml": {
      cluster_id: input.clusterId,
      mountpoint: input.mountpoint ?? DEFAULT_MOUNT_PATH,
      token_file: input.tokenFile ?? TOKEN_FILE,
      client: erdmaIoWorker(),
      mgmtd_client: addresses,
    },
  };
}

/** The files renderThreeFsConfigs writes, in ConfigMap order. */
export const THREEFS_CONFIG_FILES: readonly ThreeFsConfigFileName[] = [
  "mgmtd_main.toml",
  "meta_main.toml",
  "storage_main.toml",
  "hf3fs_fuse_main.toml",
  "admin_cli.toml",
  "mgmtd_main_launcher.toml",
  "meta_main_launcher.toml",
  "storage_main_launcher.toml",
  "hf3fs_fuse_main_launcher.toml",
];

/**
 * Renders every 3FS config file of the cluster: each is the shipped file of the images' commit with the
 * overrides of threeFsConfigOverrides applied (tomlMerge.ts), so no key takes a C++ default that differs
 * from what 3FS is deployed with.
 * @returns file name → TOML text
 * @throws Error listing every input problem (see validateThreeFsConfigInput)
 */
export function renderThreeFsConfigs(input: ThreeFsConfigInput): Record<ThreeFsConfigFileName, string> {
  const overrides = threeFsConfigOverrides(input);
  const out = {} as Record<ThreeFsConfigFileName, string>;
  for (const file of THREEFS_CONFIG_FILES) out[file] = renderMerged(file, overrides[file]);
  return out;
}
