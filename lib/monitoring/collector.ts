/**
 * 3FS's monitor collector (monitor_collector_main): its config file, rendered whole from the shipped
 * configs/monitor_collector_main.toml of the images' commit with typed overrides (tomlMerge.ts), and the
 * fixed ClusterIP of its Service, which every 3FS process reports to.
 *
 * Why a fixed ClusterIP: the reporter parses `remote_ip` with `net::Address::fromString` (an IPv4
 * literal and port, src/common/monitor/MonitorCollectorClient.cc:11-16 of alibabacloud-3FS ab363af), so
 * a Service name is not accepted; the address must be known when the 3FS config files are rendered,
 * before any Service exists. Kubernetes lets a Service ask for a `clusterIP` inside the service CIDR, and
 * reserves the lower band of the range for such static picks: dynamic allocation uses the upper band
 * first, so a static address there only collides with another static one
 * (https://kubernetes.io/docs/concepts/services-networking/cluster-ip-allocation, KEP-3070; band size
 * min(max(16, size/16), 256)).
 *
 * The image: aliyun/kvc-3fs-operator's monitor image runs monitor_collector_main with
 * docker/threefs/monitor_collector_main.toml, whose keys are exactly those of the shipped file here (same
 * set; values differ only in cluster id, ClickHouse target, tcp_connect_timeout and max_sge), so that
 * binary accepts every key this renderer writes.
 *
 * Pure module: no cloud SDK imports.
 */
import { parseCidr, size, type Cidr } from "../network/cidr";
import { erdmaIoWorker } from "../threefs/tomlSections";
import { renderMerged, shippedIndex, tablesFrom, type Override } from "../threefs/tomlMerge";

/** The collector's TCP listener (the shipped `server.base.groups[0].listener.listen_port`). */
export const COLLECTOR_PORT = 10000;

/** Offsets in the service CIDR that installers give well-known Services: .1 `kubernetes`, .10 cluster DNS. */
export const RESERVED_SERVICE_OFFSETS: ReadonlyMap<number, string> = new Map([
  [0, "the network address"],
  [1, "the `kubernetes` API Service (always the first address, https://kubernetes.io/docs/tasks/network/extend-service-ip-ranges/)"],
  [10, "the cluster DNS Service by installer convention (kube-dns on ACK)"],
]);

/** Size of the lower, static band of a service CIDR (the KEP-3070 formula). */
export function staticBandSize(cidr: Cidr): number {
  const n = size(cidr);
  if (n <= 16) return 0;
  return Math.min(Math.max(16, Math.floor(n / 16)), 256);
}

function formatIp(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/**
 * The collector Service's ClusterIP: `offset` addresses into the service CIDR.
 * @returns the address, or a one-line problem (inside the CIDR, in the static band, not a well-known address)
 */
export function collectorClusterIp(serviceCidr: string, offset: number): string | { problem: string } {
  const cidr = parseCidr(serviceCidr);
  if (typeof cidr === "string") return { problem: cidr };
  const band = staticBandSize(cidr);
  if (!Number.isInteger(offset) || offset < 1 || offset > band) {
    return { problem: `offset ${offset} is outside the static band 1–${band} of ${serviceCidr} (Kubernetes allocates dynamic ClusterIPs from the rest first; a static address there can collide)` };
  }
  const reserved = RESERVED_SERVICE_OFFSETS.get(offset);
  if (reserved) return { problem: `offset ${offset} is ${reserved}` };
  return formatIp(cidr.base + offset);
}

/**
 * 3FS's address rule for `monitor_collector.remote_ip`: `a.b.c.d:port`, each octet 0–255, port 1–65535
 * (the IPv4 form `net::Address::fromString` parses; names are not resolved there). The schema's
 * `threefs:fs.monitorCollector` uses the same expression.
 */
export const COLLECTOR_ADDRESS_RE =
  /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}:([1-9]\d{0,3}|[1-5]\d{4}|6[0-4]\d{3}|65[0-4]\d{2}|655[0-2]\d|6553[0-5])$/;

/** True when `value` passes 3FS's address rule (COLLECTOR_ADDRESS_RE). */
export function isCollectorAddress(value: string): boolean {
  return COLLECTOR_ADDRESS_RE.test(value);
}

