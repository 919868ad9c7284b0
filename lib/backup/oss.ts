/**
 * The OSS side of the FoundationDB backup: bucket name rules, the bucket's protection (versioning,
 * server-side encryption, lifecycle), the RAM policy scoped to that one bucket, and the S3-compatible
 * endpoint FoundationDB's backup agents write through.
 *
 * Endpoint: OSS speaks the S3 API at `s3.oss-<region>.aliyuncs.com` and, from inside the VPC,
 * `s3.oss-<region>-internal.aliyuncs.com`, with the region id (e.g. cn-beijing) for V4 signatures
 * (https://www.alibabacloud.com/help/en/oss/developer-reference/use-amazon-s3-sdks-to-access-oss), and
 * accepts only virtual-hosted-style requests, the bucket in the host name
 * (https://help.aliyun.com/en/oss/developer-reference/overview-24). FoundationDB's S3 client uses
 * virtual hosting exactly when the host starts with `<bucket>.` (fdbclient/S3BlobStore.actor.cpp:400-413
 * of apple/foundationdb 7.1.61) and signs with AWS V4 by default (HTTP_REQUEST_AWS_V4_HEADER=true,
 * fdbclient/ClientKnobs.cpp:210), guessing the region from the host unless `region=` is given
 * (S3BlobStore.actor.cpp:173-196,282-285): its guess for this host would be `oss-<region>-internal`,
 * so the URL always carries `region=<region>`.
 *
 * Pure module: no cloud SDK imports.
 */

/** OSS bucket names: 3–63 characters, lowercase letters, digits and hyphens, starting and ending with a letter or digit. */
export const BUCKET_NAME_RE = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/** The operator's `blobStoreConfiguration.accountName` is at most 100 characters (FoundationDBBackup CRD v2.33.0). */
export const ACCOUNT_NAME_MAX = 100;

/** The VPC-internal S3-compatible endpoint of a region. */
export function s3InternalEndpoint(region: string): string {
  return `s3.oss-${region}-internal.aliyuncs.com`;
}

/** The host FoundationDB connects to: the bucket's virtual host on the internal endpoint. */
export function backupHost(bucket: string, region: string): string {
  return `${bucket}.${s3InternalEndpoint(region)}`;
}

/** Port: HTTPS 443, or 80 without TLS (the operator's defaults, foundationdbbackup_types.go getURL). */
export function backupPort(secureConnection: boolean): number {
  return secureConnection ? 443 : 80;
}

/**
 * `@<bucket host>:<port>`: the operator builds `blobstore://<accountName>/<name>?bucket=…` from it
 * (parseAccountName, foundationdbbackup_types.go: `[<api_key>][:<secret>]@<hostname>[:<port>]`). The API key
 * is left out on purpose: with an empty key FoundationDB looks up both key and secret in the credentials
 * file under `@<host>` (lookupKey/lookupSecret, fdbclient/S3BlobStore.h:114-115, S3BlobStore.actor.cpp:661-690),
 * so the AccessKey ID stays in the Secret and out of the FoundationDBBackup object.
 */
export function accountName(bucket: string, region: string, secureConnection: boolean): string {
  return `@${backupHost(bucket, region)}:${backupPort(secureConnection)}`;
}

/** Problems with a bucket name (format, and the account-name length the operator enforces). */
export function bucketNameProblems(bucket: string, region: string, secureConnection: boolean): string[] {
  const out: string[] = [];
  if (!BUCKET_NAME_RE.test(bucket)) out.push(`"${bucket}" is not an OSS bucket name (3–63 lowercase letters, digits and hyphens, not starting or ending with a hyphen)`);
  const length = accountName(bucket, region, secureConnection).length;
  if (length > ACCOUNT_NAME_MAX) {
    out.push(`"${bucket}" is too long: the backup's account name ${accountName(bucket, region, secureConnection)} would exceed the operator's ${ACCOUNT_NAME_MAX} characters; use at most ${bucket.length - (length - ACCOUNT_NAME_MAX)} characters`);
  }
  return out;
}

/** Default bucket name: `threefs-<stack>-fdb-<suffix>`; the suffix (8 random lowercase characters) makes it globally unique. */
export function defaultBucketName(stack: string, suffix: string): string {
  return `threefs-${stack.toLowerCase().replace(/[^a-z0-9-]/g, "-")}-fdb-${suffix}`;
}

/** The length the default name will have (the suffix is generated at deploy time). */
export const DEFAULT_BUCKET_SUFFIX_LENGTH = 8;

/**
 * The RAM policy of the backup user: object reads and writes, listing and multipart uploads in this one
 * bucket, nothing else. FoundationDB lists, reads, writes and deletes objects (expire), runs multipart
 * uploads for large files and checks the bucket with HEAD before creating it (S3BlobStore.actor.cpp:415-423,
 * 533-558); the bucket exists, so its PUT is never sent. Which OSS action the S3 API's HEAD-bucket maps to
 * is not documented in what was read here; GetBucketInfo and ListObjects are both granted (to confirm on a
 * real cluster: `fdbbackup describe` succeeding is the check).
 */
export function backupPolicyDocument(bucket: string): string {
  return JSON.stringify({
    Version: "1",
    Statement: [
      {
        Effect: "Allow",
        Action: ["oss:GetBucketInfo", "oss:GetBucketLocation", "oss:ListObjects", "oss:ListMultipartUploads"],
        Resource: [`acs:oss:*:*:${bucket}`],
      },
      {
        Effect: "Allow",
        Action: ["oss:GetObject", "oss:PutObject", "oss:DeleteObject", "oss:AbortMultipartUpload", "oss:ListParts"],
        Resource: [`acs:oss:*:*:${bucket}/*`],
      },
    ],
  });
}

/** Bucket protection settings, as @pulumi/alicloud's `oss.Bucket` takes them. */
export interface BucketProtection {
  versioning: { status: "Enabled" };
  serverSideEncryptionRule: { sseAlgorithm: "AES256" };
  lifecycleRules: Array<{ id: string; enabled: boolean; prefix: string; noncurrentVersionExpirations?: { days: number }[]; abortMultipartUploads?: { days: number }[] }>;
}

/**
 * Versioning keeps every overwritten or deleted object recoverable; server-side encryption (OSS-managed
 * keys, AES256) encrypts at rest; the lifecycle removes old *noncurrent* versions after
 * `noncurrentDays` and abandoned multipart uploads after 7 days. Current objects never expire: a backup's
 * snapshots and mutation logs are only valid together, and FoundationDB's own `fdbbackup expire` is the
 * way to drop old restore points (docs/backup.md).
 */
export function bucketProtection(noncurrentDays: number): BucketProtection {
  return {
    versioning: { status: "Enabled" },
    serverSideEncryptionRule: { sseAlgorithm: "AES256" },
    lifecycleRules: [
      { id: "expire-noncurrent-versions", enabled: true, prefix: "", noncurrentVersionExpirations: [{ days: noncurrentDays }] },
      { id: "abort-incomplete-uploads", enabled: true, prefix: "", abortMultipartUploads: [{ days: 7 }] },
    ],
  };
}

/**
 * The credentials file (FDB_BLOB_CREDENTIALS) of the agents and the operator: account `@<host>` (no port,
 * S3BlobStore.actor.cpp:661-662) with `api_key` and `secret` (:679-690), matching {@link accountName}.
 */
export function blobCredentials(accessKeyId: string, secret: string, bucket: string, region: string): string {
  return JSON.stringify({ accounts: { [`@${backupHost(bucket, region)}`]: { api_key: accessKeyId, secret } } });
}
