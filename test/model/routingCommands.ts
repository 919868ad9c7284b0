/**
 * The model's commands that go to mgmtd (nodes, chains, chain tables) and to storage nodes (targets).
 * Sources: AliyunContainerService/alibabacloud-3FS at ab363af, src/client/cli/admin/*.cc and
 * src/mgmtd/ops/*.cc; see test/model/README.md for the whole list of rules.
 */
import * as fs from "node:fs";
import { podOf, running } from "./cluster";
import { bumpRouting, freshTargetInfo, mgmtdSettings, newChain } from "./mgmtd";
import { E, parseArgs, table, timestamp, uint } from "./output";
import type { Session } from "./session";
import { NODE_STATUS_ORDER, type Chain, type NodeType } from "./types";

type Handler = (s: Session, words: string[]) => string;

/** Model epoch: model time 0 is 2025-12-01 00:00:00 UTC (also what the fake `date` prints). */
export const EPOCH_MS = Date.UTC(2025, 11, 1);

const TYPES: NodeType[] = ["MGMTD", "META", "STORAGE"];

/** list-nodes (ListNodes.cc:19-87): fixed header, sorted by type, status enum value, id. */
function listNodes(s: Session, words: string[]): string {
  parseArgs(words, { usage: "Usage: list-nodes", positional: [] });
  s.mgmtd();
  const nodes = [...s.state.nodes].sort((a, b) => TYPES.indexOf(a.type) - TYPES.indexOf(b.type) || NODE_STATUS_ORDER.indexOf(a.status) - NODE_STATUS_ORDER.indexOf(b.status) || a.id - b.id);
  const rows = [["Id", "Type", "Status", "Hostname", "Pid", "Tags", "LastHeartbeatTime", "ConfigVersion", "ReleaseVersion"]];
  for (const n of nodes) {
    rows.push([String(n.id), n.type, n.status, n.hostname, String(n.pid), "[]", n.lastHeartbeatMs === 0 ? "N/A" : timestamp(EPOCH_MS + n.lastHeartbeatMs), "0(UPTODATE)", n.releaseVersion]);
  }
  return table(rows);
}

const NODE_TYPE_USAGE = "Usage: register-node nodeId type";

/** register-node (RegisterNode.cc, RegisterNodeOperation.cc:14-39): new node HEARTBEAT_CONNECTING; prints nothing. */
function registerNode(s: Session, words: string[]): string {
  const a = parseArgs(words, { usage: NODE_TYPE_USAGE, positional: ["nodeId", "type"] });
  const id = uint(a.pos[0], NODE_TYPE_USAGE);
  if (!["MGMTD", "META", "STORAGE", "CLIENT", "FUSE"].includes(a.pos[1])) throw E.wrongUsage(`invalid type: ${a.pos[1]}\n${NODE_TYPE_USAGE}`);
  s.mgmtd();
  if (id === 0) throw E.registerFail("Node id is 0");
  if (s.state.nodes.some((n) => n.id === id)) throw E.registerFail(`Node id NodeId(${id}) duplicated`);
  s.state.nodes.push({ id, type: a.pos[1] as NodeType, status: "HEARTBEAT_CONNECTING", hostname: "", pid: 0, lastHeartbeatMs: 0, touchedMs: s.nowMs, releaseVersion: "0-dev-0-0-00000000", hasAddress: false });
  bumpRouting(s.state);
  return "";
}

