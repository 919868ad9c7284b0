/**
 * `threefs:index:Monitoring` — the optional metrics pipeline: 3FS's monitor collector on a fixed
 * ClusterIP (every 3FS process reports there), ClickHouse with upstream's schema (in the cluster, or
 * Alibaba's managed ClickHouse), Grafana with provisioned dashboards, and the chain-health exporter with
 * its PodMonitor and PrometheusRule for ACK's managed Prometheus. Objects come from lib/monitoring; this
 * file only turns them into resources. Design notes: docs/observability.md.
 */
import * as alicloud from "@pulumi/alicloud";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { PoolLayout } from "../lib/roles";
import type { Profile, RdmaPodSecurity, Resources } from "../lib/k8s/threefs/types";
import { renderCollectorConfig } from "../lib/monitoring/collector";
import { dashboardFiles } from "../lib/monitoring/dashboards";
import { EXPORTER_SCRIPT, inClusterClickhouseHost, inClusterGrafanaUrl, metricsEndpoint, planMonitoring, type MonitoringPlanInput } from "../lib/monitoring/plan";
import { MONITOR_SCHEMA, renderSchemaSql } from "../lib/monitoring/schema";
import { PORTS, SECRET_KEYS, type K8sObject } from "../lib/monitoring/workloads";
import { objectLabels } from "../lib/k8s/threefs/names";

/** Arguments of {@link Monitoring}. */
export interface MonitoringArgs {
  /** Namespace of the 3FS services (the exporter mounts ThreeFs's admin_cli ConfigMap from it). */
  namespace: pulumi.Input<string>;
  /** Stack prefix of every name (as ThreeFs's). */
  prefix: string;
  profile: Profile;
  layout: PoolLayout;
  rdmaPods: RdmaPodSecurity;
  /** 3FS cluster id (the collector's `common.cluster_id`). */
  clusterId: string;
  /** The collector Service's ClusterIP (lib/monitoring/collector.ts collectorClusterIp); 3FS reports to `<ip>:10000`. */
  collectorClusterIp: string;
  collector: { image: string; resources: Resources };
  /**
   * `in-cluster`: a StatefulSet on the meta nodes, `storageGiB` on `storageClassName` (ESSD). `managed`: an
   * ApsaraDB for ClickHouse cluster in `vpcId`/`vswitchId` reachable from `allowedCidr` (the VPC), `tcpPort`
   * its native port. `image` also runs the schema Job (clickhouse-client).
   */
  clickhouse: {
    mode: "in-cluster" | "managed";
    image: string;
    storageGiB: number;
    storageClassName: pulumi.Input<string>;
    resources: Resources;
    managed?: { version: string; category: string; dbClusterClass: string; tcpPort: number; vpcId: pulumi.Input<string>; vswitchId: pulumi.Input<string>; zoneId: string; allowedCidr: pulumi.Input<string> };
  };
  /** `in-cluster` Grafana, or `external` at `url` (the dashboards ConfigMap is created for import either way). */
  grafana: { mode: "in-cluster" | "external"; url?: string; image: string; resources: Resources };
  /** The exporter: image with python3 and admin_cli (3fs-init), and ThreeFs's admin_cli ConfigMap name. */
  exporter: { image: string; resources: Resources; adminCliConfigMap: pulumi.Input<string> };
  /** PodMonitor/PrometheusRule (needs the monitoring.coreos.com CRDs) and the SYNCING threshold. */
  alerts: { prometheusCrds: boolean; syncAlertMinutes: number };
  /** Protect the managed ClickHouse cluster and the in-cluster StatefulSet (prod). */
  protect: boolean;
  /** Extra labels on every Kubernetes object; tags on the cloud resources. */
  labels?: Record<string, string>;
  tags?: Record<string, string>;
}

/** The ClickHouse user 3FS's collector, Grafana and the schema Job use. */
export const CLICKHOUSE_USER = "threefs";

