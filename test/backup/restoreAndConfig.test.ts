/**
 * The restore plan and its CLI, the `threefs:monitoring` / `threefs:backup` config rules, and the
 * policy that requires a backup in prod.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { backupPolicies } from "../../policy/policies";
import { fdbClusterUrn, restoreObject, restorePlan, type RestoreInput } from "../../lib/backup/restore";
import { ConfigError, loadConfig } from "../../stacks/config";
import { main as restoreCli } from "../../tools/fdb-restore";
import { type StructuralSchema, validationErrors } from "../fdb/schemaValidator";
import { fdbBackup, fdbCluster } from "../policy/fixtures";
import { evaluate, resource } from "../policy/harness";

const restoreCrd = JSON.parse(fs.readFileSync(path.join(__dirname, "../fixtures/fdb/v1beta2-restore-spec-schema.json"), "utf8")) as { schema: StructuralSchema };

const input: RestoreInput = {
  stack: "prod",
  namespace: "threefs-prod",
  prefix: "threefs-prod",
  clusterName: "threefs-prod-fdb",
  bucket: "threefs-prod-fdb-abcdefgh",
  backupName: "threefs-prod-fdb",
  region: "cn-beijing",
  secureConnection: false,
  mgmtdReplicas: 3,
  metaReplicas: 3,
  nextBackupName: "threefs-prod-fdb-restored-20260101",
};

describe("restore plan", () => {
  const steps = restorePlan(input, "restore.yaml");
  const all = steps.flatMap((s) => s.commands);
  const at = (re: RegExp) => all.findIndex((c) => re.test(c));

  it("restores into the stack's cluster from the named backup, valid against the FoundationDBRestore CRD", () => {
    const o = restoreObject(input) as { spec: unknown; metadata: { namespace: string } };
    expect(validationErrors(restoreCrd.schema, JSON.parse(JSON.stringify(o.spec)))).toEqual([]);
    expect(o.spec).toMatchObject({ destinationClusterName: "threefs-prod-fdb", blobStoreConfiguration: { backupName: "threefs-prod-fdb", bucket: input.bucket } });
    expect(o.metadata.namespace).toBe("threefs-prod");
  });

  it("orders the steps: check, stop the backup, stop mgmtd/meta, empty cluster, restore, start 3FS, back up under a new name", () => {
    const order = [/fdbbackup describe/, /backupState":"Stopped/, /scale statefulset threefs-prod-meta threefs-prod-mgmtd --replicas=0/, /getrange/, /kubectl apply -f restore\.yaml/, /scale statefulset threefs-prod-mgmtd --replicas=3/, /threefs:backup\.name threefs-prod-fdb-restored-20260101/, /up --refresh/];
    const idx = order.map(at);
    expect(idx.every((n) => n >= 0)).toBe(true);
    expect([...idx].sort((a, b) => a - b)).toEqual(idx);
  });

  it("uses pulumi while restoring only for a targeted recreate of the FoundationDBCluster", () => {
    const pulumiBefore = all.slice(0, at(/scale statefulset threefs-prod-mgmtd --replicas=3/)).filter((c) => c.startsWith("pulumi"));
    expect(pulumiBefore).toHaveLength(1);
    expect(pulumiBefore[0]).toContain(`--target '${fdbClusterUrn("prod", "threefs-prod")}'`);
  });

  it("targets the URN the program gives the FoundationDBCluster", () => {
    expect(fdbClusterUrn("prod", "threefs-prod")).toBe("urn:pulumi:prod::threefs::threefs:index:FoundationDb$kubernetes:apps.foundationdb.org/v1beta2:FoundationDBCluster::threefs-prod-cluster");
  });

  it("CLI: writes the manifest and prints the steps; refuses a stack without backup or an unknown bucket", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "restore-"));
    const out: string[] = [];
    const err: string[] = [];
    const file = path.join(dir, "restore.yaml");
    expect(restoreCli(["--stack", "prod", "--bucket", input.bucket, "--out", file], (l) => out.push(l), (l) => err.push(l), new Date("2026-01-01T00:00:00Z"))).toBe(0);
    expect(parse(fs.readFileSync(file, "utf8"))).toEqual(restoreObject(input));
    expect(out.join("\n")).toContain("threefs:backup.name threefs-prod-fdb-restored-20260101");
    expect(restoreCli(["--stack", "prod", "--out", file], () => {}, (l) => err.push(l))).toBe(2);
    expect(err.at(-1)).toMatch(/--bucket is required/);
    expect(restoreCli(["--stack", "dev", "--bucket", "b", "--out", file], () => {}, (l) => err.push(l))).toBe(2);
    expect(err.at(-1)).toMatch(/threefs:backup.enabled is false/);
    fs.rmSync(dir, { recursive: true });
  });
});

function problems(values: Record<string, unknown>, stack = "staging"): string[] {
  const base: Record<string, unknown> = { "alicloud:region": "cn-beijing", "threefs:profile": "staging", "threefs:zones": ["cn-beijing-i"], ...values };
  const raw = Object.fromEntries(Object.entries(base).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
  try {
    loadConfig({ stack, values: raw });
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
}

describe("config rules of threefs:monitoring and threefs:backup", () => {
  it("profiles: dev off, staging and prod on, and valid as they are", () => {
    const cfg = (profile: string) => loadConfig({ stack: profile, values: { "alicloud:region": "cn-beijing", "threefs:profile": profile, "threefs:zones": JSON.stringify(["cn-beijing-i", "cn-beijing-j", "cn-beijing-k"]) } });
    expect([cfg("dev").monitoring.enabled, cfg("dev").backup.enabled]).toEqual([false, false]);
    expect([cfg("staging").monitoring.enabled, cfg("staging").backup.enabled]).toEqual([true, true]);
    expect([cfg("prod").monitoring.enabled, cfg("prod").backup.enabled]).toEqual([true, true]);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ["an external collector with the in-cluster one", { "threefs:fs": { monitorCollector: "10.0.0.5:10000" } }, /^threefs:fs\.monitorCollector: .*exclude each other/],
    ["the DNS address", { "threefs:monitoring": { collectorIpOffset: 10 } }, /^threefs:monitoring\.collectorIpOffset: offset 10 is the cluster DNS/],
    ["an offset past the static band of a /24", { "threefs:network": { serviceCidr: "172.21.0.0/24" }, "threefs:monitoring": { collectorIpOffset: 20 } }, /^threefs:monitoring\.collectorIpOffset: .*static band 1–16/],
    ["an external Grafana without its URL", { "threefs:monitoring": { grafana: "external" } }, /^threefs:monitoring\.grafanaUrl: required/],
    ["a moving image", { "threefs:monitoring": { images: { grafana: "docker.io/grafana/grafana:latest" } } }, /^threefs:monitoring\.images\.grafana: .*pinned/],
    ["requests above limits", { "threefs:monitoring": { resources: { grafana: { requests: { cpu: "2", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } } } } }, /^threefs:monitoring\.resources\.grafana\.requests\.cpu/],
    ["a bucket name too long for the account name", { "threefs:backup": { bucketName: "b".repeat(60) } }, /^threefs:backup\.bucketName: .*too long/],
    ["an invalid bucket name", { "threefs:backup": { bucketName: "Backups" } }, /^threefs:backup\.bucketName: .*not an OSS bucket name/],
    ["HTTPS without TLS files", { "threefs:backup": { secureConnection: true } }, /^threefs:backup\.tlsSecretName: required/],
  ])("refuses %s, naming the key", (_n, values, message) => {
    const got = problems(values);
    expect(got.some((p) => message.test(p)) ? "found" : got).toBe("found");
  });

  it("accepts the external collector once monitoring is off", () => {
    expect(problems({ "threefs:fs": { monitorCollector: "10.0.0.5:10000" }, "threefs:monitoring": { enabled: false } })).toEqual([]);
  });
});

describe("policy threefs-fdb-backup-in-prod", () => {
  const run = async (fixtures: ReturnType<typeof fdbCluster>[]) => (await evaluate(backupPolicies, fixtures.map(resource))).map((f) => f.message);

  it("passes a prod cluster with a running continuous backup to a versioned bucket", async () => {
    expect(await run([fdbCluster(), ...fdbBackup()])).toEqual([]);
  });

  it.each<[string, ReturnType<typeof fdbCluster>[], RegExp]>([
    ["no backup", [fdbCluster()], /has no FoundationDBBackup/],
    ["a stopped backup", [fdbCluster(), ...fdbBackup({ state: "Stopped" })], /is Stopped, not Running/],
    ["a one-time backup", [fdbCluster(), ...fdbBackup({ mode: "oneTime" })], /one-time backup/],
    ["an unversioned bucket", [fdbCluster(), ...fdbBackup({ versioning: null })], /has no versioning/],
  ])("refuses %s", async (_n, fixtures, message) => {
    const got = await run(fixtures);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(message);
  });

  it("does not apply to dev", async () => {
    expect(await run([fdbCluster({ profile: "dev" })])).toEqual([]);
  });
});
