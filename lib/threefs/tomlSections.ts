/**
 * The parts of the 3FS config files this program decides, as overrides of the shipped files (see
 * tomlMerge.ts), and the builders for the sections several files share. Every key changed from its
 * shipped value is listed, with the reason, in OVERRIDE_REASONS (tested: a change without a reason fails).
 *
 * Pure module: no cloud SDK imports.
 */
import { shippedIndex, tablesFrom, type Override, type TableArrayOverride } from "./tomlMerge";
import type { ShippedFileName } from "./shipped";

/** An io_worker whose RDMA sockets use one scatter/gather element (eRDMA; see OVERRIDE_REASONS). */
export function erdmaIoWorker(): Override {
  return { io_worker: { ibsocket: { max_sge: 1 } } };
}

/** Both net clients of a storage client, eRDMA-safe. */
export function erdmaStorageClient(): Override {
  return { net_client: erdmaIoWorker(), net_client_for_updates: erdmaIoWorker() };
}

/**
 * The two service groups of a 3FS server, element for element over the shipped ones (RDMA group first,
 * TCP `Core` group second, as in every shipped *_main.toml): eRDMA-safe sockets and the ports the
 * Kubernetes Services expose (equal to the shipped ports; written so a change of either is caught).
 */
export function serviceGroups(ports: { rdma: number; tcp: number }): TableArrayOverride {
  return tablesFrom([
    { from: 0, set: { network_type: "RDMA", listener: { listen_port: ports.rdma }, ...erdmaIoWorker() } },
    { from: 1, set: { network_type: "TCP", listener: { listen_port: ports.tcp }, ...erdmaIoWorker() } },
  ]);
}

/**
 * `[common]` of a server or FUSE main file: logs to the container's streams, metrics to a collector or
 * the log.
 * - log: one root category feeding `normal` (everything, stdout) and `fatal` (FATAL only, stderr, the
 *   shipped synchronous handler, so a crash reason is never lost in an async buffer); built from the
 *   shipped elements of the same names. meta's `eventlog` category and its EVENT file writer are dropped,
 *   as Alibaba's chart does (deploy/container/chart/templates/meta.yaml): its events go to stdout.
 * - monitor: the shipped file reports to a `monitor_collector` with an empty `remote_ip`, which the
 *   operator is meant to fill in; with a collector configured the program sets its address, otherwise it
 *   reports to the log every 60 s as the chart does (3FS's 1 s period would flood the log).
 * @param file the main file (element positions are looked up by name in it)
 * @param monitorCollector `ipv4:port` of a 3FS monitor_collector, or undefined
 */
export function commonSection(file: ShippedFileName, monitorCollector: string | undefined): Override {
  const handler = (name: string) => shippedIndex(file, "common.log.handlers", "name", name);
  const log: Override = {
    categories: tablesFrom([{ from: 0, set: { categories: ["."], level: "INFO", inherit: true, propagate: "NONE", handlers: ["normal", "fatal"] } }]),
    handlers: tablesFrom([
      { from: handler("normal"), set: { name: "normal", writer_type: "STREAM", stream_type: "STDOUT", start_level: "NONE" } },
      { from: handler("fatal"), set: { name: "fatal", writer_type: "STREAM", stream_type: "STDERR", start_level: "FATAL" } },
    ]),
  };
  const monitor: Override =
    monitorCollector === undefined
      ? { collect_period: "60s", reporters: tablesFrom([{ from: 0, set: { type: "log" } }]) }
      : { reporters: tablesFrom([{ from: 0, set: { type: "monitor_collector", monitor_collector: { remote_ip: monitorCollector } } }]) };
  return { log, monitor };
}

/**
 * admin_cli's folly log config (`<root level>:<handler>; <handler>=<type>:<options>`, the syntax of the
 * shipped value): warnings and errors to stderr, so stdout carries only command output (the Jobs parse
 * it). The shipped value writes DBG to /var/log/3fs/cli.log, which the images do not create.
 */
export const ADMIN_CLI_LOG = "WARN:default; default=stream:stream=stderr";

/**
 * Why each key differs from the shipped file: file → key pattern (`[]` matches any array index; a pattern
 * ending in `[]` is an array of tables whose elements were chosen differently) → one line. Keys the
 * program writes with the shipped value need no entry; a test fails for any change without one
 * (`overrideChanges`), and for an entry no rendered file uses.
 */
