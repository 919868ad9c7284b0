/**
 * The ClickHouse schema 3FS's monitor collector writes to, from the committed fixture
 * lib/monitoring/schema/3fs-monitor.json (tools/gen-3fs-monitor-schema.ts parses upstream's
 * deploy/sql/3fs-monitor.sql into it), and the DDL the program applies, rendered from that data.
 *
 * What the collector writes (src/common/monitor/ClickHouseClient.cc of alibabacloud-3FS ab363af): number
 * samples into `counters` (`TIMESTAMP`, `metricName`, `val`, :94-104) and distributions into
 * `distributions` (`count`, `mean`, `min`, `max`, `p50`, `p90`, `p95`, `p99`, :123-147), each block with one
 * String column per tag key found in the batch (:38-66, `host` and `pod` on every sample,
 * src/common/monitor/Recorder.cc:88-89), into the database the reporter connects to (`db`, :18-25).
 *
 * Pure module: no cloud SDK imports.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** One column: name, ClickHouse type, compression codec. */
export interface SchemaColumn {
  name: string;
  type: string;
  codec: string;
}

/** One MergeTree table of the schema. */
export interface SchemaTable {
  name: string;
  columns: SchemaColumn[];
  engine: string;
  primaryKey: string[];
  partitionBy: string;
  orderBy: string[];
  ttl: string;
  settings: Record<string, string>;
}

/** The fixture. */
export interface MonitorSchema {
  source: { repository: string; commit: string; path: string };
  database: string;
  tables: SchemaTable[];
}

/** The schema, read once (beside this module under tsx/jest; from a compiled bin/, the source tree's copy). */
export const MONITOR_SCHEMA: Readonly<MonitorSchema> = (() => {
  const candidates = [path.join(__dirname, "schema/3fs-monitor.json"), path.resolve(__dirname, "../../../lib/monitoring/schema/3fs-monitor.json")];
  for (const file of candidates) if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8")) as MonitorSchema;
  throw new Error(`3FS monitor schema not found (looked in ${candidates.join(", ")})`);
})();

/** The two tables the collector inserts into. */
export type MonitorTable = "counters" | "distributions";

/** A table of the schema. @throws Error for a table the schema does not have. */
export function schemaTable(name: string): SchemaTable {
  const t = MONITOR_SCHEMA.tables.find((x) => x.name === name);
  if (!t) throw new Error(`the 3FS monitor schema has no table ${name} (tables: ${MONITOR_SCHEMA.tables.map((x) => x.name).join(", ")})`);
  return t;
}

/** Column names of a table. */
export function columnsOf(table: string): string[] {
  return schemaTable(table).columns.map((c) => c.name);
}

/**
 * Identifiers are backquoted: the database is `3fs`, which starts with a digit, and ClickHouse's
 * unquoted identifiers must match `^[a-zA-Z_][0-9a-zA-Z_]*$`; a quoted one may be anything
 * (https://clickhouse.com/docs/sql-reference/syntax#identifiers).
 */
export function quoteIdent(name: string): string {
  if (name.includes("`")) throw new Error(`identifier ${name} contains a backquote`);
  return `\`${name}\``;
}

/** `CREATE DATABASE` and one `CREATE TABLE` per table, each ending in `;`, idempotent (IF NOT EXISTS). */
export function renderSchemaSql(schema: MonitorSchema = MONITOR_SCHEMA): string {
  const db = quoteIdent(schema.database);
  const out = [`CREATE DATABASE IF NOT EXISTS ${db};`];
  for (const t of schema.tables) {
    const cols = t.columns.map((c) => `  ${quoteIdent(c.name)} ${c.type} CODEC(${c.codec})`).join(",\n");
    const settings = Object.entries(t.settings).map(([k, v]) => `${k} = ${v}`).join(", ");
    out.push(
      [
        `CREATE TABLE IF NOT EXISTS ${db}.${quoteIdent(t.name)} (`,
        cols,
        ")",
        `ENGINE = ${t.engine}`,
        `PRIMARY KEY (${t.primaryKey.join(", ")})`,
        `PARTITION BY ${t.partitionBy}`,
        `ORDER BY (${t.orderBy.join(", ")})`,
        `TTL ${t.ttl}`,
        `SETTINGS ${settings};`,
      ].join("\n"),
    );
  }
  return `${out.join("\n\n")}\n`;
}
