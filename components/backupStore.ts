/**
 * `threefs:index:BackupStore` — where FoundationDB's backup goes: an OSS bucket (versioned, encrypted at
 * rest, lifecycle on old versions) and a RAM user whose only permission is that bucket, with an AccessKey
 * whose secret stays a Pulumi secret into the Kubernetes Secrets the backup agents and the operator read.
 * Created before FoundationDb, whose operator mounts the credentials from its first start. Design notes:
 * docs/backup.md; pure parts in lib/backup/oss.ts.
 */
import * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { accountName, backupPolicyDocument, blobCredentials, bucketProtection, defaultBucketName, DEFAULT_BUCKET_SUFFIX_LENGTH } from "../lib/backup/oss";

/** Arguments of {@link BackupStore}. */
export interface BackupStoreArgs {
  /** Name prefix (`threefs-<stack>`) of the RAM user and policy (`<prefix>-fdb-backup`). */
  prefix: string;
  /** Stack name: the default bucket is `threefs-<stack>-fdb-<8 random characters>`. */
  stack: string;
  /** Bucket name; default generated (OSS bucket names are global). */
  bucketName?: string;
  /** Region of the bucket and of the S3-compatible endpoint (`alicloud:region`). */
  region: string;
  /** HTTPS (443) or HTTP (80) to the VPC-internal endpoint. */
  secureConnection: boolean;
  /** Days the bucket keeps noncurrent object versions. */
  noncurrentVersionDays: number;
  /** Protect the bucket (prod). It is always retained on delete: it holds the only copy of the metadata backups. */
  protect: boolean;
  tags: Record<string, string>;
}

/** The OSS bucket and RAM identity of the FoundationDB backup. */
export class BackupStore extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  /** The operator's `blobStoreConfiguration.accountName`: `@<bucket>.s3.oss-<region>-internal.aliyuncs.com:<port>` (no key: it is in the credentials file). */
  public readonly accountName: pulumi.Output<string>;
  /** The FDB_BLOB_CREDENTIALS file (secret). */
  public readonly credentials: pulumi.Output<string>;

  constructor(name: string, args: BackupStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super("threefs:index:BackupStore", name, {}, opts);
    const parent = { parent: this };
    const bucketName =
      args.bucketName !== undefined
        ? pulumi.output(args.bucketName)
        : new random.RandomString(`${name}-bucket-suffix`, { length: DEFAULT_BUCKET_SUFFIX_LENGTH, upper: false, special: false }, parent).result.apply((s) =>
            defaultBucketName(args.stack, s),
          );
    const protection = bucketProtection(args.noncurrentVersionDays);
    const bucket = new alicloud.oss.Bucket(
      `${name}-bucket`,
      {
        bucket: bucketName,
        versioning: protection.versioning,
        serverSideEncryptionRule: protection.serverSideEncryptionRule,
        lifecycleRules: protection.lifecycleRules,
        tags: args.tags,
      },
      { ...parent, protect: args.protect, retainOnDelete: true },
    );
    const user = new alicloud.ram.User(`${name}-user`, { name: `${args.prefix}-fdb-backup`, comments: `FoundationDB backup of ${args.prefix} (one OSS bucket)` }, parent);
    const policy = new alicloud.ram.Policy(
      `${name}-policy`,
      { policyName: `${args.prefix}-fdb-backup`, policyDocument: bucket.bucket.apply(backupPolicyDocument), description: `Read/write of the ${args.prefix} FDB backup bucket only` },
      parent,
    );
    new alicloud.ram.UserPolicyAttachment(`${name}-policy-attachment`, { userName: user.name, policyName: policy.policyName, policyType: "Custom" }, parent);
    const key = new alicloud.ram.AccessKey(`${name}-access-key`, { userName: user.name }, { ...parent, additionalSecretOutputs: ["secret"] });

    this.bucketName = bucket.bucket;
    this.accountName = bucket.bucket.apply((b) => accountName(b, args.region, args.secureConnection));
    this.credentials = pulumi.secret(pulumi.all([key.id, key.secret, bucket.bucket]).apply(([id, secret, b]) => blobCredentials(id, secret, b, args.region)));
    this.registerOutputs({ bucketName: this.bucketName, accountName: this.accountName, credentials: this.credentials });
  }
}
