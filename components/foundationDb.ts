/**
 * `threefs:index:FoundationDb` — the FoundationDB Kubernetes operator (v2.33, its CRDs, RBAC and
 * Deployment) and the FoundationDBCluster that stores all 3FS metadata (mgmtd and meta).
 *
 * 3FS consumes {@link FoundationDb.clusterFileConfigMap}: the operator's ConfigMap whose key
 * `cluster-file` (FDB_CLUSTER_FILE_KEY) 3FS pods mount as /etc/foundationdb/fdb.cluster.
 * Design notes: docs/foundationdb.md.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { PROFILE_LABEL } from "../lib/threefs/constants";
import {
  type FdbClusterInput,
  type ResourceRequirements,
  buildFdbClusterSpec,
  clusterFileConfigMapName,
  fdbPodsReadNodes,
} from "../lib/fdb/spec";
import { CREDENTIALS_KEY, fdbBackupSpec } from "../lib/backup/fdbBackup";
import {
  type ObjectMeta,
  type RoleLike,
  bindingFor,
  fdbPodRole,
  nodeReaderClusterRole,
  operatorDeploymentSpec,
  operatorLeaderElectionRole,
  operatorManagerRole,
} from "../lib/fdb/operator";

/** Name of the backup credentials Secret (same name in the app and the operator namespace). */
export function backupCredentialsSecretName(clusterName: string): string {
  return `${clusterName}-backup-credentials`;
}

/** The three CRDs the operator watches; all must exist before it starts. */
export const FDB_CRD_KINDS = ["foundationdbclusters", "foundationdbbackups", "foundationdbrestores"] as const;

/** URL of one CRD manifest under a release base URL (tagged GitHub raw URL or a mirror of the same tree). */
export function fdbCrdUrl(baseUrl: string, kind: (typeof FDB_CRD_KINDS)[number]): string {
  return `${baseUrl.replace(/\/+$/, "")}/config/crd/bases/apps.foundationdb.org_${kind}.yaml`;
}

/** Settings of the FoundationDBCluster; the component fills in the name, ServiceAccount and labels. */
export type FdbClusterSettings = Omit<FdbClusterInput, "clusterName" | "serviceAccountName" | "labels">;

export interface FoundationDbArgs {
  /** App namespace (created by the caller) where the FoundationDBCluster, its pods and the 3FS pods live.
   * The operator watches only this namespace. */
  namespace: pulumi.Input<string>;
  /** Namespace the component creates for the operator, scoped to the stack (e.g. `<stack>-fdb-operator`)
   * so that stacks sharing an ACK cluster never share an operator. Also prefixes the cluster-wide RBAC names. */
  operatorNamespace: string;
  /** metadata.name of the FoundationDBCluster (DNS label, ≤ 40 chars leaves room for pod names).
   * Pods become `<name>-<class>-<n>`, the cluster-file ConfigMap `<name>-config`. */
  clusterName: string;
  /** Cluster spec settings (version, redundancy, counts, scheduling, resources, storage); see {@link FdbClusterInput}. */
  spec: FdbClusterSettings;
  /** Operator image, pinned (`threefs:fdb.operatorImage`, default `foundationdb/fdb-kubernetes-operator:v2.33.0`). */
  operatorImage: string;
  /** Operator container resources. Default: the operator sample's 500m / 256Mi. */
  operatorResources?: ResourceRequirements;
  /** FDB versions whose client library and CLI the operator loads (one init container per minor).
   * Default `[spec.version]`; add the target version here before an upgrade to another minor. */
  clientVersions?: string[];
  /** Release base URL of the CRDs (`threefs:fdb.crdBaseUrl`), e.g.
   * `https://raw.githubusercontent.com/FoundationDB/fdb-kubernetes-operator/v2.33.0` or a mirror of that tree. */
  crdBaseUrl: string;
  /** Apply the cluster-scoped CRDs from this stack (`threefs:fdb.installCrds`). Exactly one stack per ACK
   * cluster should; the others set false. The CRDs are always retained on delete: deleting a CRD deletes
   * every FoundationDBCluster of every stack. */
  installCrds: boolean;
  /** Protect the metadata (prod): the FoundationDBCluster gets `protect` and `retainOnDelete`. The FDB
   * volumes are PVCs the operator creates; they survive only if the StorageClass (Disks component) has
   * `reclaimPolicy: Retain`. */
  protect: boolean;
  /** Extra labels for every object (the `threefs.io/profile` label is always added from spec.profile). */
  labels?: Record<string, string>;
  /**
   * Continuous backup to the BackupStore's bucket: a FoundationDBBackup of this cluster (the CRD is one of
   * FDB_CRD_KINDS, installed with the others), the credentials Secret in the app namespace for the agents
   * and in the operator's namespace for the operator (created before its Deployment). See lib/backup.
   */
  backup?: FdbBackupArgs;
}

