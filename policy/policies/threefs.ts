/**
 * 3FS-specific policies: replication of the chain table and the size limits of the elastic
 * ephemeral disks (EED) that hold the storage targets.
 *
 * The chain plan is read from the bootstrap ConfigMap (labels `app.kubernetes.io/name: 3fs`,
 * `app.kubernetes.io/component: bootstrap`), key `chain-plan.json`:
 * `{ "replicas": n, "targetsPerDisk": n, "stripeSize": n, ... }`.
 */
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import {
  PROFILE_CONFIG_SCHEMA,
  type ProfileConfig,
  TYPES,
  arr,
  configWithDefaults,
  isThreefsComponent,
  k8sName,
  rec,
  resolveProfile,
  str,
} from "./common";
import { claimRequest, claimStorageClass, parseQuantity, toGi } from "./k8s";

/** ConfigMap key holding the chain plan. */
export const CHAIN_PLAN_KEY = "chain-plan.json";

/** The fields of the chain plan the policies rely on. */
export interface ChainPlan {
  replicas: number;
  targetsPerDisk: number;
  stripeSize: number;
}

/**
 * Parses the chain plan of a bootstrap ConfigMap's props. Returns the plan, or the list of
 * problems (missing key, bad JSON, missing/non-positive-integer fields).
 */
export function readChainPlan(props: Record<string, unknown>): { plan: ChainPlan } | { problems: string[] } {
  const raw = rec(props.data)[CHAIN_PLAN_KEY];
  if (typeof raw !== "string") return { problems: [`data['${CHAIN_PLAN_KEY}'] is missing`] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    return { problems: [`data['${CHAIN_PLAN_KEY}'] is not valid JSON (${(e as Error).message})`] };
  }
  const obj = rec(parsed);
  const problems: string[] = [];
  for (const field of ["replicas", "targetsPerDisk", "stripeSize"] as const) {
    const v = obj[field];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1) {
      problems.push(`${CHAIN_PLAN_KEY}.${field} must be a positive integer (got ${JSON.stringify(v ?? null)})`);
    }
  }
  if (problems.length > 0) return { problems };
  return { plan: obj as unknown as ChainPlan };
}

/** Config of {@link chainReplicas}. */
export interface ChainReplicasConfig extends ProfileConfig {
  minReplicas: number;
}

/**
 * `threefs-chain-replicas` — the chain plan must be well formed and, outside the dev profile,
 * use at least `minReplicas` (default 2) replicas per chain. An unknown profile counts as
 * "not dev".
 *
 * Why: with one replica, every storage node or disk failure loses the chunks of its chains; CRAQ
 * chain replication needs ≥ 2 to keep serving and to recover. Dev clusters may save the cost.
 */
export function chainReplicas(): ResourceValidationPolicy {
  const defaults: ChainReplicasConfig = { minReplicas: 2 };
  return {
    name: "threefs-chain-replicas",
    description: "3FS chains must have at least 2 replicas outside dev, and the chain plan must be valid.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
      properties: {
        profile: PROFILE_CONFIG_SCHEMA,
        minReplicas: { type: "integer", minimum: 1, default: defaults.minReplicas },
      },
    },
    remediationSteps: "Set the chain replication factor (chain-plan.json `replicas`) to 2 or more for staging/prod.",
    validateResource: (args, reportViolation) => {
      if (args.type !== TYPES.configMap || !isThreefsComponent(args.props, "bootstrap")) {
        return args.notApplicable("only applies to the 3FS bootstrap ConfigMap");
      }
      const name = k8sName(args.props, args.name);
      const result = readChainPlan(args.props);
      if ("problems" in result) {
        for (const p of result.problems) reportViolation(`ConfigMap '${name}': ${p}.`);
        return;
      }
      const config = configWithDefaults(args, defaults);
      const profile = resolveProfile(args, config);
      if (profile === "dev") return;
      if (result.plan.replicas < config.minReplicas) {
        reportViolation(
          `ConfigMap '${name}': ${CHAIN_PLAN_KEY}.replicas is ${result.plan.replicas}; ` +
            `profile '${profile ?? "unknown"}' requires at least ${config.minReplicas} replicas per chain (only dev may use fewer).`,
        );
      }
    },
  };
}

/** The storage StatefulSets and bootstrap ConfigMaps of a stack. */
function threefsParts(resources: readonly PolicyResource[]) {
  return {
    storage: resources.filter((r) => r.type === TYPES.statefulSet && isThreefsComponent(r.props, "storage")),
    bootstrap: resources.filter((r) => r.type === TYPES.configMap && isThreefsComponent(r.props, "bootstrap")),
  };
}

/**
 * `threefs-chain-fits-storage-nodes` (stack) — the chain replication factor must not exceed the
 * number of storage pods (sum of `spec.replicas` of the storage StatefulSets; 1 when omitted).
 *
 * Why: the replicas of a chain live on distinct storage nodes (and the storage StatefulSet has a
 * one-pod-per-host anti-affinity), so a plan with more replicas than storage pods cannot be
 * placed and the bootstrap job would fail after the cluster is already up.
 */
