/**
 * Grafana dashboards as code: typed panel definitions over the tables the 3FS monitor collector writes
 * (schema.ts), rendered to dashboard JSON for Grafana's file provisioning and the ClickHouse data source
 * plugin (grafana-clickhouse-datasource, SQL editor with its `$__timeFilter` / `$__timeInterval` macros).
 *
 * Every metric name below is a recorder in 3FS's source (alibabacloud-3FS ab363af, path:line beside it).
 * Number samples are increments over one collect period (CountRecorder resets when collected,
 * src/common/monitor/Recorder.h:60-95; the shipped `collect_period` is 1 s), so a rate is
 * `sum(val) / <interval seconds>`; distributions carry count/mean/p50…p99 per period
 * (ClickHouseClient.cc:123-147). An OperationRecorder "x" reports `x.total`, `x.fails`, `x.succ_latency`
 * (Recorder.cc:246-254); meta's per-op recorder reports `<prefix>_total`, `_failed`, `_latency` with the op
 * in `instance` (src/fbs/meta/Utils.h:158-185).
 *
 * Pure module: no cloud SDK imports.
 */
import { columnsOf, MONITOR_SCHEMA, quoteIdent, type MonitorTable } from "./schema";

/** The data source uid every panel uses (provisioned with the same uid, grafana.ts). */
export const DATASOURCE_UID = "threefs-clickhouse";
export const DATASOURCE_TYPE = "grafana-clickhouse-datasource";

/** One query: a metric from one table, a value expression over named columns, grouped by columns. */
export interface PanelQuery {
  table: MonitorTable;
  metric: string;
  /** Where the metric is defined in 3FS's source. */
  source: string;
  /** `rate` of counters (sum(val)/interval), or a distribution column averaged per interval. */
  value: { kind: "rate"; column: "val" } | { kind: "avg"; column: "mean" | "p50" | "p90" | "p99" | "max" } | { kind: "last"; column: "val" };
  /** Series split: columns of the table (each becomes part of the series name). */
  by: string[];
  /** Extra equality filters on columns. */
  where?: Record<string, string>;
  /** Legend / value alias (no spaces). */
  alias: string;
}

export interface Panel {
  title: string;
  unit: string;
  queries: PanelQuery[];
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
}

const rate = (table: MonitorTable, metric: string, source: string, by: string[], alias: string, where?: Record<string, string>): PanelQuery => ({
  table, metric, source, value: { kind: "rate", column: "val" }, by, alias, ...(where ? { where } : {}),
});
const latency = (metric: string, source: string, by: string[], column: "p50" | "p99" | "mean"): PanelQuery => ({
  table: "distributions", metric, source, value: { kind: "avg", column }, by, alias: column,
});

/** The dashboards: cluster overview, storage, meta, FUSE clients, FoundationDB (from 3FS's side). */
export function dashboards(): Dashboard[] {
  const S = "src/storage/service/StorageOperator.cc";
  return [
    {
      uid: "threefs-cluster",
      title: "3FS / Cluster",
      panels: [
        { title: "Read throughput per storage node", unit: "Bps", queries: [rate("counters", "storage.read.bytes", `${S}:30`, ["host"], "read")] },
        { title: "Write throughput per storage node", unit: "Bps", queries: [rate("counters", "storage.req_write.bytes", `${S}:37`, ["host"], "write")] },
        { title: "Read IOPS per storage node", unit: "iops", queries: [rate("counters", "storage.req_read.total", `${S}:27`, ["host"], "read")] },
        { title: "Write IOPS per storage node", unit: "iops", queries: [rate("counters", "storage.req_write.total", `${S}:36`, ["host"], "write")] },
        {
          title: "Storage targets by local state (1 UPTODATE, 2 ONLINE, 4 OFFLINE)",
          unit: "none",
          // ValueRecorder of each target's LocalTargetState, the target id in `instance` (Components.cc:15,250-252)
          queries: [{ table: "counters", metric: "storage.target_state", source: "src/storage/service/Components.cc:15,250-252", value: { kind: "last", column: "val" }, by: ["host", "instance"], alias: "state" }],
        },
        {
          title: "Nodes by status (mgmtd view)",
          unit: "none",
          queries: [{ table: "counters", metric: "MgmtdService.NodeStatusCount", source: "src/mgmtd/background/MgmtdMetricsUpdater.cc:74", value: { kind: "last", column: "val" }, by: ["instance", "tag"], alias: "nodes" }],
        },
      ],
    },
    {
      uid: "threefs-storage",
      title: "3FS / Storage",
      panels: [
        { title: "Read latency p99", unit: "ns", queries: [latency("storage.req_read.succ_latency", `${S}:27`, ["host"], "p99")] },
        { title: "Write latency p99", unit: "ns", queries: [latency("storage.req_write.succ_latency", `${S}:36`, ["host"], "p99")] },
        { title: "Failed reads/s", unit: "ops", queries: [rate("counters", "storage.req_read.fails", `${S}:27`, ["host"], "fails")] },
        { title: "Failed writes/s", unit: "ops", queries: [rate("counters", "storage.req_write.fails", `${S}:36`, ["host"], "fails")] },
        {
          title: "Disk available bytes",
          unit: "bytes",
          queries: [{ table: "counters", metric: "storage.disk_info.available", source: "src/storage/worker/CheckWorker.cc:47,105-106", value: { kind: "last", column: "val" }, by: ["host", "instance"], alias: "available" }],
        },
      ],
    },
    {
      uid: "threefs-meta",
      title: "3FS / Meta",
      panels: [
        { title: "Meta operations/s per server", unit: "ops", queries: [rate("counters", "meta_server.op_total", "src/fbs/meta/Utils.h:161", ["host", "instance"], "ops")] },
        { title: "Failed meta operations/s", unit: "ops", queries: [rate("counters", "meta_server.op_failed", "src/fbs/meta/Utils.h:162", ["host", "instance"], "failed")] },
        { title: "Meta operation latency p99", unit: "ns", queries: [latency("meta_server.op_latency", "src/fbs/meta/Utils.h:165", ["instance"], "p99")] },
      ],
    },
    {
      uid: "threefs-fuse",
      title: "3FS / FUSE clients",
      panels: [
        { title: "FUSE operations/s", unit: "ops", queries: [rate("counters", "fuse.op", "src/fuse/FuseOps.cc:56", ["host", "instance"], "ops")] },
        { title: "Client storage I/O errors/s", unit: "ops", queries: [rate("counters", "storage_client.num_failed_ops", "src/client/storage/StorageClientImpl.cc:53", ["host"], "failed")] },
        { title: "Client meta operation failures/s", unit: "ops", queries: [rate("counters", "meta_client.op_failed", "src/fbs/meta/Utils.h:162,176", ["host", "instance"], "failed")] },
        { title: "Client meta server errors/s", unit: "ops", queries: [rate("counters", "meta_client.server_error", "src/client/meta/MetaClient.cc:95", ["host"], "errors")] },
        { title: "FUSE write latency p99", unit: "ns", queries: [latency("fuse.write.latency", "src/fuse/FuseOps.cc:1554", ["host", "mount_name"], "p99")] },
      ],
    },
    {
      uid: "threefs-fdb",
      title: "3FS / FoundationDB (client side)",
      panels: [
        {
          title: "FDB transactions committed/s",
          unit: "ops",
          queries: [rate("counters", "fdb_total_count_commit", "src/fdb/FDBTransaction.cc:127-133,148", ["host"], "commit")],
        },
        { title: "FDB commit failures/s", unit: "ops", queries: [rate("counters", "fdb_failed_count_commit", "src/fdb/FDBTransaction.cc:127-133,148", ["host"], "failed")] },
        { title: "FDB commit latency p99", unit: "ns", queries: [latency("fdb_latency_commit", "src/fdb/FDBTransaction.cc:127-133,148", ["host"], "p99")] },
      ],
    },
  ];
}