/** The address the 3FS services report to when the in-cluster pipeline runs (`ip:port`), else undefined. */
export function collectorAddressFor(monitoring: { enabled: boolean; collectorIpOffset: number }, serviceCidr: string): string | undefined {
  if (!monitoring.enabled) return undefined;
  const ip = collectorClusterIp(serviceCidr, monitoring.collectorIpOffset);
  return typeof ip === "string" ? `${ip}:${COLLECTOR_PORT}` : undefined;
}

/** Where the collector writes: ClickHouse's native protocol (clickhouse-cpp, ClickHouseClient.cc:18-25). */
export interface ClickHouseTarget {
  /** Host name or address (clickhouse-cpp resolves names). */
  host: string;
  /** Native TCP port. */
  port: number;
  user: string;
  password: string;
  /** Database of the `counters` and `distributions` tables (the schema's `3fs`). */
  database: string;
}

/** Inputs of {@link renderCollectorConfig}. */
export interface CollectorConfigInput {
  clusterId: string;
  clickhouse: ClickHouseTarget;
}

const FILE = "monitor_collector_main.toml" as const;

/**
 * The collector's overrides of the shipped file. Each changed key has its reason in
 * COLLECTOR_OVERRIDE_REASONS (tested: a change without a reason fails).
 */
export function collectorOverride(input: CollectorConfigInput): Override {
  const handler = (name: string) => shippedIndex(FILE, "common.log.handlers", "name", name);
  const ch = input.clickhouse;
  return {
    common: {
      cluster_id: input.clusterId,
      log: {
        categories: tablesFrom([{ from: 0, set: { handlers: ["normal", "fatal"] } }]),
        handlers: tablesFrom([
          { from: handler("normal"), set: { writer_type: "STREAM", stream_type: "STDOUT" } },
          { from: handler("fatal"), set: { writer_type: "STREAM", stream_type: "STDERR" } },
        ]),
      },
    },
    server: {
      base: { groups: tablesFrom([{ from: 0, set: { network_type: "TCP", listener: { listen_port: COLLECTOR_PORT }, ...erdmaIoWorker() } }]) },
      monitor_collector: {
        reporter: { type: "clickhouse", clickhouse: { host: ch.host, port: String(ch.port), user: ch.user, passwd: ch.password, db: ch.database } },
      },
    },
  };
}

/** Why each key of the collector's file differs from the shipped one (see collectorOverride). */
export const COLLECTOR_OVERRIDE_REASONS: Readonly<Record<string, string>> = {
  "common.cluster_id": "the stack's 3FS cluster id (threefs:fs.clusterId), as every other 3FS process",
  "common.log.categories[].handlers": "the file handlers are replaced by container streams (kubectl logs)",
  "common.log.handlers[]": "two stream handlers, the shipped normal and fatal, replace the shipped file set",
  "common.log.handlers[].writer_type": "log to the container's stdout/stderr; /var/log/3fs is not kept",
  "common.log.handlers[].stream_type": "normal → stdout, fatal → stderr",
  "server.base.groups[].io_worker.ibsocket.max_sge":
    "eRDMA devices refuse queue pairs with more SGEs than they support; kvc-3fs-operator's collector config sets 1 too (docker/threefs/monitor_collector_main.toml)",
  "server.monitor_collector.reporter.clickhouse.host": "the ClickHouse this stack runs or creates (threefs:monitoring.clickhouse)",
  "server.monitor_collector.reporter.clickhouse.port": "its native TCP port (a string in 3FS's config, ClickHouseClient.h:18)",
  "server.monitor_collector.reporter.clickhouse.user": "the ClickHouse user the program creates for 3FS",
  "server.monitor_collector.reporter.clickhouse.passwd": "that user's generated password (the file is a Secret)",
  "server.monitor_collector.reporter.clickhouse.db": "the database of upstream's schema (deploy/sql/3fs-monitor.sql)",
};

/** The collector's config file. @throws Error naming the key when the override sets something 3FS would refuse. */
export function renderCollectorConfig(input: CollectorConfigInput): string {
  return renderMerged(FILE, collectorOverride(input));
}
