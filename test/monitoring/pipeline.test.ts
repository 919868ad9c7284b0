/**
 * The metrics pipeline's pure parts: the schema fixture and the DDL rendered from it, the dashboards'
 * columns against upstream's schema (golden JSON), the collector's config (shipped file + reasoned
 * overrides) and ClusterIP, and the alert rules as PrometheusRule.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseToml } from "smol-toml";
import { alertRules, prometheusRuleSpec, ruleExpr } from "../../lib/monitoring/alerts";
import { collectorAddressFor, collectorClusterIp, COLLECTOR_OVERRIDE_REASONS, collectorOverride, isCollectorAddress, renderCollectorConfig, staticBandSize } from "../../lib/monitoring/collector";
import { dashboardFiles, dashboards, queryColumns, renderQuery } from "../../lib/monitoring/dashboards";
import { columnsOf, MONITOR_SCHEMA, renderSchemaSql } from "../../lib/monitoring/schema";
import { planMonitoring, type MonitoringPlanInput } from "../../lib/monitoring/plan";
import { parseCidr } from "../../lib/network/cidr";
import { overrideChanges } from "../../lib/threefs/tomlMerge";

const GOLDEN = path.join(__dirname, "../fixtures/monitoring");
const golden = (name: string, text: string) => {
  const file = path.join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  expect(text).toBe(fs.readFileSync(file, "utf8"));
};

describe("ClickHouse schema", () => {
  it("is upstream's: database 3fs, counters and distributions with the columns the collector inserts", () => {
    expect(MONITOR_SCHEMA.database).toBe("3fs");
    expect(MONITOR_SCHEMA.tables.map((t) => t.name)).toEqual(["counters", "distributions"]);
    // ClickHouseClient.cc:94-104 (counters) and :123-147 (distributions), plus the host/pod tags of every sample.
    for (const c of ["TIMESTAMP", "metricName", "val", "host", "pod", "tag", "instance"]) expect(columnsOf("counters")).toContain(c);
    for (const c of ["TIMESTAMP", "metricName", "count", "mean", "min", "max", "p50", "p90", "p95", "p99", "host", "pod", "method"]) expect(columnsOf("distributions")).toContain(c);
    expect(MONITOR_SCHEMA.tables.every((t) => t.ttl === "TIMESTAMP + toIntervalMonth(1)" && t.engine === "MergeTree")).toBe(true);
  });

  it("renders idempotent DDL naming every column of the fixture, identifiers quoted (3fs starts with a digit)", () => {
    const sql = renderSchemaSql();
    expect(sql.startsWith("CREATE DATABASE IF NOT EXISTS `3fs`;")).toBe(true);
    expect(sql.match(/CREATE TABLE IF NOT EXISTS `3fs`\.`\w+`/g)).toEqual(["CREATE TABLE IF NOT EXISTS `3fs`.`counters`", "CREATE TABLE IF NOT EXISTS `3fs`.`distributions`"]);
    for (const t of MONITOR_SCHEMA.tables) for (const c of t.columns) expect(sql).toContain(`\`${c.name}\` ${c.type} CODEC(${c.codec})`);
    golden("schema.sql", sql);
  });
});

describe("dashboards", () => {
  const all = dashboards();

  it("cover throughput, IOPS and latency per node, target states, FUSE client errors and FDB", () => {
    const metrics = all.flatMap((d) => d.panels.flatMap((p) => p.queries.map((q) => q.metric)));
    for (const m of ["storage.read.bytes", "storage.req_write.bytes", "storage.req_read.total", "storage.req_read.succ_latency", "storage.target_state", "storage_client.num_failed_ops", "meta_client.op_failed", "fdb_total_count_commit", "fdb_latency_commit"]) {
      expect(metrics).toContain(m);
    }
  });

  it("name only columns of upstream's schema, in the table their metric's kind lands in", () => {
    for (const d of all)
      for (const p of d.panels)
        for (const q of p.queries) {
          const cols = columnsOf(q.table);
          for (const c of queryColumns(q)) expect(`${q.metric}: ${cols.includes(c) ? "ok" : `no column ${c} in ${q.table}`}`).toBe(`${q.metric}: ok`);
          // Distribution recorders (latencies) are in `distributions`, counters in `counters` (ClickHouseClient.cc:72-79).
          expect(q.table === "distributions").toBe(q.value.kind === "avg");
          expect(q.source).toMatch(/^src\/.+:\d/);
          // Every identifier the SQL quotes is a column, the database or the table.
          const quoted = [...renderQuery(q).matchAll(/`([^`]+)`/g)].map((m) => m[1]);
          for (const name of quoted) expect([...cols, MONITOR_SCHEMA.database, q.table]).toContain(name);
        }
  });

  it("refuse a query on a column the schema lacks", () => {
    const q = { ...all[0].panels[0].queries[0], by: ["node"] };
    expect(() => renderQuery(q)).toThrow(/column node is not in counters/);
  });

  it("render stable JSON (golden) with the provisioned data source uid", () => {
    const files = dashboardFiles();
    expect(Object.keys(files).sort()).toEqual(all.map((d) => `${d.uid}.json`).sort());
    for (const [name, text] of Object.entries(files)) {
      const json = JSON.parse(text) as { panels: { targets: { datasource: { uid: string }; rawSql: string }[] }[] };
      for (const p of json.panels) for (const t of p.targets) expect(t.datasource.uid).toBe("threefs-clickhouse");
      golden(`dashboards/${name}`, text);
    }
  });
});

describe("collector config", () => {
  const input = { clusterId: "threefs-staging", clickhouse: { host: "threefs-staging-clickhouse.threefs-staging.svc.cluster.local", port: 9000, user: "threefs", password: "pw", database: "3fs" } };

  it("is the shipped file with the ClickHouse reporter, stream logs and the cluster id", () => {
    const toml = parseToml(renderCollectorConfig(input)) as any;
    expect(toml.server.monitor_collector.reporter).toEqual({ type: "clickhouse", clickhouse: { host: input.clickhouse.host, port: "9000", user: "threefs", passwd: "pw", db: "3fs" } });
    expect(toml.server.base.groups).toHaveLength(1);
    expect(toml.server.base.groups[0].listener.listen_port).toBe(10000);
    expect(toml.common.log.handlers.map((h: any) => [h.name, h.writer_type, h.stream_type])).toEqual([["normal", "STREAM", "STDOUT"], ["fatal", "STREAM", "STDERR"]]);
    // Untouched shipped keys keep their values (e.g. the queue and batch sizes).
    expect(toml.server.monitor_collector.queue_capacity).toBe(204800);
  });

  it("changes no key without a reason, and every reason is used", () => {
    const changes = overrideChanges("monitor_collector_main.toml", collectorOverride(input));
    const patterns = new Set(changes.map((c) => c.pattern));
    for (const c of changes) expect(COLLECTOR_OVERRIDE_REASONS[c.pattern] ?? `no reason for ${c.pattern}`).not.toMatch(/^no reason/);
    for (const p of Object.keys(COLLECTOR_OVERRIDE_REASONS)) expect(patterns.has(p) ? p : `unused reason ${p}`).toBe(p);
  });
});

describe("collector ClusterIP", () => {
  it.each([
    ["172.21.0.0/20", 12, "172.21.0.12"],
    ["10.96.0.0/16", 200, "10.96.0.200"],
    ["192.168.0.0/24", 16, "192.168.0.16"],
  ])("%s + %d = %s, which passes 3FS's address rule", (cidr, offset, ip) => {
    expect(collectorClusterIp(cidr, offset)).toBe(ip);
    expect(isCollectorAddress(`${ip}:10000`)).toBe(true);
  });

  it.each([
    ["172.21.0.0/20", 1, /kubernetes/],
    ["172.21.0.0/20", 10, /DNS/],
    ["172.21.0.0/20", 0, /outside the static band 1–256/],
    ["172.21.0.0/20", 257, /outside the static band/],
    ["192.168.0.0/24", 17, /outside the static band 1–16/],
    ["172.21.0.1/20", 12, /host bits/],
  ])("%s + %d is refused", (cidr, offset, why) => {
    const r = collectorClusterIp(cidr, offset);
    expect(typeof r === "string" ? r : r.problem).toMatch(why);
  });

  it("follows KEP-3070's band size min(max(16, size/16), 256)", () => {
    expect(staticBandSize(parseCidr("10.0.0.0/24") as never)).toBe(16);
    expect(staticBandSize(parseCidr("10.0.0.0/22") as never)).toBe(64);
    expect(staticBandSize(parseCidr("10.0.0.0/16") as never)).toBe(256);
  });

  it("is what the 3FS services report to only when monitoring is on", () => {
    expect(collectorAddressFor({ enabled: true, collectorIpOffset: 12 }, "172.21.0.0/20")).toBe("172.21.0.12:10000");
    expect(collectorAddressFor({ enabled: false, collectorIpOffset: 12 }, "172.21.0.0/20")).toBeUndefined();
  });

  it.each(["172.21.0.12:10000", "255.255.255.255:65535"])("address rule accepts %s", (a) => expect(isCollectorAddress(a)).toBe(true));
  it.each(["collector:10000", "172.21.0.256:10000", "172.21.0.12", "172.21.0.12:0", "172.21.0.12:65536"])("address rule refuses %s", (a) => expect(isCollectorAddress(a)).toBe(false));
});

describe("alert rules", () => {
  it("render as a PrometheusRule group (golden) with the SYNCING threshold in seconds", () => {
    const rules = alertRules({ syncAlertMinutes: 120 });
    expect(ruleExpr(rules.find((r) => r.name === "ThreeFsSyncTooLong")!)).toBe("threefs_target_syncing_seconds > 7200");
    expect(ruleExpr(rules.find((r) => r.name === "ThreeFsNodeNotConnected")!)).toBe('threefs_node_status{status=~"HEARTBEAT_FAILED|HEARTBEAT_CONNECTING"} == 1');
    golden("prometheus-rule.json", `${JSON.stringify(prometheusRuleSpec({ syncAlertMinutes: 120 }, { threefs_stack: "threefs-prod" }), null, 2)}\n`);
  });
});

describe("planMonitoring", () => {
  const r = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "1Gi" } };
  const input = (prometheusCrds: boolean, clickhouse: "in-cluster" | "managed" = "in-cluster"): MonitoringPlanInput => ({
    prefix: "threefs-t",
    namespace: "threefs-t",
    profile: "staging",
    layout: "separate",
    rdmaPods: "privileged",
    labels: {},
    collector: { image: "c:1", clusterIp: "172.21.0.12", resources: r },
    clickhouse: { mode: clickhouse, image: "ch:1", host: "h", port: 9000, user: "threefs", storageGiB: 50, storageClassName: "sc", resources: r },
    grafana: { mode: "in-cluster", image: "g:1", resources: r },
    exporter: { image: "e:1", resources: r, adminCliConfigMap: "cm", script: "print()", scrapeAnnotations: !prometheusCrds },
    secrets: { clickhouse: "s1", collectorConfig: "s2", grafana: "s3" },
    dashboards: {},
    schemaSql: "SELECT 1;",
    alerts: { prometheusCrds, syncAlertMinutes: 60 },
  });

  it("annotates the exporter for default discovery only without the PodMonitor", () => {
    const withCrds = planMonitoring(input(true));
    const without = planMonitoring(input(false));
    const annotations = (o: Record<string, any>) => o["chain-exporter"].spec.template.metadata.annotations;
    expect(annotations(withCrds)).toBeUndefined();
    expect(Object.keys(withCrds)).toEqual(expect.arrayContaining(["chain-exporter-podmonitor", "chain-health-rules"]));
    expect(annotations(without)).toEqual({ "prometheus.io/scrape": "true", "prometheus.io/port": "9700", "prometheus.io/path": "/metrics" });
    expect(Object.keys(without)).not.toContain("chain-exporter-podmonitor");
  });

  it("declares no ClickHouse StatefulSet in managed mode, and creates ClickHouse, then the schema, then the collector", () => {
    expect(Object.keys(planMonitoring(input(true, "managed")))).not.toContain("clickhouse");
    const keys = Object.keys(planMonitoring(input(true)));
    expect(keys.indexOf("clickhouse")).toBeLessThan(keys.indexOf("clickhouse-schema"));
    expect(keys.indexOf("clickhouse-schema")).toBeLessThan(keys.indexOf("monitor-collector"));
  });
});