/** The backup settings FoundationDb needs (the rest comes from the cluster). */
export interface FdbBackupArgs {
  bucket: pulumi.Input<string>;
  accountName: pulumi.Input<string>;
  /** The FDB_BLOB_CREDENTIALS file (a Pulumi secret). */
  credentials: pulumi.Input<string>;
  region: string;
  secureConnection: boolean;
  /** Secret holding cert.pem/key.pem/ca.pem, in both namespaces (secureConnection only). */
  tlsSecretName?: string;
  agentCount: number;
  snapshotPeriodSeconds: number;
  /** Folder of the backup in the bucket; default the cluster's name. */
  backupName?: string;
  resources: ResourceRequirements;
}

/** The operator and the FoundationDBCluster holding the 3FS metadata. */
export class FoundationDb extends pulumi.ComponentResource {
  /** Namespace of the FoundationDBCluster and its cluster-file ConfigMap. */
  public readonly namespace: pulumi.Output<string>;
  /** metadata.name of the FoundationDBCluster, as applied. */
  public readonly clusterName: pulumi.Output<string>;
  /** Name of the ConfigMap (key `cluster-file`) that 3FS pods mount as /etc/foundationdb/fdb.cluster. */
  public readonly clusterFileConfigMap: pulumi.Output<string>;
  /** metadata.name of the FoundationDBBackup, when backup is on. */
  public readonly backupName: pulumi.Output<string> | undefined;

  constructor(name: string, args: FoundationDbArgs, opts?: pulumi.ComponentResourceOptions) {
    super("threefs:index:FoundationDb", name, {}, opts);
    const labels: Record<string, string> = { ...(args.labels ?? {}), [PROFILE_LABEL]: args.spec.profile };
    const appNs = pulumi.output(args.namespace);

    const crds = args.installCrds ? this.installCrds(name, args.crdBaseUrl) : [];
    // The operator watches the CRDs' kinds from its first start; without them it crash-loops.
    const operator = this.operator(name, args, appNs, labels, crds);
    const podSa = this.podRbac(name, args, appNs, labels);

    const input: FdbClusterInput = { ...args.spec, clusterName: args.clusterName, serviceAccountName: podSa.name, labels: args.labels };
    const cluster = new k8s.apiextensions.CustomResource(
      `${name}-cluster`,
      {
        apiVersion: "apps.foundationdb.org/v1beta2",
        kind: "FoundationDBCluster",
        metadata: {
          name: args.clusterName,
          namespace: appNs,
          labels: { ...labels, "app.kubernetes.io/name": "foundationdb", "app.kubernetes.io/part-of": "3fs" },
          // Pulumi waits until the operator reports the database available, so 3FS starts against a live FDB.
          annotations: { "pulumi.com/waitFor": "jsonpath={.status.health.available}=true" },
        },
        spec: buildFdbClusterSpec(input),
      },
      {
        parent: this,
        dependsOn: [...crds, operator, ...podSa.deps],
        protect: args.protect,
        retainOnDelete: args.protect,
        customTimeouts: { create: "30m", update: "30m" },
      },
    );

    this.backupName = args.backup ? this.backupOf(name, args, args.backup, appNs, labels, cluster).metadata.name : undefined;
    this.namespace = cluster.metadata.namespace;
    this.clusterName = cluster.metadata.name;
    this.clusterFileConfigMap = cluster.metadata.name.apply(clusterFileConfigMapName);
    this.registerOutputs({ namespace: this.namespace, clusterName: this.clusterName, clusterFileConfigMap: this.clusterFileConfigMap, backupName: this.backupName });
  }