export const OVERRIDE_REASONS: Readonly<Record<string, Readonly<Record<string, string>>>> = (() => {
  const common = {
    "common.log.categories[].handlers": "the file handlers are replaced by container streams (kubectl logs)",
    "common.log.handlers[].writer_type": "log to the container's stdout/stderr; /var/log/3fs is neither created nor kept by the images",
    "common.log.handlers[].stream_type": "normal → stdout, fatal → stderr",
    "common.log.handlers[]": "two stream handlers, the shipped normal and fatal, replace the shipped set (err's copy of errors is not needed on a stream)",
    "common.monitor.collect_period": "metrics to the log every 60 s, as Alibaba's chart does; 1 s floods the log",
    "common.monitor.reporters[].type": "the shipped collector has no address; report to the log unless threefs:fs.monitorCollector is set",
    "common.monitor.reporters[].monitor_collector.remote_ip": "the configured monitor collector (threefs:fs.monitorCollector)",
  };
  const sge = "eRDMA devices refuse queue pairs with more SGEs than they support; the shipped 16 fails, Alibaba's chart sets 1";
  const addresses = "the mgmtd headless Service (resolves while any mgmtd pod exists; the shipped list is empty)";
  const fdb = "the FDB operator's cluster file, mounted at /etc/foundationdb/fdb.cluster";
  const clusterId = "the stack's 3FS cluster id (threefs:fs.clusterId)";
  return {
    "mgmtd_main.toml": { ...common, "server.base.groups[].io_worker.ibsocket.max_sge": sge },
    "meta_main.toml": {
      ...common,
      "common.log.categories[]": "meta's eventlog category is dropped with its EVENT file writer, as in Alibaba's chart (events go to stdout)",
      "server.base.groups[].io_worker.ibsocket.max_sge": sge,
      "server.background_client.io_worker.ibsocket.max_sge": sge,
      "server.storage_client.net_client.io_worker.ibsocket.max_sge": sge,
      "server.storage_client.net_client_for_updates.io_worker.ibsocket.max_sge": sge,
      "server.mgmtd_client.mgmtd_server_addresses": addresses,
      "server.fdb.clusterFile": fdb,
      "server.kv_engine.fdb.clusterFile": fdb,
    },
    "storage_main.toml": {
      ...common,
      "server.base.groups[].io_worker.ibsocket.max_sge": sge,
      "server.client.io_worker.ibsocket.max_sge": sge,
      "server.forward_client.io_worker.ibsocket.max_sge": sge,
      "server.mgmtd.mgmtd_server_addresses": addresses,
      "server.buffer_pool.rdmabuf_count": "sized to the storage container's memory limit (storageBufferPool); the shipped 8 GiB of pinned buffers would not fit small pods",
      "server.buffer_pool.big_rdmabuf_count": "sized to the storage container's memory limit (storageBufferPool)",
      "server.targets.target_paths": "one target path per EED disk mount (/var/3fs/data<i>)",
    },
    "hf3fs_fuse_main.toml": {
      ...common,
      "client.io_worker.ibsocket.max_sge": sge,
      "storage.net_client.io_worker.ibsocket.max_sge": sge,
      "storage.net_client_for_updates.io_worker.ibsocket.max_sge": sge,
      "mgmtd.mgmtd_server_addresses": addresses,
    },
    "admin_cli.toml": {
      cluster_id: clusterId,
      log: "warnings to stderr so stdout carries only command output; the shipped log file directory does not exist",
      "client.io_worker.ibsocket.max_sge": sge,
      "storage_client.net_client.io_worker.ibsocket.max_sge": sge,
      "storage_client.net_client_for_updates.io_worker.ibsocket.max_sge": sge,
      "mgmtd_client.mgmtd_server_addresses": addresses,
      "fdb.clusterFile": fdb,
    },
    "mgmtd_main_launcher.toml": { cluster_id: clusterId, "fdb.clusterFile": fdb, "kv_engine.fdb.clusterFile": fdb },
    "meta_main_launcher.toml": { cluster_id: clusterId, "client.io_worker.ibsocket.max_sge": sge, "mgmtd_client.mgmtd_server_addresses": addresses },
    "storage_main_launcher.toml": { cluster_id: clusterId, "client.io_worker.ibsocket.max_sge": sge, "mgmtd_client.mgmtd_server_addresses": addresses },
    "hf3fs_fuse_main_launcher.toml": {
      cluster_id: clusterId,
      "client.io_worker.ibsocket.max_sge": sge,
      "mgmtd_client.mgmtd_server_addresses": addresses,
      mountpoint: "the FUSE mount point on client nodes (threefs:fs.mountPath)",
      token_file: "the token Secret's file, mounted at /etc/3fs-token/token",
    },
  };
})();
