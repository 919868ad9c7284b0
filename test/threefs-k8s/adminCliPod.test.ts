/**
 * The admin-cli pod's start script, run for real under /bin/sh: the private admin_cli config it writes
 * is valid TOML, carries the token in the one `[user_info]` table, and is private (0600).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "smol-toml";
import { ADMIN_CLI_PRIVATE_CONFIG, adminCliDeployment } from "../../lib/k8s/threefs/clients";
import { CONFIG_DIR, TOKEN_FILE } from "../../lib/threefs/constants";
import { renderThreeFsConfigs } from "../../lib/threefs/toml";
import { DEV_INPUT } from "../threefs-config/helpers";
import { devArgs } from "./fixtures";
import { planInput } from "../../lib/k8s/threefs/render";

test("the private config is the rendered admin_cli.toml with the token set in its [user_info] table", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "admin-cli-pod-"));
  try {
    const { input } = planInput(devArgs());
    const script = adminCliDeployment(input).spec.template.spec.containers[0].command![2];
    // Everything up to the idle loop, with the pod's paths moved into the temp dir.
    const setup = script.slice(0, script.indexOf("trap 'exit 0'")).split(TOKEN_FILE).join(`${dir}/token`).split(ADMIN_CLI_PRIVATE_CONFIG).join(`${dir}/private.toml`).split(CONFIG_DIR).join(dir);
    fs.writeFileSync(path.join(dir, "admin_cli.toml"), renderThreeFsConfigs(DEV_INPUT)["admin_cli.toml"]);
    fs.writeFileSync(path.join(dir, "token"), "AADHHSOs8QA92iRe2wB1fmuL\n");
    const r = spawnSync("/bin/sh", ["-c", setup], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const text = fs.readFileSync(path.join(dir, "private.toml"), "utf8");
    const doc = parse(text) as { user_info: { token: string; uid: bigint | number }; cluster_id: string };
    expect(doc.user_info.token).toBe("AADHHSOs8QA92iRe2wB1fmuL");
    expect(doc.cluster_id).toBe("threefs-dev");
    expect(text.match(/^\[user_info\]$/gm)).toHaveLength(1);
    expect(fs.statSync(path.join(dir, "private.toml")).mode & 0o777).toBe(0o600);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
