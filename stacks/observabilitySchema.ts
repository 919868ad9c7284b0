/**
 * The config contract of the metrics pipeline (`threefs:monitoring`) and the FoundationDB backup
 * (`threefs:backup`); part of stackConfigSchema (schema.ts). Rules across keys: monitoringRules.ts.
 *
 * Pure module: no cloud SDK imports.
 */
import { z } from "zod";
import { resourcesSchema } from "./resources";

const int = (min: number, max: number) => z.number().int().min(min).max(max);

/** `threefs:monitoring`. */
export const monitoringSchema = z.strictObject({
  /** Run the metrics pipeline: 3FS's monitor collector, ClickHouse, Grafana dashboards and the chain-health
   * exporter with alert rules. Default off in dev, on in staging and prod. Turning it on (or off) changes
   * every 3FS process's `[common.monitor]` reporter: mgmtd and meta roll, storage and FUSE pick it up when
   * restarted (OnDelete). Exclusive with `threefs:fs.monitorCollector`. */
  enabled: z.boolean(),
  /** Where metrics are stored: `in-cluster` (a ClickHouse StatefulSet on the meta nodes with an ESSD claim)
   * or `managed` (an Alibaba Cloud ApsaraDB for ClickHouse cluster in the stack's VPC). */
  clickhouse: z.enum(["in-cluster", "managed"]),
  /** GiB of the in-cluster ClickHouse claim (FDB StorageClass), or of each managed node. Upstream's tables keep
   * one month (TTL). 20–16000. */
  clickhouseStorageGiB: int(20, 16000),
  /** Managed ClickHouse: engine version, edition (`Basic` single replica, `HighAvailability`), node class
   * (Basic: S8/S16…, HighAvailability: C8/C16…), and its native TCP port (the collector speaks ClickHouse's
   * native protocol). */
  managedClickhouse: z.strictObject({
    version: z.enum(["23.8", "25.3"]),
    category: z.enum(["Basic", "HighAvailability"]),
    dbClusterClass: z.string().regex(/^(S|C|LS|LC)\d{1,3}$/, "must be a ClickHouse node class such as S8 or C8"),
    tcpPort: int(1, 65535),
  }),
  /** `in-cluster` (a Grafana Deployment with the dashboards and data source provisioned) or `external`
   * (an existing Grafana at `grafanaUrl`: import the dashboards ConfigMap). */
  grafana: z.enum(["in-cluster", "external"]),
  /** URL of an existing Grafana (required with `grafana: external`, exported as `grafanaUrl`). */
  grafanaUrl: z.string().url().optional(),
  /** The collector Service's ClusterIP, as an offset into `threefs:network.serviceCidr` (3FS needs an IPv4
   * literal there). Must be in the range's static band, not .1 (kubernetes) or .10 (DNS); stacks sharing a
   * cluster need different offsets. Default 12. */
  collectorIpOffset: int(1, 256),
  /** Create a PodMonitor and a PrometheusRule (monitoring.coreos.com/v1) for ACK's managed Prometheus.
   * Needs those CRDs in the cluster (Managed Service for Prometheus); without them set false: the exporter's
   * pods then carry prometheus.io/scrape annotations instead (metrics, no alert rules). */
  prometheusCrds: z.boolean(),
  /** Minutes a target may stay SYNCING before ThreeFsSyncTooLong fires. Default 120. */
  syncAlertMinutes: int(1, 10080),
  /** Pinned images: `collector` (has /opt/3fs/bin/monitor_collector_main), `clickhouse`, `grafana`, and
   * `exporter` (python3 + admin_cli; default `<threefs:images.registry>/3fs-init:<threefs:images.tag>`). */
  images: z.strictObject({ collector: z.string().min(1), clickhouse: z.string().min(1), grafana: z.string().min(1), exporter: z.string().min(1).optional() }),
  /** Container resources of the collector, ClickHouse, Grafana and the exporter. */
  resources: z.strictObject({ collector: resourcesSchema, clickhouse: resourcesSchema, grafana: resourcesSchema, exporter: resourcesSchema }),
});

/** `threefs:backup`. */
export const backupSchema = z.strictObject({
  /** Back FoundationDB (every inode and the chain tables) up continuously to an OSS bucket. Default on in
   * staging and prod; the policy pack requires it in prod. */
  enabled: z.boolean(),
  /** OSS bucket name (globally unique). Default `threefs-<stack>-fdb-<8 random characters>`; at most about 55
   * characters (cn-beijing): the operator's account name `@<bucket>.s3.oss-<region>-internal.aliyuncs.com:<port>` is ≤ 100. */
  bucketName: z.string().optional(),
  /** Name of the backup inside the bucket (its folder); default the FDB cluster's name. A restore reads one
   * name; the backup that follows a restore gets a new one, so the restored-from backup stays intact. */
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be lowercase letters, digits and '-' (a folder in the bucket)").optional(),
  /** Seconds between full snapshots of the continuous backup (mutation logs stream in between). 3600–2592000. */
  snapshotPeriodSeconds: int(3600, 2592000),
  /** Days OSS keeps overwritten or deleted object versions (bucket versioning) before the lifecycle removes them. */
  noncurrentVersionDays: int(1, 3650),
  /** backup_agent processes (1–20). */
  agentCount: int(1, 20),
  /** HTTPS to OSS. FoundationDB then needs TLS certificate, key and CA files: the Secret `tlsSecretName`
   * (keys cert.pem, key.pem, ca.pem). Default false: HTTP inside the VPC (V4-signed; data encrypted at rest). */
  secureConnection: z.boolean(),
  /** Secret in the stack's namespace and the operator's with the TLS files (secureConnection only). */
  tlsSecretName: z.string().optional(),
  /** Resources of each backup agent (the operator's default would be 1 CPU / 8 GiB). */
  resources: resourcesSchema,
});
