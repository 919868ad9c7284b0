/**
 * The model as a server: one worker thread per test process serves every fake `admin_cli` and `curl`
 * process of the scripts under test over loopback, so a call costs a bash connect instead of a Node start
 * (~75 ms). The clients are small bash scripts (harness.ts) speaking this protocol:
 *
 *   client → "<tool>\n<model dir>\n<deadline ms or empty>\n<argc>\n" then each argument NUL-terminated
 *   server → "STDIN\n" (the client then sends "<length>\n" and its stdin) or "NOSTDIN\n"
 *   server → "<exit code> <stdout bytes> <stderr bytes>\n" then stdout, then stderr; then it closes
 *
 * Requests are handled one at a time, synchronously: two sessions of one script never interleave inside
 * the model, as the lock directory guarantees for separate processes.
 */
import * as net from "node:net";
import { workerData } from "node:worker_threads";
import { curl } from "./curl";
import { adminCli, readsStdin, type ProcessResult } from "./main";

interface Request {
  tool: string;
  dir: string;
  deadlineMs?: number;
  argv: string[];
}

/** Parses the request header and argv from the bytes received so far, or undefined when incomplete. */
function parseRequest(buf: Buffer): { req: Request; used: number } | undefined {
  let pos = 0;
  const line = (): string | undefined => {
    const nl = buf.indexOf(0x0a, pos);
    if (nl < 0) return undefined;
    const l = buf.subarray(pos, nl).toString("utf8");
    pos = nl + 1;
    return l;
  };
  const tool = line();
  const dir = line();
  const deadline = line();
  const argc = line();
  if (argc === undefined || tool === undefined || dir === undefined || deadline === undefined) return undefined;
  const argv: string[] = [];
  for (let i = 0; i < Number(argc); i++) {
    const nul = buf.indexOf(0, pos);
    if (nul < 0) return undefined;
    argv.push(buf.subarray(pos, nul).toString("utf8"));
    pos = nul + 1;
  }
  return { req: { tool, dir, deadlineMs: deadline === "" ? undefined : Number(deadline), argv }, used: pos };
}

function execute(req: Request, stdin: string): ProcessResult {
  try {
    if (req.tool === "curl") return curl(req.dir, req.argv);
    return adminCli(req.dir, req.argv, stdin, req.deadlineMs);
  } catch (e) {
    // A model bug: fail the script loudly, with the stack.
    return { stdout: "", stderr: `model error: ${(e as Error).stack}\n`, code: 70 };
  }
}

function reply(socket: net.Socket, r: ProcessResult): void {
  const out = Buffer.from(r.stdout, "utf8");
  const err = Buffer.from(r.stderr, "utf8");
  socket.end(Buffer.concat([Buffer.from(`${r.code} ${out.length} ${err.length}\n`), out, err]));
}

const server = net.createServer((socket) => {
  let buf = Buffer.alloc(0);
  let req: Request | undefined;
  let stdinLen: number | undefined;
  socket.on("data", (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    if (!req) {
      const parsed = parseRequest(buf);
      if (!parsed) return;
      req = parsed.req;
      buf = buf.subarray(parsed.used);
      if (req.tool === "admin_cli" && readsStdin(req.argv)) {
        socket.write("STDIN\n");
      } else {
        socket.write("NOSTDIN\n");
        reply(socket, execute(req, ""));
        return;
      }
    }
    if (stdinLen === undefined) {
      const nl = buf.indexOf(0x0a);
      if (nl < 0) return;
      stdinLen = Number(buf.subarray(0, nl).toString());
      buf = buf.subarray(nl + 1);
    }
    if (buf.length >= stdinLen) reply(socket, execute(req, buf.subarray(0, stdinLen).toString("utf8")));
  });
  socket.on("error", () => socket.destroy());
});

// The harness waits synchronously (Atomics.wait) for the port in the shared word.
server.listen(0, "127.0.0.1", () => {
  const shared = (workerData as { shared: Int32Array }).shared;
  Atomics.store(shared, 0, (server.address() as net.AddressInfo).port);
  Atomics.notify(shared, 0);
});
