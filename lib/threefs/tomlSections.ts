/**
 * Typed shapes of the (sparse) 3FS TOML files this program renders, and builders for the sections
 * several files share.
 *
 * Field names are 3FS's own keys (snake_case, `clusterFile` as 3FS spells it); every key here exists
 * in 3FS's default config of the same file with the same TOML type (checked by
 * test/threefs-config/keys.test.ts against a fixture generated from 3FS's `configs/`). 3FS merges a
 * file over its built-in defaults, so only the keys we decide are present:
 * - arrays of tables (`[[server.base.groups]]`) are merged element by element (3FS keeps them in a
 *   fixed-capacity array of config objects, one section per index), so a group entry lists only what
 *   we set; `network_type` and `services` are repeated anyway so a reader sees which group is which;
 * - `common.log.categories` / `common.log.handlers` are plain lists that replace the defaults, so
 *   their elements are complete.
 *
 * Pure module: no cloud SDK imports.
 */

/** folly log level names as 3FS's config accepts them. */
export type LogLevel = "NONE" | "DBG" | "INFO" | "WARN" | "ERR" | "CRITICAL" | "FATAL";

/** One `[[common.log.categories]]` entry. */
export interface LogCategoryToml {
  categories: string[];
  level: LogLevel;
  inherit: boolean;
  propagate: LogLevel;
  handlers: string[];
}

/** One `[[common.log.handlers]]` entry writing to the container's stdout or stderr. */
export interface StreamLogHandlerToml {
  name: string;
  writer_type: "STREAM";
  stream_type: "STDOUT" | "STDERR";
  start_level: LogLevel;
}

/** One `[[common.monitor.reporters]]` entry: 3FS's metric reporter. */
export type MonitorReporterToml = { type: "log" } | { type: "monitor_collector"; monitor_collector: { remote_ip: string } };

/** `[common]` of a server or FUSE main file. */
export interface CommonToml {
  log: { categories: LogCategoryToml[]; handlers: StreamLogHandlerToml[] };
  monitor: { collect_period?: string; reporters: MonitorReporterToml[] };
}

/** Any section with an RDMA `io_worker` (a net client or a service group). */
export interface IoWorkerToml {
  io_worker: { ibsocket: { max_sge: number } };
}

/** One `[[server.base.groups]]` entry: a listener and the services behind it. */
export interface ServiceGroupToml extends IoWorkerToml {
  network_type: "RDMA" | "TCP";
  services: string[];
  listener: { listen_port: number };
}

/** A mgmtd client section (`[server.mgmtd_client]`, `[server.mgmtd]`, `[mgmtd]`, `[mgmtd_client]`). */
export interface MgmtdClientToml {
  mgmtd_server_addresses: string[];
}

/** An FDB client section. */
export interface FdbToml {
  clusterFile: string;
}

/** A storage client with its two net clients (meta's `server.storage_client`, FUSE's `storage`, …). */
export interface StorageClientToml {
  net_client: IoWorkerToml;
  net_client_for_updates: IoWorkerToml;
}

/** `[server.buffer_pool]` of storage: the registered RDMA buffers (see storageBufferPool). */
export interface BufferPoolToml {
  rdmabuf_size: string;
  rdmabuf_count: number;
  big_rdmabuf_size: string;
  big_rdmabuf_count: number;
}

/** mgmtd_main.toml */
export interface MgmtdMainToml {
  common: CommonToml;
  server: { base: { groups: ServiceGroupToml[] } };
}

/** meta_main.toml */
export interface MetaMainToml {
  common: CommonToml;
  server: {
    base: { groups: ServiceGroupToml[] };
    background_client: IoWorkerToml;
    mgmtd_client: MgmtdClientToml;
    storage_client: StorageClientToml;
    kv_engine: { fdb: FdbToml };
  };
}

/** storage_main.toml */
export interface StorageMainToml {
  common: CommonToml;
  server: {
    base: { groups: ServiceGroupToml[] };
    client: IoWorkerToml;
    forward_client: IoWorkerToml;
    mgmtd: MgmtdClientToml;
    buffer_pool: BufferPoolToml;
    targets: { target_paths: string[] };
  };
}

