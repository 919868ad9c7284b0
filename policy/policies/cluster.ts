/**
 * Production-protection policies: in the prod profile, nothing that holds state may be deleted by
 * a careless `pulumi destroy`/replace — the ACK cluster, the FoundationDB cluster (3FS metadata)
 * and the storage volumes (3FS chunk data).
 *
 * About `retainOnDelete`: policies only see the resource options the analyzer protocol carries —
 * @pulumi/policy 1.21 `PolicyResourceOptions` has protect, ignoreChanges, deleteBeforeReplace,
 * aliases, customTimeouts, additionalSecretOutputs and parent. `retainOnDelete` is not among them
 * (nor in the AnalyzerResourceOptions message of @pulumi/pulumi 3.248), so these policies require
 * `protect: true`; a resource that is only `retainOnDelete` fails them.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import {
  PROFILE_CONFIG_SCHEMA,
  type ProfileConfig,
  TYPES,
  configWithDefaults,
  k8sName,
  rec,
  requireProd,
  str,
} from "./common";

/**
 * `threefs-prod-ack-deletion-protection` — in prod, the ACK managed cluster must set
 * `deletionProtection: true`.
 *
 * Why: deleting the cluster deletes every node pool and with them the elastic ephemeral disks that
 * hold the 3FS chunks; ACK's own deletion protection also guards against console/API deletes that
 * Pulumi's `protect` cannot see.
 */
export function prodAckDeletionProtection(): ResourceValidationPolicy {
  return {
    name: "threefs-prod-ack-deletion-protection",
    description: "In prod, the ACK cluster must have deletionProtection enabled.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: { properties: { profile: PROFILE_CONFIG_SCHEMA } },
    remediationSteps: "Set `deletionProtection: true` on the cs.ManagedKubernetes resource for prod.",
    validateResource: (args, reportViolation) => {
      if (args.type !== TYPES.managedKubernetes) return args.notApplicable(`only applies to ${TYPES.managedKubernetes}`);
      requireProd(args, configWithDefaults<ProfileConfig>(args, {}));
      if (args.props.deletionProtection !== true) {
        reportViolation(
          `ACK cluster '${args.name}': deletionProtection is ${JSON.stringify(args.props.deletionProtection ?? null)}; ` +
            "prod clusters must set deletionProtection: true.",
        );
      }
    },
  };
}

/**
 * `threefs-prod-fdb-protected` — in prod, the FoundationDBCluster custom resource must be created
 * with the Pulumi resource option `protect: true`.
 *
 * Why: FoundationDB holds the 3FS metadata (inodes, chain table); losing it makes every chunk on
 * the storage nodes unreachable. `protect` makes Pulumi refuse to delete or replace it.
 */
export function prodFdbProtected(): ResourceValidationPolicy {
  return {
    name: "threefs-prod-fdb-protected",
    description: "In prod, the FoundationDBCluster resource must have the protect resource option.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: { properties: { profile: PROFILE_CONFIG_SCHEMA } },
    remediationSteps: "Pass `{ protect: true }` in the resource options of the FoundationDBCluster in prod.",
    validateResource: (args, reportViolation) => {
      if (args.type !== TYPES.fdbCluster) return args.notApplicable(`only applies to ${TYPES.fdbCluster}`);
      requireProd(args, configWithDefaults<ProfileConfig>(args, {}));
      if (args.opts?.protect !== true) {
        reportViolation(
          `FoundationDBCluster '${k8sName(args.props, args.name)}': resource option protect is not set; ` +
            "prod metadata clusters must be created with { protect: true } (retainOnDelete is not visible to policies).",
        );
      }
    },
  };
}

/** Config of {@link prodStorageRetain}. */
export interface StorageRetainConfig extends ProfileConfig {
  /** StorageClass names (metadata.name) exempt from the rule, e.g. a scratch class. */
  exempt: string[];
}

