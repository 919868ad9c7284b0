/**
 * Writes a 3FS config file as the shipped file (shipped.ts) with the program's overrides applied.
 *
 * Why whole files: 3FS merges a config file over its C++ defaults, and those differ from the shipped
 * files in values 3FS's own deployments depend on (`allow_heartbeat_from_unregistered`: false in code,
 * src/mgmtd/service/MgmtdConfig.h:14; true in configs/mgmtd_main.toml:197). Starting from the shipped file,
 * every key the program does not decide has the value 3FS is deployed with.
 *
 * The merge refuses what 3FS would refuse: a key the shipped file does not have (3FS: kConfigRedundantKey
 * "Invalid key", src/common/utils/ConfigBase.h:629 of alibabacloud-3FS ab363af), a table where a value is expected or the reverse
 * ("Not table", ConfigBase.h:622), and a value of another type. Integers are written as TOML integers,
 * floats as TOML floats, as 3FS's typed items read them.
 *
 * Arrays of tables (`[[server.base.groups]]`): 3FS resizes them to the given length and updates element i
 * over the code default of element i (ConfigBase.h:600-619), so every element the program writes is
 * complete: it starts from a named shipped element (`tablesFrom`).
 *
 * Pure module: no cloud SDK imports.
 */
import { stringify } from "smol-toml";
import { shippedEntries, shippedTree, splitPath, type ShippedFileName, type TomlTable, type TomlValue } from "./shipped";

/** A scalar override; JS numbers take the shipped key's type (integer or float). */
export type OverrideScalar = string | number | bigint | boolean;

/** Elements of an array of tables, each starting from shipped element `from` of the same array. */
export interface TableArrayOverride {
  readonly kind: "tables";
  readonly items: ReadonlyArray<{ readonly from: number; readonly set: Override }>;
}

/** What an override may put at a key. */
export type OverrideValue = OverrideScalar | readonly OverrideScalar[] | Override | TableArrayOverride;

/** A partial config file: only the keys the program decides. */
export interface Override {
  readonly [key: string]: OverrideValue | undefined;
}

/** An array of tables built from shipped elements: `tablesFrom([{ from: 0, set: {...} }])`. */
export function tablesFrom(items: ReadonlyArray<{ from: number; set: Override }>): TableArrayOverride {
  return { kind: "tables", items };
}

function isTableArrayOverride(v: unknown): v is TableArrayOverride {
  return typeof v === "object" && v !== null && (v as { kind?: unknown }).kind === "tables" && Array.isArray((v as { items?: unknown }).items);
}

function isPlainTable(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && typeof v !== "bigint";
}

/** The index of the shipped element of an array of tables whose `field` equals `value`. */
export function shippedIndex(file: ShippedFileName, arrayKey: string, field: string, value: string): number {
  const re = new RegExp(`^${arrayKey.replace(/[.[\]]/g, "\\$&")}\\[(\\d+)\\]\\.${field}$`);
  for (const [key, leaf] of Object.entries(shippedEntries(file))) {
    const m = re.exec(key);
    if (m && JSON.stringify(leaf.value) === JSON.stringify(value)) return Number(m[1]);
  }
  throw new Error(`${file}: no shipped ${arrayKey} element with ${field} = ${value}`);
}

function coerceScalar(v: OverrideScalar, like: TomlValue, where: string): TomlValue {
  if (typeof like === "bigint") {
    if (typeof v === "bigint") return v;
    if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
    throw new Error(`${where}: 3FS reads an integer here, got ${String(v)}`);
  }
  if (typeof like === "number") {
    if (typeof v === "number") return v;
    throw new Error(`${where}: 3FS reads a float here, got ${String(v)}`);
  }
  if (typeof v !== typeof like) throw new Error(`${where}: 3FS reads a ${typeof like} here, got ${typeof v} ${String(v)}`);
  return v as TomlValue;
}

function coerceArray(values: readonly OverrideScalar[], like: TomlValue[], where: string): TomlValue[] {
  // An empty shipped array says nothing about its element type; strings stay strings, numbers are integers.
  const sample: TomlValue | undefined = like.length > 0 ? like[0] : undefined;
  return values.map((v, i) => (sample === undefined ? (typeof v === "number" ? BigInt(v) : (v as TomlValue)) : coerceScalar(v, sample, `${where}[${i}]`)));
}

