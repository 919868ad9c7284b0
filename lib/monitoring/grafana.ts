/**
 * Grafana (in-cluster, provisioned from files) and the chain-health exporter, as plain objects.
 *
 * Grafana reads data sources and dashboard providers from /etc/grafana/provisioning and expands
 * `$VAR` in provisioning files from its environment
 * (https://grafana.com/docs/grafana/latest/administration/provisioning/), so the ClickHouse password
 * comes from the Secret through an env var and never sits in a ConfigMap. The ClickHouse data source
 * is the grafana-clickhouse-datasource plugin, installed at start through GF_INSTALL_PLUGINS (needs
 * egress to grafana.com; a mirror image with the plugin baked in avoids it).
 *
 * Pure module: no cloud SDK imports.
 */
import { stringify } from "yaml";
import { schedulingFor } from "../roles";
import { objectLabels, selectorLabels } from "../k8s/threefs/names";
import { rdmaResources, rdmaSecurityContext } from "../k8s/threefs/podParts";
import { DATASOURCE_TYPE, DATASOURCE_UID } from "./dashboards";
import { MONITOR_SCHEMA } from "./schema";
import { monitoringNames, PORTS, SECRET_KEYS, type K8sObject, type MonitoringWorkloadInput } from "./workloads";

const DASHBOARD_DIR = "/var/lib/grafana/dashboards/3fs";

/** The provisioning files: the ClickHouse data source (native protocol) and a file dashboard provider. */
export function grafanaProvisioning(i: MonitoringWorkloadInput): Record<string, string> {
  const datasources = {
    apiVersion: 1,
    datasources: [
      {
        name: "3FS ClickHouse",
        type: DATASOURCE_TYPE,
        uid: DATASOURCE_UID,
        isDefault: true,
        editable: false,
        jsonData: { host: i.clickhouse.host, port: i.clickhouse.port, protocol: "native", username: i.clickhouse.user, defaultDatabase: MONITOR_SCHEMA.database },
        secureJsonData: { password: "$CLICKHOUSE_PASSWORD" },
      },
    ],
  };
  const providers = { apiVersion: 1, providers: [{ name: "3fs", folder: "3FS", type: "file", disableDeletion: true, allowUiUpdates: false, options: { path: DASHBOARD_DIR } }] };
  return { "datasources.yaml": stringify(datasources), "dashboards.yaml": stringify(providers) };
}

/** Grafana objects: the dashboards ConfigMap always (also for an external Grafana), the rest in-cluster only. */
export function grafanaObjects(i: MonitoringWorkloadInput): K8sObject[] {
  const n = monitoringNames(i.prefix, i.schemaSql);
  const cmMeta = (name: string) => ({ name, namespace: i.namespace, labels: { ...objectLabels(i.prefix, "grafana", i.profile, i.labels), grafana_dashboard: "1" } });
  const dashboards: K8sObject = { apiVersion: "v1", kind: "ConfigMap", metadata: cmMeta(n.grafanaDashboards), data: { ...i.dashboards } };
  if (i.grafana.mode !== "in-cluster") return [dashboards];
  const labels = objectLabels(i.prefix, "grafana", i.profile, i.labels);
  const provisioning: K8sObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: n.grafanaProvisioning, namespace: i.namespace, labels }, data: grafanaProvisioning(i) };
  const secretEnv = (name: string, secret: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });
  const container = {
    name: "grafana",
    image: i.grafana.image,
    imagePullPolicy: "IfNotPresent",
    env: [
      { name: "GF_INSTALL_PLUGINS", value: DATASOURCE_TYPE },
      { name: "GF_SECURITY_ADMIN_USER", value: "admin" },
      secretEnv("GF_SECURITY_ADMIN_PASSWORD", i.secrets.grafana, SECRET_KEYS.grafanaAdminPassword),
      { name: "GF_AUTH_ANONYMOUS_ENABLED", value: "false" },
      { name: "GF_ANALYTICS_REPORTING_ENABLED", value: "false" },
      secretEnv("CLICKHOUSE_PASSWORD", i.secrets.clickhouse, SECRET_KEYS.clickhousePassword),
    ],
    ports: [{ name: "http", containerPort: PORTS.grafana, protocol: "TCP" }],
    resources: { requests: { ...i.grafana.resources.requests }, limits: { ...i.grafana.resources.limits } },
    volumeMounts: [
      { name: "provisioning", mountPath: "/etc/grafana/provisioning/datasources/3fs.yaml", subPath: "datasources.yaml", readOnly: true },
      { name: "provisioning", mountPath: "/etc/grafana/provisioning/dashboards/3fs.yaml", subPath: "dashboards.yaml", readOnly: true },
      { name: "dashboards", mountPath: DASHBOARD_DIR, readOnly: true },
      { name: "data", mountPath: "/var/lib/grafana" },
    ],
    readinessProbe: { httpGet: { path: "/api/health", port: PORTS.grafana }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
  };
  const deployment: K8sObject = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: n.grafana, namespace: i.namespace, labels },
    spec: {
      replicas: 1,
      strategy: { type: "Recreate" },
      selector: { matchLabels: selectorLabels(i.prefix, "grafana") },
      template: {
        metadata: { labels },
        spec: {
          ...scheduling(i),
          enableServiceLinks: false,
          automountServiceAccountToken: false,
          // Everything Grafana needs is provisioned from files; its own database is disposable.
          volumes: [
            { name: "provisioning", configMap: { name: n.grafanaProvisioning } },
            { name: "dashboards", configMap: { name: n.grafanaDashboards } },
            { name: "data", emptyDir: {} },
          ],
          containers: [container],
        },
      },
    },
  };
  const svc: K8sObject = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: n.grafana, namespace: i.namespace, labels },
    spec: { type: "ClusterIP", selector: selectorLabels(i.prefix, "grafana"), ports: [{ name: "http", port: PORTS.grafana, targetPort: PORTS.grafana, protocol: "TCP" }] },
  };
  return [dashboards, provisioning, deployment, svc];
}

