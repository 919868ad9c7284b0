/**
 * Runs real scripts (bootstrap.sh, the check, later Jobs) against the 3FS model: the model runs as a server
 * in a worker thread (server.ts, bundled once per content of the sources), the scripts' `admin_cli` and
 * `curl` are small bash clients of it, and model-time shims of `sleep`, `date` and `timeout` are on their
 * PATH, so that a 15-minute wait in a script costs milliseconds and every timeout the script enforces is
 * exercised for real against model time.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { buildSync } from "esbuild";
import { newState } from "./cluster";
import { EPOCH_MS } from "./routingCommands";
import type { ClusterSpec, ModelState, Scenario } from "./types";

const MODEL_DIR = __dirname;

/** The bundle and shims, built once per content of the model's sources. */
function binDir(): string {
  const sources = fs.readdirSync(MODEL_DIR).filter((f) => f.endsWith(".ts")).sort();
  const h = createHash("sha256");
  for (const f of sources) h.update(fs.readFileSync(path.join(MODEL_DIR, f)));
  h.update(fs.readFileSync(path.join(MODEL_DIR, "../../lib/threefs/shipped/configs.json")));
  const dir = path.join(os.tmpdir(), `threefs-model-${h.digest("hex").slice(0, 12)}`);
  const cli = path.join(dir, "admin_cli");
  if (fs.existsSync(cli)) return dir;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "threefs-model-build-"));
  buildSync({ entryPoints: [path.join(MODEL_DIR, "server.ts")], bundle: true, platform: "node", target: "node20", format: "cjs", outfile: path.join(tmp, "server.js"), logLevel: "silent" });
  // admin_cli and curl: bash clients of the model server (server.ts describes the protocol).
  for (const tool of ["admin_cli", "curl"]) {
    fs.writeFileSync(
      path.join(tmp, tool),
      [
        "#!/bin/bash",
        `exec 3<>"/dev/tcp/127.0.0.1/\${THREEFS_MODEL_PORT:?THREEFS_MODEL_PORT is not set}" || exit 70`,
        `{ printf '%s\\n%s\\n%s\\n%s\\n' ${tool} "\${THREEFS_MODEL_DIR:?}" "\${THREEFS_MODEL_DEADLINE_MS:-}" "$#"; for a in "$@"; do printf '%s\\0' "$a"; done; } >&3`,
        "IFS= read -r want <&3",
        'if [[ $want == STDIN ]]; then f=$(mktemp); cat >"$f"; { printf \'%s\\n\' "$(wc -c <"$f")"; cat "$f"; } >&3; rm -f "$f"; fi',
        "read -r code olen elen <&3",
        '((olen == 0)) || head -c "$olen" <&3',
        '((elen == 0)) || head -c "$elen" <&3 >&2',
        'exit "$code"',
        "",
      ].join("\n"),
      { mode: 0o755 },
    );
  }
  // sleep: advances the model clock (ms in $THREEFS_MODEL_DIR/clock) instead of waiting.
  fs.writeFileSync(
    path.join(tmp, "sleep"),
    [
      "#!/bin/bash",
      'c="$THREEFS_MODEL_DIR/clock"',
      'until mkdir "$THREEFS_MODEL_DIR/lock" 2>/dev/null; do :; done',
      'now=$(<"$c"); add=$(awk -v s="${1:-0}" \'BEGIN { printf "%d", s * 1000 }\')',
      'echo $((now + add)) > "$c"',
      'rmdir "$THREEFS_MODEL_DIR/lock"',
      "",
    ].join("\n"),
    { mode: 0o755 },
  );
  // date: the model clock; `+%s` and any other format through the real date at that instant.
  fs.writeFileSync(
    path.join(tmp, "date"),
    ["#!/bin/bash", `s=$(( ($(<"$THREEFS_MODEL_DIR/clock") + ${EPOCH_MS}) / 1000 ))`, 'exec /bin/date -d "@$s" "$@"', ""].join("\n"),
    { mode: 0o755 },
  );
  // timeout: bounds the command in model time: the fake admin_cli stops (exit 124, as timeout reports a
  // killed command) when a blocking call would outlive the deadline.
  fs.writeFileSync(
    path.join(tmp, "timeout"),
    [
      "#!/bin/bash",
      'while [[ $1 == -* ]]; do case $1 in -s|-k) shift 2 ;; *) shift ;; esac; done',
      'd=${1%s}; shift',
      'export THREEFS_MODEL_DEADLINE_MS=$(( $(<"$THREEFS_MODEL_DIR/clock") + d * 1000 ))',
      'exec "$@"',
      "",
    ].join("\n"),
    { mode: 0o755 },
  );
  try {
    fs.renameSync(tmp, dir);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true }); // a parallel worker built it first
  }
  return dir;
}