function planInputOf(args: MonitoringArgs, ns: string, sc: string, adminCm: string, host: string): MonitoringPlanInput {
  return {
    prefix: args.prefix,
    namespace: ns,
    profile: args.profile,
    layout: args.layout,
    rdmaPods: args.rdmaPods,
    labels: args.labels ?? {},
    collector: { image: args.collector.image, clusterIp: args.collectorClusterIp, resources: args.collector.resources },
    clickhouse: {
      mode: args.clickhouse.mode,
      image: args.clickhouse.image,
      host,
      port: args.clickhouse.mode === "managed" ? args.clickhouse.managed!.tcpPort : PORTS.clickhouseNative,
      user: CLICKHOUSE_USER,
      storageGiB: args.clickhouse.storageGiB,
      storageClassName: sc,
      resources: args.clickhouse.resources,
    },
    grafana: { mode: args.grafana.mode, image: args.grafana.image, resources: args.grafana.resources },
    exporter: { image: args.exporter.image, resources: args.exporter.resources, adminCliConfigMap: adminCm, script: EXPORTER_SCRIPT, scrapeAnnotations: !args.alerts.prometheusCrds },
    secrets: { clickhouse: `${args.prefix}-clickhouse-credentials`, collectorConfig: `${args.prefix}-monitor-collector-config`, grafana: `${args.prefix}-grafana-admin` },
    dashboards: dashboardFiles(),
    schemaSql: renderSchemaSql(),
    alerts: { prometheusCrds: args.alerts.prometheusCrds, syncAlertMinutes: args.alerts.syncAlertMinutes },
  };
}

/** The metrics pipeline; see the module comment. */
export class Monitoring extends pulumi.ComponentResource {
  /** Grafana's URL: the in-cluster Service (port-forward to it) or the configured external one. */
  public readonly grafanaUrl: pulumi.Output<string>;
  /** The chain-health exporter's Prometheus endpoint. */
  public readonly metricsEndpoint: pulumi.Output<string>;
  /** `ip:port` the 3FS services report to. */
  public readonly collectorAddress: pulumi.Output<string>;
  /** ClickHouse host the collector writes to. */
  public readonly clickhouseHost: pulumi.Output<string>;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    if (args.clickhouse.mode === "managed" && !args.clickhouse.managed) throw new Error("clickhouse.managed is required with mode managed");
    if (args.grafana.mode === "external" && !args.grafana.url) throw new Error("grafana.url is required with mode external");
    // Keys and kinds are fixed by the modes; a dry run with stand-ins declares the resources up front.
    const dryRun = planMonitoring(planInputOf(args, "validation", "validation", "validation", "validation"));
    super("threefs:index:Monitoring", name, {}, opts);
    const parent = { parent: this };
    const ns = pulumi.output(args.namespace);

    const chPassword = new random.RandomPassword(`${name}-clickhouse-password`, { length: 32, special: false }, parent);
    const grafanaPassword = new random.RandomPassword(`${name}-grafana-password`, { length: 24, special: false }, parent);
    let host: pulumi.Output<string>;
    const cloudDeps: pulumi.Resource[] = [];
    if (args.clickhouse.mode === "managed") {
      const m = args.clickhouse.managed!;
      const cluster = new alicloud.clickhouse.DbCluster(
        `${name}-clickhouse`,
        {
          dbClusterVersion: m.version,
          category: m.category,
          dbClusterClass: m.dbClusterClass,
          dbClusterNetworkType: "vpc",
          dbNodeGroupCount: 1,
          paymentType: "PayAsYouGo",
          dbNodeStorage: String(args.clickhouse.storageGiB),
          storageType: "cloud_essd",
          vpcId: m.vpcId,
          vswitchId: m.vswitchId,
          zoneId: m.zoneId,
          dbClusterDescription: `${args.prefix} 3FS metrics`,
          // Pods have VPC addresses (Terway), so the VPC block is the whitelist.
          dbClusterAccessWhiteLists: [{ dbClusterIpArrayName: "threefs", securityIpList: m.allowedCidr }],
        },
        { ...parent, protect: args.protect },
      );
      const account = new alicloud.clickhouse.Account(
        `${name}-clickhouse-account`,
        // DDL for the schema Job (CREATE DATABASE/TABLE IF NOT EXISTS), DML for the collector's inserts.
        { dbClusterId: cluster.id, accountName: CLICKHOUSE_USER, accountPassword: chPassword.result, accountDescription: "3FS monitor collector", ddlAuthority: true, dmlAuthority: "all" },
        parent,
      );
      cloudDeps.push(cluster, account);
      host = cluster.connectionString;
    } else {
      host = ns.apply((n) => inClusterClickhouseHost(args.prefix, n));
    }

