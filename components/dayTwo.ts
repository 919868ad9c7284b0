/**
 * The day-2 operations of a 3FS deployment as resources (docs/operations.md): the migration Job, the roll
 * Job with its ServiceAccount, the replacement Job while `threefs:storage.replace` lists nodes, and the
 * target-health Deployment that sets the storage pods' readiness gate. The objects come whole from
 * lib/k8s/threefs/dayTwo.ts; this component only registers them. The Jobs are not awaited (pulumi.com/
 * skipAwait): they resync whole targets; `kubectl logs job/<name>` and the post-deploy check report them.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Access, DayTwoObjects } from "../lib/k8s/threefs/dayTwo";

export interface DayTwoArgs {
  /** The day-2 objects (ThreeFs's plan). */
  objects: pulumi.Output<DayTwoObjects>;
  /** Whether the replacement Job exists (threefs:storage.replace is not empty): resources are fixed at plan time. */
  replace: boolean;
  /** What every Job waits for: the bootstrap and the post-deploy check (so the check sees the cluster first). */
  after: pulumi.Input<pulumi.Resource>[];
  /** What the target-health Deployment needs: the admin-cli ConfigMap. */
  adminCliConfig: pulumi.Input<pulumi.Resource>;
}

export class DayTwo extends pulumi.ComponentResource {
  /** The migration Job's name (`kubectl logs job/<name>`). */
  public readonly migrationJobName: pulumi.Output<string>;
  public readonly rollJobName: pulumi.Output<string>;
  /** The replacement Job's name, or null without one. */
  public readonly replaceJobName: pulumi.Output<string | null>;

  constructor(name: string, args: DayTwoArgs, opts?: pulumi.ComponentResourceOptions) {
    super("threefs:index:DayTwo", name, {}, opts);
    const parent = { parent: this };
    const o = args.objects;
    const rbac = (role: string, a: (x: DayTwoObjects) => Access) => {
      const sa = new k8s.core.v1.ServiceAccount(`${name}-${role}`, { metadata: o.apply((x) => a(x).serviceAccount.metadata), automountServiceAccountToken: false }, parent);
      const r = new k8s.rbac.v1.Role(`${name}-${role}`, { metadata: o.apply((x) => a(x).role.metadata), rules: o.apply((x) => a(x).role.rules) }, parent);
      return new k8s.rbac.v1.RoleBinding(
        `${name}-${role}`,
        { metadata: o.apply((x) => a(x).roleBinding.metadata), roleRef: o.apply((x) => a(x).roleBinding.roleRef), subjects: o.apply((x) => a(x).roleBinding.subjects) },
        { ...parent, dependsOn: [sa, r] },
      );
    };
    const cm = (role: string, c: (x: DayTwoObjects) => { metadata: object; data: Record<string, string> }) =>
      new k8s.core.v1.ConfigMap(`${name}-${role}`, { metadata: o.apply((x) => c(x).metadata), data: o.apply((x) => c(x).data) }, parent);

    const migrateCm = cm("migrate", (x) => x.migrate.configMap);
    const migrate = new k8s.batch.v1.Job(`${name}-migrate`, { metadata: o.apply((x) => x.migrate.job.metadata), spec: o.apply((x) => x.migrate.job.spec) }, { ...parent, dependsOn: [...args.after, migrateCm] });

    const rollBinding = rbac("roll", (x) => x.roll);
    const rollCm = cm("roll", (x) => x.roll.configMap);
    const roll = new k8s.batch.v1.Job(`${name}-roll`, { metadata: o.apply((x) => x.roll.job.metadata), spec: o.apply((x) => x.roll.job.spec) }, { ...parent, dependsOn: [...args.after, rollCm, rollBinding] });

    let replaceName: pulumi.Output<string | null> = pulumi.output(null);
    if (args.replace) {
      const binding = rbac("replace", (x) => x.replace!);
      const replaceCm = cm("replace", (x) => x.replace!.configMap);
      const job = new k8s.batch.v1.Job(`${name}-replace`, { metadata: o.apply((x) => x.replace!.job.metadata), spec: o.apply((x) => x.replace!.job.spec) }, { ...parent, dependsOn: [...args.after, replaceCm, binding] });
      replaceName = job.metadata.name;
    }

    // The gate must run before the storage pods can be Ready (they list it in readinessGates): no dependency
    // on the bootstrap; it needs only mgmtd, which it waits for by retrying.
    const healthBinding = rbac("target-health", (x) => x.targetHealth);
    const healthCm = cm("target-health", (x) => x.targetHealth.configMap);
    new k8s.apps.v1.Deployment(
      `${name}-target-health`,
      { metadata: o.apply((x) => x.targetHealth.deployment.metadata), spec: o.apply((x) => x.targetHealth.deployment.spec) },
      { ...parent, dependsOn: [healthCm, healthBinding, args.adminCliConfig] },
    );

    this.migrationJobName = migrate.metadata.name;
    this.rollJobName = roll.metadata.name;
    this.replaceJobName = replaceName;
    this.registerOutputs({ migrationJobName: this.migrationJobName, rollJobName: this.rollJobName, replaceJobName: this.replaceJobName });
  }
}
