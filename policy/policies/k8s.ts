/**
 * Pure helpers for reading Kubernetes objects as they appear in policy arguments (plain JSON, the
 * same shape as the manifest: apiVersion / kind / metadata / spec). No SDK imports.
 */
import { TYPES, arr, rec, str } from "./common";

/** Workload kinds whose pod template is at spec.template.spec. */
const TEMPLATE_TYPES: ReadonlySet<string> = new Set([
  TYPES.deployment,
  TYPES.statefulSet,
  TYPES.daemonSet,
  TYPES.replicaSet,
  TYPES.job,
]);

/**
 * The pod spec of a pod-bearing object, or `undefined` for other types:
 * Pod → spec; Deployment/StatefulSet/DaemonSet/ReplicaSet/Job → spec.template.spec;
 * CronJob → spec.jobTemplate.spec.template.spec.
 */
export function podSpecOf(type: string, props: Record<string, unknown>): Record<string, unknown> | undefined {
  const spec = rec(props.spec);
  if (type === TYPES.pod) return spec;
  if (TEMPLATE_TYPES.has(type)) return rec(rec(spec.template).spec);
  if (type === TYPES.cronJob) return rec(rec(rec(rec(spec.jobTemplate).spec).template).spec);
  return undefined;
}

/** One container of a pod spec, with where it was found (for messages). */
export interface ContainerView {
  /** containers | initContainers | ephemeralContainers */
  list: "containers" | "initContainers" | "ephemeralContainers";
  index: number;
  name: string;
  container: Record<string, unknown>;
}

/** All containers of a pod spec: regular, init and ephemeral. */
export function containersOf(podSpec: Record<string, unknown>): ContainerView[] {
  const out: ContainerView[] = [];
  for (const list of ["containers", "initContainers", "ephemeralContainers"] as const) {
    arr(podSpec[list]).forEach((c, index) => {
      const container = rec(c);
      out.push({ list, index, name: str(container.name) ?? `#${index}`, container });
    });
  }
  return out;
}

/** A parsed image reference. `tag`/`digest` are undefined when absent. */
export interface ImageRef {
  repository: string;
  tag?: string;
  digest?: string;
}

/**
 * Splits an image reference into repository, tag and digest.
 *
 * The tag is the part after the last ':' of the last path component, so a registry port
 * (`registry:5000/img`) is not mistaken for a tag; the digest is everything after '@'.
 */
export function parseImage(image: string): ImageRef {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  if (colon > slash) {
    return { repository: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  }
  return { repository: rest, digest };
}

/** True for a content digest such as `sha256:<64 hex>` (any algorithm, hex encoded, ≥ 32 chars). */
export function isDigest(digest: string | undefined): boolean {
  return digest !== undefined && /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-f0-9]{32,}$/.test(digest);
}

const BINARY_SUFFIX: Readonly<Record<string, number>> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL_SUFFIX: Readonly<Record<string, number>> = {
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/**
 * Parses a Kubernetes resource quantity ("800Gi", "1Ti", "500G", "1.5T", "64e9", 1024) into a plain
 * number (bytes for storage). Returns `undefined` for anything malformed.
 */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string") return undefined;
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([KMGTPE]i|[mkMGTPE])?|[eE]([+-]?\d+))$/.exec(value.trim());
  if (!m) return undefined;
  const num = Number(m[1]);
  if (m[3] !== undefined) return num * 10 ** Number(m[3]);
  const suffix = m[2] ?? "";
  const factor = BINARY_SUFFIX[suffix] ?? DECIMAL_SUFFIX[suffix];
  return factor === undefined ? undefined : num * factor;
}

/** Bytes → GiB. */
export function toGi(bytes: number): number {
  return bytes / 2 ** 30;
}

/**
 * Whether a LabelSelector (matchLabels + matchExpressions) selects an object with `labels`.
 * An empty selector ({}) selects everything; a missing one (undefined) selects nothing, which is
 * the Kubernetes meaning for a pod affinity term without labelSelector.
 */
export function selectorMatches(selector: unknown, labels: Record<string, unknown>): boolean {
  if (selector === undefined || selector === null) return false;
  const sel = rec(selector);
  for (const [k, v] of Object.entries(rec(sel.matchLabels))) {
    if (labels[k] !== v) return false;
  }
  for (const raw of arr(sel.matchExpressions)) {
    const e = rec(raw);
    const key = str(e.key) ?? "";
    const values = arr(e.values);
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (e.operator) {
      case "In":
        if (!has || !values.includes(labels[key])) return false;
        break;
      case "NotIn":
        if (has && values.includes(labels[key])) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false; // unknown operator: be conservative, treat as not matching
    }
  }
  return true;
}

/**
 * The storage class a claim asks for: spec.storageClassName, or the legacy beta annotation.
 */
export function claimStorageClass(claim: Record<string, unknown>): string | undefined {
  return (
    str(rec(claim.spec).storageClassName) ??
    str(rec(rec(claim.metadata).annotations)["volume.beta.kubernetes.io/storage-class"])
  );
}

/** spec.resources.requests.storage of a claim (or claim template). */
export function claimRequest(claim: Record<string, unknown>): unknown {
  return rec(rec(rec(claim.spec).resources).requests).storage;
}
