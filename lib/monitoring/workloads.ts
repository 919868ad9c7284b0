/**
 * Kubernetes objects of the metrics pipeline, as plain objects: the 3FS monitor collector (Deployment
 * and a Service on a fixed ClusterIP), ClickHouse (StatefulSet on the meta nodes with an ESSD claim, or
 * nothing when managed), the schema Job, Grafana with provisioned data source and dashboards, and the
 * chain-health exporter. Secrets are not here: their values are Pulumi secrets (components/monitoring.ts);
 * objects refer to them by name.
 *
 * Pure module: no cloud SDK imports.
 */
import { createHash } from "node:crypto";
import { schedulingFor, type PoolLayout } from "../roles";
import { objectLabels, selectorLabels, shortHash } from "../k8s/threefs/names";
import { launch, rdmaResources, rdmaSecurityContext } from "../k8s/threefs/podParts";
import type { Container, MonitoringComponent, Profile, RdmaPodSecurity, Resources, Volume } from "../k8s/threefs/types";
import { COLLECTOR_PORT } from "./collector";
import { MONITOR_SCHEMA } from "./schema";

/** A Kubernetes object as handed to a Pulumi resource (`metadata`, then `spec` or `data`). */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

export const PORTS = { clickhouseNative: 9000, clickhouseHttp: 8123, grafana: 3000, exporter: 9700 } as const;

/** Keys of the Secrets the component creates (values are Pulumi secrets). */
export const SECRET_KEYS = { clickhousePassword: "password", collectorConfig: "monitor_collector_main.toml", grafanaAdminPassword: "admin-password" } as const;

/** The pipeline's builders' input, every Input resolved. */
export interface MonitoringWorkloadInput {
  prefix: string;
  namespace: string;
  profile: Profile;
  layout: PoolLayout;
  rdmaPods: RdmaPodSecurity;
  labels: Record<string, string>;
  collector: { image: string; clusterIp: string; resources: Resources };
  clickhouse: { mode: "in-cluster" | "managed"; image: string; host: string; port: number; user: string; storageGiB: number; storageClassName: string; resources: Resources };
  grafana: { mode: "in-cluster" | "external"; image: string; resources: Resources };
  /** `scrapeAnnotations`: prometheus.io/* pod annotations (when no PodMonitor is declared). */
  exporter: { image: string; resources: Resources; adminCliConfigMap: string; script: string; scrapeAnnotations: boolean };
  /** Names of the Secrets the component creates. */
  secrets: { clickhouse: string; collectorConfig: string; grafana: string };
  /** Dashboard file name → JSON. */
  dashboards: Record<string, string>;
  /** The schema DDL (schema.ts). */
  schemaSql: string;
}

/** Object names: `<prefix>-<component>`; the schema Job and ConfigMap carry the DDL's hash. */
export function monitoringNames(prefix: string, schemaSql: string) {
  const h = shortHash(createHash("sha256").update(schemaSql).digest("hex"));
  return {
    collector: `${prefix}-monitor-collector`,
    clickhouse: `${prefix}-clickhouse`,
    schema: `${prefix}-clickhouse-schema-${h}`,
    grafana: `${prefix}-grafana`,
    grafanaDashboards: `${prefix}-grafana-dashboards`,
    grafanaProvisioning: `${prefix}-grafana-provisioning`,
    exporter: `${prefix}-chain-exporter`,
    exporterScript: `${prefix}-chain-exporter-script`,
  };
}

function meta(i: MonitoringWorkloadInput, name: string, component: MonitoringComponent, annotations?: Record<string, string>) {
  return { name, namespace: i.namespace, labels: objectLabels(i.prefix, component, i.profile, i.labels), ...(annotations ? { annotations } : {}) };
}

function plainResources(r: Resources) {
  return { requests: { ...r.requests }, limits: { ...r.limits } };
}

function podScheduling(layout: PoolLayout) {
  const s = schedulingFor("meta", layout);
  return { nodeSelector: s.nodeSelector, ...(s.tolerations.length > 0 ? { tolerations: s.tolerations } : {}) };
}

