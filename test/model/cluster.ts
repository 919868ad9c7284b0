/**
 * The model's Kubernetes side and 3FS processes, advanced second by second: which pods exist (and so which
 * DNS names resolve), whether FoundationDB answers, and what each mgmtd, meta and storage process does —
 * start, crash and back off, take the lease, heartbeat, apply routing, resync. Sources:
 * AliyunContainerService/alibabacloud-3FS at ab363af.
 */
import { storagePodName } from "../../lib/threefs/storageNodes";
import { parsed as parse } from "./toml";
import { chainUpdater, extendLease, heartbeat, heartbeatChecker, mgmtdSettings, newbornChecker, primary, type MgmtdSettings, type TargetReport } from "./mgmtd";
import { applyLosses, podDown } from "./pods";
import type { Chain, ClusterSpec, LocalTarget, ModelState, NodeType, ProcessState, Scenario } from "./types";

const TICK_MS = 1000;
const HEARTBEAT_MS = 10_000; // auto_heartbeat_interval 10 s (src/client/mgmtd/MgmtdClient.h:22-23)
/** loadAppInfo retries ~15 s before `Load AppInfo from launcher failed, stop retrying` (src/common/app/Utils.cc:238-260). */
const APP_INFO_GIVE_UP_MS = 15_000;

/** A fresh model of a cluster: nothing in FDB, no process started yet. */
export function newState(spec: ClusterSpec, scenario: Scenario): ModelState {
  return {
    spec,
    scenario,
    simMs: 0,
    fs: { initialized: false, inodes: [] },
    users: [],
    nodes: [],
    targets: {},
    orphans: {},
    chains: {},
    tables: {},
    routingVersion: 1,
    storage: Object.fromEntries(spec.storage.ids.map((id) => [String(id), [] as LocalTarget[]])),
    processes: {},
    calls: [],
  };
}

export interface Pod {
  name: string;
  role: "mgmtd" | "meta" | "storage";
  nodeId: number;
}

/** Every pod the StatefulSets declare, named `<statefulSet>-<ordinal>` (ordinal = node id). */
export function pods(spec: ClusterSpec): Pod[] {
  const out: Pod[] = [];
  for (const role of ["mgmtd", "meta", "storage"] as const) for (const id of spec[role].ids) out.push({ name: role === "storage" ? storagePodName(spec.storage.statefulSet, id) : `${spec[role].statefulSet}-${id}`, role, nodeId: id });
  return out;
}

/** Whether a pod is scheduled (has an IP) at `ms`: not Pending forever, and past its start time. */
export function scheduled(s: ModelState, pod: string, ms: number): boolean {
  if (s.scenario.missingPods?.includes(pod)) return false;
  // Deleted and not yet re-created, or Pending on claims of lost disks (pods.ts).
  const role = pods(s.spec).find((p) => p.name === pod)?.role;
  if (role && podDown(s, pod, role, ms) !== undefined) return false;
  return ms >= (s.scenario.podStartAt?.[pod] ?? 0) * 1000;
}

export function fdbUp(s: ModelState, ms: number): boolean {
  return ms >= (s.scenario.fdbUpAt ?? 0) * 1000;
}

function proc(s: ModelState, pod: string): ProcessState {
  return (s.processes[pod] ??= { phase: "down", sinceMs: 0, restartAtMs: 0, crashes: 0, nextHeartbeatMs: 0 });
}

export function running(s: ModelState, pod: string): boolean {
  return s.processes[pod]?.phase === "running";
}

/** The pod of a node id. */
export function podOf(s: ModelState, nodeId: number): Pod | undefined {
  return pods(s.spec).find((p) => p.nodeId === nodeId);
}

// -------------------------------------------------------------------------------------------- DNS

/**
 * getaddrinfo of a name inside the cluster (CoreDNS for headless Services): the Service name resolves to its
 * pods' IPs — every scheduled pod when the Service publishes not-ready addresses (mgmtd), else only ready
 * (running) ones — and `<pod>.<service>` to that pod. Short names are completed by the pod's search path
 * (`<ns>.svc.<domain>`, `svc.<domain>`, `<domain>`). Anything else does not resolve.
 */