/** unregister-node (UnregisterNode.cc:30-43, UnregisterNodeOperation.cc:20-53). */
function unregisterNode(s: Session, words: string[]): string {
  const usage = "Usage: unregister-node nodeId type";
  const a = parseArgs(words, { usage, positional: ["nodeId", "type"] });
  const id = uint(a.pos[0], usage);
  if (!["MGMTD", "META", "STORAGE", "CLIENT", "FUSE"].includes(a.pos[1])) throw E.wrongUsage(`invalid type: ${a.pos[1]}\n${usage}`);
  s.mgmtd();
  const n = s.state.nodes.find((x) => x.id === id);
  if (!n) throw E.nodeNotFound();
  if (n.type !== a.pos[1]) throw E.nodeTypeMismatch(`provided: ${a.pos[1]}. actual: ${n.type}`);
  if (n.status !== "DISABLED" && n.status !== "HEARTBEAT_FAILED") throw E.invalidArg(`Do not allow to unregister NodeId(${id}) of status ${n.status}`);
  for (const c of Object.values(s.state.chains)) {
    for (const t of c.targets) if (s.state.targets[t.targetId]?.nodeId === id) throw E.invalidArg(`Do not allow to unregister NodeId(${id}): referenced by TargetId(${t.targetId}) of ChainId(${c.chainId})`);
  }
  s.state.nodes = s.state.nodes.filter((x) => x !== n);
  bumpRouting(s.state);
  return "";
}

/** Chains in hash order: list-targets iterates an unordered map (ListTargets.cc:90-94), so callers may not rely on order. */
function unordered<T extends { chainId: number }>(chains: T[]): T[] {
  const h = (n: number) => Math.imul(n ^ 0x5bd1e995, 0x27d4eb2d) >>> 0;
  return [...chains].sort((a, b) => h(a.chainId) - h(b.chainId));
}

/**
 * list-targets (ListTargets.cc:23-94): every chain member whatever its state (role by position only, N/A for
 * an unknown node or disk); with --orphan, the orphans only (header TargetId LocalState NodeId DiskIndex
 * UsedSize). `-c` selects one chain (unknown: 3 "ChainId(N) not found").
 */
function listTargets(s: Session, words: string[]): string {
  const usage = "Usage: list-targets [--chain-id VAR] [--orphan]";
  const a = parseArgs(words, { usage, positional: [], flags: ["--orphan"], values: ["--chain-id"], aliases: { "-c": "--chain-id" } });
  s.mgmtd();
  if (a.flags.has("--orphan")) {
    const rows = [["TargetId", "LocalState", "NodeId", "DiskIndex", "UsedSize"]];
    for (const o of Object.values(s.state.orphans)) rows.push([o.targetId, o.localState, String(o.nodeId), String(o.diskIndex), String(o.usedSize)]);
    return table(rows);
  }
  let chains = unordered(Object.values(s.state.chains));
  if (a.values["--chain-id"] !== undefined) {
    const id = uint(a.values["--chain-id"], usage);
    chains = chains.filter((c) => c.chainId === id);
    if (chains.length === 0) throw E.invalidArg(`ChainId(${id}) not found`);
  }
  const rows = [["TargetId", "ChainId", "Role", "PublicState", "LocalState", "NodeId", "DiskIndex", "UsedSize"]];
  for (const c of chains) {
    c.targets.forEach((t, i) => {
      const info = s.state.targets[t.targetId];
      const role = i === 0 ? "HEAD" : i === c.targets.length - 1 ? "TAIL" : "MIDDLE";
      rows.push([t.targetId, String(c.chainId), role, t.publicState, info?.localState ?? "OFFLINE", info?.nodeId === undefined ? "N/A" : String(info.nodeId), info?.diskIndex === undefined ? "N/A" : String(info.diskIndex), String(info?.usedSize ?? 0)]);
    });
  }
  return table(rows);
}

/** Status of a chain from its public states (ListChains.cc:29-60). */
function chainStatus(c: Chain): string {
  const serving = c.targets.filter((t) => t.publicState === "SERVING").length;
  if (c.targets.some((t) => t.publicState === "SYNCING")) return "SYNCING";
  if (serving === c.targets.length) return "SERVING";
  if (serving === 0) return "UNAVAILABLE";
  return `SERVING(${serving}/${c.targets.length})`;
}

function chainCells(s: Session, c: Chain): string[] {
  return [String(c.chainVersion), chainStatus(c), `[${c.preferredOrder.join(",")}]`, ...c.targets.map((t) => `${t.targetId}(${t.publicState}-${s.state.targets[t.targetId]?.localState ?? "OFFLINE"})`)];
}

