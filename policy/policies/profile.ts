/**
 * Profile-labelling policies. The prod-only and non-dev rules of the pack learn the environment
 * from the `threefs:profile` tag (alicloud) / `threefs.io/profile` label (Kubernetes), so these
 * policies keep that signal present and honest.
 */
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import {
  APP_NAME,
  APP_NAME_LABEL,
  PROFILE_LABEL,
  PROFILE_TAG,
  PROFILES,
  type Profile,
  TYPES,
  labelsOf,
  profileFromStackName,
  rec,
  stackOfUrn,
  toProfile,
} from "./common";

/** alicloud resource types of the program that accept tags and must carry the profile tag. */
export const TAGGED_ALICLOUD_TYPES: readonly string[] = [
  TYPES.securityGroup,
  TYPES.managedKubernetes,
  TYPES.nodePool,
  TYPES.vpc,
  TYPES.vswitch,
];

/** Kubernetes types whose profile label the prod rules read, whoever renders them. */
const PROFILE_READ_K8S_TYPES: readonly string[] = [TYPES.storageClass, TYPES.fdbCluster];

/** Where a resource declares its profile: the field path and raw value, or undefined if it can't. */
function declaredProfile(args: ResourceValidationArgs): { field: string; raw: unknown } | undefined {
  if (TAGGED_ALICLOUD_TYPES.includes(args.type)) {
    return { field: `tags['${PROFILE_TAG}']`, raw: rec(args.props.tags)[PROFILE_TAG] };
  }
  if (!args.type.startsWith("kubernetes:") || args.props.metadata === undefined) return undefined;
  const labels = labelsOf(args.props);
  const raw = labels[PROFILE_LABEL];
  // A label that is present is always checked. A missing one only counts on the program's own objects
  // (app.kubernetes.io/name: 3fs) and on the types the prod rules read: third-party manifests
  // (operators, device plugins) are not expected to carry it.
  const ours = labels[APP_NAME_LABEL] === APP_NAME || PROFILE_READ_K8S_TYPES.includes(args.type);
  return raw !== undefined || ours ? { field: `metadata.labels['${PROFILE_LABEL}']`, raw } : undefined;
}

/**
 * `threefs-profile-labelled` (advisory) — taggable alicloud resources carry the tag
 * `threefs:profile`, and the program's Kubernetes objects (label `app.kubernetes.io/name: 3fs`,
 * plus every StorageClass and FoundationDBCluster) the label `threefs.io/profile`, with
 * a value in dev | staging | prod.
 *
 * Why: without it the prod-protection rules fall back to the stack name and, failing that, do not
 * apply; the label also makes cost reports and `kubectl get -l` filtering per environment work.
 */
export function profileLabelled(): ResourceValidationPolicy {
  return {
    name: "threefs-profile-labelled",
    description: `Resources should carry the ${PROFILE_TAG} tag / ${PROFILE_LABEL} label (dev|staging|prod).`,
    enforcementLevel: "advisory",
    severity: "low",
    validateResource: (args, reportViolation) => {
      const declared = declaredProfile(args);
      if (declared === undefined) return args.notApplicable("resource type carries no profile tag/label");
      if (declared.raw === undefined) {
        reportViolation(`${args.type} '${args.name}': ${declared.field} is missing; set it to one of ${PROFILES.join("|")}.`);
      } else if (!(PROFILES as readonly unknown[]).includes(declared.raw)) {
        reportViolation(
          `${args.type} '${args.name}': ${declared.field} is ${JSON.stringify(declared.raw)}; expected one of ${PROFILES.join("|")}.`,
        );
      }
    },
  };
}

/**
 * `threefs-profile-consistent` — when the stack name denotes a profile (dev / staging / prod, or
 * a name with one such token), a resource's profile tag/label must not claim a weaker one
 * (dev < staging < prod) or an unrecognised value. A stricter label is allowed.
 *
 * Why: the tag/label takes precedence over the stack name, so a resource labelled `dev` inside
 * the prod stack would silently escape every prod-protection rule.
 */
export function profileConsistent(): ResourceValidationPolicy {
  return {
    name: "threefs-profile-consistent",
    description: "A resource's profile tag/label must not be weaker than the profile named by the stack.",
    enforcementLevel: "mandatory",
    severity: "high",
    validateResource: (args, reportViolation) => {
      const declared = declaredProfile(args);
      const stackProfile: Profile | undefined = profileFromStackName(stackOfUrn(args.urn));
      if (declared === undefined || declared.raw === undefined || stackProfile === undefined) {
        return args.notApplicable("no declared profile or the stack name does not denote one");
      }
      const labelled = toProfile(declared.raw);
      // Only a *weaker* label is dangerous (it switches rules off); a stricter one merely adds checks.
      if (labelled === undefined || PROFILES.indexOf(labelled) < PROFILES.indexOf(stackProfile)) {
        reportViolation(
          `${args.type} '${args.name}': ${declared.field} is ${JSON.stringify(declared.raw)} but stack ` +
            `'${stackOfUrn(args.urn)}' is ${stackProfile}; a weaker profile label would switch ${stackProfile} rules off.`,
        );
      }
    },
  };
}

/** All profile-labelling policies, in pack order. */
export const profilePolicies: ResourceValidationPolicy[] = [profileLabelled(), profileConsistent()];
