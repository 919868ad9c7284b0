/**
 * The exporter's parsers on admin_cli's exact table format, for the rows a healthy model cluster does not
 * print: a registered node with an empty Hostname, a chain with fewer targets than the widest one, every
 * chain Status form, the error block, and tables that are not what the command prints.
 *
 * `table` follows src/client/cli/common/Printer.cc:4-25 (spec/nodes-users-cli.md §1.3): every cell but
 * the last of its row padded to the column's widest cell + 2, the header included; the last cell unpadded.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseExposition } from "../../lib/monitoring/alerts";

const EXPORTER = path.join(__dirname, "../../lib/monitoring/exporter.py");
const DRIVER = path.join(__dirname, "exporter_driver.py");

function table(rows: string[][]): string {
  const width: number[] = [];
  for (const r of rows) r.forEach((c, i) => (width[i] = Math.max(width[i] ?? 0, c.length + 2)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(width[i]))).join("")).join("\n") + "\n";
}

function parse(command: string, stdout: string): any {
  const r = spawnSync("python3", [DRIVER, EXPORTER, "parse", command], { input: stdout, encoding: "utf8" });
  expect(r.stderr).toBe("");
  return JSON.parse(r.stdout);
}

const NODES_HEADER = ["Id", "Type", "Status", "Hostname", "Pid", "Tags", "LastHeartbeatTime", "ConfigVersion", "ReleaseVersion"];
const CHAINS_HEADER = ["ChainId", "ReferencedBy", "ChainVersion", "Status", "PreferredOrder", "Target", "Target", "Target"];

describe("parse_nodes", () => {
  it("reads cells by column offset: empty Hostname, N/A and a timestamp with a space", () => {
    const out = table([
      NODES_HEADER,
      ["1", "MGMTD", "PRIMARY_MGMTD", "mgmtd-1", "1", "[]", "N/A", "0(UPTODATE)", "250520-dev-1-999999-ab363af0"],
      ["100", "META", "HEARTBEAT_CONNECTED", "meta-100", "1", "[]", "2025-03-21 19:52:59", "0(UPTODATE)", "250520-dev-1-999999-ab363af0"],
      ["10005", "STORAGE", "HEARTBEAT_CONNECTING", "", "0", "[]", "N/A", "0", "0-dev-0-0-00000000"],
    ]);
    expect(parse("list-nodes", out)).toEqual([
      { node_id: "1", type: "MGMTD", status: "PRIMARY_MGMTD", hostname: "mgmtd-1" },
      { node_id: "100", type: "META", status: "HEARTBEAT_CONNECTED", hostname: "meta-100" },
      { node_id: "10005", type: "STORAGE", status: "HEARTBEAT_CONNECTING", hostname: "" },
    ]);
  });

  it("refuses an unknown status and a table whose rows do not line up with the header", () => {
    expect(parse("list-nodes", table([NODES_HEADER, ["1", "MGMTD", "ALIVE", "h", "1", "[]", "N/A", "0", "x"]])).error).toBe("FormatError");
    const shifted = table([NODES_HEADER, ["1", "MGMTD", "PRIMARY_MGMTD", "h", "1", "[]", "N/A", "0", "x"]]).replace("\n1 ", "\n1");
    expect(parse("list-nodes", shifted).error).toBe("FormatError");
  });

  it("turns admin_cli's error block (stdout) into CliError", () => {
    expect(parse("list-nodes", "Encounter error: 6004(MgmtdClient::RoutingInfoNotReady)\n")).toEqual({ error: "CliError", message: "6004(MgmtdClient::RoutingInfoNotReady)" });
  });
});

describe("parse_chains", () => {
  const out = table([
    CHAINS_HEADER,
    ["900100001", "1", "3", "SERVING", "[]", "101(SERVING-UPTODATE)", "102(SERVING-UPTODATE)", "103(SERVING-UPTODATE)"],
    ["900100002", "1", "5", "SERVING(2/3)", "[]", "201(SERVING-UPTODATE)", "202(SERVING-UPTODATE)", "203(OFFLINE-OFFLINE)"],
    ["900100003", "1,2,...", "7", "SYNCING", "[301,302]", "301(SERVING-UPTODATE)", "302(SYNCING-ONLINE)"],
    ["900100004", "N/A", "9", "UNAVAILABLE", "[]", "401(LASTSRV-OFFLINE)", "402(OFFLINE-OFFLINE)", "403(WAITING-ONLINE)"],
  ]);

  it("classifies every Status form and reads chains with fewer targets than the widest", () => {
    const chains = parse("list-chains", out) as Array<{ chain_id: string; class: string; serving: number; total: number; targets: string[][] }>;
    expect(chains.map((c) => [c.chain_id, c.class, c.serving, c.total])).toEqual([
      ["900100001", "SERVING", 3, 3],
      ["900100002", "DEGRADED", 2, 3],
      ["900100003", "SYNCING", 1, 2],
      ["900100004", "UNAVAILABLE", 0, 3],
    ]);
    expect(chains[3].targets).toEqual([["401", "LASTSRV", "OFFLINE"], ["402", "OFFLINE", "OFFLINE"], ["403", "WAITING", "ONLINE"]]);
  });

  it("refuses a malformed target cell", () => {
    expect(parse("list-chains", table([CHAINS_HEADER.slice(0, 6), ["1", "1", "1", "SERVING", "[]", "101(SERVING)"]])).error).toBe("FormatError");
  });

  it("exports one serving count per chain and the counts by class", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "exporter-"));
    const targets = table([["TargetId", "ChainId", "Role", "PublicState", "LocalState", "NodeId", "DiskIndex", "UsedSize"], ["401", "900100004", "HEAD", "LASTSRV", "OFFLINE", "N/A", "N/A", "0"]]);
    fs.writeFileSync(path.join(dir, "steps.json"), JSON.stringify([{ now: 0, outputs: { "list-chains": out, "list-targets": targets, "list-nodes": "Encounter error: 2005(RPC::Timeout)\n" } }]));
    const r = spawnSync("python3", [DRIVER, EXPORTER, "render", path.join(dir, "steps.json")], { encoding: "utf8" });
    fs.rmSync(dir, { recursive: true });
    const samples = parseExposition((JSON.parse(r.stdout) as string[])[0]);
    const get = (metric: string, labels: Record<string, string>) => samples.find((s) => s.metric === metric && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    expect(get("threefs_chain_serving_targets", { chain_id: "900100004" })).toBe(0);
    expect(get("threefs_chains", { status: "DEGRADED" })).toBe(1);
    expect(get("threefs_targets", { public_state: "LASTSRV", local_state: "OFFLINE" })).toBe(1);
    expect(get("threefs_exporter_command_success", { command: "list-nodes" })).toBe(0);
    expect(get("threefs_exporter_command_error", { command: "list-nodes", code: "2005" })).toBe(1);
    // A failed command exports none of its own series (no stale counts).
    expect(samples.some((s) => s.metric === "threefs_node_status")).toBe(false);
  });
});
