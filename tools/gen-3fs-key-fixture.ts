/**
 * One-off generator of `test/fixtures/threefs/valid-keys.json`: for every 3FS config file the program
 * renders (and the launcher/app files its container flags address), the map of dotted key path → TOML
 * value type, read from 3FS's own default config files.
 *
 *   npx tsx tools/gen-3fs-key-fixture.ts [reference-dir]
 *
 * reference-dir defaults to `../shared/reference/3fs-configs` (deepseek-ai/3FS `configs/`). The output is
 * committed, so tests never read the reference folder (a user's clone does not have it). Re-run it when
 * the reference is updated to a newer 3FS commit, and set SOURCE below to that commit.
 *
 * Path syntax: tables are joined with `.`; an array of tables adds `[]`, e.g.
 * `common.log.handlers[].writer_type`. Types: string, integer, float, boolean, array (empty in the
 * reference, element type unknown) or array<T>.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "smol-toml";

/** Where the reference files come from (recorded in the fixture). */
const SOURCE = "deepseek-ai/3FS configs/ at commit e2cef82 (2026-03-27)";

/** The reference files the fixture covers. */
const FILES = [
  "mgmtd_main.toml",
  "mgmtd_main_launcher.toml",
  "mgmtd_main_app.toml",
  "meta_main.toml",
  "meta_main_launcher.toml",
  "meta_main_app.toml",
  "storage_main.toml",
  "storage_main_launcher.toml",
  "storage_main_app.toml",
  "hf3fs_fuse_main.toml",
  "hf3fs_fuse_main_launcher.toml",
  "hf3fs_fuse_main_app.toml",
  "admin_cli.toml",
];

type KeyTypes = Record<string, string>;

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** The TOML type of a scalar; integers arrive as bigint because the parser is told to keep them apart. */
function scalarType(v: unknown): string {
  if (typeof v === "bigint") return "integer";
  if (typeof v === "number") return "float";
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "boolean";
  throw new Error(`unsupported TOML value ${String(v)}`);
}

/** Records a type, merging `array` (unknown elements) with a more specific `array<T>`. */
function record(out: KeyTypes, key: string, type: string): void {
  const prev = out[key];
  if (prev === undefined || prev === type) {
    out[key] = type;
  } else if (prev === "array" && type.startsWith("array<")) {
    out[key] = type;
  } else if (!(type === "array" && prev.startsWith("array<"))) {
    throw new Error(`${key}: conflicting types ${prev} and ${type}`);
  }
}

function walk(table: Record<string, unknown>, prefix: string, out: KeyTypes): void {
  for (const [name, value] of Object.entries(table)) {
    const key = prefix ? `${prefix}.${name}` : name;
    if (isTable(value)) {
      walk(value, key, out);
    } else if (Array.isArray(value) && value.length > 0 && value.every(isTable)) {
      for (const element of value) walk(element as Record<string, unknown>, `${key}[]`, out);
    } else if (Array.isArray(value)) {
      const types = new Set(value.map(scalarType));
      if (types.size > 1) throw new Error(`${key}: mixed array`);
      record(out, key, types.size === 0 ? "array" : `array<${[...types][0]}>`);
    } else {
      record(out, key, scalarType(value));
    }
  }
}

function main(): void {
  const refDir = path.resolve(process.argv[2] ?? path.join(__dirname, "../../shared/reference/3fs-configs"));
  const files: Record<string, KeyTypes> = {};
  for (const file of FILES) {
    const out: KeyTypes = {};
    walk(parse(fs.readFileSync(path.join(refDir, file), "utf8"), { integersAsBigInt: true }), "", out);
    files[file] = Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  const target = path.join(__dirname, "../test/fixtures/threefs/valid-keys.json");
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, `${JSON.stringify({ source: SOURCE, files }, null, 2)}\n`);
  console.log(`wrote ${target}`);
}

main();
