/**
 * Hand-made resources for the policy tests: a small, compliant "prod" 3FS stack and builders to
 * derive violating variants from it. Shapes follow the Kubernetes manifests / alicloud inputs the
 * program passes (see policy/policies/common.ts TYPES).
 */
import { type Profile, TYPES } from "../../policy/policies/common";
import { type Fixture } from "./harness";

/** Labels of a 3FS object of the given component in the given profile. */
export function threefsLabels(component: string, profile: Profile = "prod"): Record<string, string> {
  return { "app.kubernetes.io/name": "3fs", "app.kubernetes.io/component": component, "threefs.io/profile": profile };
}

/** A Kubernetes object fixture (apiVersion/kind derived from the type token). */
export function k8s(
  type: string,
  name: string,
  body: Record<string, unknown>,
  opts: { labels?: Record<string, string>; stack?: string; protect?: boolean } = {},
): Fixture {
  const [, group, kind] = /^kubernetes:(.+):(\w+)$/.exec(type) ?? [];
  const apiVersion = group?.startsWith("core/") ? group.slice(5) : group;
  return {
    type,
    name,
    stack: opts.stack ?? "prod",
    opts: { protect: opts.protect },
    props: { apiVersion, kind, metadata: { name, namespace: "threefs", labels: opts.labels ?? {} }, ...body },
  };
}

/** A pod template with the given containers (and optional extra pod-spec fields). */
export function template(
  containers: Record<string, unknown>[],
  labels: Record<string, string>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { metadata: { labels }, spec: { containers, ...extra } };
}

const podLabels = { "app.kubernetes.io/name": "3fs", "app.kubernetes.io/component": "storage" };

/** Required one-pod-per-host anti-affinity selecting the storage pods. */
export const hostAntiAffinity = {
  podAntiAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: [
      { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: podLabels } },
    ],
  },
};

/** The storage StatefulSet (privileged storage container, node-tuning init container, EED claim). */
export function storageStatefulSet(
  opts: { profile?: Profile; replicas?: number; size?: string; storageClass?: string; affinity?: unknown } = {},
): Fixture {
  return k8s(
    TYPES.statefulSet,
    "threefs-storage",
    {
      spec: {
        replicas: opts.replicas ?? 3,
        serviceName: "threefs-storage",
        selector: { matchLabels: podLabels },
        template: template(
          [
            {
              name: "storage",
              image: "registry.example.com/3fs/storage:v0.1.5",
              securityContext: { privileged: true },
            },
          ],
          { ...podLabels, "threefs.io/profile": opts.profile ?? "prod" },
          {
            affinity: opts.affinity === undefined ? hostAntiAffinity : opts.affinity,
            initContainers: [
              { name: "node-tuning", image: "registry.example.com/3fs/tools:v0.1.5", securityContext: { privileged: true } },
            ],
          },
        ),
        volumeClaimTemplates: [
          {
            metadata: { name: "data0" },
            spec: {
              accessModes: ["ReadWriteOnce"],
              storageClassName: opts.storageClass ?? "threefs-eed",
              resources: { requests: { storage: opts.size ?? "800Gi" } },
            },
          },
        ],
      },
    },
    { labels: threefsLabels("storage", opts.profile), stack: opts.profile ?? "prod" },
  );
}

/** The EED StorageClass. */
export function eedStorageClass(opts: { profile?: Profile; reclaimPolicy?: string | null; name?: string; type?: string } = {}): Fixture {
  const body: Record<string, unknown> = {
    provisioner: "diskplugin.csi.alibabacloud.com",
    parameters: { type: opts.type ?? "elastic_ephemeral_disk_standard" },
    volumeBindingMode: "WaitForFirstConsumer",
  };
  if (opts.reclaimPolicy !== null) body.reclaimPolicy = opts.reclaimPolicy ?? "Retain";
  return k8s(TYPES.storageClass, opts.name ?? "threefs-eed", body, {
    labels: threefsLabels("storage", opts.profile),
    stack: opts.profile ?? "prod",
  });
}