function mergeInto(base: TomlTable, over: Override, where: string): void {
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const at = where ? `${where}.${key}` : key;
    if (!(key in base)) throw new Error(`${at}: the shipped file has no such key (3FS refuses unknown keys)`);
    const current = base[key];
    if (isTableArrayOverride(value)) {
      if (!Array.isArray(current) || !current.every(isPlainTable)) throw new Error(`${at}: not an array of tables in the shipped file`);
      base[key] = value.items.map(({ from, set }, i) => {
        const template = current[from];
        if (template === undefined) throw new Error(`${at}[${i}]: the shipped array has no element ${from}`);
        const element = structuredClone(template) as TomlTable;
        mergeInto(element, set, `${at}[${i}]`);
        return element;
      });
    } else if (Array.isArray(value)) {
      if (!Array.isArray(current) || (current.length > 0 && current.every(isPlainTable))) throw new Error(`${at}: not a value array in the shipped file`);
      base[key] = coerceArray(value, current, at);
    } else if (isPlainTable(value)) {
      if (!isPlainTable(current)) throw new Error(`${at}: not a table in the shipped file`);
      mergeInto(current as TomlTable, value as Override, at);
    } else {
      if (isPlainTable(current) || Array.isArray(current)) throw new Error(`${at}: the shipped file has a table or array here`);
      base[key] = coerceScalar(value as OverrideScalar, current, at);
    }
  }
}

/**
 * The shipped file with the override applied, as a TOML tree.
 * @throws Error naming the file and key when the override sets something 3FS would refuse
 */
export function mergedTree(file: ShippedFileName, override: Override): TomlTable {
  const tree = shippedTree(file);
  try {
    mergeInto(tree, override, "");
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  return tree;
}

/** The shipped file with the override applied, as TOML text (integers as integers, floats as floats). */
export function renderMerged(file: ShippedFileName, override: Override): string {
  return stringify(mergedTree(file, override), { numbersAsFloat: true });
}

/** One way an override departs from the shipped file. */
export interface OverrideChange {
  /** Key pattern with `[]` for array indexes; ends in `[]` for a reshaped array of tables. */
  pattern: string;
  /** The concrete key, e.g. `common.log.handlers[1].writer_type`. */
  key: string;
  shipped: string;
  rendered: string;
}

const show = (v: unknown): string => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? Number(x) : x));

/**
 * Every change an override makes to the shipped file: leaves whose value differs from the shipped
 * element it was built from, and arrays of tables whose elements are not the shipped ones in order.
 * Writing a shipped value again is not a change.
 */
export function overrideChanges(file: ShippedFileName, override: Override): OverrideChange[] {
  const out: OverrideChange[] = [];
  const walk = (base: TomlTable, over: Override, key: string, pattern: string): void => {
    for (const [name, value] of Object.entries(over)) {
      if (value === undefined) continue;
      const k = key ? `${key}.${name}` : name;
      const p = pattern ? `${pattern}.${name}` : name;
      const current = base[name];
      if (isTableArrayOverride(value)) {
        const shippedOrder = (current as TomlValue[]).map((_, i) => i);
        const order = value.items.map((it) => it.from);
        if (show(order) !== show(shippedOrder)) out.push({ pattern: `${p}[]`, key: k, shipped: `${shippedOrder.length} elements`, rendered: `elements ${show(order)}` });
        value.items.forEach(({ from, set }, i) => walk((current as TomlTable[])[from], set, `${k}[${i}]`, `${p}[]`));
      } else if (isPlainTable(value) && !Array.isArray(value)) {
        walk(current as TomlTable, value as Override, k, p);
      } else {
        const rendered = Array.isArray(value) ? coerceArray(value, current as TomlValue[], k) : coerceScalar(value as OverrideScalar, current, k);
        if (show(rendered) !== show(current)) out.push({ pattern: p, key: k, shipped: show(current), rendered: show(rendered) });
      }
    }
  };
  mergedTree(file, override); // validates first: the walk assumes a well-formed override
  walk(shippedTree(file), override, "", "");
  return out;
}

/** Leaves of a TOML tree in the fixture's path syntax (`a.b[0].c`), values in JSON form like the fixture. */
export function flattenTree(tree: TomlTable, prefix = ""): Record<string, string | number | boolean | Array<string | number | boolean>> {
  const out: Record<string, string | number | boolean | Array<string | number | boolean>> = {};
  const json = (v: TomlValue): string | number | boolean => (typeof v === "bigint" ? v.toString() : (v as string | number | boolean));
  for (const [name, value] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${name}` : name;
    if (isPlainTable(value)) Object.assign(out, flattenTree(value as TomlTable, key));
    else if (Array.isArray(value) && value.length > 0 && value.every(isPlainTable)) value.forEach((e, i) => Object.assign(out, flattenTree(e as TomlTable, `${key}[${i}]`)));
    else out[key] = Array.isArray(value) ? value.map(json) : json(value);
  }
  return out;
}

export { splitPath };
