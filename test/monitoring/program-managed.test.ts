/**
 * Staging with Alibaba's managed ClickHouse, an external Grafana and backup off: a DbCluster in the
 * stack's VPC whitelisting the VPC, an account for the collector, no in-cluster ClickHouse or Grafana, the
 * schema Job and the collector pointed at the managed endpoint, and no backup resources.
 */
import { parse as parseToml } from "smol-toml";
import { runProgram } from "../policy/program";
import type { PlanResult } from "../../lib/plan/run";

let plan: PlanResult;
beforeAll(async () => {
  plan = await runProgram("staging", {
    "threefs:monitoring": { clickhouse: "managed", grafana: "external", grafanaUrl: "https://grafana.example.com" },
    "threefs:backup": { enabled: false },
  });
}, 60_000);
const of = (type: string) => plan.rows.filter((r) => r.type === type).map((r) => ({ name: r.name, inputs: r.inputs as Record<string, any>, outputs: r.outputs }));

describe("staging with managed ClickHouse and an external Grafana", () => {
  it("creates the managed cluster in the VPC, reachable from the VPC only, and the collector's account", () => {
    const [cluster] = of("alicloud:clickhouse/dbCluster:DbCluster");
    expect(cluster.inputs).toMatchObject({ dbClusterNetworkType: "vpc", category: "Basic", dbClusterClass: "S8", dbClusterVersion: "25.3", dbNodeStorage: "50", storageType: "cloud_essd", paymentType: "PayAsYouGo", zoneId: "cn-beijing-i" });
    expect(cluster.inputs.dbClusterAccessWhiteLists).toEqual([{ dbClusterIpArrayName: "threefs", securityIpList: "10.0.0.0/16" }]);
    expect(cluster.inputs.vpcId).toMatch(/^vpc-/);
    const [account] = of("alicloud:clickhouse/account:Account");
    expect(account.inputs.accountName).toBe("threefs");
  });

  it("runs no ClickHouse or Grafana in the cluster; the schema Job targets the managed endpoint", () => {
    expect(of("kubernetes:apps/v1:StatefulSet").map((s) => s.name)).not.toContainEqual(expect.stringMatching(/clickhouse/));
    expect(of("kubernetes:apps/v1:Deployment").map((s) => s.name)).not.toContainEqual(expect.stringMatching(/grafana/));
    const host = of("alicloud:clickhouse/dbCluster:DbCluster")[0].outputs.connectionString as string;
    const job = of("kubernetes:batch/v1:Job").find((j) => /clickhouse-schema$/.test(j.name))!;
    expect(job.inputs.spec.template.spec.containers[0].env).toEqual(expect.arrayContaining([{ name: "CLICKHOUSE_HOST", value: host }, { name: "CLICKHOUSE_PORT", value: "3306" }]));
    // The dashboards are still published (import them into the external Grafana).
    expect(of("kubernetes:core/v1:ConfigMap").some((c) => /grafana-dashboards$/.test(c.name))).toBe(true);
    expect(plan.outputs.grafanaUrl.value).toBe("https://grafana.example.com");
  });

  it("has no backup resources and exports null for them", () => {
    expect(plan.rows.filter((r) => /oss\/bucket|ram\/|FoundationDBBackup/.test(r.type))).toEqual([]);
    expect([plan.outputs.backupBucket.value, plan.outputs.backupStatusCommand.value]).toEqual([null, null]);
  });

  it("still renders the reporters at the collector", () => {
    const cms = plan.rows.filter((r) => r.type === "kubernetes:core/v1:ConfigMap").map((r) => r.inputs as any);
    const storage = cms.find((c) => c.data?.["storage_main.toml"]);
    expect((parseToml(storage.data["storage_main.toml"]) as any).common.monitor.reporters[0].monitor_collector.remote_ip).toBe("172.21.0.12:10000");
  });
});

describe("scrape discovery", () => {
  it("no prometheus.io annotations when the PodMonitor is declared (each series scraped once)", () => {
    const exporter = plan.rows.find((r) => r.type === "kubernetes:apps/v1:Deployment" && /chain-exporter$/.test(r.name))!.inputs as any;
    expect(exporter.spec.template.metadata.annotations).toBeUndefined();
    expect(plan.rows.some((r) => r.type === "kubernetes:monitoring.coreos.com/v1:PodMonitor")).toBe(true);
  });
});
