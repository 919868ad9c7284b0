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
import type { ModelState } from "./types";

function main(): void {
  const dir = process.env.THREEFS_MODEL_DIR;
  if (!dir) throw new Error("THREEFS_MODEL_DIR is not set");
  const argv = process.argv.slice(2);
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
    else {
      process.stderr.write(`model curl: unsupported option ${a}\n`);
      process.exit(2);
    }
  }
  if (!url) {
    process.stderr.write("curl: no URL specified\n");
    process.exit(2);
  }
  // TLS against the API server's CA: without the ServiceAccount's ca.crt, curl fails (exit 60).
  if (!cacert || !fs.existsSync(cacert)) {
    process.stderr.write("curl: (60) SSL certificate problem: unable to get local issuer certificate\n");
    process.exit(60);
  }
  const statePath = path.join(dir, "state.json");
  const state = JSON.parse(fs.readFileSync(statePath, "utf8")) as ModelState;
  const ms = Math.max(state.simMs, Number(fs.readFileSync(path.join(dir, "clock"), "utf8")));
  simulate(state, ms);
  if (!state.spec.kube) throw new Error("model: the spec has no Kubernetes view (plans.ts fills it)");
  const bearer = headers.map((h) => /^Authorization: Bearer (.+)$/i.exec(h)?.[1]).find((t) => t !== undefined);
  const r = kubeGet(state, state.spec.kube, new URL(url), bearer, ms);
  fs.appendFileSync(path.join(dir, "kube.log"), `GET ${new URL(url).pathname}${new URL(url).search} ${r.code}\n`);
  const body = JSON.stringify(r.body);
  if (out) fs.writeFileSync(out, body);
  else process.stdout.write(body);
  if (write === "%{http_code}") process.stdout.write(String(r.code));
}

main();