export function resolve(s: ModelState, host: string, ms: number): string[] {
  const { namespace: ns, clusterDomain: dom } = s.spec;
  const fq = [host, `${host}.${ns}.svc.${dom}`, `${host}.svc.${dom}`, `${host}.${dom}`];
  for (const role of ["mgmtd", "meta", "storage"] as const) {
    const svc = s.spec[role].service;
    const members = pods(s.spec).filter((p) => p.role === role);
    const visible = (p: Pod) => scheduled(s, p.name, ms) && (role === "mgmtd" || running(s, p.name));
    if (fq.includes(`${svc}.${ns}.svc.${dom}`)) return members.filter(visible).map((p) => `ip-${p.name}`);
    for (const p of members) if (fq.includes(`${p.name}.${svc}.${ns}.svc.${dom}`)) return visible(p) ? [`ip-${p.name}`] : [];
  }
  return [];
}

/** `RDMA://host:port` → host (the fork's NamedAddress splits at the last ':', NamedAddress.cc:38-56). */
export function addressHost(address: string): string {
  const rest = address.replace(/^[A-Za-z]+:\/\//, "");
  const i = rest.lastIndexOf(":");
  if (i < 0) throw new Error(`service not found in address: {}`);
  return rest.slice(0, i);
}

/**
 * verifyAddresses (src/client/mgmtd/MgmtdClient.cc:467-490): every entry must resolve; one that does not
 * fails the whole connect. Returns the resolved IPs, or the refusal.
 */
export function verifyAddresses(s: ModelState, addresses: readonly string[], ms: number): { ips: string[] } | { error: string } {
  if (addresses.length === 0) return { error: "Empty mgmtdServers" };
  const ips: string[] = [];
  for (const a of addresses) {
    const host = addressHost(a);
    const r = resolve(s, host, ms);
    if (r.length === 0) return { error: `failed to resolve ${host}:${a.slice(a.lastIndexOf(":") + 1)}: Name or service not known` };
    ips.push(...r);
  }
  return { ips };
}

/** The mgmtd addresses and cluster id a server process reads (its rendered launcher and main files). */
function serverMgmtd(s: ModelState, role: "meta" | "storage" | "mgmtd"): { addresses: string[]; clusterId: string } {
  const launcher = parse(s.spec.files[`${role}_main_launcher.toml`] ?? "") as { cluster_id?: string; mgmtd_client?: { mgmtd_server_addresses?: string[] } };
  return { addresses: launcher.mgmtd_client?.mgmtd_server_addresses ?? [], clusterId: launcher.cluster_id ?? "" };
}

/** The cluster id mgmtd runs with (its launcher's cluster_id). */
export function mgmtdClusterId(s: ModelState): string {
  return serverMgmtd(s, "mgmtd").clusterId;
}

/**
 * Whether a client with these addresses and cluster id gets routing info from a usable primary now: its
 * addresses verify, a primary holds a trusted lease, the primary's pod is among the resolved IPs, and the
 * cluster ids match (GetPrimaryMgmtdOperation.cc:7, MgmtdState.cc:47-52). The refusal text otherwise.
 */
export function reachMgmtd(s: ModelState, addresses: readonly string[], clusterId: string, ms: number): { primary: number } | { error: string } {
  const v = verifyAddresses(s, addresses, ms);
  if ("error" in v) return v;
  const p = primary(s, ms, (id) => running(s, `${s.spec.mgmtd.statefulSet}-${id}`));
  if (p === undefined || !v.ips.includes(`ip-${s.spec.mgmtd.statefulSet}-${p}`)) return { error: "primary mgmtd not found" };
  if (clusterId !== mgmtdClusterId(s)) return { error: "Cluster id mismatch" };
  return { primary: p };
}

// ---------------------------------------------------------------------------------------- processes

/** The kubelet's crash back-off: 10 s doubling to 5 min. */
function backoffMs(crashes: number): number {
  return Math.min(10_000 * 2 ** Math.max(0, crashes - 1), 300_000);
}

function crash(p: ProcessState, ms: number): void {
  p.crashes += 1;
  p.phase = "down";
  p.restartAtMs = ms + backoffMs(p.crashes);
}

/** The restarts the scenario schedules for a storage node: is its container stopped at `ms`? */
function stoppedByScenario(s: ModelState, pod: Pod, ms: number): { graceful: boolean; until: number } | undefined {
  for (const r of s.scenario.storageRestarts ?? []) {
    if (pod.role === "storage" && r.nodeId === pod.nodeId && ms >= r.at * 1000 && ms < (r.at + r.downFor) * 1000) return { graceful: r.graceful, until: (r.at + r.downFor) * 1000 };
  }
  return undefined;
}

function reports(s: ModelState, nodeId: number, allOffline: boolean): TargetReport[] {
  return (s.storage[String(nodeId)] ?? []).map((t) => ({ targetId: t.targetId, diskIndex: t.diskIndex, localState: allOffline ? "OFFLINE" : t.localState }));
}

function sendHeartbeat(s: ModelState, cfg: MgmtdSettings, pod: Pod, p: ProcessState, ms: number): void {
  p.nextHeartbeatMs = ms + HEARTBEAT_MS;
  if (pod.role === "mgmtd") {
    // A secondary mgmtd finds the primary through the lease in FDB, not through mgmtd_server_addresses
    // (MgmtdHeartbeater.cc:58-91); it needs a usable primary and FDB.
    if (!fdbUp(s, ms) || primary(s, ms, (id) => running(s, `${s.spec.mgmtd.statefulSet}-${id}`)) === undefined) return;
  } else {
    const conn = reachMgmtd(s, serverMgmtd(s, pod.role).addresses, serverMgmtd(s, pod.role).clusterId, ms);
    if ("error" in conn) return; // a failed heartbeat is only logged (MgmtdClient.cc:732-745)
  }
  const type: NodeType = pod.role === "mgmtd" ? "MGMTD" : pod.role === "meta" ? "META" : "STORAGE";
  heartbeat(s, cfg, ms, { id: pod.nodeId, type, hostname: pod.name }, pod.role === "storage" ? reports(s, pod.nodeId, p.reportingOffline === true) : undefined);
}

/** A start attempt of a meta or storage process at `ms`. */
function startServer(s: ModelState, cfg: MgmtdSettings, pod: Pod, p: ProcessState, ms: number): void {
  const conn = reachMgmtd(s, serverMgmtd(s, pod.role).addresses, serverMgmtd(s, pod.role).clusterId, ms);
  if ("error" in conn) {
    // loadAppInfo needs routing info from a primary; it gives up after ~15 s and aborts (Utils.cc:238-260).
    if (ms - p.sinceMs >= APP_INFO_GIVE_UP_MS) crash(p, ms);
    return;
  }
  if (pod.role === "meta") {
    if (!fdbUp(s, ms)) return; // the kv engine blocks on FDB
    // The heartbeat starts before MetaOperator::init (MetaServer.cc:30-41): each attempt heartbeats once.
    sendHeartbeat(s, cfg, pod, p, ms);
    // GcManager::checkFs: no root or gc-root inode → Meta::BadFileSystem, FATAL "Start server failed"
    // (GcManager.cc:692-706, TwoPhaseApplication.h:98-100): the process aborts until init-cluster ran.
    if (!s.fs.initialized) return crash(p, ms);
  }
  p.phase = "running";
  p.crashes = 0;
  if (pod.role === "storage") {
    // Load every target on disk as ONLINE; user offlines are memory only (TargetMap.cc:294-303).
    for (const t of s.storage[String(pod.nodeId)] ?? []) Object.assign(t, { localState: "ONLINE", offlineByUser: false, syncDoneAtMs: undefined, reloadAtMs: undefined });
    p.reportingOffline = true; // Components.cc:87-122
    p.seenRoutingVersion = 0;
  }
  sendHeartbeat(s, cfg, pod, p, ms);
}

/** mgmtd: needs FDB only (spec of the source, MgmtdConfigFetcher.cc:38-50); extends the lease every 10 s. */
function tickMgmtd(s: ModelState, cfg: MgmtdSettings, pod: Pod, p: ProcessState, ms: number): void {
  if (!fdbUp(s, ms)) {
    p.phase = "starting";
    return;
  }
  if (p.phase !== "running") {
    p.phase = "running";
    p.nextHeartbeatMs = ms;
  }
  if (ms >= p.nextHeartbeatMs) {
    extendLease(s, pod.nodeId, ms, cfg); // MgmtdBackgroundRunner.cc:39-42, every extend_lease_interval
    // A secondary heartbeats to the primary as MGMTD every 10 s (MgmtdHeartbeater.cc:58-91).
    if (s.lease?.holder !== pod.nodeId) sendHeartbeat(s, cfg, pod, p, ms);
    p.nextHeartbeatMs = ms + cfg.extendLeaseIntervalMs;
  }
}

/**
 * Chain members by target id (chain and public state), rebuilt when the routing version changes: every
 * membership or public-state change bumps it (mgmtd.ts bumpRouting).
 */
const indexCache = new WeakMap<ModelState, { version: number; chains: object; index: Map<string, { chain: Chain; state: string }> }>();
function memberIndex(s: ModelState): Map<string, { chain: Chain; state: string }> {
  const hit = indexCache.get(s);
  if (hit && hit.version === s.routingVersion && hit.chains === s.chains) return hit.index;
  const index = new Map<string, { chain: Chain; state: string }>();
  for (const c of Object.values(s.chains)) for (const t of c.targets) index.set(t.targetId, { chain: c, state: t.publicState });
  indexCache.set(s, { version: s.routingVersion, chains: s.chains, index });
  return index;
}

/** Storage applies a new routing version to its TargetMap (TargetMap.cc:146-219,332-349). */
function applyRouting(s: ModelState, pod: Pod, p: ProcessState, ms: number): void {
  if (p.seenRoutingVersion === s.routingVersion) return;
  const chainOf = (id: string) => memberIndex(s).get(id)?.chain;
  const mine = s.storage[String(pod.nodeId)] ?? [];
  // A member whose on-disk chain id differs from its chain, or two local members of one chain, make the node
  // refuse the whole routing update and keep the old one (TargetMap.cc:195-212,370-382).
  const perChain = new Map<number, number>();
  for (const t of mine) {
    const c = chainOf(t.targetId);
    if (!c) continue;
    if (c.chainId !== t.chainId) return;
    perChain.set(c.chainId, (perChain.get(c.chainId) ?? 0) + 1);
  }
  if ([...perChain.values()].some((n) => n > 1)) return;
  p.seenRoutingVersion = s.routingVersion;
  let changed = false;
  const stateOf = (id: string) => memberIndex(s).get(id)?.state;
  for (const t of mine) {
    const ps = stateOf(t.targetId);
    if (ps === undefined || t.offlineByUser) continue;
    if (t.localState === "ONLINE" && ps === "SERVING") (t.localState = "UPTODATE"), (changed = true);
    else if (t.localState === "UPTODATE" && (ps === "OFFLINE" || ps === "LASTSRV" || ps === "WAITING")) {
      // Released and reloaded from disk as ONLINE ~100 ms later (CheckWorker.cc:124-144).
      t.localState = "OFFLINE";
      t.reloadAtMs = ms + 100;
      changed = true;
    } else if (t.localState === "ONLINE" && ps === "SYNCING" && t.syncDoneAtMs === undefined) {
      t.syncDoneAtMs = ms + (s.scenario.syncSeconds ?? 20) * 1000; // the predecessor's resync (ResyncWorker.cc)
    }
  }
  if (changed) p.nextHeartbeatMs = Math.min(p.nextHeartbeatMs, ms + 1000); // triggered heartbeat ≤ 1/s (CheckWorker.cc:235-239)
}

function tickStorageTargets(s: ModelState, pod: Pod, p: ProcessState, ms: number): void {
  let changed = false;
  for (const t of s.storage[String(pod.nodeId)] ?? []) {
    if (t.reloadAtMs !== undefined && ms >= t.reloadAtMs) (t.localState = "ONLINE"), (t.reloadAtMs = undefined), (changed = true);
    if (t.syncDoneAtMs !== undefined && ms >= t.syncDoneAtMs) (t.localState = "UPTODATE"), (t.syncDoneAtMs = undefined), (changed = true); // TargetMap.cc:111-122
  }
  if (p.reportingOffline) {
    // Keeps reporting OFFLINE until none of its targets is SERVING/SYNCING/WAITING in routing.
    const busy = (s.storage[String(pod.nodeId)] ?? []).some((t) => ["SERVING", "SYNCING", "WAITING"].includes(memberIndex(s).get(t.targetId)?.state ?? ""));
    if (!busy) (p.reportingOffline = false), (changed = true);
    else p.nextHeartbeatMs = Math.min(p.nextHeartbeatMs, ms + 1000); // once per second while waiting
  }
  if (changed) p.nextHeartbeatMs = Math.min(p.nextHeartbeatMs, ms + 1000);
}

function tickServer(s: ModelState, cfg: MgmtdSettings, pod: Pod, p: ProcessState, ms: number): void {
  const stop = stoppedByScenario(s, pod, ms);
  if (stop) {
    if (p.phase === "running" && stop.graceful && pod.role === "storage") {
      // A graceful stop reports every target OFFLINE first (Components.cc:152-158).
      const conn = reachMgmtd(s, serverMgmtd(s, pod.role).addresses, serverMgmtd(s, pod.role).clusterId, ms);
      if (!("error" in conn)) heartbeat(s, cfg, ms, { id: pod.nodeId, type: "STORAGE", hostname: pod.name }, reports(s, pod.nodeId, true));
    }
    p.phase = "down";
    p.restartAtMs = stop.until;
    return;
  }
  if (p.phase === "down") {
    if (ms < p.restartAtMs) return;
    p.phase = "starting";
    p.sinceMs = ms;
  }
  if (p.phase === "starting") return startServer(s, cfg, pod, p, ms);
  if (pod.role === "storage") {
    applyRouting(s, pod, p, ms);
    tickStorageTargets(s, pod, p, ms);
  }
  if (ms >= p.nextHeartbeatMs) sendHeartbeat(s, cfg, pod, p, ms);
}

/** Advances the model to `toMs`, one second at a time. */
export function simulate(s: ModelState, toMs: number): void {
  const cfg = mgmtdSettings(s.spec.files);
  while (s.simMs + TICK_MS <= toMs) {
    const ms = (s.simMs += TICK_MS);
    // A released instance: its storage process dies without a last heartbeat (pods.ts).
    applyLosses(s, ms, (nodeId) => {
      const p = proc(s, storagePodName(s.spec.storage.statefulSet, nodeId));
      p.phase = "down";
      p.restartAtMs = 0;
    });
    for (const pod of pods(s.spec)) {
      const p = proc(s, pod.name);
      if (p.phase === "running" && pod.role === "storage" && podDown(s, pod.name, pod.role, ms) === "deleted") {
        // A deleted pod stops gracefully: storage reports every target OFFLINE first (Components.cc:152-158).
        const conn = reachMgmtd(s, serverMgmtd(s, "storage").addresses, serverMgmtd(s, "storage").clusterId, ms);
        if (!("error" in conn)) heartbeat(s, cfg, ms, { id: pod.nodeId, type: "STORAGE", hostname: pod.name }, reports(s, pod.nodeId, true));
      }
      if (!scheduled(s, pod.name, ms)) {
        p.phase = "down";
        p.restartAtMs = 0;
        continue;
      }
      if (pod.role === "mgmtd") tickMgmtd(s, cfg, pod, p, ms);
      else tickServer(s, cfg, pod, p, ms);
    }
    const holder = s.lease?.holder;
    if (holder !== undefined && primary(s, ms, (id) => running(s, `${s.spec.mgmtd.statefulSet}-${id}`)) === holder) {
      if (ms % cfg.checkStatusIntervalMs === 0) {
        heartbeatChecker(s, cfg, ms);
        newbornChecker(s, ms);
      }
      chainUpdater(s);
    }
  }
}
