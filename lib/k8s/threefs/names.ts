/**
 * Names and labels of the 3FS Kubernetes objects.
 *
 * Every name starts with the stack-scoped `prefix` (e.g. `threefs-dev`) so that two stacks can share a
 * cluster, and even a namespace, without colliding (one of the faults of Alibaba's chart was names that
 * were not release-scoped). Selectors use the instance label as well, so one stack's Services,
 * anti-affinity and PDBs never match the other's pods.
 *
 * Pure module: no cloud SDK imports.
 */
import { APP_NAME, APP_NAME_LABEL, COMPONENT_LABEL, PROFILE_LABEL } from "../../threefs/constants";
import type { Component, ConfigComponent, Profile } from "./types";

/** The instance label: which stack's 3FS an object belongs to. */
export const INSTANCE_LABEL = "app.kubernetes.io/instance";
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";

/**
 * Longest accepted prefix. The tightest limit is a StatefulSet's name: its pods carry the label
 * `controller-revision-hash: <name>-<10 chars>`, a label value of ≤ 63 chars, so a StatefulSet name may
 * have at most 52; `<prefix>-storage` is the longest (8 more), and Job names `<prefix>-bootstrap-<8 hex>`
 * need 19 more within 63. 40 leaves room for both.
 */
export const MAX_PREFIX_LENGTH = 40;

/**
 * Pulumi's Kubernetes provider annotation that creates or updates an object without waiting for it to
 * become ready (the fio Job; the FUSE DaemonSet, whose OnDelete rollouts never finish on their own).
 */
export const SKIP_AWAIT_ANNOTATION = "pulumi.com/skipAwait";

/** Length of the content hash suffix in names of hashed objects (ConfigMaps, Jobs). */
export const NAME_HASH_LENGTH = 8;

const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** True for a name Kubernetes accepts for a Service (DNS-1035 label, ≤ 63 chars). */
export function isDns1035Label(name: string): boolean {
  return name.length <= 63 && DNS_1035_LABEL.test(name);
}

/** True for a DNS-1123 label (≤ 63 chars): pod host names, Job names (they become label values). */
export function isDns1123Label(name: string): boolean {
  return name.length <= 63 && DNS_1123_LABEL.test(name);
}

/**
 * True for a DNS-1123 subdomain (≤ 253 chars): ConfigMap and Secret names. The per-component config
 * ConfigMaps (`<prefix>-admin-cli-config-<8 hex>`, up to 66 chars) need this, not a label.
 */
export function isDns1123Subdomain(name: string): boolean {
  return name.length <= 253 && name.split(".").every((part) => DNS_1123_LABEL.test(part));
}

/** True for a valid label value (≤ 63 chars, alphanumeric ends, `-_.` inside). */
export function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

/**
 * Checks the stack-scoped prefix.
 * @throws Error unless it is a DNS-1035 label (lowercase, starts with a letter — Service names must)
 *   of at most MAX_PREFIX_LENGTH characters.
 */
export function validatePrefix(prefix: string): void {
  if (!DNS_1035_LABEL.test(prefix) || prefix.length > MAX_PREFIX_LENGTH) {
    throw new Error(
      `prefix '${prefix}' must be lowercase letters, digits and '-', start with a letter, end alphanumeric, ` +
        `and be at most ${MAX_PREFIX_LENGTH} characters (it scopes every Kubernetes name of the stack)`,
    );
  }
}

/** Checks a content hash used in names: lowercase hex of exactly NAME_HASH_LENGTH characters. */
export function shortHash(hash: string): string {
  const short = hash.toLowerCase().slice(0, NAME_HASH_LENGTH);
  if (!/^[0-9a-f]+$/.test(short) || short.length < NAME_HASH_LENGTH) {
    throw new Error(`hash '${hash}' must be hex with at least ${NAME_HASH_LENGTH} characters`);
  }
  return short;
}

/** The names of every object of one 3FS deployment. */
export interface ObjectNames {
  mgmtd: string;
  meta: string;
  storage: string;
  fuse: string;
  adminCli: string;
  token: string;
  /** The tenants' 3FS tokens (one key per tenant), mounted by the bootstrap Job. */
  tenantTokens: string;
  /**
   * A component's TOML ConfigMap, suffixed with the hash of its own files so that a change rolls only
   * the pods that mount it (`<prefix>-<component>-config-<hash>`).
   */
  config(component: ConfigComponent, hash: string): string;
  /** Bootstrap ConfigMap and Job, suffixed with the bootstrap content hash so a change re-runs the Job. */
  bootstrap(hash: string): string;
  /** The post-deploy check's ConfigMap and Job (`<prefix>-check-<hash>`). */
  check(hash: string): string;
  fio(hash: string): string;
}

/**
 * Names derived from `prefix`. StatefulSet, headless Service and PodDisruptionBudget of a service share
 * one name (`<prefix>-mgmtd`): the StatefulSet's `serviceName` then cannot point at a Service that does
 * not exist (another fault of Alibaba's chart).
 */
export function objectNames(prefix: string): ObjectNames {
  validatePrefix(prefix);
  return {
    mgmtd: `${prefix}-mgmtd`,
    meta: `${prefix}-meta`,
    storage: `${prefix}-storage`,
    fuse: `${prefix}-fuse`,
    adminCli: `${prefix}-admin-cli`,
    token: `${prefix}-token`,
    tenantTokens: `${prefix}-tenant-tokens`,
    config: (component, hash) => `${prefix}-${component}-config-${shortHash(hash)}`,
    bootstrap: (hash) => `${prefix}-bootstrap-${shortHash(hash)}`,
    check: (hash) => `${prefix}-check-${shortHash(hash)}`,
    fio: (hash) => `${prefix}-fio-${shortHash(hash)}`,
  };
}

/** Labels that select one component's pods of one stack (immutable: StatefulSet selectors cannot change). */
export function selectorLabels(prefix: string, component: Component): Record<string, string> {
  return { [APP_NAME_LABEL]: APP_NAME, [INSTANCE_LABEL]: prefix, [COMPONENT_LABEL]: component };
}

/**
 * All labels of an object (and of its pods): the selector labels, the profile label read by the policy
 * pack, managed-by, and the caller's extra labels. Extra labels cannot override the fixed ones.
 * @throws Error when an extra label value is not a valid label value.
 */
export function objectLabels(
  prefix: string,
  component: Component,
  profile: Profile,
  extra: Record<string, string> = {},
): Record<string, string> {
  for (const [k, v] of Object.entries(extra)) {
    if (!isLabelValue(v)) throw new Error(`label ${k}=${v}: not a valid Kubernetes label value`);
  }
  return { ...extra, ...selectorLabels(prefix, component), [PROFILE_LABEL]: profile, [MANAGED_BY_LABEL]: "pulumi" };
}
