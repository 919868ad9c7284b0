/**
 * Shared vocabulary of the threefs policy pack: resource type tokens, label/tag keys, profile
 * detection and small helpers for reading untyped resource properties.
 *
 * Every module under `policies/` imports `@pulumi/policy` with `import type` only, so the policies
 * can be loaded by jest (or any script) without starting the policy-pack gRPC server. Only
 * `policy/index.ts` constructs the `PolicyPack`.
 *
 * The pack is its own npm package and does not import the program's `lib/` code; the label keys
 * below duplicate `lib/threefs/constants.ts`, and a test asserts that both stay equal.
 */
import type {
  PolicyConfigSchema,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";

// Re-exported so that tests and the harness resolve the types through the same module path as the
// policies (important when `policy/node_modules` holds a second copy of @pulumi/policy).
export type {
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
};

/** Any policy of the pack. */
export type ThreefsPolicy = ResourceValidationPolicy | StackValidationPolicy;

/** Pulumi type tokens of the resources the policies inspect (checked against the SDKs in tests). */
export const TYPES = {
  securityGroup: "alicloud:ecs/securityGroup:SecurityGroup",
  securityGroupRule: "alicloud:ecs/securityGroupRule:SecurityGroupRule",
  managedKubernetes: "alicloud:cs/managedKubernetes:ManagedKubernetes",
  slbAcl: "alicloud:slb/acl:Acl",
  slbAclEntry: "alicloud:slb/aclEntryAttachment:AclEntryAttachment",
  /** The program's dynamic resource enforcing an ACL on the API server listener (components/apiServerAcl.ts). */
  apiServerAcl: "pulumi-nodejs:dynamic:ApiServerAcl",
  nodePool: "alicloud:cs/nodePool:NodePool",
  vpc: "alicloud:vpc/network:Network",
  vswitch: "alicloud:vpc/switch:Switch",
  pod: "kubernetes:core/v1:Pod",
  configMap: "kubernetes:core/v1:ConfigMap",
  pvc: "kubernetes:core/v1:PersistentVolumeClaim",
  deployment: "kubernetes:apps/v1:Deployment",
  statefulSet: "kubernetes:apps/v1:StatefulSet",
  daemonSet: "kubernetes:apps/v1:DaemonSet",
  replicaSet: "kubernetes:apps/v1:ReplicaSet",
  job: "kubernetes:batch/v1:Job",
  cronJob: "kubernetes:batch/v1:CronJob",
  storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
  fdbCluster: "kubernetes:apps.foundationdb.org/v1beta2:FoundationDBCluster",
} as const;

/** Alibaba Cloud tag carrying the environment profile (every alicloud resource of the program). */
export const PROFILE_TAG = "threefs:profile";
/** Kubernetes label carrying the environment profile (every Kubernetes object of the program). */
export const PROFILE_LABEL = "threefs.io/profile";
export const APP_NAME_LABEL = "app.kubernetes.io/name";
export const APP_NAME = "3fs";
export const COMPONENT_LABEL = "app.kubernetes.io/component";

/** The environment profiles of the program, from least to most protected. */
export const PROFILES = ["dev", "staging", "prod"] as const;
export type Profile = (typeof PROFILES)[number];

/** One property of a policy's config schema (JSON schema). */
export type ConfigProperty = PolicyConfigSchema["properties"][string];

/** JSON-schema fragment for the per-policy `profile` override (see {@link resolveProfile}). */
export const PROFILE_CONFIG_SCHEMA: ConfigProperty = {
  type: "string",
  enum: [...PROFILES],
  description:
    "Overrides the profile otherwise read from the threefs:profile tag / threefs.io/profile label or the stack name.",
};

/** Config shared by every profile-aware policy. */
export interface ProfileConfig {
  profile?: Profile;
}

/** A plain-object view of an unknown value (`{}` for anything that is not a non-array object). */
export function rec(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** An array view of an unknown value (`[]` for anything that is not an array). */
export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A string view of an unknown value (`undefined` for anything that is not a string). */
export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** `metadata.labels` of a Kubernetes object's properties. */
export function labelsOf(props: Record<string, unknown>): Record<string, unknown> {
  return rec(rec(props.metadata).labels);
}

/** `metadata.name` of a Kubernetes object, falling back to the Pulumi resource name. */
export function k8sName(props: Record<string, unknown>, fallback: string): string {
  return str(rec(props.metadata).name) ?? fallback;
}

/** True when the Kubernetes object carries `app.kubernetes.io/name: 3fs` and the given component. */
export function isThreefsComponent(props: Record<string, unknown>, component: string): boolean {
  const labels = labelsOf(props);
  return labels[APP_NAME_LABEL] === APP_NAME && labels[COMPONENT_LABEL] === component;
}

/** Maps a raw profile string (tag, label, stack name) to a profile; tolerant of common spellings. */
export function toProfile(raw: unknown): Profile | undefined {
  if (typeof raw !== "string") return undefined;
  const value = raw.trim().toLowerCase();
  if ((PROFILES as readonly string[]).includes(value)) return value as Profile;
  if (value === "production" || value === "prd") return "prod";
  if (value === "stage" || value === "stg") return "staging";
  if (value === "development") return "dev";
  return undefined;
}

/**
 * The profile a stack name stands for: the name itself ("prod"), or one dash/underscore/dot
 * separated token of it ("threefs-prod-cn" → prod). Ambiguous names (two different profiles) give
 * `undefined`.
 */
export function profileFromStackName(stack: string | undefined): Profile | undefined {
  if (stack === undefined) return undefined;
  const whole = toProfile(stack);
  if (whole) return whole;
  const found = new Set(stack.split(/[-_.]/).map(toProfile).filter((p): p is Profile => p !== undefined));
  return found.size === 1 ? [...found][0] : undefined;
}

/**
 * The stack name inside a URN: `urn:pulumi:<stack>::<project>::<type>::<name>`.
 * Used as the last-resort profile source, because the stack names of this program are the profiles.
 */
export function stackOfUrn(urn: string): string | undefined {
  const match = /^urn:pulumi:([^:]+)::/.exec(urn);
  return match ? match[1] : undefined;
}

/**
 * Determines the environment profile a resource belongs to.
 *
 * Order of precedence (first hit wins):
 *   1. the policy's `profile` config (explicit override, e.g. from `--policy-pack-config`);
 *   2. the alicloud tag `threefs:profile` (props.tags) or the Kubernetes label `threefs.io/profile`;
 *   3. the stack name in the resource URN (stacks are named dev / staging / prod; see
 *      {@link profileFromStackName}).
 * Returns `undefined` when nothing matches; each policy documents how it treats that case.
 */
export function resolveProfile(
  resource: { props: Record<string, unknown>; urn: string },
  config: ProfileConfig,
): Profile | undefined {
  return (
    toProfile(config.profile) ??
    toProfile(rec(resource.props.tags)[PROFILE_TAG]) ??
    toProfile(labelsOf(resource.props)[PROFILE_LABEL]) ??
    profileFromStackName(stackOfUrn(resource.urn))
  );
}

/**
 * Reads a policy's config and fills in the defaults declared in its schema. The Pulumi engine
 * usually applies schema defaults itself, but doing it here too keeps behaviour identical when the
 * validation functions are called directly (tests, plan tooling).
 */
export function configWithDefaults<T extends object>(args: { getConfig<C extends object>(): C }, defaults: T): T {
  return { ...defaults, ...args.getConfig<Partial<T>>() };
}

/** Why a profile could not be determined (used in notApplicable reasons and messages). */
export const UNKNOWN_PROFILE_REASON =
  `profile unknown: no '${PROFILE_TAG}' tag / '${PROFILE_LABEL}' label, no 'profile' policy config, ` +
  "and the stack name is not dev/staging/prod";

/**
 * Ends a resource validation as not applicable unless the resource belongs to the prod profile.
 * An unknown profile is treated as "not prod" (reported as not applicable with the reason); the
 * advisory `threefs-profile-labelled` policy flags resources without a profile label.
 */
export function requireProd(args: ResourceValidationArgs, config: ProfileConfig): void {
  const profile = resolveProfile(args, config);
  if (profile === undefined) return args.notApplicable(UNKNOWN_PROFILE_REASON);
  if (profile !== "prod") return args.notApplicable(`profile is '${profile}'; the rule applies to prod only`);
}