/** One admin_cli invocation as the fake records it. */
export interface Invocation {
  argv: string[];
  cfg: string | null;
  cfgMode: number | null;
  stdin: boolean;
}

export interface ScriptRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Commands the script's admin_cli processes ran, in order. */
  calls: string[];
  invocations: Invocation[];
  /** Model seconds the run took. */
  seconds: number;
}

const created: string[] = [];
let server: { worker: Worker; port: number } | undefined;
if (typeof afterAll === "function") {
  afterAll(async () => {
    created.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
    await server?.worker.terminate();
    server = undefined;
  });
}

/** The model server of this process (a worker thread on a loopback port), started on first use. */
function serverPort(bin: string): number {
  if (server) return server.port;
  const shared = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(path.join(bin, "server.js"), { workerData: { shared } });
  worker.unref();
  // The constructor and run() are synchronous (scripts run under spawnSync): wait for the port here.
  if (Atomics.wait(shared, 0, 0, 20_000) === "timed-out") throw new Error("the model server did not start");
  server = { worker, port: Atomics.load(shared, 0) };
  return server.port;
}

/** Stops this process's model server (scripts outside jest call it when done). */
export async function stopModelServer(): Promise<void> {
  await server?.worker.terminate();
  server = undefined;
}

/** A model cluster in a temporary directory. */
export class ModelCluster {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "threefs-cluster-"));
  readonly bin = binDir();

  constructor(spec: ClusterSpec, scenario: Scenario = {}) {
    created.push(this.dir);
    fs.writeFileSync(path.join(this.dir, "state.json"), JSON.stringify(newState(spec, scenario)));
    fs.writeFileSync(path.join(this.dir, "clock"), "0");
  }

  get state(): ModelState {
    return JSON.parse(fs.readFileSync(path.join(this.dir, "state.json"), "utf8")) as ModelState;
  }

  /** Changes the state between runs (a scenario step): load, modify, save. */
  update(fn: (s: ModelState) => void): void {
    const s = this.state;
    fn(s);
    fs.writeFileSync(path.join(this.dir, "state.json"), JSON.stringify(s));
  }

  /** Model time now (ms). */
  get clockMs(): number {
    return Number(fs.readFileSync(path.join(this.dir, "clock"), "utf8"));
  }

  /** Moves model time forward (and lets the cluster run) without a script. */
  wait(seconds: number): void {
    fs.writeFileSync(path.join(this.dir, "clock"), String(this.clockMs + seconds * 1000));
    this.admin("--cfg=/dev/null"); // any invocation advances the simulation to the clock
  }

  private lines(file: string): string[] {
    const p = path.join(this.dir, file);
    return fs.existsSync(p) ? fs.readFileSync(p, "utf8").split("\n").filter((l) => l !== "") : [];
  }

  calls(): string[] {
    return this.lines("calls.log");
  }

  invocations(): Invocation[] {
    return this.lines("argv.log").map((l) => JSON.parse(l) as Invocation);
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return { PATH: `${this.bin}:${process.env.PATH}`, THREEFS_MODEL_DIR: this.dir, THREEFS_MODEL_PORT: String(serverPort(this.bin)), ADMIN_CLI: path.join(this.bin, "admin_cli"), TMPDIR: this.dir, ...extra };
  }

  /** Runs the fake admin_cli directly (e.g. to look at the cluster as an operator would). */
  admin(...args: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(path.join(this.bin, "admin_cli"), args, { env: this.env(), encoding: "utf8", input: "" });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /** Runs a bash script against the cluster; `timeoutMs` is real time (a hung script fails the test). */
  run(script: string, args: string[] = [], env: Record<string, string> = {}, timeoutMs = 200_000): ScriptRun {
    const before = this.calls().length;
    const inv = this.invocations().length;
    const start = this.clockMs;
    const r = spawnSync("bash", [script, ...args], { env: this.env(env), encoding: "utf8", timeout: timeoutMs });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, calls: this.calls().slice(before), invocations: this.invocations().slice(inv), seconds: (this.clockMs - start) / 1000 };
  }
}
