/**
 * One-off generator of `lib/threefs/shipped/configs.json`: the configuration files 3FS ships in
 * `configs/`, as typed key → value data, for every file the program renders (and the monitor collector).
 *
 *   git -C <mirror of AliyunContainerService/alibabacloud-3FS> archive ab363af configs | tar -x -C /tmp/fork
 *   npx tsx tools/gen-3fs-shipped-configs.ts /tmp/fork/configs ../shared/reference/3fs-configs
 *
 * Why these files: Alibaba's container images are built from AliyunContainerService/alibabacloud-3FS at
 * ab363af, so that commit's binaries define which keys exist (3FS refuses an unknown key with
 * kConfigRedundantKey "Invalid key", src/common/utils/ConfigBase.h:629) and its `configs/` are the
 * files 3FS's deployment guide tells operators to copy and edit (deploy/README.md, steps 2–8). The files are
 * dumps of the binaries' config trees (every item, `--dump_default_cfg`, src/common/utils/ConfigBase.cc:65-75)
 * with a few values edited by hand, e.g. `server.service.allow_heartbeat_from_unregistered = true` against
 * the code default false (src/mgmtd/service/MgmtdConfig.h:14). The renderer (lib/threefs/toml.ts) writes
 * these files whole and changes only the keys it must, so no key falls back to a code default.
 *
 * The second, optional directory is a newer upstream `configs/` (deepseek-ai/3FS e2cef82 in
 * shared/reference): keys it has that the fork lacks are recorded as `upstreamOnly` (the images would reject
 * them), and differing values as `upstreamDiffers`, so a test can keep the renderer off both.
 *
 * Path syntax: tables joined with `.`, elements of an array of tables as `[i]`, e.g.
 * `server.base.groups[0].listener.listen_port`. Types: string, integer, float, boolean, array<T>, array
 * (empty). Integers are kept as decimal strings (JSON numbers lose 64-bit precision), floats as numbers.
 * The output is committed; tests and the program never read the source directories.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "smol-toml";

/** Recorded in the output: where the data came from. */
const SOURCE = { repository: "AliyunContainerService/alibabacloud-3FS", commit: "ab363af", date: "2025-05-20", path: "configs/" };
const UPSTREAM = { repository: "deepseek-ai/3FS", commit: "e2cef82", date: "2026-03-27", path: "configs/" };

/** The files the program renders, their launcher/app files, and the monitor collector's. */
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
  "monitor_collector_main.toml",
];

type Leaf = { type: string; value: string | number | boolean | Array<string | number | boolean> };
type FileEntries = Record<string, Leaf>;

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** A scalar's TOML type and its JSON form (integers parsed as bigint become decimal strings). */
function scalar(v: unknown): { type: string; value: string | number | boolean } {
  if (typeof v === "bigint") return { type: "integer", value: v.toString() };
  if (typeof v === "number") return { type: "float", value: v };
  if (typeof v === "string") return { type: "string", value: v };
  if (typeof v === "boolean") return { type: "boolean", value: v };
  throw new Error(`unsupported TOML value ${String(v)}`);
}

function walk(table: Record<string, unknown>, prefix: string, out: FileEntries): void {
  for (const [name, value] of Object.entries(table)) {
    const key = prefix ? `${prefix}.${name}` : name;
    if (isTable(value)) {
      walk(value, key, out);
    } else if (Array.isArray(value) && value.length > 0 && value.every(isTable)) {
      value.forEach((element, i) => walk(element as Record<string, unknown>, `${key}[${i}]`, out));
    } else if (Array.isArray(value)) {
      const items = value.map(scalar);
      const types = new Set(items.map((s) => s.type));
      if (types.size > 1) throw new Error(`${key}: mixed array`);
      out[key] = { type: types.size === 0 ? "array" : `array<${[...types][0]}>`, value: items.map((s) => s.value) };
    } else {
      out[key] = scalar(value);
    }
  }
}

function readFile(dir: string, file: string): FileEntries {
  const out: FileEntries = {};
  walk(parse(fs.readFileSync(path.join(dir, file), "utf8"), { integersAsBigInt: true }) as Record<string, unknown>, "", out);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function main(): void {
  const [forkDir, upstreamDir] = process.argv.slice(2);
  if (!forkDir) {
    console.error("usage: tsx tools/gen-3fs-shipped-configs.ts <fork configs dir> [<upstream configs dir>]");
    process.exit(2);
  }
  const files: Record<string, FileEntries> = {};
  const upstreamOnly: Record<string, string[]> = {};
  const upstreamDiffers: Record<string, Record<string, { fork: Leaf["value"]; upstream: Leaf["value"] }>> = {};
  for (const file of FILES) {
    files[file] = readFile(forkDir, file);
    if (!upstreamDir) continue;
    const up = readFile(upstreamDir, file);
    const only = Object.keys(up).filter((k) => !(k in files[file]));
    if (only.length > 0) upstreamOnly[file] = only;
    for (const [k, leaf] of Object.entries(up)) {
      const mine = files[file][k];
      if (mine && JSON.stringify(mine.value) !== JSON.stringify(leaf.value)) (upstreamDiffers[file] ??= {})[k] = { fork: mine.value, upstream: leaf.value };
    }
  }
  const target = path.join(__dirname, "../lib/threefs/shipped/configs.json");
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const doc = { source: SOURCE, upstream: upstreamDir ? { ...UPSTREAM, upstreamOnly, upstreamDiffers } : undefined, files };
  fs.writeFileSync(target, `${JSON.stringify(doc, null, 1)}\n`);
  const keys = Object.values(files).reduce((n, f) => n + Object.keys(f).length, 0);
  console.log(`wrote ${target}: ${FILES.length} files, ${keys} keys`);
}

main();
