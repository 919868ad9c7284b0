/**
 * The fake `curl` of the model's Jobs: GET requests to the Kubernetes API only, served by kube.ts from the
 * model's state. It takes the options the scripts use (-sS, --max-time, --cacert, -H @file, -o, -w
 * '%{http_code}') and refuses others, so a script that relies on anything else fails here as it might fail
 * differently against a real API server. Like curl without --fail, an HTTP error is not an exit status.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { simulate } from "./cluster";
import { kubeGet } from "./kube";
import type { ProcessResult } from "./main";
import type { ModelState } from "./types";

/** One curl process against the model in `dir`. */
export function curl(dir: string, argv: readonly string[]): ProcessResult {
  fs.appendFileSync(path.join(dir, "curl-argv.log"), `${JSON.stringify(argv)}\n`);
  let out: string | undefined;
  let write: string | undefined;
  let cacert: string | undefined;
  const headers: string[] = [];
  let url: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-sS" || a === "-s" || a === "-S") continue;
    else if (a === "--max-time") i++;
    else if (a === "--cacert") cacert = argv[++i];
    else if (a === "-H") {
      const h = argv[++i];
      headers.push(...(h.startsWith("@") ? fs.readFileSync(h.slice(1), "utf8").split("\n").filter((l) => l !== "") : [h]));
    } else if (a === "-o") out = argv[++i];
    else if (a === "-w") write = argv[++i];
    else if (/^https:\/\//.test(a)) url = a;
    else return { stdout: "", stderr: `model curl: unsupported option ${a}\n`, code: 2 };
  }
  if (!url) return { stdout: "", stderr: "curl: no URL specified\n", code: 2 };
  // TLS against the API server's CA: without the ServiceAccount's ca.crt, curl fails (exit 60).
  if (!cacert || !fs.existsSync(cacert)) return { stdout: "", stderr: "curl: (60) SSL certificate problem: unable to get local issuer certificate\n", code: 60 };
  const state = JSON.parse(fs.readFileSync(path.join(dir, "state.json"), "utf8")) as ModelState;
  const ms = Math.max(state.simMs, Number(fs.readFileSync(path.join(dir, "clock"), "utf8")));
  simulate(state, ms);
  if (!state.spec.kube) throw new Error("model: the spec has no Kubernetes view (plans.ts fills it)");
  const bearer = headers.map((h) => /^Authorization: Bearer (.+)$/i.exec(h)?.[1]).find((t) => t !== undefined);
  const u = new URL(url);
  const r = kubeGet(state, state.spec.kube, u, bearer, ms);
  fs.appendFileSync(path.join(dir, "kube.log"), `GET ${u.pathname}${u.search} ${r.code}\n`);
  const body = JSON.stringify(r.body);
  let stdout = "";
  if (out) fs.writeFileSync(out, body);
  else stdout += body;
  if (write === "%{http_code}") stdout += String(r.code);
  return { stdout, stderr: "", code: 0 };
}
