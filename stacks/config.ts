/**
 * Loads the stack configuration once: collects `threefs:*` keys, merges them over the profile preset,
 * validates shape (zod) and cross-field rules, and returns a deeply frozen typed object.
 *
 * Every problem becomes one line `threefs:<key.path>: <rule>`, before any resource is registered. The
 * checks run in two stages: every shape problem (types, ranges, unknown keys) is reported together; the
 * cross-field rules run once the shape is valid, and again report all they find. `index.ts` turns a {@link ConfigError} into a `pulumi.RunError`
 * (printed without a stack trace) and the offline plan prints the lines and exits non-zero.
 *
 * Pure module: no cloud SDK imports; the caller passes the raw key/value map.
 */
import type { z } from "zod";
import { PROFILES } from "./profiles";
import { profileSchema, stackConfigSchema, type StackConfigParsed } from "./schema";
import { crossFieldProblems } from "./rules";

/** Namespace of this project's config keys. */
export const NAMESPACE = "threefs";

/** Raised when the configuration is invalid; `problems` holds one line per problem. */
export class ConfigError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(`invalid stack configuration:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Raw config as Pulumi hands it to a program: fully-qualified keys, string values (objects as JSON). */
export interface RawConfig {
  /** Stack name (`pulumi.getStack()`), used for names and the default 3FS cluster id. */
  stack: string;
  /** Every config key, e.g. `{ "alicloud:region": "cn-beijing", "threefs:storage": "{\"nodes\":3}" }`. */
  values: Readonly<Record<string, string>>;
  /** Keys whose values are secret (`pulumi config set --secret`); undefined: not known, not checked. */
  secretKeys?: readonly string[];
}

/** The validated configuration plus values derived from it. */
export type StackConfig = DeepReadonly<
  StackConfigParsed & {
    stack: string;
    region: string;
    fs: StackConfigParsed["fs"] & { clusterId: string };
  }
>;

type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** Parses, merges, validates and freezes the configuration; throws {@link ConfigError}. */
export function loadConfig(raw: RawConfig): StackConfig {
  const problems: string[] = [];
  const region = raw.values["alicloud:region"];
  if (!region) problems.push("alicloud:region: required (e.g. cn-beijing); set it with `pulumi config set alicloud:region <region>`");

  const user = collectUserConfig(raw.values, problems);
  const profile = profileSchema.safeParse(user.profile);
  if (!profile.success) {
    problems.push(`${NAMESPACE}:profile: required, one of dev | staging | prod${user.profile === undefined ? "" : ` (got ${JSON.stringify(user.profile)})`}`);
    throw new ConfigError(problems);
  }
  const merged = deepMerge(PROFILES[profile.data], user);
  const parsed = stackConfigSchema.safeParse(merged, { reportInput: true });
  if (!parsed.success) {
    problems.push(...formatZodIssues(parsed.error.issues));
    throw new ConfigError(problems);
  }
  const clusterId = parsed.data.fs.clusterId ?? defaultClusterId(raw.stack);
  const cfg = { ...parsed.data, stack: raw.stack, region: region ?? "", fs: { ...parsed.data.fs, clusterId } };
  problems.push(...crossFieldProblems(cfg), ...secretProblems(cfg, raw.secretKeys));
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(cfg) as StackConfig;
}

/**
 * Values that must be stored encrypted: a plain one sits in clear text in Pulumi.<stack>.yaml. A structured key
 * with an encrypted leaf (`pulumi config set --secret --path`) is a secure value as a whole, listed among the
 * secret keys the engine passes the program (pulumi/pulumi sdk/go/common/resource/config/map.go `SecureKeys`).
 */
function secretProblems(cfg: StackConfigParsed, secretKeys: readonly string[] | undefined): string[] {
  if (secretKeys === undefined || cfg.cluster.existing?.kubeconfig === undefined || secretKeys.includes(`${NAMESPACE}:cluster`)) return [];
  return [
    `${NAMESPACE}:cluster.existing.kubeconfig: must be a secret, or it is stored in clear text in Pulumi.<stack>.yaml; ` +
      `set it with pulumi config set --secret --path ${NAMESPACE}:cluster.existing.kubeconfig "$(cat <kubeconfig file>)"`,
  ];
}

/** `threefs-<stack>`, cut to 31 characters (3FS requires a cluster id shorter than 32). */
export function defaultClusterId(stack: string): string {
  return `threefs-${stack}`.toLowerCase().replace(/[^a-z0-9-]/g, "-").slice(0, 31).replace(/-+$/, "");
}

/** Picks `threefs:*` keys, decodes JSON values, and drops the namespace. */
function collectUserConfig(values: Readonly<Record<string, string>>, problems: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const known = new Set(Object.keys(stackConfigSchema.shape));
  for (const [fullKey, rawValue] of Object.entries(values)) {
    const [ns, ...rest] = fullKey.split(":");
    if (ns !== NAMESPACE) continue;
    const key = rest.join(":");
    if (!known.has(key)) {
      problems.push(`${fullKey}: unknown key (known: ${[...known].join(", ")})`);
      continue;
    }
    out[key] = decodeValue(rawValue);
  }
  return out;
}

/** Pulumi stores structured values as JSON and plain strings as-is; numbers/booleans arrive as strings too. */
function decodeValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Objects merge key by key (user wins); arrays and scalars from the user replace the preset's. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = k in base ? deepMerge(base[k], v) : v;
    return out;
  }
  return over === undefined ? base : over;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** One line per zod issue: `threefs:storage.disksPerNode: must be ≤ 16`. */
export function formatZodIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    const path = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : String(p))).join(".").replace(/\.\[/g, "[");
    if (issue.code === "unrecognized_keys") {
      for (const k of issue.keys) lines.push(`${NAMESPACE}:${path ? `${path}.` : ""}${k}: unknown key`);
      continue;
    }
    lines.push(`${NAMESPACE}:${path}: ${describeIssue(issue)}`);
  }
  return lines;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "too_small":
      return issue.origin === "array" ? `needs at least ${issue.minimum} item(s)` : `must be ≥ ${issue.minimum}`;
    case "too_big":
      return issue.origin === "array" ? `allows at most ${issue.maximum} item(s)` : `must be ≤ ${issue.maximum}`;
    case "invalid_type":
      return issue.input === undefined ? `required (${issue.expected})` : `must be ${issue.expected === "int" ? "an integer" : `a ${issue.expected}`}`;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => String(v)).join(" | ")}`;
    default:
      return issue.message;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