/**
 * list-chains (ListChains.cc:19-157): without -t, every chain by id with ReferencedBy (N/A, a, a,b or
 * a,b,...); with -t T [-v V], the table's chains in its order (unknown: 3 "ChainTableId(T) not found").
 */
function listChains(s: Session, words: string[]): string {
  const usage = "Usage: list-chains [--table-id VAR] [--version VAR]";
  const a = parseArgs(words, { usage, positional: [], values: ["--table-id", "--version"], aliases: { "-t": "--table-id", "-v": "--version" } });
  s.mgmtd();
  const chains = s.state.chains;
  const width = (ids: number[]) => Math.max(0, ...ids.map((id) => chains[String(id)].targets.length));
  if (a.values["--table-id"] !== undefined) {
    const t = uint(a.values["--table-id"], usage);
    const v = a.values["--version"] === undefined ? 0 : uint(a.values["--version"], usage);
    const versions = s.state.tables[String(t)] ?? [];
    const tv = v === 0 ? versions[versions.length - 1] : versions.find((x) => x.version === v);
    if (!tv) throw E.invalidArg(`ChainTableId(${t}) not found`);
    const rows = [["ChainId", "ChainTable", "ChainTableVersion", "ChainVersion", "Status", "PreferredOrder", ...Array<string>(width(tv.chains)).fill("Target")]];
    for (const id of tv.chains) rows.push([String(id), String(t), String(tv.version), ...chainCells(s, chains[String(id)])]);
    return table(rows);
  }
  const ids = Object.values(chains).map((c) => c.chainId).sort((x, y) => x - y);
  const rows = [["ChainId", "ReferencedBy", "ChainVersion", "Status", "PreferredOrder", ...Array<string>(width(ids)).fill("Target")]];
  for (const id of ids) {
    const refs = Object.entries(s.state.tables).filter(([, vs]) => vs.some((v) => v.chains.includes(id))).map(([t]) => t);
    const ref = refs.length === 0 ? "N/A" : refs.length <= 2 ? refs.join(",") : `${refs.slice(0, 2).join(",")},...`;
    rows.push([String(id), ref, ...chainCells(s, chains[String(id)])]);
  }
  return table(rows);
}

/** list-chain-tables (ListChainTables.cc:25-45): one row per table version. */
function listChainTables(s: Session, words: string[]): string {
  parseArgs(words, { usage: "Usage: list-chain-tables", positional: [] });
  s.mgmtd();
  const rows = [["ChainTableId", "ChainTableVersion", "ChainCount", "ReplicaCount", "Desc"]];
  for (const [id, versions] of Object.entries(s.state.tables)) {
    for (const v of versions) {
      const counts = [...new Set(v.chains.map((c) => s.state.chains[String(c)].targets.length))].join("/");
      rows.push([id, String(v.version), String(v.chains.length), counts, v.desc]);
    }
  }
  return table(rows);
}

/** A CSV file as rapidcsv reads it with a header row (the files the upload commands take). */
function readCsv(path: string): { header: string[]; rows: string[][] } {
  let text: string;
  try {
    text = fs.readFileSync(path, "utf8");
  } catch {
    throw E.invalidArg(`model: cannot read ${path}`);
  }
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  return { header: (lines[0] ?? "").split(",").map((x) => x.trim()), rows: lines.slice(1).map((l) => l.split(",").map((x) => x.trim())) };
}

/**
 * upload-chains (UploadChains.cc:41-94, SetChainsOperation.cc:7-98): file format refusals are 33
 * InvalidFormat; an existing chain with a different target set is 5007 "Target mismatch of ChainId(N)…", the
 * same set is skipped; a new chain's target already in any chain, or twice in the file, is 5007
 * "TargetId(t) duplicated. chain id: N"; targets need not exist. New chains: version 1, all SERVING,
 * newborn for 2 min; members get fresh TargetInfos (OFFLINE, N/A) and leave the orphans. Atomic.
 */
