/**
 * The configuration files 3FS ships (`configs/` of the commit the container images are built from), as
 * typed data: lib/threefs/shipped/configs.json, written once by tools/gen-3fs-shipped-configs.ts.
 *
 * The renderer (toml.ts) starts every file it writes from these, so that a key the program does not
 * decide keeps the value 3FS's deployments run with, never a C++ code default that differs from it (the
 * files are dumps of the binaries' config trees with a few values edited by hand: see the generator).
 *
 * Pure module: no cloud SDK imports.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The shipped files this module knows (the rendered ones, their app files, the monitor collector). */
export type ShippedFileName =
  | "mgmtd_main.toml"
  | "mgmtd_main_launcher.toml"
  | "mgmtd_main_app.toml"
  | "meta_main.toml"
  | "meta_main_launcher.toml"
  | "meta_main_app.toml"
  | "storage_main.toml"
  | "storage_main_launcher.toml"
  | "storage_main_app.toml"
  | "hf3fs_fuse_main.toml"
  | "hf3fs_fuse_main_launcher.toml"
  | "hf3fs_fuse_main_app.toml"
  | "admin_cli.toml"
  | "monitor_collector_main.toml";

/** A TOML value type as the fixture names it: `integer`, `float`, `string`, `boolean`, `array<T>`, `array` (empty). */
export type ShippedType = string;

/** One key of a shipped file: its type and value (integers as decimal strings, 64-bit safe). */
export interface ShippedLeaf {
  type: ShippedType;
  value: string | number | boolean | Array<string | number | boolean>;
}

interface ShippedDoc {
  source: { repository: string; commit: string; date: string; path: string };
  upstream?: {
    repository: string;
    commit: string;
    upstreamOnly: Record<string, string[]>;
    upstreamDiffers: Record<string, Record<string, { fork: unknown; upstream: unknown }>>;
  };
  files: Record<ShippedFileName, Record<string, ShippedLeaf>>;
}

/** The fixture, read once (beside this module under tsx/jest; from a compiled bin/, the source tree's copy). */
const DOC: ShippedDoc = (() => {
  const candidates = [path.join(__dirname, "shipped/configs.json"), path.resolve(__dirname, "../../../lib/threefs/shipped/configs.json")];
  for (const file of candidates) if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8")) as ShippedDoc;
  throw new Error(`shipped 3FS configs not found (looked in ${candidates.join(", ")})`);
})();

/** Repository and commit the shipped files (and so the images' config keys) come from. */
export const SHIPPED_SOURCE: Readonly<ShippedDoc["source"]> = DOC.source;

/** Every shipped key of a file: dotted path (array-of-tables elements as `[i]`) → type and value. */
export function shippedEntries(file: ShippedFileName): Readonly<Record<string, ShippedLeaf>> {
  const entries = DOC.files[file];
  if (!entries) throw new Error(`no shipped 3FS config named ${file}`);
  return entries;
}

/** Keys a newer upstream 3FS has in a file but the images' commit lacks (3FS would refuse them). */
export function upstreamOnlyKeys(file: ShippedFileName): readonly string[] {
  return DOC.upstream?.upstreamOnly[file] ?? [];
}

/** A TOML value as smol-toml reads and writes it: integers as bigint, floats as number. */
export type TomlValue = string | bigint | number | boolean | TomlValue[] | TomlTable;
export interface TomlTable {
  [key: string]: TomlValue;
}

function leafValue(leaf: ShippedLeaf): TomlValue {
  const one = (v: string | number | boolean, type: string): TomlValue => (type === "integer" ? BigInt(v as string) : v);
  if (Array.isArray(leaf.value)) {
    const element = /^array<(.+)>$/.exec(leaf.type)?.[1] ?? "string";
    return leaf.value.map((v) => one(v, element));
  }
  return one(leaf.value, leaf.type);
}

/** Splits `a.b[1].c` into ["a", "b", 1, "c"]. */
export function splitPath(key: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const part of key.split(".")) {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) throw new Error(`bad key path ${key}`);
    out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

/** A shipped file as a fresh TOML tree (a new object on every call, safe to modify). */
export function shippedTree(file: ShippedFileName): TomlTable {
  const root: TomlTable = {};
  for (const [key, leaf] of Object.entries(shippedEntries(file))) {
    const parts = splitPath(key);
    let node: TomlTable | TomlValue[] = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const part = parts[i];
      const nextIsIndex = typeof parts[i + 1] === "number";
      const container = node as Record<string | number, TomlValue>;
      container[part] ??= nextIsIndex ? [] : {};
      node = container[part] as TomlTable | TomlValue[];
    }
    (node as Record<string | number, TomlValue>)[parts[parts.length - 1]] = leafValue(leaf);
  }
  return root;
}