/** The bootstrap ConfigMap with a chain plan (`plan` is the raw JSON string when a string). */
export function bootstrapConfigMap(plan: Record<string, unknown> | string, profile: Profile = "prod"): Fixture {
  const json = typeof plan === "string" ? plan : JSON.stringify(plan);
  return k8s(
    TYPES.configMap,
    "threefs-bootstrap",
    { data: { "chain-plan.json": json, "bootstrap.sh": "#!/bin/sh\n" } },
    { labels: threefsLabels("bootstrap", profile), stack: profile },
  );
}

/** The FoundationDB cluster custom resource. */
export function fdbCluster(opts: { profile?: Profile; protect?: boolean; redundancy?: string } = {}): Fixture {
  return k8s(
    TYPES.fdbCluster,
    "threefs-fdb",
    {
      spec: {
        version: "7.3.43",
        databaseConfiguration: opts.redundancy ? { redundancy_mode: opts.redundancy } : {},
      },
    },
    { labels: threefsLabels("fdb", opts.profile), stack: opts.profile ?? "prod", protect: opts.protect ?? true },
  );
}

/** A FoundationDBBackup of `threefs-fdb` and its versioned OSS bucket (`versioning: null` drops it). */
export function fdbBackup(opts: { state?: string; mode?: string; versioning?: string | null } = {}): Fixture[] {
  const spec: Record<string, unknown> = { clusterName: "threefs-fdb", version: "7.3.43", blobStoreConfiguration: { accountName: "id@b.s3.oss-cn-beijing-internal.aliyuncs.com:80", bucket: "3fs-prod-abcdefgh" } };
  if (opts.state) spec.backupState = opts.state;
  if (opts.mode) spec.backupMode = opts.mode;
  const bucket: Record<string, unknown> = { bucket: "3fs-prod-abcdefgh" };
  if (opts.versioning !== null) bucket.versioning = { status: opts.versioning ?? "Enabled" };
  return [
    k8s("kubernetes:apps.foundationdb.org/v1beta2:FoundationDBBackup", "threefs-fdb", { spec }, { labels: threefsLabels("fdb", "prod"), stack: "prod" }),
    { type: "alicloud:oss/bucket:Bucket", name: "backup-bucket", stack: "prod", props: bucket },
  ];
}

/** The ACK managed cluster. */
export function ackCluster(opts: { profile?: Profile; deletionProtection?: boolean; tag?: string | null; slbInternetEnabled?: boolean | null } = {}): Fixture {
  const tags: Record<string, string> = { owner: "ml-infra" };
  if (opts.tag !== null) tags["threefs:profile"] = opts.tag ?? opts.profile ?? "prod";
  const props: Record<string, unknown> = { clusterSpec: "ack.pro.small", tags };
  if (opts.slbInternetEnabled !== null) props.slbInternetEnabled = opts.slbInternetEnabled ?? false;
  if (opts.deletionProtection !== undefined) props.deletionProtection = opts.deletionProtection;
  return { type: TYPES.managedKubernetes, name: "threefs-ack", stack: opts.profile ?? "prod", props };
}

/** A security group rule. */
export function sgRule(props: Record<string, unknown>, name = "rule"): Fixture {
  return {
    type: TYPES.securityGroupRule,
    name,
    stack: "prod",
    props: { securityGroupId: "sg-123", ipProtocol: "tcp", portRange: "8000/9001", ...props },
  };
}

/** A compliant prod stack (every policy passes). */
export function compliantProdStack(): Fixture[] {
  return [
    ackCluster({ deletionProtection: true }),
    sgRule({ type: "ingress", cidrIp: "10.0.0.0/8" }, "intra-vpc"),
    sgRule({ type: "egress", cidrIp: "0.0.0.0/0", portRange: "-1/-1", ipProtocol: "all" }, "egress-all"),
    eedStorageClass(),
    storageStatefulSet(),
    bootstrapConfigMap({ replicas: 3, targetsPerDisk: 8, stripeSize: 4 }),
    fdbCluster({ redundancy: "triple" }),
    ...fdbBackup(),
  ];
}
