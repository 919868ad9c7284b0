/**
 * The model's mgmtd: lease and primary, node registry and heartbeats, the routing info (chain members,
 * orphans, chains, chain tables) and the background checkers that move target and node states.
 * Sources: AliyunContainerService/alibabacloud-3FS at ab363af.
 */
import { parsed as parse } from "./toml";
import type { Chain, ChainTarget, LocalState, ModelState, NodeRecord, NodeType, PublicState, TargetInfo } from "./types";

/** The mgmtd settings the model obeys, read from the rendered mgmtd_main.toml (absent → the C++ default). */
export interface MgmtdSettings {
  /** MgmtdConfig.h:14 default false; configs/mgmtd_main.toml:197 true. */
  allowHeartbeatFromUnregistered: boolean;
  /** MgmtdConfig.h:16 default 60 s. */
  heartbeatFailIntervalMs: number;
  /** MgmtdConfig.h:15 default 10 s. */
  checkStatusIntervalMs: number;
  /** MgmtdConfig.h:17 default 2 min. */
  newChainBootstrapIntervalMs: number;
  /** MgmtdConfig.h:10 default 60 s. */
  leaseLengthMs: number;
  /** MgmtdConfig.h:11 default 10 s. */
  extendLeaseIntervalMs: number;
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000, day: 86_400_000 };

/** A 3FS duration string ("60s", "2min", "100ms") in ms. */
export function durationMs(v: unknown, fallback: number): number {
  if (typeof v !== "string") return fallback;
  const m = /^(\d+(?:\.\d+)?)(ms|s|min|h|day)$/.exec(v);
  if (!m) throw new Error(`model: unparsable 3FS duration ${v}`);
  return Number(m[1]) * DURATION_UNITS[m[2]];
}

const settingsCache = new Map<string, MgmtdSettings>();

/** Reads the settings from the rendered mgmtd_main.toml exactly as mgmtd would: file value, else code default. */
export function mgmtdSettings(files: Record<string, string>): MgmtdSettings {
  const text = files["mgmtd_main.toml"];
  if (text === undefined) throw new Error("model: the plan has no mgmtd_main.toml");
  const known = settingsCache.get(text);
  if (known) return known;
  const svc = ((parse(text) as { server?: { service?: Record<string, unknown> } }).server?.service ?? {}) as Record<string, unknown>;
  const settings: MgmtdSettings = {
    allowHeartbeatFromUnregistered: svc.allow_heartbeat_from_unregistered === true,
    heartbeatFailIntervalMs: durationMs(svc.heartbeat_fail_interval, 60_000),
    checkStatusIntervalMs: durationMs(svc.check_status_interval, 10_000),
    newChainBootstrapIntervalMs: durationMs(svc.new_chain_bootstrap_interval, 120_000),
    leaseLengthMs: durationMs(svc.lease_length, 60_000),
    extendLeaseIntervalMs: durationMs(svc.extend_lease_interval, 10_000),
  };
  settingsCache.set(text, settings);
  return settings;
}

/** Bumps the routing version (what storage nodes and clients refresh against). */
export function bumpRouting(s: ModelState): void {
  s.routingVersion += 1;
}

/** The usable primary mgmtd's node id, if any: a trusted lease held by a running mgmtd (MgmtdState.cc:66-75). */
export function primary(s: ModelState, nowMs: number, running: (nodeId: number) => boolean): number | undefined {
  // currentLease() trusts the lease only while now + suspicious_lease_interval (20 s) < leaseEnd
  // (src/mgmtd/service/MgmtdState.cc:66-75); the holder extends every 10 s, so a live holder stays trusted.
  if (!s.lease || !running(s.lease.holder)) return undefined;
  return nowMs + 20_000 < s.lease.endMs ? s.lease.holder : undefined;
}

/**
 * One lease extension by mgmtd `id` at `nowMs` (MgmtdStore::extendLease, src/mgmtd/store/MgmtdStore.cc:154-189):
 * take an absent or expired lease, extend one's own, otherwise leave it. Gaining the lease reloads the
 * persisted nodes as HEARTBEAT_CONNECTING (NodeConversion.cc:4-9, MgmtdLeaseExtender.cc:60-71), rebuilds
 * chain members as localState OFFLINE (MgmtdLeaseExtender.cc:98-113), drops orphans (RoutingInfo.cc:157-158)
 * and makes every chain newborn (RoutingInfo.cc:168-171).
 */
