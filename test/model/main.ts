/**
 * The fake admin_cli: one process of 3FS's admin_cli against the model in $THREEFS_MODEL_DIR. Bundled by
 * test/model/harness.ts into an executable the scripts under test run as `admin_cli`.
 *
 * As the real binary (src/client/bin/admin_cli.cc and src/common/utils/ConfigBase.cc of alibabacloud-3FS
 * ab363af): `--config.<k>[=]<v>` flags are taken out first; any other flag but --cfg is an unknown gflags
 * flag (stderr, exit 1); the --cfg file must exist, parse, and hold only admin_cli keys with their types
 * (else a FATAL log on stderr and abort, exit 134, nothing on stdout, admin_cli.cc:83-85); the remaining
 * words are joined with spaces; with a command, it is split on ';' and only the last part's failure sets
 * exit 1 (Dispatcher.cc:258-292); without, lines are read from stdin, each run whole, exit 0
 * (Dispatcher.cc:238-257,294). Output and errors go to stdout (Dispatcher.cc:41-51,224-225).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "smol-toml";
import { simulate } from "./cluster";
import { execute } from "./dispatch";
import { Killed, Session, type AdminConfig } from "./session";
import type { ModelState } from "./types";
// eslint-disable-next-line @typescript-eslint/no-require-imports -- bundled by esbuild; a typed import would make tsc infer the whole fixture
const SHIPPED = require("../../lib/threefs/shipped/configs.json") as unknown;

/** The process ends here: what it printed and its exit status (a FATAL log aborts: 134, nothing on stdout). */
class Exit extends Error {
  constructor(
    readonly code: number,
    readonly stderr: string,
  ) {
    super(`exit ${code}`);
  }
}

function fatal(message: string): never {
  throw new Exit(134, `F1201 00:00:00.000000 1 admin_cli.cc:85] ${message}\n`);
}

/** Leaf keys of a TOML tree with `[i]` folded to `[]`, and their TOML types. */
function leaves(doc: Record<string, unknown>, prefix = "", out: Array<[string, string]> = []): Array<[string, string]> {
  const isTable = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
  for (const [k, v] of Object.entries(doc)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (isTable(v)) leaves(v as Record<string, unknown>, key, out);
    else if (Array.isArray(v) && v.length > 0 && v.every(isTable)) v.forEach((e) => leaves(e as Record<string, unknown>, `${key}[]`, out));
    else out.push([key, typeof v === "bigint" ? "integer" : typeof v === "number" ? "float" : Array.isArray(v) ? "array" : typeof v]);
  }
  return out;
}

/** admin_cli's keys and types (the shipped admin_cli.toml is a dump of its config tree). */
const ADMIN_KEYS: Map<string, string> = new Map(
  Object.entries((SHIPPED as { files: Record<string, Record<string, { type: string }>> }).files["admin_cli.toml"]).map(([k, v]) => [k.replace(/\[\d+\]/g, "[]"), v.type.startsWith("array") ? "array" : v.type]),
);

/** Loads the --cfg file as ConfigBase would (ConfigBase.cc:78-131; ConfigBase.h:628-629). */
function loadConfig(file: string | undefined, overrides: Array<[string, string]>): AdminConfig {
  if (!file || !fs.existsSync(file)) fatal(`Load config from flags failed with ConfigInvalidValue(16) Config file ${file ?? ""} not found`);
  let doc: Record<string, unknown>;
  try {
    doc = parse(fs.readFileSync(file, "utf8"), { integersAsBigInt: true }) as Record<string, unknown>;
  } catch {
    fatal("Load config from flags failed with ConfigInvalidValue(16)");
  }
  for (const [key, type] of leaves(doc)) {
    const want = ADMIN_KEYS.get(key);
    if (want === undefined) fatal(`Load config from flags failed with ConfigInvalidValue(16) (Invalid key: ${key.replace(/\[\]/g, "")})`);
    if (want !== type && !(want === "array" && type === "array")) fatal(`Load config from flags failed with ConfigInvalidValue(16) (type of ${key})`);
  }
  const get = (p: string[]) => p.reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], doc);
  const cfg: AdminConfig = {
    clusterId: String(get(["cluster_id"]) ?? ""),
    addresses: ((get(["mgmtd_client", "mgmtd_server_addresses"]) as string[] | undefined) ?? []).map(String),
    token: String(get(["user_info", "token"]) ?? ""),
    uid: Number(get(["user_info", "uid"]) ?? -1),
    gid: Number(get(["user_info", "gid"]) ?? -1),
  };
  for (const [k, v] of overrides) {
    if (!ADMIN_KEYS.has(k)) fatal(`Load config from flags failed with ConfigInvalidValue(16) (Item ${k} is not found)`);
    if (k === "cluster_id") cfg.clusterId = v;
    else if (k === "user_info.token") cfg.token = v;
    else if (k === "mgmtd_client.mgmtd_server_addresses") cfg.addresses = JSON.parse(v) as string[];
  }
  return cfg;
}

