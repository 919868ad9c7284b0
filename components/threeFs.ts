/**
 * ThreeFs: the 3FS file system on an ACK cluster — mgmtd, meta and storage StatefulSets with headless
 * Services and PDBs, the FUSE client DaemonSet, an admin-cli Deployment, the root token, the idempotent
 * bootstrap Job and the optional smoke test and fio Jobs.
 *
 * The component only turns plans into resources: every Kubernetes object comes from the pure builders
 * in lib/k8s/threefs (`planInput` + `buildWorkloads`), every 3FS file from lib/threefs. The Kubernetes
 * provider is the caller's (`opts.provider`/`opts.providers`), inherited through `parent: this`.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { schedulingFor, type Toleration } from "../lib/roles";
import { TOKEN_SECRET_KEY, type ThreeFsService } from "../lib/threefs/constants";
import { BOOTSTRAP_DEADLINE_SECONDS, jobAwaitTimeout } from "../lib/k8s/threefs/jobs";
import { CHECK_DEADLINE_SECONDS } from "../lib/threefs/check";
import { CONFIG_COMPONENTS, buildWorkloads, tokenSecretMeta, type Workloads } from "../lib/k8s/threefs/manifests";
import { planInput, threeFsToken, validateKubernetesVersion } from "../lib/k8s/threefs/render";
import { tokenFromRandomBytesBase64 } from "../lib/threefs/token";
import { mgmtdAddress } from "../lib/k8s/threefs/services";
import type { ConfigComponent, WorkloadInput } from "../lib/k8s/threefs/types";
import { DayTwo } from "./dayTwo";
import type { ThreeFsArgs } from "./threeFsArgs";

export type { ThreeFsArgs } from "./threeFsArgs";

const SERVICES: readonly ThreeFsService[] = ["mgmtd", "meta", "storage"];

/** The resolved plan: the builders' input and every object. */
interface Plan {
  input: WorkloadInput;
  workloads: Workloads;
}

/** Resolves the Input-typed arguments and builds every object. */
function plan(args: ThreeFsArgs, namespace: string, storageClassName: string, fdbClusterFileConfigMap: string): Plan {
  const { input, rendered } = planInput({
    ...args,
    namespace,
    storage: { ...args.storage, storageClassName },
    fdbClusterFileConfigMap,
  });
  return { input, workloads: buildWorkloads(input, rendered.files) };
}

/**
 * Fails before anything is registered (rather than inside an apply during the deployment): builds the
 * plan once with the plain values, or stand-ins for values that are still Outputs.
 * @throws Error naming the offending argument
 */
function validateArgs(args: ThreeFsArgs): void {
  if (args.kubernetesVersion !== undefined) validateKubernetesVersion(args.kubernetesVersion);
  const plain = (v: pulumi.Input<string>) => (typeof v === "string" ? v : "validation");
  plan(args, plain(args.namespace), plain(args.storage.storageClassName), plain(args.fdbClusterFileConfigMap));
}

/** 3FS on Kubernetes; see the module comment. */
export class ThreeFs extends pulumi.ComponentResource {
  public readonly namespace: pulumi.Output<string>;
  /** The 3FS cluster id (also the FUSE file system name). */
  public readonly clusterId: pulumi.Output<string>;
  /** `RDMA://<prefix>-mgmtd.<namespace>.svc.cluster.local:8000`: the headless Service, every mgmtd pod. */
  public readonly mgmtdAddress: pulumi.Output<string>;
  /** FUSE mount point on client nodes (mount it as a HostToContainer hostPath). */
  public readonly mountPath: pulumi.Output<string>;
  /** Node selector that lands a workload on a client node (where the mount is). */
  public readonly clientNodeSelector: pulumi.Output<Record<string, string>>;
  /** Tolerations a workload needs on client nodes (empty in the combined layout). */
  public readonly clientTolerations: pulumi.Output<Toleration[]>;
  /** The root user's token (secret). */
  public readonly token: pulumi.Output<string>;
  /** The Secret holding the token under key `token`. */
  public readonly tokenSecretName: pulumi.Output<string>;
  /** The EED StorageClass of the storage targets. */
  public readonly storageClassName: pulumi.Output<string>;
  /** The bootstrap Job's name; it carries the bootstrap hash and changes when the plan does. */
  public readonly bootstrapJobName: pulumi.Output<string>;
  /** Each tenant's 3FS token (secret), by tenant name: a token of the tenant's uid. */
  public readonly tenantTokens: Record<string, pulumi.Output<string>>;
  /** The admin_cli.toml ConfigMap (hashed name): tools that run admin_cli (the chain-health exporter) mount it. */
  public readonly adminCliConfigMap: pulumi.Output<string>;
  /** The post-deploy check Job's name (`kubectl logs job/<name>`); a new name whenever what it checks changes. */
  public readonly checkJobName: pulumi.Output<string>;
  /** The migration Job of the current placement lock (not awaited; `kubectl logs job/<name>`). */
  public readonly migrationJobName: pulumi.Output<string>;
  /** The roll Job of the current pod templates (not awaited). */
  public readonly rollJobName: pulumi.Output<string>;

