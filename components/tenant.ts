/**
 * Tenant: one team's least-privilege access to 3FS on the cluster — its namespace, a deployer
 * ServiceAccount bound to a namespace-scoped Role, the kubeconfig of that ServiceAccount, an admission
 * policy that keeps the namespace's pods unprivileged and running as the tenant's uid/gid, and the tenant's
 * own 3FS token as a Secret in its namespace. The 3FS side (the non-root user and the directory) is made by
 * the bootstrap Job of the ThreeFs component. Planning lives in lib/tenants.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { TENANT_ROLE_RULES, tenantAdmission, tenantKubeconfig } from "../lib/tenants/access";
import { tenantObjectNames, type Tenant } from "../lib/tenants/spec";
import { TOKEN_SECRET_KEY } from "../lib/threefs/constants";

/** Label on every object of a tenant: its name. */
export const TENANT_LABEL = "threefs.io/tenant";

/** Arguments of {@link ThreeFsTenant}. */
export interface TenantArgs {
  /** The tenant, resolved (lib/tenants/spec.ts resolveTenant). */
  tenant: Tenant;
  /** Stack-scoped prefix (`threefs-<stack>`): names the cluster-scoped admission policy. */
  prefix: string;
  /** The tenant's 3FS token (secret), from the ThreeFs component (`tenantTokens`). */
  threeFsToken: pulumi.Input<string>;
  /** Host paths the tenant's pods may mount: the FUSE mount path and the USRBIO shm directory. */
  hostPaths: string[];
  /** The cluster-admin kubeconfig: only its cluster entry (server, CA) goes into the tenant's kubeconfig. */
  adminKubeconfig: pulumi.Input<string>;
  /** Extra labels on every object. */
  labels: Record<string, string>;
}

/** A tenant's Kubernetes side; see the module comment. */
export class ThreeFsTenant extends pulumi.ComponentResource {
  /** The tenant's namespace. */
  public readonly namespace: pulumi.Output<string>;
  /** A kubeconfig as the tenant's deployer ServiceAccount, namespace-scoped (secret). */
  public readonly kubeconfig: pulumi.Output<string>;
  /** The Secret in the tenant's namespace holding its 3FS token under key `token`. */
  public readonly tokenSecretName: pulumi.Output<string>;

  constructor(name: string, args: TenantArgs, opts?: pulumi.ComponentResourceOptions) {
    super("threefs:index:Tenant", name, {}, opts);
    const parent = { parent: this };
    const t = args.tenant;
    const names = tenantObjectNames(args.prefix, t);
    const labels = { ...args.labels, [TENANT_LABEL]: t.name };
    // The admission policy goes first: no pod may start in the namespace before it is enforced.
    const { policy, binding } = tenantAdmission(names.admissionPolicy, t, args.hostPaths, labels);
    const vap = new k8s.admissionregistration.v1.ValidatingAdmissionPolicy(`${name}-policy`, { metadata: policy.metadata, spec: policy.spec }, parent);
    const vapBinding = new k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(`${name}-policy`, { metadata: binding.metadata, spec: binding.spec }, { ...parent, dependsOn: [vap] });
    const ns = new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: t.namespace, labels } }, { ...parent, dependsOn: [vapBinding] });
    const meta = (n: string) => ({ name: n, namespace: ns.metadata.name, labels });
    const sa = new k8s.core.v1.ServiceAccount(`${name}-deployer`, { metadata: meta(names.serviceAccount), automountServiceAccountToken: false }, parent);
    const role = new k8s.rbac.v1.Role(`${name}-workloads`, { metadata: meta(names.role), rules: TENANT_ROLE_RULES.map((r) => ({ ...r })) }, parent);
    new k8s.rbac.v1.RoleBinding(
      `${name}-workloads`,
      {
        metadata: meta(names.roleBinding),
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
        subjects: [{ kind: "ServiceAccount", name: sa.metadata.name, namespace: ns.metadata.name }],
      },
      parent,
    );
    // A long-lived token for the kubeconfig: the token controller fills `data` (token, ca.crt, namespace) and
    // the provider waits for it (pulumi-kubernetes provider/pkg/await/awaiters.go, untilCoreV1SecretInitialized).
    // https://kubernetes.io/docs/concepts/configuration/secret/#serviceaccount-token-secrets
    const saToken = new k8s.core.v1.Secret(
      `${name}-deployer-token`,
      { metadata: { ...meta(names.serviceAccountToken), annotations: { "kubernetes.io/service-account.name": names.serviceAccount } }, type: "kubernetes.io/service-account-token" },
      { ...parent, dependsOn: [sa] },
    );
    const tokenSecret = new k8s.core.v1.Secret(`${name}-3fs-token`, { metadata: meta(names.threeFsToken), type: "Opaque", stringData: { [TOKEN_SECRET_KEY]: args.threeFsToken } }, parent);

    this.namespace = ns.metadata.name;
    this.kubeconfig = pulumi.secret(
      pulumi.all([args.adminKubeconfig, saToken.data]).apply(([admin, data]) => tenantKubeconfig(admin, t, Buffer.from(data?.token ?? "", "base64").toString("utf8"))),
    );
    this.tokenSecretName = tokenSecret.metadata.name;
    this.registerOutputs({ namespace: this.namespace, kubeconfig: this.kubeconfig, tokenSecretName: this.tokenSecretName });
  }
}