function uploadChains(s: Session, words: string[]): string {
  const a = parseArgs(words, { usage: "Usage: upload-chains [--dump-template] [--set-preferred-target-order] csv-file-path", positional: ["csv-file-path"], flags: ["--set-preferred-target-order", "--dump-template"], aliases: { "-d": "--dump-template" } });
  const { header, rows } = readCsv(a.pos[0]);
  if (header.length === 0 || header[0] === "") throw E.invalidFormat("empty columns");
  if (header[0] !== "ChainId") throw E.invalidFormat(`column[0] expected:'ChainId' actual:'${header[0]}'`);
  if (header.length === 1) throw E.invalidFormat("target columns not found");
  header.forEach((h, i) => {
    if (i > 0 && h !== "TargetId") throw E.invalidFormat(`column[${i}] expected:'TargetId' actual:'${h}'`);
  });
  if (rows.length === 0) throw E.invalidFormat("empty rows");
  rows.forEach((r, i) => {
    if (r.length !== header.length) throw E.invalidFormat(`unexpected size of row[${i}]. expected:${header.length} actual:${r.length}`);
    r.slice(1).forEach((t, j) => {
      if (!/^\d+$/.test(t) || BigInt(t) <= 0n) throw E.invalidFormat(`invalid TargetId of row[${i}][${j + 1}]:${t}`);
    });
  });
  s.mgmtd();
  const members = new Set(Object.values(s.state.chains).flatMap((c) => c.targets.map((t) => t.targetId)));
  const fresh: Array<[number, string[]]> = [];
  for (const [cid, ...ts] of rows) {
    const id = Number(cid);
    if (id === 0) throw E.invalidChainTable("Empty chain id");
    const old = s.state.chains[String(id)];
    if (old) {
      const a1 = old.targets.map((t) => t.targetId).sort();
      const b1 = [...ts].sort();
      if (a1.length !== b1.length) throw E.invalidChainTable(`Target count of chain ChainId(${id}) mismatch. old: ${a1.length}. new: ${b1.length}`);
      if (a1.join() !== b1.join()) throw E.invalidChainTable(`Target mismatch of ChainId(${id}). old: [${a1.map((t) => `TargetId(${t})`).join(",")}]. new: [${b1.map((t) => `TargetId(${t})`).join(",")}]`);
      continue;
    }
    for (const t of ts) {
      if (members.has(t)) throw E.invalidChainTable(`TargetId(${t}) duplicated. chain id: ${id}`);
      members.add(t);
    }
    // The source does not guard one new chain id twice in a file; mgmtd would abort (RoutingInfo.cc:89-91).
    if (fresh.some(([c]) => c === id)) throw new Error(`model: chain ${id} twice in one upload would abort mgmtd (RoutingInfo.cc:89-91)`);
    fresh.push([id, ts]);
  }
  const cfg = mgmtdSettings(s.state.spec.files);
  for (const [id, ts] of fresh) {
    s.state.chains[String(id)] = newChain(id, ts, s.nowMs, cfg, a.flags.has("--set-preferred-target-order"));
    for (const t of ts) {
      s.state.targets[t] = freshTargetInfo(t, s.nowMs);
      delete s.state.orphans[t];
    }
  }
  if (fresh.length > 0) bumpRouting(s.state);
  return `Upload ${rows.length} chains succeeded`;
}

/**
 * upload-chain-table (UploadChainTable.cc:46-83, SetChainTableOperation.cc:7-85): a chain that does not exist
 * is 5012; mixed replica counts are 5007; versioning exactly as coded (a changed chain list → latest + 1;
 * identical content → no-op; otherwise version 1 is overwritten).
 */
