/**
 * What the program needs to know about a user-supplied kubeconfig (`threefs:cluster.existing.kubeconfig`):
 * that it is one, and the API server of its current context — the cluster's identity for the Kubernetes
 * provider, stable across credential rotation. Problems never quote the file (it holds credentials).
 *
 * Format: Kubernetes' kubeconfig v1 (k8s.io/client-go/tools/clientcmd/api/v1 types.go: `clusters[].name`,
 * `clusters[].cluster.server`, `contexts[].name`, `contexts[].context.cluster`, `current-context`); the
 * Kubernetes provider uses the current context unless told otherwise (@pulumi/kubernetes Provider `context`).
 *
 * Pure module: no cloud SDK imports.
 */
import { parse } from "yaml";

const named = (list: unknown, name: unknown): Record<string, unknown> | undefined =>
  Array.isArray(list) ? (list as Record<string, unknown>[]).find((e) => typeof e === "object" && e !== null && e.name === name) : undefined;

/** The current context's API server URL, or a one-line problem. */
export function kubeconfigServer(text: string): { server: string } | { problem: string } {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return { problem: "is not YAML (expected a kubeconfig file's content)" };
  }
  if (typeof doc !== "object" || doc === null || (doc as Record<string, unknown>).kind !== "Config") return { problem: "is not a kubeconfig (kind: Config expected)" };
  const k = doc as Record<string, unknown>;
  const current = k["current-context"];
  if (typeof current !== "string" || current === "") return { problem: "has no current-context" };
  const ctx = named(k.contexts, current)?.context as Record<string, unknown> | undefined;
  if (ctx === undefined) return { problem: `has no context named by current-context` };
  const cluster = named(k.clusters, ctx.cluster)?.cluster as Record<string, unknown> | undefined;
  if (cluster === undefined) return { problem: "current context names a cluster the file does not define" };
  const server = cluster.server;
  if (typeof server !== "string" || !/^https:\/\/[^/\s]+/.test(server)) return { problem: "current context's cluster has no https:// server" };
  if (named(k.users, ctx.user) === undefined) return { problem: "current context names a user the file does not define" };
  return { server };
}
