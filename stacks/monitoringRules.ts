/**
 * Rules of the metrics pipeline and the FoundationDB backup (`threefs:monitoring`, `threefs:backup`),
 * checked with the config so that `pulumi preview` fails on them before any resource is registered.
 *
 * Pure module: no cloud SDK imports.
 */
import { bucketNameProblems, defaultBucketName, DEFAULT_BUCKET_SUFFIX_LENGTH } from "../lib/backup/oss";
import { validatePinnedImage } from "../lib/k8s/threefs/images";
import { parseQuantity } from "../lib/k8s/quantity";
import { collectorAddressFor, collectorClusterIp, COLLECTOR_PORT, isCollectorAddress } from "../lib/monitoring/collector";
import type { Cfg } from "./rules";

/** All problems of `threefs:monitoring` and `threefs:backup`. */
export function observabilityProblems(cfg: Cfg): string[] {
  return [...monitoringProblems(cfg), ...backupProblems(cfg)];
}

function requestsWithinLimits(key: string, resources: Record<string, { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } }>): string[] {
  const out: string[] = [];
  for (const [role, r] of Object.entries(resources)) {
    for (const dim of ["cpu", "memory"] as const) {
      if (parseQuantity(r.requests[dim]) > parseQuantity(r.limits[dim])) out.push(`${key}.${role}.requests.${dim}: ${r.requests[dim]} exceeds limits.${dim} ${r.limits[dim]}`);
    }
  }
  return out;
}

/** The collector address the 3FS services report to, when the pipeline runs (ip:port), or undefined. */
export function inClusterCollectorAddress(cfg: Pick<Cfg, "monitoring" | "network">): string | undefined {
  return collectorAddressFor(cfg.monitoring, cfg.network.serviceCidr);
}

function monitoringProblems(cfg: Cfg): string[] {
  const m = cfg.monitoring;
  if (!m.enabled) return [];
  const out: string[] = [];
  if (cfg.fs.monitorCollector !== undefined) {
    out.push(`threefs:fs.monitorCollector: an external collector (${cfg.fs.monitorCollector}) and threefs:monitoring.enabled exclude each other: the in-cluster collector is what 3FS reports to; unset one of them`);
  }
  const ip = collectorClusterIp(cfg.network.serviceCidr, m.collectorIpOffset);
  if (typeof ip !== "string") out.push(`threefs:monitoring.collectorIpOffset: ${ip.problem}`);
  else if (!isCollectorAddress(`${ip}:${COLLECTOR_PORT}`)) out.push(`threefs:monitoring.collectorIpOffset: ${ip}:${COLLECTOR_PORT} does not pass 3FS's address rule`);
  if (m.grafana === "external" && m.grafanaUrl === undefined) out.push("threefs:monitoring.grafanaUrl: required with grafana: external (the Grafana to import the dashboards into)");
  if (m.grafana === "in-cluster" && m.grafanaUrl !== undefined) out.push("threefs:monitoring.grafanaUrl: only for grafana: external (the in-cluster Grafana's URL is computed)");
  for (const [name, image] of Object.entries(m.images)) {
    if (image === undefined) continue;
    try {
      validatePinnedImage(image);
    } catch (e) {
      out.push(`threefs:monitoring.images.${name}: ${(e as Error).message}`);
    }
  }
  out.push(...requestsWithinLimits("threefs:monitoring.resources", m.resources));
  return out;
}

/** The bucket name the stack uses (configured, or the default with a placeholder suffix of the right length). */
export function plannedBucketName(cfg: Pick<Cfg, "backup" | "stack">, suffix = "x".repeat(DEFAULT_BUCKET_SUFFIX_LENGTH)): string {
  return cfg.backup.bucketName ?? defaultBucketName(cfg.stack, suffix);
}

function backupProblems(cfg: Cfg): string[] {
  const b = cfg.backup;
  if (!b.enabled) return [];
  const out: string[] = [];
  const key = b.bucketName !== undefined ? "threefs:backup.bucketName" : `stack name "${cfg.stack}"`;
  for (const p of bucketNameProblems(plannedBucketName(cfg), cfg.region, b.secureConnection)) out.push(`${key}: ${p}`);
  if (b.secureConnection && b.tlsSecretName === undefined) out.push("threefs:backup.tlsSecretName: required with secureConnection (FoundationDB's TLS layer needs certificate, key and CA files)");
  if (!b.secureConnection && b.tlsSecretName !== undefined) out.push("threefs:backup.tlsSecretName: only used with secureConnection: true");
  out.push(...requestsWithinLimits("threefs:backup", { resources: b.resources }));
  return out;
}
