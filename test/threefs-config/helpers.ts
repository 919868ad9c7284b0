/**
 * Shared test inputs and the key/type flattening of rendered TOML (compared with lib/threefs/shipped).
 */
import * as path from "node:path";
import { parse } from "smol-toml";
import type { BootstrapInput } from "../../lib/threefs/bootstrap";
import { mgmtdAddresses, type ThreeFsConfigInput } from "../../lib/threefs/toml";

export const FIXTURES = path.join(__dirname, "../fixtures/threefs");

/** A dev-like stack: 1 disk, 6 GiB storage pods, metrics to the log. */
export const DEV_INPUT: ThreeFsConfigInput = {
  clusterId: "threefs-dev",
  mgmtdAddresses: mgmtdAddresses({ service: "threefs-mgmtd", namespace: "threefs" }),
  disksPerNode: 1,
  storageMemoryBytes: 6 * 1024 ** 3,
};

/** A prod-like stack: 4 disks, 64 GiB storage pods, a monitor collector. */
export const PROD_INPUT: ThreeFsConfigInput = {
  clusterId: "threefs-prod",
  mgmtdAddresses: mgmtdAddresses({ service: "threefs-mgmtd", namespace: "threefs" }),
  disksPerNode: 4,
  storageMemoryBytes: 64 * 1024 ** 3,
  monitorCollector: "192.168.0.50:10000",
  mountpoint: "/mnt/3fs",
};

/** Bootstrap plan (chain groups of [node id, slot]): 4 nodes, 2 replicas, 2 targets per disk (every node in exactly 2 groups), 2 disks. */
export const SMALL_PLAN: BootstrapInput = {
  chains: [
    [[10000, 1], [10001, 1]],
    [[10002, 1], [10003, 1]],
    [[10000, 2], [10002, 2]],
    [[10001, 2], [10003, 2]],
  ],
  replicas: 2,
  targetsPerDisk: 2,
  stripeSize: 4,
  disksPerNode: 2,
  storageNodes: 4,
  clusterId: "threefs-dev",
  desc: "dev",
};

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function typeOf(v: unknown): string {
  if (typeof v === "bigint") return "integer";
  if (typeof v === "number") return "float";
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "boolean";
  if (Array.isArray(v)) return v.length === 0 ? "array" : `array<${typeOf(v[0])}>`;
  throw new Error(`unexpected value ${String(v)}`);
}

/**
 * Leaf keys of a TOML document with their types, in the fixture's path syntax (`a.b[].c`); each
 * element of a table array contributes its own entries.
 */
export function flatten(doc: Record<string, unknown>, prefix = ""): Array<{ key: string; type: string; value: unknown }> {
  const out: Array<{ key: string; type: string; value: unknown }> = [];
  for (const [name, value] of Object.entries(doc)) {
    const key = prefix ? `${prefix}.${name}` : name;
    if (isTable(value)) out.push(...flatten(value, key));
    else if (Array.isArray(value) && value.length > 0 && value.every(isTable)) {
      for (const element of value) out.push(...flatten(element as Record<string, unknown>, `${key}[]`));
    } else out.push({ key, type: typeOf(value), value });
  }
  return out;
}

/** Parses TOML keeping integers apart from floats (as bigint). */
export function parseToml(text: string): Record<string, unknown> {
  return parse(text, { integersAsBigInt: true }) as Record<string, unknown>;
}

/** Whether an emitted type fits the reference type (`array` in the reference = element type unknown). */
export function typeFits(emitted: string, reference: string): boolean {
  if (emitted === reference) return true;
  if (reference === "array" && emitted.startsWith("array")) return true;
  return emitted === "array" && reference.startsWith("array<");
}
