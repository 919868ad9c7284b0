/**
 * The staging program (monitoring and backup on by its profile) on the mock runtime: what the pipeline
 * and the backup declare, wired together — the collector's fixed ClusterIP in every 3FS reporter, secrets
 * kept secret, the FoundationDBBackup valid against the v1beta2 CRD, the operator reading the same
 * credentials, and the outputs.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseToml } from "smol-toml";
import { parse as parseYaml } from "yaml";
import { runProgram } from "../policy/program";
import type { PlanResult, ResourceRow } from "../../lib/plan/run";
import { type StructuralSchema, validationErrors } from "../fdb/schemaValidator";

const crd = (file: string) => (JSON.parse(fs.readFileSync(path.join(__dirname, "../fixtures/monitoring", file), "utf8")) as { schema: StructuralSchema }).schema;
const backupCrd = JSON.parse(fs.readFileSync(path.join(__dirname, "../fixtures/fdb/v1beta2-backup-spec-schema.json"), "utf8")) as { schema: StructuralSchema };
let plan: PlanResult;
beforeAll(async () => {
  plan = await runProgram("staging");
}, 60_000);

const rows = (type: string) => plan.rows.filter((r) => r.type === type);
const inputs = (r: ResourceRow) => r.inputs as Record<string, any>;
const one = (type: string, name: RegExp) => {
  const found = rows(type).filter((r) => name.test(r.name));
  expect(found.map((r) => r.name)).toHaveLength(1);
  return inputs(found[0]);
};

describe("staging: metrics pipeline", () => {
  it("gives the collector Service the ClusterIP every 3FS process reports to", () => {
    const svc = one("kubernetes:core/v1:Service", /-monitoring-monitor-collector-svc$/);
    expect(svc.spec.clusterIP).toBe("172.21.0.12");
    expect(svc.spec.ports).toEqual([{ name: "collector", port: 10000, targetPort: 10000, protocol: "TCP" }]);
    const configMaps = rows("kubernetes:core/v1:ConfigMap").map(inputs).filter((c) => c.data && Object.keys(c.data).some((k) => /_main\.toml$/.test(k)));
    const mains = configMaps.flatMap((c) => Object.entries(c.data as Record<string, string>).filter(([k]) => /^(mgmtd|meta|storage|hf3fs_fuse)_main\.toml$/.test(k)));
    expect(mains.map(([k]) => k).sort()).toEqual(["hf3fs_fuse_main.toml", "meta_main.toml", "mgmtd_main.toml", "storage_main.toml"]);
    for (const [file, text] of mains) {
      const reporters = (parseToml(text) as any).common.monitor.reporters;
      expect({ file, reporters: reporters.map((r: any) => [r.type, r.monitor_collector.remote_ip]) }).toEqual({ file, reporters: [["monitor_collector", "172.21.0.12:10000"]] });
    }
  });

  it("keeps the ClickHouse password and the collector's config secret", () => {
    for (const name of [/-monitoring-clickhouse-credentials$/, /-monitoring-monitor-collector-config$/, /-monitoring-grafana-admin$/]) {
      expect(one("kubernetes:core/v1:Secret", name).stringData).toBe("[secret]");
    }
  });

  it("runs ClickHouse on the meta nodes with an ESSD claim, the schema Job, Grafana and the exporter", () => {
    const ch = one("kubernetes:apps/v1:StatefulSet", /-monitoring-clickhouse$/);
    expect(ch.spec.template.spec.nodeSelector).toEqual({ "threefs.io/meta": "true" });
    expect(ch.spec.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: "threefs-staging-fdb", resources: { requests: { storage: "50Gi" } } });
    const job = one("kubernetes:batch/v1:Job", /-monitoring-clickhouse-schema$/);
    expect(job.spec.template.spec.containers[0].env).toContainEqual({ name: "CLICKHOUSE_HOST", value: "threefs-staging-clickhouse.threefs-staging.svc.cluster.local" });
    const provisioning = one("kubernetes:core/v1:ConfigMap", /-monitoring-grafana-provisioning$/);
    const ds = (parseYaml(provisioning.data["datasources.yaml"]) as any).datasources[0];
    expect(ds.jsonData).toMatchObject({ host: "threefs-staging-clickhouse.threefs-staging.svc.cluster.local", port: 9000, protocol: "native", defaultDatabase: "3fs" });
    expect(ds.secureJsonData.password).toBe("$CLICKHOUSE_PASSWORD");
    const exporter = one("kubernetes:apps/v1:Deployment", /-monitoring-chain-exporter$/);
    const volume = exporter.spec.template.spec.volumes.find((v: any) => v.name === "admin-cli-config");
    const adminCm = rows("kubernetes:core/v1:ConfigMap").map(inputs).find((c) => c.data?.["admin_cli.toml"]);
    expect(volume.configMap.name).toBe(adminCm!.metadata.name);
    expect(exporter.spec.template.spec.containers[0].image).toBe("ghcr.io/aliyuncontainerservice/alibabacloud-3fs/3fs-init:main");
  });

  it("declares the PodMonitor and PrometheusRule for ACK's managed Prometheus, valid against Prometheus Operator's v1 CRDs", () => {
    const podMonitor = one("kubernetes:monitoring.coreos.com/v1:PodMonitor", /podmonitor$/);
    expect(podMonitor.spec.podMetricsEndpoints).toEqual([{ port: "metrics", path: "/metrics", interval: "30s" }]);
    expect(validationErrors(crd("podmonitor-v1-spec-schema.json"), podMonitor.spec)).toEqual([]);
    const rule = one("kubernetes:monitoring.coreos.com/v1:PrometheusRule", /chain-health-rules$/);
    expect(rule.spec.groups[0].rules.map((r: any) => r.alert)).toContain("ThreeFsChainNotServing");
    expect(validationErrors(crd("prometheusrule-v1-spec-schema.json"), rule.spec)).toEqual([]);
    // The validator is strict: a misspelt field would be pruned by the API server.
    expect(validationErrors(crd("prometheusrule-v1-spec-schema.json"), { groups: [{ name: "g", rules: [{ alert: "A", expression: "up" }] }] }).join()).toMatch(/expression: unknown field/);
  });
});

describe("staging: FoundationDB backup", () => {
  it("creates a versioned, encrypted bucket and a RAM user scoped to it", () => {
    const bucket = one("alicloud:oss/bucket:Bucket", /-backup-bucket$/);
    expect(bucket.versioning).toEqual({ status: "Enabled" });
    expect(bucket.serverSideEncryptionRule).toEqual({ sseAlgorithm: "AES256" });
    const policy = JSON.parse(one("alicloud:ram/policy:Policy", /-backup-policy$/).policyDocument);
    expect(policy.Statement.flatMap((s: any) => s.Resource)).toEqual([`acs:oss:*:*:${bucket.bucket}`, `acs:oss:*:*:${bucket.bucket}/*`]);
    expect(plan.outputs.backupBucket.value).toBe(bucket.bucket);
  });

  it("declares a FoundationDBBackup valid against the v1beta2 CRD, writing to that bucket", () => {
    const b = one("kubernetes:apps.foundationdb.org/v1beta2:FoundationDBBackup", /-backup$/);
    expect(validationErrors(backupCrd.schema, b.spec)).toEqual([]);
    expect(b.spec.blobStoreConfiguration.bucket).toBe(plan.outputs.backupBucket.value);
    expect(b.spec.clusterName).toBe("threefs-staging-fdb");
  });

  it("gives the agents and the operator the same credentials Secret, secret in the plan", () => {
    const secrets = rows("kubernetes:core/v1:Secret").map(inputs).filter((s) => s.metadata.name === "threefs-staging-fdb-backup-credentials");
    expect(secrets.map((s) => s.metadata.namespace).sort()).toEqual(["threefs-staging", "threefs-staging-fdb-operator"]);
    for (const s of secrets) expect(s.stringData).toBe("[secret]");
    const operator = one("kubernetes:apps/v1:Deployment", /^threefs-staging-operator$/);
    expect(operator.spec.template.spec.containers[0].env).toContainEqual({ name: "FDB_BLOB_CREDENTIALS", value: "/var/backup-credentials/credentials" });
  });

  it("exports the Grafana URL, metrics endpoint, collector address and backup status command", () => {
    expect(plan.outputs.grafanaUrl.value).toBe("http://threefs-staging-grafana.threefs-staging.svc.cluster.local:3000");
    expect(plan.outputs.metricsEndpoint.value).toBe("http://threefs-staging-chain-exporter.threefs-staging.svc.cluster.local:9700/metrics");
    expect(plan.outputs.monitorCollectorAddress.value).toBe("172.21.0.12:10000");
    expect(plan.outputs.backupStatusCommand.value).toBe("kubectl -n threefs-staging get foundationdbbackup threefs-staging-fdb -o jsonpath='{.status.backupDetails}'");
  });
});