/** Runs one command line (dispatch.ts) and logs it to calls.log. */
function run(session: Session, line: string, log: string): { out: string; failed: boolean } {
  if (line.trim() !== "") fs.appendFileSync(log, `${line.trim()}\n`);
  return execute(session, line);
}

function withLock<T>(dir: string, fn: () => T): T {
  const lock = path.join(dir, "lock");
  for (let waited = 0; ; waited += 5) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST" || waited > 60_000) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** One admin_cli process's result. */
export interface ProcessResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** How admin_cli reads its command line: --cfg, --config.* overrides, the command words. */
export function parseArgv(argv: readonly string[]): { cfgFile?: string; overrides: Array<[string, string]>; words: string[] } {
  let cfgFile: string | undefined;
  const overrides: Array<[string, string]> = [];
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith("--config.")) {
      const eq = a.indexOf("=");
      if (eq >= 0) overrides.push([a.slice(9, eq), a.slice(eq + 1)]);
      else if (i + 1 < argv.length) overrides.push([a.slice(9), argv[++i]]);
      else fatal(`Load config from flags failed with ConfigInvalidValue(16) (No value for config key ${a.slice(9)})`);
    } else if (/^--?cfg=/.test(a)) cfgFile = a.slice(a.indexOf("=") + 1);
    else if (a === "--cfg" || a === "-cfg") cfgFile = argv[++i];
    else if (a.startsWith("-")) {
      // gflags refuses a flag it does not know, wherever it is (not 3FS source: gflags behaviour).
      throw new Exit(1, `ERROR: unknown command line flag '${a.replace(/^-+/, "").split("=")[0]}'\n`);
    } else words.push(a);
  }
  return { cfgFile, overrides, words };
}

/** Whether this command line makes admin_cli read its commands from stdin (no command words). */
export function readsStdin(argv: readonly string[]): boolean {
  try {
    return parseArgv(argv).words.length === 0;
  } catch {
    return false;
  }
}

/**
 * One admin_cli process against the model in `dir`: its argv, its stdin (read only in stdin mode), and the
 * model-time deadline of a `timeout` around it (THREEFS_MODEL_DEADLINE_MS).
 */
export function adminCli(dir: string, argv: readonly string[], stdin: string, deadlineMs?: number): ProcessResult {
  try {
    return adminCliOrExit(dir, argv, stdin, deadlineMs);
  } catch (e) {
    if (e instanceof Exit) return { stdout: "", stderr: e.stderr, code: e.code };
    throw e;
  }
}

function adminCliOrExit(dir: string, argv: readonly string[], stdin: string, deadlineMs?: number): ProcessResult {
  const { cfgFile, overrides, words } = parseArgv(argv);
  const cfgMode = cfgFile && fs.existsSync(cfgFile) ? fs.statSync(cfgFile).mode & 0o777 : null;
  fs.appendFileSync(path.join(dir, "argv.log"), `${JSON.stringify({ argv, cfg: cfgFile ?? null, cfgMode, stdin: words.length === 0 })}\n`);
  const cfg = loadConfig(cfgFile, overrides);
  let stdout = "";
  const code = withLock(dir, () => {
    const statePath = path.join(dir, "state.json");
    const clockPath = path.join(dir, "clock");
    const state = JSON.parse(fs.readFileSync(statePath, "utf8")) as ModelState;
    const session = new Session(state, cfg, Math.max(state.simMs, Number(fs.readFileSync(clockPath, "utf8"))), deadlineMs);
    simulate(state, session.nowMs);
    const log = path.join(dir, "calls.log");
    let status = 0;
    const print = (out: string) => {
      if (out !== "") stdout += `${out}\n`;
    };
    try {
      if (words.length > 0) {
        const parts = words.join(" ").split(";");
        parts.forEach((part, i) => {
          const r = run(session, part, log);
          print(r.out);
          if (i === parts.length - 1 && r.failed) status = 1;
        });
      } else {
        for (const line of stdin.split("\n")) print(run(session, line, log).out);
      }
    } catch (e) {
      if (!(e instanceof Killed)) throw e;
      status = 124;
    }
    fs.writeFileSync(statePath, JSON.stringify(state));
    fs.writeFileSync(clockPath, String(session.nowMs));
    return status;
  });
  return { stdout, stderr: "", code };
}