function deployment(i: MonitoringWorkloadInput, name: string, component: MonitoringComponent, pod: Record<string, unknown>, podAnnotations?: Record<string, string>): K8sObject {
  const labels = objectLabels(i.prefix, component, i.profile, i.labels);
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: meta(i, name, component),
    spec: {
      replicas: 1,
      strategy: { type: "Recreate" },
      selector: { matchLabels: selectorLabels(i.prefix, component) },
      template: { metadata: { labels, ...(podAnnotations ? { annotations: podAnnotations } : {}) }, spec: { ...podScheduling(i.layout), enableServiceLinks: false, automountServiceAccountToken: false, ...pod } },
    },
  };
}

function service(i: MonitoringWorkloadInput, name: string, component: MonitoringComponent, ports: { name: string; port: number }[], clusterIP?: string): K8sObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: meta(i, name, component),
    spec: {
      type: "ClusterIP",
      ...(clusterIP ? { clusterIP } : {}),
      selector: selectorLabels(i.prefix, component),
      ports: ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.port, protocol: "TCP" })),
    },
  };
}

/** The monitor collector: monitor_collector_main with its rendered config (a Secret: it holds the ClickHouse password). */
export function collectorObjects(i: MonitoringWorkloadInput): K8sObject[] {
  const n = monitoringNames(i.prefix, i.schemaSql);
  const cfgDir = "/etc/3fs-collector";
  const volumes: Volume[] = [{ name: "config", secret: { secretName: i.secrets.collectorConfig, defaultMode: 0o400 } }];
  const container: Container = {
    name: "monitor-collector",
    image: i.collector.image,
    imagePullPolicy: "IfNotPresent",
    // kvc-3fs-operator's image keeps the binaries in /opt/3fs/bin (docker/threefs/setup.sh, "monitor").
    ...launch("/opt/3fs/bin/monitor_collector_main", [`--cfg=${cfgDir}/${SECRET_KEYS.collectorConfig}`]),
    ports: [{ name: "collector", containerPort: COLLECTOR_PORT, protocol: "TCP" }],
    // IBManager::start is FATAL without a usable RDMA device (src/common/app/OnePhaseApplication.h:83-84,
    // IBConfig allow_no_usable_devices=false, src/common/net/ib/IBDevice.h:65): request one, as 3FS pods do.
    resources: rdmaResources(i.collector.resources),
    volumeMounts: [{ name: "config", mountPath: cfgDir, readOnly: true }],
    securityContext: rdmaSecurityContext(i.rdmaPods),
    readinessProbe: { tcpSocket: { port: COLLECTOR_PORT }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    livenessProbe: { tcpSocket: { port: COLLECTOR_PORT }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 },
  };
  return [
    deployment(i, n.collector, "monitor-collector", { containers: [container], volumes, terminationGracePeriodSeconds: 10 }),
    service(i, n.collector, "monitor-collector", [{ name: "collector", port: COLLECTOR_PORT }], i.collector.clusterIp),
  ];
}

const passwordEnv = (secret: string) => ({ name: "CLICKHOUSE_PASSWORD", valueFrom: { secretKeyRef: { name: secret, key: SECRET_KEYS.clickhousePassword } } });

/** In-cluster ClickHouse: one replica on a meta node, data on an ESSD claim, user and password from the Secret. */
export function clickhouseObjects(i: MonitoringWorkloadInput): K8sObject[] {
  if (i.clickhouse.mode !== "in-cluster") return [];
  const n = monitoringNames(i.prefix, i.schemaSql);
  const labels = objectLabels(i.prefix, "clickhouse", i.profile, i.labels);
  // The official image creates CLICKHOUSE_USER with CLICKHOUSE_PASSWORD at first start and keeps its
  // data in /var/lib/clickhouse (https://hub.docker.com/r/clickhouse/clickhouse-server).
  const container = {
    name: "clickhouse",
    image: i.clickhouse.image,
    imagePullPolicy: "IfNotPresent",
    env: [
      { name: "CLICKHOUSE_USER", value: i.clickhouse.user },
      passwordEnv(i.secrets.clickhouse),
      { name: "CLICKHOUSE_DEFAULT_ACCESS_MANAGEMENT", value: "1" },
    ],
    ports: [
      { name: "native", containerPort: PORTS.clickhouseNative, protocol: "TCP" },
      { name: "http", containerPort: PORTS.clickhouseHttp, protocol: "TCP" },
    ],
    resources: plainResources(i.clickhouse.resources),
    volumeMounts: [{ name: "data", mountPath: "/var/lib/clickhouse" }],
    readinessProbe: { httpGet: { path: "/ping", port: PORTS.clickhouseHttp }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    livenessProbe: { httpGet: { path: "/ping", port: PORTS.clickhouseHttp }, initialDelaySeconds: 60, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 },
  };
  return [
    {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: meta(i, n.clickhouse, "clickhouse"),
      spec: {
        serviceName: n.clickhouse,
        replicas: 1,
        selector: { matchLabels: selectorLabels(i.prefix, "clickhouse") },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
        template: { metadata: { labels }, spec: { ...podScheduling(i.layout), enableServiceLinks: false, automountServiceAccountToken: false, containers: [container], terminationGracePeriodSeconds: 60 } },
        volumeClaimTemplates: [
          {
            metadata: { name: "data", labels },
            spec: { accessModes: ["ReadWriteOnce"], storageClassName: i.clickhouse.storageClassName, resources: { requests: { storage: `${i.clickhouse.storageGiB}Gi` } } },
          },
        ],
      },
    },
    service(i, n.clickhouse, "clickhouse", [
      { name: "native", port: PORTS.clickhouseNative },
      { name: "http", port: PORTS.clickhouseHttp },
    ]),
  ];
}

/**
 * Applies the schema (idempotent `IF NOT EXISTS`) with clickhouse-client from the ClickHouse image, in
 * both modes. The password goes into a private client config file, never onto a command line. Named by
 * the DDL's hash, so a schema change runs a new Job.
 */
export function schemaObjects(i: MonitoringWorkloadInput): K8sObject[] {
  const n = monitoringNames(i.prefix, i.schemaSql);
  const script = [
    "set -eu",
    "umask 077",
    'printf "<config><user>%s</user><password>%s</password></config>\\n" "$CLICKHOUSE_USER" "$CLICKHOUSE_PASSWORD" > /tmp/client.xml',
    "n=0",
    'until clickhouse-client --config-file=/tmp/client.xml --host="$CLICKHOUSE_HOST" --port="$CLICKHOUSE_PORT" --query="SELECT 1" >/dev/null 2>&1; do',
    '  n=$((n + 1)); [ "$n" -le 60 ] || { echo "ClickHouse at $CLICKHOUSE_HOST:$CLICKHOUSE_PORT did not answer" >&2; exit 1; }',
    '  echo "waiting for ClickHouse ($n/60)"; sleep 10',
    "done",
    'clickhouse-client --config-file=/tmp/client.xml --host="$CLICKHOUSE_HOST" --port="$CLICKHOUSE_PORT" --multiquery < /schema/schema.sql',
    `clickhouse-client --config-file=/tmp/client.xml --host="$CLICKHOUSE_HOST" --port="$CLICKHOUSE_PORT" --query="EXISTS TABLE \\\`${MONITOR_SCHEMA.database}\\\`.counters"`,
  ].join("\n");
  return [
    { apiVersion: "v1", kind: "ConfigMap", metadata: meta(i, n.schema, "clickhouse-schema"), data: { "schema.sql": i.schemaSql } },
    {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: meta(i, n.schema, "clickhouse-schema"),
      spec: {
        backoffLimit: 4,
        activeDeadlineSeconds: 1800,
        template: {
          metadata: { labels: objectLabels(i.prefix, "clickhouse-schema", i.profile, i.labels) },
          spec: {
            ...podScheduling(i.layout),
            restartPolicy: "OnFailure",
            enableServiceLinks: false,
            automountServiceAccountToken: false,
            containers: [
              {
                name: "schema",
                image: i.clickhouse.image,
                imagePullPolicy: "IfNotPresent",
                command: ["/bin/bash", "-c", script],
                env: [
                  { name: "CLICKHOUSE_HOST", value: i.clickhouse.host },
                  { name: "CLICKHOUSE_PORT", value: String(i.clickhouse.port) },
                  { name: "CLICKHOUSE_USER", value: i.clickhouse.user },
                  passwordEnv(i.secrets.clickhouse),
                ],
                resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
                volumeMounts: [{ name: "schema", mountPath: "/schema", readOnly: true }],
              },
            ],
            volumes: [{ name: "schema", configMap: { name: n.schema } }],
          },
        },
      },
    },
  ];
}
