/**
 * FoundationDB backup to OSS: the FoundationDBBackup and FoundationDBRestore specs against the operator's
 * v1beta2 CRDs (pruned fixtures of v2.33.0, tools/gen-fdb-schema-fixture.ts), the blobstore URL pieces
 * FoundationDB parses, the credentials file it reads, the bucket's protection and the RAM policy's scope.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { backupStatusCommand, blobStoreConfiguration, fdbBackupSpec, fdbRestoreSpec, type FdbBackupInput } from "../../lib/backup/fdbBackup";
import { accountName, ACCOUNT_NAME_MAX, backupPolicyDocument, blobCredentials, bucketNameProblems, bucketProtection, defaultBucketName } from "../../lib/backup/oss";
import { operatorDeploymentSpec } from "../../lib/fdb/operator";
import { schedulingFor } from "../../lib/roles";
import { type StructuralSchema, validationErrors } from "../fdb/schemaValidator";

const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(__dirname, "../fixtures/fdb", name), "utf8")) as { release: string; schema: StructuralSchema };
const backupCrd = fixture("v1beta2-backup-spec-schema.json");
const restoreCrd = fixture("v1beta2-restore-spec-schema.json");

const bucket = defaultBucketName("prod", "abcdefgh");
const input = (over: Partial<FdbBackupInput> = {}): FdbBackupInput => ({
  clusterName: "threefs-prod-fdb",
  version: "7.1.61",
  imageRegistry: "foundationdb",
  accountName: accountName(bucket, "cn-beijing", false),
  bucket,
  backupName: "threefs-prod-fdb",
  region: "cn-beijing",
  secureConnection: false,
  credentialsSecretName: "threefs-prod-fdb-backup-credentials",
  agentCount: 3,
  snapshotPeriodSeconds: 86400,
  resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "4Gi" } },
  scheduling: schedulingFor("meta", "separate"),
  ...over,
});
const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

describe("FoundationDBBackup spec", () => {
  it("is from the pinned operator release", () => expect(backupCrd.release).toBe("v2.33.0"));

  it.each([
    ["HTTP inside the VPC", input()],
    ["HTTPS with the user's TLS files", input({ secureConnection: true, tlsSecretName: "fdb-backup-tls", accountName: accountName(bucket, "cn-beijing", true) })],
  ])("%s validates against the v1beta2 CRD", (_n, i) => {
    expect(validationErrors(backupCrd.schema, json(fdbBackupSpec(i)))).toEqual([]);
  });

  it("is continuous, running, on the meta nodes, with the credentials file and explicit resources", () => {
    const spec = fdbBackupSpec(input()) as any;
    expect([spec.backupMode, spec.backupState, spec.deletionPolicy]).toEqual(["continuous", "Running", "noop"]);
    const pod = spec.podTemplateSpec.spec;
    expect(pod.nodeSelector).toEqual({ "threefs.io/meta": "true" });
    expect(pod.containers[0].env).toEqual([{ name: "FDB_BLOB_CREDENTIALS", value: "/var/backup-credentials/credentials" }]);
    expect(pod.containers[0].resources.requests).toEqual({ cpu: "500m", memory: "1Gi" });
  });

  it("the validator would catch what the API server prunes or rejects", () => {
    const spec = json(fdbBackupSpec(input())) as any;
    spec.blobStoreConfiguration.bucketName = "x";
    spec.backupMode = "forever";
    const errors = validationErrors(backupCrd.schema, spec).join("\n");
    expect(errors).toMatch(/blobStoreConfiguration\.bucketName: unknown field/);
    expect(errors).toMatch(/backupMode: "forever" is not one of/);
  });

  it("refuses HTTPS without TLS files and zero agents", () => {
    expect(() => fdbBackupSpec(input({ secureConnection: true }))).toThrow(/tlsSecretName/);
    expect(() => fdbBackupSpec(input({ agentCount: 0 }))).toThrow(/agentCount/);
  });

  it("carries the region and TLS choice as URL parameters FoundationDB knows (S3BlobStore.actor.cpp:100,282-285)", () => {
    expect(blobStoreConfiguration(input()).urlParameters).toEqual(["secure_connection=0", "region=cn-beijing"]);
  });

  it("has a restore counterpart that validates against the FoundationDBRestore CRD", () => {
    const r = fdbRestoreSpec({ ...input(), destinationClusterName: "threefs-prod-fdb" });
    expect(validationErrors(restoreCrd.schema, json(r))).toEqual([]);
    expect(r.blobStoreConfiguration).toEqual(blobStoreConfiguration(input()));
  });

  it("status command reads the operator's backupDetails", () => {
    expect(backupStatusCommand("threefs-prod", "threefs-prod-fdb")).toBe("kubectl -n threefs-prod get foundationdbbackup threefs-prod-fdb -o jsonpath='{.status.backupDetails}'");
  });
});

describe("OSS side", () => {
  it("account name: no key, the bucket's virtual host on the internal S3 endpoint, port by TLS", () => {
    expect(accountName("b-1", "cn-beijing", false)).toBe("@b-1.s3.oss-cn-beijing-internal.aliyuncs.com:80");
    expect(accountName("b-1", "cn-beijing", true)).toBe("@b-1.s3.oss-cn-beijing-internal.aliyuncs.com:443");
  });

  it("credentials are keyed as FoundationDB looks them up: `@<host>` without the port, with api_key and secret", () => {
    const creds = JSON.parse(blobCredentials("LTAI5tABCDEFGHIJKLMNOPQR", "s3cr3t", "b-1", "cn-beijing")) as { accounts: Record<string, unknown> };
    const host = accountName("b-1", "cn-beijing", false).slice(1).replace(/:\d+$/, "");
    expect(creds).toEqual({ accounts: { [`@${host}`]: { api_key: "LTAI5tABCDEFGHIJKLMNOPQR", secret: "s3cr3t" } } });
  });

  it.each([
    ["threefs-prod-fdb-abcdefgh", []],
    ["Upper", [/not an OSS bucket name/]],
    ["-x-", [/not an OSS bucket name/]],
    ["a".repeat(60), [/too long.*100 characters; use at most 56 characters/]],
  ] as Array<[string, RegExp[]]>)("bucket %s", (name, problems) => {
    const got = bucketNameProblems(name, "cn-beijing", false);
    expect(got).toHaveLength(problems.length);
    problems.forEach((p, i) => expect(got[i]).toMatch(p));
  });

  it("the default bucket of every committed stack fits the operator's account name", () => {
    for (const stack of ["dev", "staging", "prod"]) expect(accountName(defaultBucketName(stack, "abcdefgh"), "cn-beijing", true).length).toBeLessThanOrEqual(ACCOUNT_NAME_MAX);
  });

  it("bucket: versioned, AES256 at rest, only noncurrent versions and stale uploads expire", () => {
    const p = bucketProtection(30);
    expect(p.versioning.status).toBe("Enabled");
    expect(p.serverSideEncryptionRule.sseAlgorithm).toBe("AES256");
    expect(p.lifecycleRules.flatMap((r) => Object.keys(r))).not.toContain("expirations");
    expect(p.lifecycleRules.map((r) => [r.noncurrentVersionExpirations?.[0].days, r.abortMultipartUploads?.[0].days])).toEqual([[30, undefined], [undefined, 7]]);
  });

  it("RAM policy: this bucket and its objects, nothing else", () => {
    const doc = JSON.parse(backupPolicyDocument("b-1")) as { Statement: { Effect: string; Action: string[]; Resource: string[] }[] };
    expect(doc.Statement.flatMap((s) => s.Resource)).toEqual(["acs:oss:*:*:b-1", "acs:oss:*:*:b-1/*"]);
    expect(doc.Statement.every((s) => s.Effect === "Allow" && s.Action.every((a) => a.startsWith("oss:") && !a.includes("*")))).toBe(true);
  });
});

describe("the operator reads the same credentials", () => {
  const base = {
    serviceAccountName: "fdb-operator",
    watchNamespace: "threefs-prod",
    image: "foundationdb/fdb-kubernetes-operator:v2.33.0",
    imageRegistry: "foundationdb",
    clientVersions: ["7.1.61"],
    scheduling: schedulingFor("meta", "separate"),
    selectorLabels: { app: "op" },
    labels: {},
  };

  it("mounts the credentials Secret and sets FDB_BLOB_CREDENTIALS when backup is on, nothing otherwise", () => {
    const off = operatorDeploymentSpec(base).template.spec;
    expect(off.containers[0].env).toEqual([{ name: "WATCH_NAMESPACE", value: "threefs-prod" }]);
    const on = operatorDeploymentSpec({ ...base, blob: { credentialsSecret: "threefs-prod-fdb-backup-credentials" } }).template.spec;
    expect(on.containers[0].env).toContainEqual({ name: "FDB_BLOB_CREDENTIALS", value: "/var/backup-credentials/credentials" });
    expect(on.containers[0].volumeMounts).toContainEqual({ name: "backup-credentials", mountPath: "/var/backup-credentials", readOnly: true });
    expect(on.volumes).toContainEqual({ name: "backup-credentials", secret: { secretName: "threefs-prod-fdb-backup-credentials", defaultMode: 0o444 } });
  });
});
