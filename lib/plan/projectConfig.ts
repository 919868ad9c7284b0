/**
 * Reads `Pulumi.yaml` and `Pulumi.<stack>.yaml` the way the Pulumi CLI does, without the CLI:
 * project-level declarations (`config:` with type/description/default), namespaced keys (a key without
 * `ns:` belongs to the project), stack values overriding project defaults, structured values passed to
 * the program as JSON strings. Encrypted values (`secure:`) cannot be decrypted offline; they are passed
 * as a placeholder and marked secret.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/** One declaration from the project file's `config:` block. */
export interface ConfigDeclaration {
  type?: string;
  description?: string;
  default?: unknown;
  secret?: boolean;
}

/** What a stack's program would see as configuration. */
export interface ResolvedConfig {
  project: string;
  stack: string;
  /** Fully-qualified key → string value, as `pulumi.runtime.allConfig()` returns it. */
  values: Record<string, string>;
  /** Keys whose values are secret. */
  secretKeys: string[];
  /** Declarations by fully-qualified key. */
  declarations: Record<string, ConfigDeclaration>;
}

/** Raised for unreadable files or config the CLI itself would reject; one line per problem. */
export class ProjectConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "ProjectConfigError";
  }
}

/** Placeholder for `secure:` values, which need the stack's key to decrypt. */
export const UNDECRYPTABLE = "[secure value: not decrypted offline]";

/** Loads project and stack config from `dir`. */
export function resolveConfig(dir: string, stack: string): ResolvedConfig {
  const projectFile = readYaml(path.join(dir, "Pulumi.yaml"));
  const project = String(projectFile.name ?? "");
  if (!project) throw new ProjectConfigError([`Pulumi.yaml: missing "name"`]);
  const stackPath = path.join(dir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(stackPath)) throw new ProjectConfigError([`no stack file Pulumi.${stack}.yaml in ${dir} (stacks: ${listStacks(dir).join(", ") || "none"})`]);
  const stackFile = readYaml(stackPath);

  const declarations: Record<string, ConfigDeclaration> = {};
  const values: Record<string, string> = {};
  const secretKeys: string[] = [];
  const problems: string[] = [];
  for (const [key, decl] of Object.entries(asRecord(projectFile.config))) {
    const isSchema = isRecord(decl) && ("type" in decl || "description" in decl || "default" in decl || "value" in decl);
    const d: ConfigDeclaration = isSchema ? (decl as ConfigDeclaration) : { default: decl };
    // The CLI refuses types and defaults on other namespaces' keys (they take `value:`).
    if (key.includes(":") && !key.startsWith(`${project}:`) && (d.type !== undefined || d.default !== undefined)) {
      problems.push(`Pulumi.yaml: ${key} is not namespaced by the project and may not declare a type or default (use value:)`);
    }
    if (isSchema && "value" in (decl as Record<string, unknown>)) d.default = (decl as Record<string, unknown>).value;
    declarations[qualify(key, project)] = d;
  }
  for (const [key, decl] of Object.entries(declarations)) {
    if (decl.default !== undefined) values[key] = encode(decl.default);
  }
  for (const [rawKey, value] of Object.entries(asRecord(stackFile.config))) {
    const key = qualify(rawKey, project);
    if (isRecord(value) && "secure" in value && Object.keys(value).length === 1) {
      values[key] = UNDECRYPTABLE;
      secretKeys.push(key);
      continue;
    }
    const typeProblem = checkType(key, value, declarations[key]);
    if (typeProblem) problems.push(typeProblem);
    // `pulumi config set --secret --path a.b.c` encrypts one leaf of a structured value; the program then
    // receives the whole key decrypted and marked secret.
    const { value: plain, secret } = withoutSecureLeaves(value);
    values[key] = encode(plain);
    if (declarations[key]?.secret || secret) secretKeys.push(key);
  }
  for (const [key, decl] of Object.entries(declarations)) {
    if (!(key in values)) problems.push(`${key}: required by Pulumi.yaml (no default); set it in Pulumi.${stack}.yaml`);
    void decl;
  }
  if (problems.length > 0) throw new ProjectConfigError(problems);
  return { project, stack, values, secretKeys, declarations };
}

/** Replaces nested `{secure: …}` leaves with the placeholder; `secret` when there was one. */
function withoutSecureLeaves(v: unknown): { value: unknown; secret: boolean } {
  if (isRecord(v) && "secure" in v && Object.keys(v).length === 1) return { value: UNDECRYPTABLE, secret: true };
  if (Array.isArray(v)) {
    const items = v.map(withoutSecureLeaves);
    return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
  }
  if (isRecord(v)) {
    const entries = Object.entries(v).map(([k, x]) => [k, withoutSecureLeaves(x)] as const);
    return { value: Object.fromEntries(entries.map(([k, x]) => [k, x.value])), secret: entries.some(([, x]) => x.secret) };
  }
  return { value: v, secret: false };
}

/** A key without a namespace belongs to the project (`profile` → `threefs:profile`). */
export function qualify(key: string, project: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

/** Strings pass through; everything else is JSON, as Pulumi stores structured config. */
function encode(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The CLI checks declared scalar types; mirror that so the offline plan rejects what `pulumi up` would. */
function checkType(key: string, value: unknown, decl: ConfigDeclaration | undefined): string | undefined {
  if (!decl?.type) return undefined;
  const ok =
    (decl.type === "string" && typeof value === "string") ||
    (decl.type === "integer" && Number.isInteger(value)) ||
    (decl.type === "boolean" && typeof value === "boolean") ||
    (decl.type === "array" && Array.isArray(value));
  return ok ? undefined : `${key}: must be of type ${decl.type} (Pulumi.yaml declares it so)`;
}

function readYaml(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new ProjectConfigError([`cannot read ${file}`]);
  }
  try {
    return asRecord(parse(text));
  } catch (e) {
    throw new ProjectConfigError([`${path.basename(file)}: not valid YAML (${(e as Error).message.split("\n")[0]})`]);
  }
}

function listStacks(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => !!s);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function asRecord(v: unknown): Record<string, unknown> {
  return isRecord(v) ? v : {};
}
