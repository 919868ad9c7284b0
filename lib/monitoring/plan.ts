/**
 * Every Kubernetes object of the metrics pipeline under a stable key (the Pulumi resource name suffix),
 * so the component can declare its resources before their Inputs resolve, and tests and the plan see
 * exactly what it creates.
 *
 * Pure module: no cloud SDK imports.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { objectLabels } from "../k8s/threefs/names";
import { alertRules, podMonitorSpec, prometheusRuleSpec, type AlertSettings } from "./alerts";
import { collectorObjects, clickhouseObjects, monitoringNames, schemaObjects, type K8sObject, type MonitoringWorkloadInput } from "./workloads";
import { exporterObjects, grafanaObjects } from "./grafana";
import { selectorLabels } from "../k8s/threefs/names";

/** exporter.py, read once (beside this module under tsx/jest; from a compiled bin/, the source tree's copy). */
export const EXPORTER_SCRIPT: string = (() => {
  const candidates = [path.join(__dirname, "exporter.py"), path.resolve(__dirname, "../../../lib/monitoring/exporter.py")];
  for (const file of candidates) if (fs.existsSync(file)) return fs.readFileSync(file, "utf8");
  throw new Error(`exporter.py not found (looked in ${candidates.join(", ")})`);
})();

/** Scrape interval of the PodMonitor (the exporter runs admin_cli at most every 10 s). */
export const SCRAPE_INTERVAL_SECONDS = 30;

/** What plan() adds to the workloads' input. */
export interface MonitoringPlanInput extends MonitoringWorkloadInput {
  alerts: AlertSettings & { prometheusCrds: boolean };
}

/** Objects by key. Keys depend only on the modes, never on names or hashes. */
export function planMonitoring(input: MonitoringPlanInput): Record<string, K8sObject> {
  const out: Record<string, K8sObject> = {};
  const put = (key: string, o: K8sObject | undefined) => {
    if (!o) return;
    if (out[key]) throw new Error(`duplicate monitoring object key ${key}`);
    out[key] = o;
  };
  const [chSet, chSvc] = clickhouseObjects(input);
  put("clickhouse", chSet);
  put("clickhouse-svc", chSvc);
  const [schemaCm, schemaJob] = schemaObjects(input);
  put("clickhouse-schema-cm", schemaCm);
  put("clickhouse-schema", schemaJob);
  const [collectorDeployment, collectorService] = collectorObjects(input);
  put("monitor-collector", collectorDeployment);
  put("monitor-collector-svc", collectorService);
  const [dashboards, provisioning, grafana, grafanaSvc] = grafanaObjects(input);
  put("grafana-dashboards", dashboards);
  put("grafana-provisioning", provisioning);
  put("grafana", grafana);
  put("grafana-svc", grafanaSvc);
  const [script, exporter, exporterSvc] = exporterObjects(input);
  put("chain-exporter-script", script);
  put("chain-exporter", exporter);
  put("chain-exporter-svc", exporterSvc);
  if (input.alerts.prometheusCrds) {
    const n = monitoringNames(input.prefix, input.schemaSql);
    const meta = { name: n.exporter, namespace: input.namespace, labels: objectLabels(input.prefix, "chain-exporter", input.profile, input.labels) };
    put("chain-exporter-podmonitor", { apiVersion: "monitoring.coreos.com/v1", kind: "PodMonitor", metadata: meta, spec: podMonitorSpec(selectorLabels(input.prefix, "chain-exporter"), input.namespace, SCRAPE_INTERVAL_SECONDS) as Record<string, unknown> });
    put("chain-health-rules", { apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", metadata: meta, spec: prometheusRuleSpec(input.alerts, { threefs_stack: input.prefix }) as Record<string, unknown> });
  }
  return out;
}

/** The in-cluster Grafana's URL (Service DNS name; reach it with `kubectl port-forward`). */
export function inClusterGrafanaUrl(prefix: string, namespace: string): string {
  return `http://${monitoringNames(prefix, "").grafana}.${namespace}.svc.cluster.local:3000`;
}

/** The exporter's metrics endpoint. */
export function metricsEndpoint(prefix: string, namespace: string): string {
  return `http://${monitoringNames(prefix, "").exporter}.${namespace}.svc.cluster.local:9700/metrics`;
}

/** The in-cluster ClickHouse's Service DNS name. */
export function inClusterClickhouseHost(prefix: string, namespace: string): string {
  return `${monitoringNames(prefix, "").clickhouse}.${namespace}.svc.cluster.local`;
}

export { alertRules };
