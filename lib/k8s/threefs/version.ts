/**
 * The Kubernetes version the 3FS workloads need.
 *
 * Node ids come from the `apps.kubernetes.io/pod-index` label (beta 1.28, GA 1.32) of StatefulSets that
 * start their ordinals at a base (`spec.ordinals.start`, GA 1.31). Before 1.32 the label may be missing
 * (feature gate off), the env var would be empty and every process would start with an invalid node id.
 *
 * Pure module: no cloud SDK imports.
 */

/** Lowest supported Kubernetes minor version (1.x). */
export const MIN_KUBERNETES_MINOR = 32;

/**
 * Checks a Kubernetes version such as `1.35.2-aliyun.1`, `v1.32.0` or `1.33`.
 * @throws Error when it cannot be parsed or is older than 1.32.
 */
export function validateKubernetesVersion(version: string): void {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+].*)?$/.exec(version.trim());
  if (!m) throw new Error(`Kubernetes version '${version}' is not like 1.35.2-aliyun.1`);
  const [major, minor] = [Number(m[1]), Number(m[2])];
  if (major < 1 || (major === 1 && minor < MIN_KUBERNETES_MINOR)) {
    throw new Error(
      `Kubernetes ${version} is too old: 3FS node ids come from the StatefulSet pod-index label, GA in 1.${MIN_KUBERNETES_MINOR}`,
    );
  }
}