/**
 * `threefs-prod-storage-retain` — in prod, every StorageClass of the stack (the EED class for 3FS
 * targets in particular) must set `reclaimPolicy: Retain`; an omitted reclaimPolicy means Delete.
 *
 * Why: with Delete, removing a PVC (a scale-down, a StatefulSet recreated with a new claim
 * template) releases the disk and its chunks immediately; with Retain the PV and disk survive and
 * can be re-bound. Classes that only hold disposable data can be listed in `exempt`.
 */
/**
 * Disk categories the Alibaba disk CSI driver attaches with DeleteWithInstance (`SingleInstance`,
 * alibaba-cloud-csi-driver pkg/disk/category.go:89-96): the disk dies with its instance, so a retained PV
 * keeps nothing and `Retain` is not required of their classes.
 */
export const SINGLE_INSTANCE_CATEGORIES: readonly string[] = ["elastic_ephemeral_disk_standard", "elastic_ephemeral_disk_premium"];

export function prodStorageRetain(): ResourceValidationPolicy {
  const defaults: StorageRetainConfig = { exempt: [] };
  return {
    name: "threefs-prod-storage-retain",
    description: "In prod, StorageClasses must use reclaimPolicy Retain so volumes outlive their claims.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
      properties: {
        profile: PROFILE_CONFIG_SCHEMA,
        exempt: { type: "array", items: { type: "string" }, default: defaults.exempt },
      },
    },
    remediationSteps: "Set `reclaimPolicy: \"Retain\"` on the StorageClass in prod.",
    validateResource: (args, reportViolation) => {
      if (args.type !== TYPES.storageClass) return args.notApplicable(`only applies to ${TYPES.storageClass}`);
      const config = configWithDefaults(args, defaults);
      requireProd(args, config);
      const name = k8sName(args.props, args.name);
      if (config.exempt.includes(name)) return args.notApplicable(`StorageClass '${name}' is exempt by config`);
      const types = (str(rec(args.props.parameters).type) ?? "").split(",").filter((t) => t !== "");
      if (types.length > 0 && types.every((t) => SINGLE_INSTANCE_CATEGORIES.includes(t))) {
        return args.notApplicable(`StorageClass '${name}': elastic ephemeral disks are deleted with their instance, Retain keeps nothing`);
      }
      const policy = str(args.props.reclaimPolicy);
      if (policy !== "Retain") {
        const type = str(rec(args.props.parameters).type) ?? "?";
        reportViolation(
          `StorageClass '${name}' (disk type ${type}): reclaimPolicy is ${policy ? `'${policy}'` : "unset (Delete)"}; ` +
            "prod storage classes must set reclaimPolicy: Retain.",
        );
      }
    },
  };
}

/**
 * `threefs-prod-fdb-redundancy` (advisory) — in prod, the FoundationDBCluster must not run with
 * `spec.databaseConfiguration.redundancy_mode: single`.
 *
 * Why: single redundancy keeps one copy of the 3FS metadata; one lost pod or disk loses data. An
 * omitted mode is accepted (the operator's default is double).
 */
export function prodFdbRedundancy(): ResourceValidationPolicy {
  return {
    name: "threefs-prod-fdb-redundancy",
    description: "In prod, FoundationDB should not use single redundancy.",
    enforcementLevel: "advisory",
    severity: "medium",
    configSchema: { properties: { profile: PROFILE_CONFIG_SCHEMA } },
    validateResource: (args, reportViolation) => {
      if (args.type !== TYPES.fdbCluster) return args.notApplicable(`only applies to ${TYPES.fdbCluster}`);
      requireProd(args, configWithDefaults<ProfileConfig>(args, {}));
      const mode = str(rec(rec(args.props.spec).databaseConfiguration).redundancy_mode);
      if (mode === "single") {
        reportViolation(
          `FoundationDBCluster '${k8sName(args.props, args.name)}': spec.databaseConfiguration.redundancy_mode is 'single'; ` +
            "use 'double' or 'triple' in prod.",
        );
      }
    },
  };
}

/** All cluster / prod-protection policies, in pack order. */
export const clusterPolicies: ResourceValidationPolicy[] = [
  prodAckDeletionProtection(),
  prodFdbProtected(),
  prodStorageRetain(),
  prodFdbRedundancy(),
];