  /** One ConfigFile per CRD from the pinned release. Retained on delete (CRD deletion cascades to all CRs). */
  private installCrds(name: string, baseUrl: string): pulumi.Resource[] {
    return FDB_CRD_KINDS.map(
      (kind) =>
        new k8s.yaml.v2.ConfigFile(
          `${name}-crd-${kind.replace(/^foundationdb/, "")}`,
          { file: fdbCrdUrl(baseUrl, kind) },
          { parent: this, retainOnDelete: true },
        ),
    );
  }

  /** Operator namespace, ServiceAccount, RBAC and Deployment; returns the Deployment. */
  private operator(name: string, args: FoundationDbArgs, appNs: pulumi.Output<string>, labels: Record<string, string>, crds: pulumi.Resource[]): k8s.apps.v1.Deployment {
    const opNs = args.operatorNamespace;
    const opLabels = { ...labels, "app.kubernetes.io/name": "fdb-kubernetes-operator", "app.kubernetes.io/part-of": "3fs" };
    const meta = (n: string, namespace?: string): ObjectMeta => ({ name: n, ...(namespace ? { namespace } : {}), labels: opLabels });
    const ns = new k8s.core.v1.Namespace(`${name}-operator-ns`, { metadata: meta(opNs) }, { parent: this });
    const inNs = { parent: this, dependsOn: [ns] };
    const sa = { name: "fdb-operator", namespace: opNs };
    const deps: pulumi.Resource[] = [new k8s.core.v1.ServiceAccount(`${name}-operator-sa`, { metadata: meta(sa.name, opNs) }, inNs)];

    // Cluster-scoped names carry the stack-scoped operator namespace so that stacks do not collide.
    deps.push(...this.bound(`${name}-operator-node-reader`, pulumi.output(nodeReaderClusterRole(meta(`${opNs}-node-reader`))),
      "ClusterRole", pulumi.output(sa), { parent: this }));
    deps.push(...this.bound(`${name}-operator-leader-election`,
      pulumi.output(operatorLeaderElectionRole(meta("fdb-operator-leader-election", opNs))), "Role", pulumi.output(sa), inNs));
    // The manager Role is in the app namespace (an Input), so it is built once that name is known.
    deps.push(...this.bound(`${name}-operator-manager`, appNs.apply((n) => operatorManagerRole(meta(`${opNs}-manager`, n))),
      "Role", pulumi.output(sa), { parent: this }));

    const selectorLabels = { "app.kubernetes.io/name": "fdb-kubernetes-operator", "app.kubernetes.io/instance": opNs };
    const spec = appNs.apply((watchNamespace) =>
      operatorDeploymentSpec({
        serviceAccountName: sa.name,
        watchNamespace,
        image: args.operatorImage,
        imageRegistry: args.spec.imageRegistry,
        clientVersions: args.clientVersions ?? [args.spec.version],
        resources: args.operatorResources,
        scheduling: args.spec.scheduling,
        selectorLabels,
        labels: opLabels,
        blob: args.backup ? { credentialsSecret: backupCredentialsSecretName(args.clusterName), tlsSecret: args.backup.secureConnection ? args.backup.tlsSecretName : undefined } : undefined,
      }),
    );
    if (args.backup) {
      // The operator reads the blob credentials from its own namespace; the Secret exists before it starts.
      deps.push(this.credentialsSecret(`${name}-operator-backup-credentials`, backupCredentialsSecretName(args.clusterName), opNs, opLabels, args.backup.credentials, { parent: this, dependsOn: [ns] }));
    }
    return new k8s.apps.v1.Deployment(`${name}-operator`, { metadata: meta("fdb-operator", opNs), spec }, { parent: this, dependsOn: [...deps, ...crds] });
  }

  private credentialsSecret(
    resName: string,
    secretName: string,
    namespace: pulumi.Input<string>,
    labels: Record<string, string>,
    credentials: pulumi.Input<string>,
    opts: pulumi.CustomResourceOptions,
  ): k8s.core.v1.Secret {
    return new k8s.core.v1.Secret(
      resName,
      { metadata: { name: secretName, namespace, labels }, type: "Opaque", stringData: { [CREDENTIALS_KEY]: pulumi.secret(credentials) } },
      opts,
    );
  }

