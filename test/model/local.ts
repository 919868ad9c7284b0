/**
 * The model in-process, for tests of its own rules: a state, a clock, and admin_cli command lines run
 * against it without spawning processes (test/model/harness.ts runs real scripts instead).
 */
import { parse } from "smol-toml";
import { newState, simulate } from "./cluster";
import { execute } from "./dispatch";
import { Session, type AdminConfig } from "./session";
import type { ClusterSpec, ModelState, Scenario } from "./types";

export class LocalCluster {
  readonly state: ModelState;
  nowMs = 0;

  constructor(spec: ClusterSpec, scenario: Scenario = {}) {
    this.state = newState(spec, scenario);
  }

  /** The admin_cli config of the rendered admin_cli.toml, with a token. */
  config(token = "", overrides: Partial<AdminConfig> = {}): AdminConfig {
    const doc = parse(this.state.spec.files["admin_cli.toml"]) as { cluster_id: string; mgmtd_client: { mgmtd_server_addresses: string[] } };
    return { clusterId: doc.cluster_id, addresses: doc.mgmtd_client.mgmtd_server_addresses, token, uid: -1, gid: -1, ...overrides };
  }

  wait(seconds: number): void {
    this.nowMs += seconds * 1000;
    simulate(this.state, this.nowMs);
  }

  /** Runs command lines in one admin_cli process; returns the last one's output and status. */
  cli(cfg: AdminConfig, ...lines: string[]): { out: string; failed: boolean } {
    const s = new Session(this.state, cfg, this.nowMs);
    simulate(this.state, s.nowMs);
    let last = { out: "", failed: false };
    for (const l of lines) last = execute(s, l);
    this.nowMs = s.nowMs;
    return last;
  }
}
