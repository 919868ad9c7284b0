/**
 * Chain-health alerts on the exporter's metrics (lib/monitoring/exporter.py), as typed rules rendered
 * to PromQL, and the objects ACK's managed Prometheus reads: a PodMonitor (scrape) and a PrometheusRule
 * (alerts), both `monitoring.coreos.com/v1` (Prometheus Operator's CRDs).
 *
 * ACK: Managed Service for Prometheus collects PodMonitor/ServiceMonitor objects once the feature is
 * enabled for the cluster in its console (off by default,
 * https://www.alibabacloud.com/help/en/prometheus/user-guide/custom-collection-monitoring-metrics-through-pod-monitor),
 * and turns PrometheusRule objects into alert rules once PrometheusRule synchronisation is enabled in
 * its plug-in ("by default does not read PrometheusRules",
 * https://www.alibabacloud.com/help/en/prometheus/use-cases/use-prometheusrule-to-create-prometheus-alert-rules).
 * Without the CRDs (`threefs:monitoring.prometheusCrds: false`) the pods carry the
 * `prometheus.io/scrape|port|path` annotations its default service discovery reads instead
 * (https://www.alibabacloud.com/help/doc-detail/218000.htm); never both, or every series is scraped twice.
 *
 * Each rule is `<metric>{matchers} <op> <threshold>` held `forSeconds`, so a test can evaluate it on the
 * exporter's own output (test/monitoring/alerts.test.ts) with the same definition that is rendered.
 *
 * Pure module: no cloud SDK imports.
 */

/** One alert: a single-metric comparison. */
export interface AlertRule {
  /** Prometheus alert name. */
  name: string;
  /** Exporter metric the rule reads. */
  metric: string;
  /** Label matchers: exact values, or `re` for a regex that must match the whole value (PromQL `=~`). */
  matchers: Record<string, string | { re: string }>;
  op: ">" | "==" | "<";
  threshold: number;
  /** How long the condition must hold before the alert fires. */
  forSeconds: number;
  severity: "critical" | "warning";
  summary: string;
}

/** Thresholds the stack decides (`threefs:monitoring`). */
export interface AlertSettings {
  /** A target SYNCING longer than this many minutes raises ThreeFsSyncTooLong. */
  syncAlertMinutes: number;
}

/**
 * The rules. Timings follow 3FS's own: a node is HEARTBEAT_FAILED 60–70 s after its last heartbeat and
 * its targets OFFLINE about then (src/mgmtd/background/MgmtdHeartbeatChecker.cc:34-75,
 * src/mgmtd/service/MgmtdConfig.h:15-16), new chains keep their states for 2 minutes
 * (MgmtdNewBornChainsChecker.cc:13-48), so conditions are held a few minutes before firing.
 */
export function alertRules(s: AlertSettings): AlertRule[] {
  return [
    {
      name: "ThreeFsChainNotServing",
      metric: "threefs_chain_serving_targets",
      matchers: {},
      op: "==",
      threshold: 0,
      forSeconds: 60,
      severity: "critical",
      summary: "Chain {{ $labels.chain_id }} has no SERVING target: its data is unavailable (LASTSRV head down, or every replica lost)",
    },
    {
      name: "ThreeFsTargetLastServing",
      metric: "threefs_targets",
      matchers: { public_state: "LASTSRV" },
      op: ">",
      threshold: 0,
      forSeconds: 120,
      severity: "critical",
      summary: "{{ $value }} target(s) LASTSRV: the only replica that had the chain's latest data is down; do not wipe its disk (rotate-lastsrv loses data)",
    },
    {
      name: "ThreeFsTargetsOffline",
      metric: "threefs_targets",
      matchers: { public_state: "OFFLINE" },
      op: ">",
      threshold: 0,
      forSeconds: 600,
      severity: "warning",
      summary: "{{ $value }} target(s) OFFLINE for 10 minutes: chains run with fewer replicas",
    },
    {
      name: "ThreeFsSyncTooLong",
      metric: "threefs_target_syncing_seconds",
      matchers: {},
      op: ">",
      threshold: s.syncAlertMinutes * 60,
      forSeconds: 0,
      severity: "warning",
      summary: `Target {{ $labels.target_id }} (chain {{ $labels.chain_id }}) has been SYNCING for more than ${s.syncAlertMinutes} minutes`,
    },
    {
      name: "ThreeFsNodeNotConnected",
      metric: "threefs_node_status",
      matchers: { status: { re: "HEARTBEAT_FAILED|HEARTBEAT_CONNECTING" } },
      op: "==",
      threshold: 1,
      forSeconds: 300,
      severity: "critical",
      summary: "{{ $labels.type }} node {{ $labels.node_id }} is {{ $labels.status }}, not HEARTBEAT_CONNECTED",
    },
    {
      name: "ThreeFsExporterCommandFailing",
      metric: "threefs_exporter_command_success",
      matchers: {},
      op: "==",
      threshold: 0,
      forSeconds: 300,
      severity: "warning",
      summary: "admin_cli {{ $labels.command }} fails in the chain-health exporter: the other alerts are blind",
    },
  ];
}

/** PromQL of one rule: `metric{a="x",b=~"y"} op threshold`. */
export function ruleExpr(r: AlertRule): string {
  const m = Object.entries(r.matchers).map(([k, v]) => (typeof v === "string" ? `${k}="${v}"` : `${k}=~"${v.re}"`));
  return `${r.metric}${m.length ? `{${m.join(",")}}` : ""} ${r.op} ${r.threshold}`;
}

/** A parsed exposition sample. */
export interface Sample {
  metric: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus text exposition (the subset the exporter writes: no timestamps, no escapes beyond `\"`). */
export function parseExposition(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[3] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2].replace(/\\(.)/g, "$1");
    out.push({ metric: m[1], labels, value: Number(m[4]) });
  }
  return out;
}

/** The samples for which a rule's condition holds (instant evaluation, before `for`). */
export function firing(r: AlertRule, samples: readonly Sample[]): Sample[] {
  const match = (s: Sample) =>
    s.metric === r.metric &&
    Object.entries(r.matchers).every(([k, v]) => (typeof v === "string" ? s.labels[k] === v : new RegExp(`^(?:${v.re})$`).test(s.labels[k] ?? "")));
  const cmp = (x: number) => (r.op === ">" ? x > r.threshold : r.op === "<" ? x < r.threshold : x === r.threshold);
  return samples.filter((s) => match(s) && cmp(s.value));
}

/** `for` as Prometheus writes durations. */
function duration(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}

/** The PrometheusRule spec (one group). */
export function prometheusRuleSpec(s: AlertSettings, extraLabels: Record<string, string>): object {
  return {
    groups: [
      {
        name: "threefs-chain-health",
        rules: alertRules(s).map((r) => ({
          alert: r.name,
          expr: ruleExpr(r),
          ...(r.forSeconds > 0 ? { for: duration(r.forSeconds) } : {}),
          labels: { severity: r.severity, ...extraLabels },
          annotations: { summary: r.summary },
        })),
      },
    ],
  };
}

/** The PodMonitor spec scraping the exporter's `metrics` port. */
export function podMonitorSpec(selector: Record<string, string>, namespace: string, intervalSeconds: number): object {
  return {
    selector: { matchLabels: { ...selector } },
    namespaceSelector: { matchNames: [namespace] },
    podMetricsEndpoints: [{ port: "metrics", path: "/metrics", interval: `${intervalSeconds}s` }],
  };
}