  /** The agents' credentials Secret and the FoundationDBBackup of the cluster. */
  private backupOf(
    name: string,
    args: FoundationDbArgs,
    b: FdbBackupArgs,
    appNs: pulumi.Output<string>,
    labels: Record<string, string>,
    cluster: k8s.apiextensions.CustomResource,
  ): k8s.apiextensions.CustomResource {
    const secretName = backupCredentialsSecretName(args.clusterName);
    const secret = this.credentialsSecret(`${name}-backup-credentials`, secretName, appNs, labels, b.credentials, { parent: this });
    const spec = pulumi.all([b.accountName, b.bucket]).apply(([accountName, bucket]) =>
      fdbBackupSpec({
        clusterName: args.clusterName,
        version: args.spec.version,
        imageRegistry: args.spec.imageRegistry,
        accountName,
        bucket,
        backupName: b.backupName ?? args.clusterName,
        region: b.region,
        secureConnection: b.secureConnection,
        tlsSecretName: b.tlsSecretName,
        credentialsSecretName: secretName,
        agentCount: b.agentCount,
        snapshotPeriodSeconds: b.snapshotPeriodSeconds,
        resources: b.resources,
        scheduling: args.spec.scheduling,
      }),
    );
    return new k8s.apiextensions.CustomResource(
      `${name}-backup`,
      {
        apiVersion: "apps.foundationdb.org/v1beta2",
        kind: "FoundationDBBackup",
        metadata: { name: args.clusterName, namespace: appNs, labels: { ...labels, "app.kubernetes.io/name": "foundationdb", "app.kubernetes.io/part-of": "3fs" } },
        spec,
      },
      // The backup starts once the database is available (the cluster waits for it).
      { parent: this, dependsOn: [cluster, secret] },
    );
  }

  /** ServiceAccount and RBAC of the FDB pods (fdb-kubernetes-monitor); node reads only for zone fault domains. */
  private podRbac(name: string, args: FoundationDbArgs, appNs: pulumi.Output<string>, labels: Record<string, string>) {
    const saName = `${args.clusterName}-pods`;
    const meta = (n: string, namespace?: string): ObjectMeta => ({ name: n, ...(namespace ? { namespace } : {}), labels });
    const saRef = appNs.apply((namespace) => ({ name: saName, namespace }));
    const deps: pulumi.Resource[] = [
      new k8s.core.v1.ServiceAccount(`${name}-pod-sa`, { metadata: appNs.apply((n) => meta(saName, n)) }, { parent: this }),
    ];
    deps.push(...this.bound(`${name}-pod`, appNs.apply((n) => fdbPodRole(meta(saName, n))), "Role", saRef, { parent: this }));
    if (fdbPodsReadNodes(args.spec)) {
      const role = nodeReaderClusterRole(meta(`${args.operatorNamespace}-${args.clusterName}-node-reader`));
      deps.push(...this.bound(`${name}-pod-node-reader`, pulumi.output(role), "ClusterRole", saRef, { parent: this }));
    }
    return { name: saName, deps };
  }

  /**
   * A Role or ClusterRole (`<resName>`) and its binding to `sa` (`<resName>-binding`, same object name).
   * Returns both; the binding depends on the role.
   */
  private bound(
    resName: string,
    role: pulumi.Output<RoleLike>,
    kind: "Role" | "ClusterRole",
    sa: pulumi.Output<{ name: string; namespace: string }>,
    opts: pulumi.CustomResourceOptions,
  ): pulumi.Resource[] {
    const roleArgs = { metadata: role.metadata, rules: role.rules };
    const roleRes = kind === "Role" ? new k8s.rbac.v1.Role(resName, roleArgs, opts) : new k8s.rbac.v1.ClusterRole(resName, roleArgs, opts);
    const b = pulumi.all([role, sa]).apply(([r, s]) => bindingFor(r.metadata, r, kind, s));
    const bArgs = { metadata: b.metadata, roleRef: b.roleRef, subjects: b.subjects };
    const bOpts = { ...opts, dependsOn: [roleRes] };
    const binding =
      kind === "Role" ? new k8s.rbac.v1.RoleBinding(`${resName}-binding`, bArgs, bOpts) : new k8s.rbac.v1.ClusterRoleBinding(`${resName}-binding`, bArgs, bOpts);
    return [roleRes, binding];
  }
}