/** Meta nodes: monitoring shares them with mgmtd, meta and FDB. */
function scheduling(i: MonitoringWorkloadInput) {
  const s = schedulingFor("meta", i.layout);
  return { nodeSelector: s.nodeSelector, ...(s.tolerations.length > 0 ? { tolerations: s.tolerations } : {}) };
}

/** Scrape annotations read by ACK managed Prometheus's default service discovery. */
export function scrapeAnnotations(): Record<string, string> {
  return { "prometheus.io/scrape": "true", "prometheus.io/port": String(PORTS.exporter), "prometheus.io/path": "/metrics" };
}

/** The chain-health exporter: exporter.py in the 3fs-init image, admin_cli config from ThreeFs. */
export function exporterObjects(i: MonitoringWorkloadInput): K8sObject[] {
  const n = monitoringNames(i.prefix, i.schemaSql);
  const labels = objectLabels(i.prefix, "chain-exporter", i.profile, i.labels);
  const container = {
    name: "chain-exporter",
    image: i.exporter.image,
    imagePullPolicy: "IfNotPresent",
    command: ["python3", "/opt/chain-exporter/exporter.py", "--admin-cli=/usr/local/bin/admin_cli", "--config=/etc/3fs/admin_cli.toml", `--port=${PORTS.exporter}`],
    ports: [{ name: "metrics", containerPort: PORTS.exporter, protocol: "TCP" }],
    // admin_cli starts an RDMA IBManager and aborts without a device (src/client/bin/admin_cli.cc:105-107).
    resources: rdmaResources(i.exporter.resources),
    securityContext: rdmaSecurityContext(i.rdmaPods),
    volumeMounts: [
      { name: "script", mountPath: "/opt/chain-exporter", readOnly: true },
      { name: "admin-cli-config", mountPath: "/etc/3fs", readOnly: true },
    ],
    readinessProbe: { httpGet: { path: "/healthz", port: PORTS.exporter }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
  };
  return [
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: n.exporterScript, namespace: i.namespace, labels }, data: { "exporter.py": i.exporter.script } },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: n.exporter, namespace: i.namespace, labels },
      spec: {
        replicas: 1,
        strategy: { type: "Recreate" },
        selector: { matchLabels: selectorLabels(i.prefix, "chain-exporter") },
        template: {
          // Annotations for the default service discovery only without the PodMonitor (else scraped twice).
          metadata: { labels, ...(i.exporter.scrapeAnnotations ? { annotations: scrapeAnnotations() } : {}) },
          spec: {
            ...scheduling(i),
            enableServiceLinks: false,
            automountServiceAccountToken: false,
            containers: [container],
            volumes: [
              { name: "script", configMap: { name: n.exporterScript } },
              { name: "admin-cli-config", configMap: { name: i.exporter.adminCliConfigMap } },
            ],
          },
        },
      },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: n.exporter, namespace: i.namespace, labels },
      spec: { type: "ClusterIP", selector: selectorLabels(i.prefix, "chain-exporter"), ports: [{ name: "metrics", port: PORTS.exporter, targetPort: PORTS.exporter, protocol: "TCP" }] },
    },
  ];
}