  constructor(name: string, args: ThreeFsArgs, opts?: pulumi.ComponentResourceOptions) {
    validateArgs(args);
    super("threefs:index:ThreeFs", name, {}, opts);
    const parent = { parent: this };
    const planned = pulumi
      .all([args.namespace, args.storage.storageClassName, args.fdbClusterFileConfigMap])
      .apply(([ns, sc, fdb]) => plan(args, ns, sc, fdb));
    const w = <T>(f: (w: Workloads) => T): pulumi.Output<T> => planned.apply((p) => f(p.workloads));

    // 8 random bytes, stable across runs and encrypted in state; the token is derived from them.
    const tokenBytes = new random.RandomBytes(`${name}-token`, { length: 8 }, { ...parent, protect: args.protect });
    this.token = pulumi.secret(tokenBytes.base64.apply(threeFsToken));
    const tokenSecret = new k8s.core.v1.Secret(
      `${name}-token`,
      { metadata: planned.apply((p) => tokenSecretMeta(p.input)), type: "Opaque", stringData: { [TOKEN_SECRET_KEY]: this.token } },
      // The provider's Secret already marks data/stringData as secret outputs; the input is a secret too.
      parent,
    );
    // Tenants' tokens: 8 random bytes each, like the root token, encoded for the tenant's uid (3FS refuses a
    // token of another uid, UserStore.cc:26-33); the bootstrap reads them from one Secret, a file per tenant.
    this.tenantTokens = {};
    for (const t of args.tenants ?? []) {
      const bytes = new random.RandomBytes(`${name}-tenant-${t.name}-token`, { length: 8 }, { ...parent, protect: args.protect });
      this.tenantTokens[t.name] = pulumi.secret(bytes.base64.apply((b) => tokenFromRandomBytesBase64(b, t.uid)));
    }
    const tenantTokensSecret =
      (args.tenants ?? []).length === 0
        ? undefined
        : new k8s.core.v1.Secret(
            `${name}-tenant-tokens`,
            { metadata: planned.apply((p) => ({ ...tokenSecretMeta(p.input), name: p.input.tenantTokensSecretName! })), type: "Opaque", stringData: this.tenantTokens },
            parent,
          );
    // One ConfigMap per component, named by the hash of its own files: a change replaces only that
    // ConfigMap and rolls only the pods that mount it (storage and FUSE are OnDelete: see docs/threefs.md).
    // retainOnDelete: a replaced version stays in the cluster. Storage and FUSE pods (OnDelete) keep
    // mounting the version they started with until an operator restarts them, and after a node reboot the
    // kubelet must mount it again: deleting it would leave those pods unable to start
    // (CreateContainerConfigError) while the new config is not yet meant to reach them. Unreferenced
    // versions are pruned by hand (docs/threefs.md, "Configuration changes").
    const configMaps = {} as Record<ConfigComponent, k8s.core.v1.ConfigMap>;
    for (const c of CONFIG_COMPONENTS) {
      configMaps[c] = new k8s.core.v1.ConfigMap(
        `${name}-${c}-config`,
        { metadata: w((x) => x.configMaps[c].metadata), data: w((x) => x.configMaps[c].data) },
        { ...parent, retainOnDelete: true },
      );
    }
    const bootstrapCm = new k8s.core.v1.ConfigMap(
      `${name}-bootstrap`,
      { metadata: w((x) => x.bootstrapConfigMap.metadata), data: w((x) => x.bootstrapConfigMap.data) },
      parent,
    );

    const sets = {} as Record<ThreeFsService, k8s.apps.v1.StatefulSet>;
    const zoneSets: k8s.apps.v1.StatefulSet[] = [];
    for (const s of SERVICES) {
      const svc = new k8s.core.v1.Service(`${name}-${s}`, { metadata: w((x) => x.services[s].metadata), spec: w((x) => x.services[s].spec) }, parent);
      sets[s] = new k8s.apps.v1.StatefulSet(
        `${name}-${s}`,
        { metadata: w((x) => x.statefulSets[s].metadata), spec: w((x) => x.statefulSets[s].spec) },
        {
          ...parent,
          dependsOn: [svc, configMaps[s], tokenSecret],
          protect: args.protect && s === "storage",
          // The first start waits for EED provisioning, FDB and mgmtd; Pulumi's 10-minute default is tight.
          customTimeouts: { create: "30m", update: "30m" },
        },
      );
      if (s === "storage") {
        // Zone spread: zones 1… have their own StatefulSets (zone 0 keeps `${name}-storage`), each a resource
        // of its own, named by zone index so a zone's set never changes identity.
        const zones = (args.storage.sets ?? []).length;
        for (let i = 1; i < zones; i++) {
          zoneSets.push(new k8s.apps.v1.StatefulSet(
            `${name}-storage-z${args.storage.sets![i].zoneIndex}`,
            { metadata: w((x) => x.storageZoneSets[i - 1].metadata), spec: w((x) => x.storageZoneSets[i - 1].spec) },
            { ...parent, dependsOn: [svc, configMaps.storage, tokenSecret], protect: args.protect, customTimeouts: { create: "30m", update: "30m" } },
          ));
        }
      }
      new k8s.policy.v1.PodDisruptionBudget(
        `${name}-${s}`,
        { metadata: w((x) => x.disruptionBudgets[s].metadata), spec: w((x) => x.disruptionBudgets[s].spec) },
        { ...parent, dependsOn: [sets[s], ...(s === "storage" ? zoneSets : [])] },
      );
    }

    new k8s.apps.v1.Deployment(
      `${name}-admin-cli`,
      { metadata: w((x) => x.adminCli.metadata), spec: w((x) => x.adminCli.spec) },
      { ...parent, dependsOn: [configMaps["admin-cli"], tokenSecret] },
    );
    // Created once mgmtd and storage are ready (Pulumi awaits StatefulSet readiness); the script itself
    // waits for FDB, meta and every storage node, and Pulumi waits for the Job to complete — a little
    // longer than its activeDeadlineSeconds, so that the Job's own failure is what gets reported.
    const bootstrapTimeout = jobAwaitTimeout(BOOTSTRAP_DEADLINE_SECONDS);
    const bootstrap = new k8s.batch.v1.Job(
      `${name}-bootstrap`,
      { metadata: w((x) => x.bootstrapJob.metadata), spec: w((x) => x.bootstrapJob.spec) },
      {
        ...parent,
        dependsOn: [sets.mgmtd, sets.storage, ...zoneSets, tokenSecret, configMaps["admin-cli"], bootstrapCm, ...(tenantTokensSecret ? [tenantTokensSecret] : [])],
        customTimeouts: { create: bootstrapTimeout, update: bootstrapTimeout },
      },
    );
    // FUSE authenticates as the root user the bootstrap creates: mounting earlier only crash-loops.
    // Not awaited (skipAwait: its OnDelete rollouts only finish when an operator deletes the pods); the
    // post-deploy check waits for a Ready FUSE pod on every client node itself.
    const fuse = new k8s.apps.v1.DaemonSet(
      `${name}-fuse`,
      { metadata: w((x) => x.fuse.metadata), spec: w((x) => x.fuse.spec) },
      { ...parent, dependsOn: [bootstrap, configMaps.fuse, tokenSecret] },
    );
    // The post-deploy check: read-only RBAC, its ConfigMap, the Job `pulumi up` awaits (it fails the update
    // naming what is wrong), and a suspended CronJob with the same pod for runs on demand.
    const checkSa = new k8s.core.v1.ServiceAccount(`${name}-check`, { metadata: w((x) => x.check.serviceAccount.metadata), automountServiceAccountToken: false }, parent);
    const checkRole = new k8s.rbac.v1.Role(`${name}-check`, { metadata: w((x) => x.check.role.metadata), rules: w((x) => x.check.role.rules) }, parent);
    const checkBinding = new k8s.rbac.v1.RoleBinding(
      `${name}-check`,
      { metadata: w((x) => x.check.roleBinding.metadata), roleRef: w((x) => x.check.roleBinding.roleRef), subjects: w((x) => x.check.roleBinding.subjects) },
      { ...parent, dependsOn: [checkSa, checkRole] },
    );
    const nodesRole = new k8s.rbac.v1.ClusterRole(`${name}-check-nodes`, { metadata: w((x) => x.check.clusterRole.metadata), rules: w((x) => x.check.clusterRole.rules) }, parent);
    const nodesBinding = new k8s.rbac.v1.ClusterRoleBinding(
      `${name}-check-nodes`,
      { metadata: w((x) => x.check.clusterRoleBinding.metadata), roleRef: w((x) => x.check.clusterRoleBinding.roleRef), subjects: w((x) => x.check.clusterRoleBinding.subjects) },
      { ...parent, dependsOn: [checkSa, nodesRole] },
    );
    const checkCm = new k8s.core.v1.ConfigMap(`${name}-check`, { metadata: w((x) => x.check.configMap.metadata), data: w((x) => x.check.configMap.data) }, parent);
    const checkDeps = [bootstrap, fuse, checkCm, checkBinding, nodesBinding, configMaps["admin-cli"], tokenSecret];
    const checkTimeout = jobAwaitTimeout(CHECK_DEADLINE_SECONDS);
    const check = new k8s.batch.v1.Job(
      `${name}-check`,
      { metadata: w((x) => x.check.job.metadata), spec: w((x) => x.check.job.spec) },
      { ...parent, dependsOn: checkDeps, customTimeouts: { create: checkTimeout, update: checkTimeout } },
    );
    new k8s.batch.v1.CronJob(`${name}-check-on-demand`, { metadata: w((x) => x.check.cronJob.metadata), spec: w((x) => x.check.cronJob.spec) }, { ...parent, dependsOn: checkDeps });
    // Day-2 operations: after the check has seen the cluster (migration, roll, replacement), and the
    // storage readiness gate (not after anything: storage pods need it to be Ready).
    const ops = new DayTwo(
      `${name}-ops`,
      { objects: w((x) => x.dayTwo), replace: (args.operations?.replace ?? []).length > 0, after: [bootstrap, check], adminCliConfig: configMaps["admin-cli"] },
      parent,
    );
    if (args.smokeTest.fio) {
      new k8s.batch.v1.Job(`${name}-fio`, { metadata: w((x) => x.fioJob!.metadata), spec: w((x) => x.fioJob!.spec) }, { ...parent, dependsOn: [check] });
    }

    const client = schedulingFor("client", args.layout);
    this.namespace = pulumi.output(args.namespace);
    this.clusterId = pulumi.output(args.clusterId);
    this.mgmtdAddress = this.namespace.apply((ns) => mgmtdAddress(args.prefix, ns));
    this.mountPath = pulumi.output(args.fuse.mountPath);
    this.clientNodeSelector = pulumi.output(client.nodeSelector);
    this.clientTolerations = pulumi.output(client.tolerations);
    this.tokenSecretName = tokenSecret.metadata.name;
    this.storageClassName = pulumi.output(args.storage.storageClassName);
    this.bootstrapJobName = bootstrap.metadata.name;
    this.adminCliConfigMap = configMaps["admin-cli"].metadata.name;
    this.checkJobName = check.metadata.name;
    this.migrationJobName = ops.migrationJobName;
    this.rollJobName = ops.rollJobName;
    this.registerOutputs({
      adminCliConfigMap: this.adminCliConfigMap,
      namespace: this.namespace,
      clusterId: this.clusterId,
      mgmtdAddress: this.mgmtdAddress,
      mountPath: this.mountPath,
      clientNodeSelector: this.clientNodeSelector,
      clientTolerations: this.clientTolerations,
      token: this.token,
      tokenSecretName: this.tokenSecretName,
      storageClassName: this.storageClassName,
      bootstrapJobName: this.bootstrapJobName,
      checkJobName: this.checkJobName,
      migrationJobName: this.migrationJobName,
      rollJobName: this.rollJobName,
    });
  }
}