/** Every column a query names (value, series split, filters, and the fixed TIMESTAMP/metricName). */
export function queryColumns(q: PanelQuery): string[] {
  return ["TIMESTAMP", "metricName", q.value.column, ...q.by, ...Object.keys(q.where ?? {})];
}

/**
 * The SQL of one query. Column names are checked against the schema (an unknown column throws), and
 * quoted; the database is the schema's.
 */
export function renderQuery(q: PanelQuery): string {
  const known = new Set(columnsOf(q.table));
  for (const c of queryColumns(q)) if (!known.has(c)) throw new Error(`query ${q.metric}: column ${c} is not in ${q.table} (${[...known].join(", ")})`);
  const by = q.by.map(quoteIdent);
  // concat() of several columns (ClickHouse's concat wants two or more arguments), the column itself for one.
  const series = by.length > 1 ? `concat(${by.join(", ' ', ")}) AS series, ` : by.length === 1 ? `${by[0]} AS series, ` : "";
  const agg =
    q.value.kind === "rate"
      ? `sum(${quoteIdent(q.value.column)}) / $__interval_s`
      : q.value.kind === "avg"
        ? `avg(${quoteIdent(q.value.column)})`
        : `argMax(${quoteIdent(q.value.column)}, ${quoteIdent("TIMESTAMP")})`;
  const where = [
    `$__timeFilter(${quoteIdent("TIMESTAMP")})`,
    `${quoteIdent("metricName")} = '${q.metric}'`,
    ...Object.entries(q.where ?? {}).map(([k, v]) => `${quoteIdent(k)} = '${v.replace(/'/g, "''")}'`),
  ];
  const group = ["time", ...(by.length > 0 ? ["series"] : [])].join(", ");
  return [
    `SELECT $__timeInterval(${quoteIdent("TIMESTAMP")}) AS time, ${series}${agg} AS ${q.alias}`,
    `FROM ${quoteIdent(MONITOR_SCHEMA.database)}.${quoteIdent(q.table)}`,
    `WHERE ${where.join(" AND ")}`,
    `GROUP BY ${group}`,
    "ORDER BY time",
  ].join("\n");
}

/** Grafana dashboard JSON (schemaVersion 39) of one definition: time-series panels, two per row. */
export function dashboardJson(d: Dashboard): object {
  return {
    uid: d.uid,
    title: d.title,
    tags: ["3fs"],
    editable: false,
    schemaVersion: 39,
    time: { from: "now-6h", to: "now" },
    refresh: "1m",
    panels: d.panels.map((p, i) => ({
      id: i + 1,
      type: "timeseries",
      title: p.title,
      gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
      datasource: { type: DATASOURCE_TYPE, uid: DATASOURCE_UID },
      fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
      targets: p.queries.map((q, j) => ({
        refId: String.fromCharCode(65 + j),
        datasource: { type: DATASOURCE_TYPE, uid: DATASOURCE_UID },
        editorType: "sql",
        queryType: "timeseries",
        format: 0,
        rawSql: renderQuery(q),
      })),
    })),
  };
}

/** File name → JSON text of every dashboard (the Grafana dashboards ConfigMap). */
export function dashboardFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of dashboards()) out[`${d.uid}.json`] = `${JSON.stringify(dashboardJson(d), null, 2)}\n`;
  return out;
}