export function extendLease(s: ModelState, id: number, nowMs: number, cfg: MgmtdSettings): void {
  const lease = s.lease;
  if (lease && lease.holder === id) {
    lease.endMs = nowMs + cfg.leaseLengthMs;
    return;
  }
  if (lease && lease.endMs >= nowMs) return;
  s.lease = { holder: id, endMs: nowMs + cfg.leaseLengthMs };
  for (const n of s.nodes) {
    if (n.status !== "DISABLED") n.status = "HEARTBEAT_CONNECTING";
    n.pid = 0;
    n.lastHeartbeatMs = 0;
    n.touchedMs = nowMs;
    n.releaseVersion = DEFAULT_RELEASE;
  }
  let self = s.nodes.find((n) => n.id === id);
  if (!self) {
    self = newNode(id, "MGMTD", nowMs);
    s.nodes.push(self);
  }
  self.status = "PRIMARY_MGMTD";
  self.lastHeartbeatMs = 0;
  self.hostname = `${s.spec.mgmtd.statefulSet}-${id}`;
  self.pid = 1;
  self.releaseVersion = RELEASE;
  self.hasAddress = true;
  for (const t of Object.values(s.targets)) {
    t.localState = "OFFLINE";
    t.touchedMs = nowMs;
  }
  s.orphans = {};
  for (const c of Object.values(s.chains)) c.newbornUntilMs = nowMs + cfg.newChainBootstrapIntervalMs;
  bumpRouting(s);
}

/** Release version strings as list-nodes prints them (src/common/app/AppInfo.cc:122-142). */
export const RELEASE = "250520-dev-1-999999-ab363af0";
export const DEFAULT_RELEASE = "0-dev-0-0-00000000";

function newNode(id: number, type: NodeType, nowMs: number): NodeRecord {
  return { id, type, status: "HEARTBEAT_CONNECTING", hostname: "", pid: 0, lastHeartbeatMs: 0, touchedMs: nowMs, releaseVersion: DEFAULT_RELEASE, hasAddress: false };
}

/** A storage heartbeat's report of one local target (src/storage/service/Components.cc:242-261). */
export interface TargetReport {
  targetId: string;
  localState: LocalState;
  diskIndex: number;
}

/**
 * A heartbeat from a server (HeartbeatOperation::handle, src/mgmtd/ops/HeartbeatOperation.cc). Returns
 * the refusal message, or undefined when accepted. Only the primary serves it (doAsPrimary, :200).
 */
export function heartbeat(s: ModelState, cfg: MgmtdSettings, nowMs: number, from: { id: number; type: NodeType; hostname: string }, targets?: TargetReport[]): string | undefined {
  let node = s.nodes.find((n) => n.id === from.id);
  if (!node) {
    // Unknown node id: auto-register only when allowed (HeartbeatOperation.cc:35-42; MgmtdConfig.h:14).
    if (!cfg.allowHeartbeatFromUnregistered) return `NodeId(${from.id}) not registered`;
    node = newNode(from.id, from.type, nowMs);
    s.nodes.push(node);
    bumpRouting(s);
  }
  if (node.type !== from.type) return `NodeId(${from.id}) type mismatch: registered ${node.type} got ${from.type}`; // :45-52
  if (node.status === "DISABLED") return `NodeId(${from.id}) is marked as DISABLED`; // :53-55
  if (node.status === "PRIMARY_MGMTD") return `Node id NodeId(${from.id}) duplicated`; // :126-128
  if (targets) {
    // A duplicated target id rejects the whole heartbeat (HeartbeatOperation.cc:86-111).
    const ids = targets.map((t) => t.targetId);
    if (new Set(ids).size !== ids.length) return "Duplicated target id in HeartbeatInfo";
  }
  const changed = !node.hasAddress || node.hostname !== from.hostname;
  node.status = "HEARTBEAT_CONNECTED"; // onNodeChanged (:20-27)
  node.hostname = from.hostname;
  node.pid = 1;
  node.lastHeartbeatMs = nowMs;
  node.touchedMs = nowMs;
  node.releaseVersion = RELEASE;
  node.hasAddress = true;
  if (changed) bumpRouting(s); // persisted part changed → routing version bump (:187-189)
  if (targets) updateTargets(s, from.id, targets, nowMs);
  return undefined;
}

/**
 * RoutingInfo::localUpdateTargets (src/mgmtd/service/RoutingInfo.cc:38-87): drop the node's previous orphans,
 * then refresh chain members from the report and record the rest as orphans.
 */
function updateTargets(s: ModelState, nodeId: number, reports: TargetReport[], nowMs: number): void {
  for (const [id, o] of Object.entries(s.orphans)) if (o.nodeId === nodeId) delete s.orphans[id];
  for (const r of reports) {
    const member = s.targets[r.targetId];
    if (member) {
      if (member.localState !== r.localState || member.nodeId !== nodeId) bumpRouting(s);
      member.localState = r.localState;
      member.nodeId = nodeId; // a report re-points the member's node (RoutingInfo.cc:65-71)
      member.diskIndex = r.diskIndex;
      member.touchedMs = nowMs;
    } else {
      s.orphans[r.targetId] = { targetId: r.targetId, localState: r.localState, nodeId, diskIndex: r.diskIndex, usedSize: 0, touchedMs: nowMs };
    }
  }
}

/**
 * The heartbeat checker, every check_status_interval on the primary (MgmtdHeartbeatChecker.cc:31-75): a node
 * silent for heartbeat_fail_interval becomes HEARTBEAT_FAILED (primary, DISABLED and FAILED untouched,
 * :35-39); a chain member not refreshed for as long becomes localState OFFLINE (:48-52,66-71).
 */