/** hf3fs_fuse_main.toml */
export interface FuseMainToml {
  common: CommonToml;
  client: IoWorkerToml;
  mgmtd: MgmtdClientToml;
  storage: StorageClientToml;
}

/** admin_cli.toml (admin_cli has no launcher: everything, cluster id included, is in this one file). */
export interface AdminCliToml {
  cluster_id: string;
  /** folly logging config string (admin_cli's own format, not the `[common.log]` tables). */
  log: string;
  client: IoWorkerToml;
  storage_client: StorageClientToml;
  mgmtd_client: MgmtdClientToml;
  fdb: FdbToml;
}

/** mgmtd_main_launcher.toml (mgmtd's launcher has no mgmtd client and no net client). */
export interface MgmtdLauncherToml {
  allow_dev_version: boolean;
  kv_engine: { fdb: FdbToml };
}

/** meta_main_launcher.toml and storage_main_launcher.toml. */
export interface ServerLauncherToml {
  allow_dev_version: boolean;
  client: IoWorkerToml;
}

/** hf3fs_fuse_main_launcher.toml */
export interface FuseLauncherToml {
  mountpoint: string;
  token_file: string;
  client: IoWorkerToml;
}

/**
 * An io_worker whose RDMA sockets use one scatter/gather element. eRDMA devices reject queue pairs
 * with more SGEs than they support (3FS's default is 16), so every io_worker sets max_sge = 1.
 */
export function erdmaIoWorker(): IoWorkerToml {
  return { io_worker: { ibsocket: { max_sge: 1 } } };
}

/** Both net clients of a storage client, eRDMA-safe. */
export function erdmaStorageClient(): StorageClientToml {
  return { net_client: erdmaIoWorker(), net_client_for_updates: erdmaIoWorker() };
}

/**
 * The two service groups of a 3FS server, in 3FS's order: the RDMA group serving `service` and the
 * TCP group serving `Core`. Ports are always written (not only meta's) so the files and the
 * Kubernetes Services read the same constants.
 */
export function serviceGroups(service: string, ports: { rdma: number; tcp: number }): ServiceGroupToml[] {
  return [
    { network_type: "RDMA", services: [service], listener: { listen_port: ports.rdma }, ...erdmaIoWorker() },
    { network_type: "TCP", services: ["Core"], listener: { listen_port: ports.tcp }, ...erdmaIoWorker() },
  ];
}

/**
 * `[common]`: logs to the container's streams instead of /var/log/3fs files, and metrics.
 * One root category feeds `normal` (everything, stdout) and `fatal` (FATAL only, stderr — 3FS's default
 * keeps the same synchronous stderr copy so a crash reason is never lost in an async buffer).
 * Metrics go to the monitor collector when one is configured, else to the log every 60 s (3FS's 1 s
 * default would flood the log).
 * @param monitorCollector `ipv4:port` of a 3FS monitor_collector, or undefined
 */
export function commonSection(monitorCollector: string | undefined): CommonToml {
  const log = {
    categories: [{ categories: ["."], level: "INFO" as const, inherit: true, propagate: "NONE" as const, handlers: ["normal", "fatal"] }],
    handlers: [
      { name: "normal", writer_type: "STREAM" as const, stream_type: "STDOUT" as const, start_level: "NONE" as const },
      { name: "fatal", writer_type: "STREAM" as const, stream_type: "STDERR" as const, start_level: "FATAL" as const },
    ],
  };
  const monitor: CommonToml["monitor"] =
    monitorCollector === undefined
      ? { collect_period: "60s", reporters: [{ type: "log" }] }
      : { reporters: [{ type: "monitor_collector", monitor_collector: { remote_ip: monitorCollector } }] };
  return { log, monitor };
}

/**
 * admin_cli's folly log config (`<root level>:<handler>; <handler>=<type>:<options>`, the syntax of
 * 3FS's own default): warnings and errors to stderr, so stdout carries only command output (the
 * bootstrap script parses it). 3FS's default writes to a file under /var/log/3fs, which does not exist
 * in the container.
 */
export const ADMIN_CLI_LOG = "WARN:default; default=stream:stream=stderr";