function uploadChainTable(s: Session, words: string[]): string {
  const usage = "Usage: upload-chain-table [--dump-template] [--desc VAR] tableId csv-file-path";
  const a = parseArgs(words, { usage, positional: ["tableId", "csv-file-path"], values: ["--desc"], flags: ["--dump-template"], aliases: { "-d": "--dump-template" } });
  const tableId = uint(a.pos[0], usage);
  const { header, rows } = readCsv(a.pos[1]);
  if (header.length !== 1) throw E.invalidFormat("expected columns: ChainId");
  if (header[0] !== "ChainId") throw E.invalidFormat(`column[0] expected:'ChainId' actual:'${header[0]}'`);
  if (rows.length === 0) throw E.invalidFormat("empty rows");
  const chains = rows.map(([c]) => {
    if (!/^\d+$/.test(c) || Number(c) <= 0) throw E.invalidFormat(`ChainId should be positive: ${c}`);
    if (Number(c) > 4294967295) throw E.invalidFormat(`ChainId overflow. max: 4294967295. now: ${c}`);
    return Number(c);
  });
  s.mgmtd();
  const first = s.state.chains[String(chains[0])];
  for (const c of chains) {
    const chain = s.state.chains[String(c)];
    if (!chain) throw E.chainNotFound(`ChainId(${c}) not found`);
    if (chain.targets.length !== first.targets.length) throw E.invalidChainTable(`Target count mismatch with first chain. chain id: ${c}. targets: ${chain.targets.length}. targets of first chain: ${first.targets.length}.`);
  }
  const versions = (s.state.tables[String(tableId)] ??= []);
  const current = versions[versions.length - 1];
  let version = 1;
  let desc = a.values["--desc"] ?? "";
  if (current) {
    if (current.chains.join() !== chains.join()) version = current.version + 1;
    if (desc === "") desc = current.desc;
    if (version === current.version && current.desc === desc && current.chains.join() === chains.join()) return `Upload ChainTableId(${tableId}) of ChainTableVersion(${current.version}) succeeded`;
  }
  const existing = versions.findIndex((v) => v.version === version);
  const entry = { version, chains, desc };
  if (existing >= 0) versions[existing] = entry;
  else versions.push(entry);
  versions.sort((x, y) => x.version - y.version);
  bumpRouting(s.state);
  return `Upload ChainTableId(${tableId}) of ChainTableVersion(${version}) succeeded`;
}

export const ROUTING_COMMANDS: Record<string, Handler> = {
  "list-nodes": listNodes,
  "register-node": registerNode,
  "unregister-node": unregisterNode,
  "list-targets": listTargets,
  "list-chains": listChains,
  "list-chain-tables": listChainTables,
  "upload-chains": uploadChains,
  "upload-chain-table": uploadChainTable,
};

/** statChainInfo (src/client/cli/admin/Utils.cc:26-37): what update-chain and friends print. */
export function statChainInfo(c: Chain): string {
  return table([["ChainId", String(c.chainId)], ["ChainVersion", String(c.chainVersion)], ...c.targets.map((t) => ["Target", `${t.targetId}(${t.publicState})`]), ["PreferredOrder", `[${c.preferredOrder.join(",")}]`]]);
}

/** The storage node a target command goes to: in routing as STORAGE (any status) with an address, process alive. */
export function storageRpc(s: Session, nodeId: number): void {
  const node = s.state.nodes.find((n) => n.id === nodeId && n.type === "STORAGE");
  // Not in routing nodes as a STORAGE node: 7004 with an empty message (StorageClientImpl.cc:355-383).
  if (!node) throw E.routingError();
  // A registered node that never heartbeated advertises no RDMA endpoint (StorageClientImpl.cc:845-886).
  if (!node.hasAddress) throw E.noRdma();
  const pod = podOf(s.state, nodeId);
  if (!pod || !running(s.state, pod.name)) {
    // A dead node: the RPC times out after storage_client.retry.max_wait_time 30 s (StorageClientImpl.cc:2401).
    s.advance(30_000);
    throw E.rpcTimeout();
  }
  s.rpc();
}