export function heartbeatChecker(s: ModelState, cfg: MgmtdSettings, nowMs: number): void {
  for (const n of s.nodes) {
    if (n.status === "PRIMARY_MGMTD" || n.status === "DISABLED" || n.status === "HEARTBEAT_FAILED") continue;
    if (nowMs - n.touchedMs >= cfg.heartbeatFailIntervalMs) {
      n.status = "HEARTBEAT_FAILED";
      bumpRouting(s);
    }
  }
  for (const t of Object.values(s.targets)) {
    if (t.localState !== "OFFLINE" && nowMs - t.touchedMs >= cfg.heartbeatFailIntervalMs) {
      t.localState = "OFFLINE";
      bumpRouting(s);
    }
  }
}

/** Newborn chains leave the newborn set on the checker's 10 s cadence (MgmtdNewBornChainsChecker.cc:13-48). */
export function newbornChecker(s: ModelState, nowMs: number): void {
  for (const c of Object.values(s.chains)) if (c.newbornUntilMs !== 0 && c.newbornUntilMs <= nowMs) c.newbornUntilMs = 0;
}

/**
 * generateNewChain (src/mgmtd/service/updateChain.cc:25-104): the new order and public states of a chain from
 * its members' public states and mgmtd's local states. Output order SERVING, LASTSRV, SYNCING, WAITING,
 * OFFLINE; at most one new SYNCING per pass; a failed sole SERVING becomes LASTSRV.
 */
export function generateNewChain(targets: readonly ChainTarget[], local: (id: string) => LocalState): ChainTarget[] {
  const up = (ls: LocalState) => ls === "ONLINE" || ls === "UPTODATE";
  const out: Record<PublicState, string[]> = { SERVING: [], LASTSRV: [], SYNCING: [], WAITING: [], OFFLINE: [] };
  const of = (ps: PublicState) => targets.filter((t) => t.publicState === ps).map((t) => t.targetId);
  for (const id of of("SERVING")) {
    if (up(local(id))) out.SERVING.push(id);
    else if (out.LASTSRV.length === 0) out.LASTSRV.push(id);
    else out.OFFLINE.push(id);
  }
  for (const id of of("LASTSRV")) {
    if (out.SERVING.length === 0) (up(local(id)) ? out.SERVING : out.LASTSRV).push(id);
    else out.OFFLINE.push(id);
  }
  for (const id of of("SYNCING")) {
    const ls = local(id);
    if (ls === "UPTODATE") out.SERVING.push(id);
    else if (ls === "ONLINE") (out.SERVING.length > 0 ? out.SYNCING : out.WAITING).push(id);
    else out.OFFLINE.push(id);
  }
  for (const id of [...of("WAITING"), ...of("OFFLINE")]) {
    const ls = local(id);
    if (out.SERVING.length > 0 && out.SYNCING.length === 0 && ls === "ONLINE") out.SYNCING.push(id);
    else if (up(ls)) out.WAITING.push(id);
    else out.OFFLINE.push(id);
  }
  if (out.SERVING.length > 0) {
    out.OFFLINE.push(...out.LASTSRV);
    out.LASTSRV = [];
  }
  const order: PublicState[] = ["SERVING", "LASTSRV", "SYNCING", "WAITING", "OFFLINE"];
  return order.flatMap((ps) => out[ps].map((targetId) => ({ targetId, publicState: ps })));
}

/**
 * The chain updater, every second on the primary (MgmtdChainsUpdater.cc:25-52, update_chains_interval 1 s):
 * every chain that is not newborn (MgmtdData.cc:119) gets generateNewChain; a changed chain bumps its version.
 */
export function chainUpdater(s: ModelState): void {
  for (const c of Object.values(s.chains)) {
    if (c.newbornUntilMs !== 0) continue;
    const next = generateNewChain(c.targets, (id) => s.targets[id]?.localState ?? "OFFLINE");
    if (JSON.stringify(next) === JSON.stringify(c.targets)) continue;
    c.targets = next;
    c.chainVersion += 1;
    bumpRouting(s);
  }
}

/** A new chain as upload-chains stores it: version 1, every member SERVING (SetChainsOperation.cc:7-21). */
export function newChain(chainId: number, targetIds: string[], nowMs: number, cfg: MgmtdSettings, preferred: boolean): Chain {
  return {
    chainId,
    chainVersion: 1,
    targets: targetIds.map((targetId) => ({ targetId, publicState: "SERVING" as const })),
    preferredOrder: preferred ? [...targetIds] : [],
    newbornUntilMs: nowMs + cfg.newChainBootstrapIntervalMs,
  };
}

/** A member's fresh TargetInfo: OFFLINE, no node or disk (src/mgmtd/service/helpers.cc:14-21). */
export function freshTargetInfo(targetId: string, nowMs: number): TargetInfo {
  return { targetId, localState: "OFFLINE", usedSize: 0, touchedMs: nowMs };
}