export function chainFitsStorageNodes(): StackValidationPolicy {
  return {
    name: "threefs-chain-fits-storage-nodes",
    description: "Chain replicas must not exceed the number of 3FS storage pods.",
    enforcementLevel: "mandatory",
    severity: "medium",
    validateStack: (args, reportViolation) => {
      const { storage, bootstrap } = threefsParts(args.resources);
      if (storage.length === 0 || bootstrap.length === 0) {
        return args.notApplicable("needs the 3FS storage StatefulSet and bootstrap ConfigMap");
      }
      const pods = storage.reduce((sum, s) => {
        const n = rec(s.props.spec).replicas;
        return sum + (typeof n === "number" ? n : 1);
      }, 0);
      for (const cm of bootstrap) {
        const result = readChainPlan(cm.props);
        if ("problems" in result) continue; // reported by threefs-chain-replicas
        if (result.plan.replicas > pods) {
          reportViolation(
            `ConfigMap '${k8sName(cm.props, cm.name)}': ${CHAIN_PLAN_KEY}.replicas is ${result.plan.replicas} but the storage ` +
              `StatefulSet(s) ${storage.map((s) => `'${k8sName(s.props, s.name)}'`).join(", ")} run ${pods} pod(s); ` +
              "each replica of a chain needs its own storage node.",
            cm.urn,
          );
        }
      }
    },
  };
}

/** Config of {@link eedDiskSize}. */
export interface EedDiskSizeConfig {
  /** parameters.type prefix that marks an EED StorageClass. */
  typePrefix: string;
  minGi: number;
  maxGi: number;
}

/** The names of the StorageClasses whose parameters.type (a comma-separated list) has an EED type. */
export function eedStorageClasses(resources: readonly PolicyResource[], typePrefix: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of resources) {
    if (r.type !== TYPES.storageClass) continue;
    const type = str(rec(r.props.parameters).type) ?? "";
    if (type.split(",").some((t) => t.trim().startsWith(typePrefix))) out.set(k8sName(r.props, r.name), type);
  }
  return out;
}

/**
 * `threefs-eed-disk-size` (stack) — every claim on an EED StorageClass (PersistentVolumeClaims
 * and the volumeClaimTemplates of StatefulSets, joined to the StorageClass by name) must request
 * between `minGi` and `maxGi` (default 64Gi–8192Gi), the size range of elastic ephemeral disks.
 *
 * Why: out-of-range requests are only rejected by the disk API when the CSI driver provisions the
 * volume, i.e. after the StatefulSet is created, leaving storage pods Pending. A stack policy is
 * needed because the size lives on the StatefulSet and the disk type on the StorageClass.
 */
export function eedDiskSize(): StackValidationPolicy {
  const defaults: EedDiskSizeConfig = { typePrefix: "elastic_ephemeral_disk_", minGi: 64, maxGi: 8192 };
  return {
    name: "threefs-eed-disk-size",
    description: "Claims on elastic ephemeral disk StorageClasses must request 64Gi–8192Gi.",
    enforcementLevel: "mandatory",
    severity: "medium",
    configSchema: {
      properties: {
        typePrefix: { type: "string", default: defaults.typePrefix },
        minGi: { type: "number", minimum: 1, default: defaults.minGi },
        maxGi: { type: "number", minimum: 1, default: defaults.maxGi },
      },
    },
    validateStack: (args, reportViolation) => {
      const config = configWithDefaults(args, defaults);
      const classes = eedStorageClasses(args.resources, config.typePrefix);
      if (classes.size === 0) return args.notApplicable("no elastic ephemeral disk StorageClass in the stack");
      const check = (owner: PolicyResource, where: string, claim: Record<string, unknown>) => {
        const sc = claimStorageClass(claim);
        if (sc === undefined || !classes.has(sc)) return;
        const request = claimRequest(claim);
        const bytes = parseQuantity(request);
        const subject = `${where} (StorageClass '${sc}', ${classes.get(sc)})`;
        if (bytes === undefined) {
          reportViolation(`${subject}: spec.resources.requests.storage is ${JSON.stringify(request ?? null)}, not a quantity.`, owner.urn);
        } else if (toGi(bytes) < config.minGi || toGi(bytes) > config.maxGi) {
          reportViolation(
            `${subject}: requests ${String(request)} (${+toGi(bytes).toFixed(2)}Gi); ` +
              `elastic ephemeral disks must be ${config.minGi}Gi–${config.maxGi}Gi.`,
            owner.urn,
          );
        }
      };
      for (const r of args.resources) {
        if (r.type === TYPES.pvc) {
          check(r, `PersistentVolumeClaim '${k8sName(r.props, r.name)}'`, r.props);
        } else if (r.type === TYPES.statefulSet) {
          arr(rec(r.props.spec).volumeClaimTemplates).map(rec).forEach((t, i) => {
            const claimName = str(rec(t.metadata).name) ?? `#${i}`;
            check(r, `StatefulSet '${k8sName(r.props, r.name)}' volumeClaimTemplates[${i}] '${claimName}'`, t);
          });
        }
      }
    },
  };
}

/** All 3FS policies, in pack order. */
export const threefsPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  chainReplicas(),
  chainFitsStorageNodes(),
  eedDiskSize(),
];
