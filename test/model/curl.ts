/**
 * The fake `curl` of the model's Jobs: requests to the Kubernetes API, served by kube.ts from the model's
 * state. It takes the options the scripts use (-sS, --max-time, --cacert, -H @file or -H 'Name: value',
 * -X GET|DELETE|PATCH, --data-binary @file, -o, -w '%{http_code}') and refuses others, so a script that
 * relies on anything else fails here as it might fail differently against a real API server. Like curl
 * without --fail, an HTTP error is not an exit status. A PATCH must say its Content-Type (the API refuses
 * a patch without a patch type: 415); only strategic merge patches (conditions merged by type) are modelled,
 * so a JSON merge patch, which would replace the whole conditions list, is refused here.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { simulate } from "./cluster";
import { kubeRequest } from "./kube";
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
  let method = "GET";
  let data: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-sS" || a === "-s" || a === "-S") continue;
    else if (a === "--max-time") i++;
    else if (a === "--cacert") cacert = argv[++i];
    else if (a === "-H") {
      const h = argv[++i];
      headers.push(...(h.startsWith("@") ? fs.readFileSync(h.slice(1), "utf8").split("\n").filter((l) => l !== "") : [h]));
    } else if (a === "-X") method = argv[++i];
    else if (a === "--data-binary") {
      const d = argv[++i];
      if (!d.startsWith("@")) return { stdout: "", stderr: "model curl: --data-binary takes @file here (a body on argv is visible in /proc)\n", code: 2 };
      data = fs.readFileSync(d.slice(1), "utf8");
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
  if (!["GET", "DELETE", "PATCH"].includes(method)) return { stdout: "", stderr: `model curl: unsupported method ${method}\n`, code: 2 };
  const type = headers.map((h) => /^Content-Type: (.+)$/i.exec(h)?.[1]).find((t) => t !== undefined);
  const r =
    method === "PATCH" && type !== "application/strategic-merge-patch+json"
      ? { code: 415, body: { kind: "Status", apiVersion: "v1", status: "Failure", reason: "UnsupportedMediaType", message: `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`, code: 415 } }
      : kubeRequest(state, state.spec.kube, method, u, bearer, data, ms);
  fs.appendFileSync(path.join(dir, "kube.log"), `${method} ${u.pathname}${u.search} ${r.code}\n`);
  // Saved after every request: the simulation advanced, and pods seen for the first time got their uids.
  fs.writeFileSync(path.join(dir, "state.json"), JSON.stringify(state));
  const body = JSON.stringify(r.body);
  let stdout = "";
  if (out) fs.writeFileSync(out, body);
  else stdout += body;
  if (write === "%{http_code}") stdout += String(r.code);
  return { stdout, stderr: "", code: 0 };
}