    const planned = pulumi
      .all([ns, args.clickhouse.storageClassName, args.exporter.adminCliConfigMap, host])
      .apply(([n, sc, cm, h]) => ({ input: planInputOf(args, n, sc, cm, h), objects: planMonitoring(planInputOf(args, n, sc, cm, h)) }));
    const labels = ns.apply((n) => ({ namespace: n, labels: objectLabels(args.prefix, "monitor-collector", args.profile, args.labels ?? {}) }));
    const secret = (suffix: string, objName: string, data: pulumi.Input<Record<string, pulumi.Input<string>>>) =>
      new k8s.core.v1.Secret(`${name}-${suffix}`, { metadata: labels.apply((l) => ({ name: objName, ...l })), type: "Opaque", stringData: data }, parent);
    const names = planInputOf(args, "x", "x", "x", "x").secrets;
    const secrets = [
      secret("clickhouse-credentials", names.clickhouse, { [SECRET_KEYS.clickhousePassword]: pulumi.secret(chPassword.result), user: CLICKHOUSE_USER }),
      secret("grafana-admin", names.grafana, { [SECRET_KEYS.grafanaAdminPassword]: pulumi.secret(grafanaPassword.result) }),
      secret("monitor-collector-config", names.collectorConfig, {
        [SECRET_KEYS.collectorConfig]: pulumi.secret(
          pulumi.all([host, chPassword.result]).apply(([h, pw]) =>
            renderCollectorConfig({
              clusterId: args.clusterId,
              clickhouse: { host: h, port: planInputOf(args, "x", "x", "x", h).clickhouse.port, user: CLICKHOUSE_USER, password: pw, database: MONITOR_SCHEMA.database },
            }),
          ),
        ),
      }),
    ];

    const created: Record<string, pulumi.Resource> = {};
    for (const [key, sample] of Object.entries(dryRun)) {
      const get = <T>(f: (o: K8sObject) => T) => planned.apply((p) => f(p.objects[key]));
      // The schema Job waits for ClickHouse; the collector for the schema (its inserts need the tables).
      const after = key.startsWith("clickhouse-schema") ? ["clickhouse"] : key === "monitor-collector" ? ["clickhouse-schema"] : [];
      const deps = [...secrets, ...cloudDeps, ...after.filter((k) => created[k]).map((k) => created[k])];
      const o = { ...parent, dependsOn: deps };
      created[key] = this.resource(`${name}-${key}`, sample, get, o, args.protect && key === "clickhouse");
    }

    this.collectorAddress = pulumi.output(`${args.collectorClusterIp}:10000`);
    this.grafanaUrl = args.grafana.mode === "external" ? pulumi.output(args.grafana.url!) : ns.apply((n) => inClusterGrafanaUrl(args.prefix, n));
    this.metricsEndpoint = ns.apply((n) => metricsEndpoint(args.prefix, n));
    this.clickhouseHost = host;
    this.registerOutputs({ grafanaUrl: this.grafanaUrl, metricsEndpoint: this.metricsEndpoint, collectorAddress: this.collectorAddress, clickhouseHost: this.clickhouseHost });
  }

  private resource(
    resName: string,
    sample: K8sObject,
    get: <T>(f: (o: K8sObject) => T) => pulumi.Output<T>,
    opts: pulumi.CustomResourceOptions,
    protect: boolean,
  ): pulumi.Resource {
    const metadata = get((o) => o.metadata);
    const spec = get((o) => o.spec as never);
    switch (sample.kind) {
      case "ConfigMap":
        return new k8s.core.v1.ConfigMap(resName, { metadata, data: get((o) => o.data ?? {}) }, opts);
      case "Service":
        return new k8s.core.v1.Service(resName, { metadata, spec }, opts);
      case "Deployment":
        return new k8s.apps.v1.Deployment(resName, { metadata, spec }, opts);
      case "StatefulSet":
        return new k8s.apps.v1.StatefulSet(resName, { metadata, spec }, { ...opts, protect, customTimeouts: { create: "20m", update: "20m" } });
      case "Job":
        return new k8s.batch.v1.Job(resName, { metadata, spec }, { ...opts, customTimeouts: { create: "35m", update: "35m" } });
      default:
        return new k8s.apiextensions.CustomResource(resName, { apiVersion: sample.apiVersion, kind: sample.kind, metadata, spec }, opts);
    }
  }
}
