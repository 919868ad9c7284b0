/**
 * One admin_cli process of the model: its config (from --cfg), its clock, and the getters that decide
 * which component a command can reach, as src/client/bin/admin_cli.cc creates them lazily.
 * Sources: AliyunContainerService/alibabacloud-3FS at ab363af.
 */
import { fdbUp, reachMgmtd, running, simulate } from "./cluster";
import { E } from "./output";
import type { ModelState } from "./types";

/** What the admin_cli config says (after --cfg and --config.* overrides). */
export interface AdminConfig {
  clusterId: string;
  addresses: string[];
  token: string;
  /** user_info.uid; -1 = geteuid(), root (0) in the containers (admin_cli.cc:64-79). */
  uid: number;
  gid: number;
}

/** The cost of one round trip, in model ms: every command moves the clock. */
const RPC_MS = 100;
/** The FDB client blocks while FDB is down (not 3FS source); the model waits at most this long, then fails. */
const FDB_BLOCK_LIMIT_MS = 3_600_000;

/** The process was killed by `timeout` (exit 124, nothing more printed). */
export class Killed extends Error {}

export class Session {
  /** Set once a routing refresh succeeded in this process (admin_cli.cc:126-139). */
  private hadRouting = false;

  /**
   * @param deadlineMs the model-time deadline of a `timeout` around this process (the harness's `timeout`
   *   shim passes it): a call that would block past it kills the process (exit 124)
   */
  constructor(
    public readonly state: ModelState,
    public readonly cfg: AdminConfig,
    public nowMs: number,
    private readonly deadlineMs = Infinity,
  ) {}

  /** Moves the clock (and the simulation) forward; past a `timeout` deadline the process is killed. */
  advance(ms: number): void {
    const deadline = this.deadlineMs;
    if (this.nowMs + ms > deadline) {
      this.nowMs = Math.max(this.nowMs, deadline);
      simulate(this.state, this.nowMs);
      throw new Killed();
    }
    this.nowMs += ms;
    simulate(this.state, this.nowMs);
  }

  /** One round trip. */
  rpc(): void {
    this.advance(RPC_MS);
  }

  /**
   * kvEngineGetter: FDB only. While FDB does not answer, the FDB client blocks (the process hangs); the
   * model waits until FDB comes up, or fails after an hour so a broken script cannot hang the test.
   */
  fdb(): void {
    const limit = this.nowMs + FDB_BLOCK_LIMIT_MS;
    while (!fdbUp(this.state, this.nowMs)) {
      if (this.nowMs >= limit) throw E.unknown("model: FDB did not answer for an hour (the real client blocks)");
      this.advance(1000);
    }
    this.rpc();
  }

  /**
   * mgmtdClientGetter (admin_cli.cc:157-162): a fresh process discards its first refresh's error and throws
   * 6004 RoutingInfoNotReady whenever it has no routing info; DNS, connection, no-primary and cluster-id
   * failures all look like that (admin_cli.cc:136). A session that had routing info and loses the primary
   * gets 6000 PrimaryMgmtdNotFound from the forced refresh (MgmtdClient.cc:127-140).
   */
  mgmtd(): number {
    this.rpc();
    const r = reachMgmtd(this.state, this.cfg.addresses, this.cfg.clusterId, this.nowMs);
    if ("error" in r) throw this.hadRouting ? E.primaryNotFound() : E.routingNotReady();
    this.hadRouting = true;
    return r.primary;
  }

  /**
   * metaClientGetter + a call to meta: needs routing info and a META node HEARTBEAT_CONNECTED
   * (ServerSelectionStrategy.cc:43). With none, MetaClient retries for retry_total_time = 1 min, then
   * 6002 MetaServiceNotAvailable; a listed meta whose process is dead fails at the RPC layer after the same
   * minute (MetaClient.cc:347-379). A meta that comes up within the minute serves the call.
   */
  meta(): void {
    this.mgmtd();
    const start = this.nowMs;
    for (;;) {
      const metas = this.state.nodes.filter((n) => n.type === "META" && n.status === "HEARTBEAT_CONNECTED");
      if (metas.some((n) => running(this.state, `${this.state.spec.meta.statefulSet}-${n.id}`))) return;
      if (this.nowMs - start >= 60_000) throw metas.length === 0 ? E.metaUnavailable() : E.rpcTimeout();
      this.advance(1000);
    }
  }
}
