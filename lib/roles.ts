/**
 * Node roles and how workloads find their nodes.
 *
 * A node pool carries one label per role it serves (`threefs.io/storage=true`, …) rather than one
 * `threefs.io/role=<role>` label, because a profile may fold several roles into one pool (dev runs
 * everything on one pool) and a Kubernetes label key holds a single value. Dedicated pools also carry a
 * `NoSchedule` taint with the same key so that only pods that tolerate it land there: storage and meta
 * nodes keep their memory and RDMA devices for 3FS, and client nodes are reserved for workloads that
 * read 3FS (they tolerate the client taint, which this stack exports).
 *
 * Pure module: no cloud SDK imports.
 */

/** The three roles a node can serve. */
export type NodeRole = "storage" | "meta" | "client";

export const NODE_ROLES: readonly NodeRole[] = ["storage", "meta", "client"] as const;

/** How roles map to node pools. `combined`: one pool for every role; `separate`: one pool per role. */
export type PoolLayout = "combined" | "separate";

/** Label/taint key prefix shared by all roles. */
export const ROLE_LABEL_PREFIX = "threefs.io";

/** The label key that marks a node as serving `role`. Its value is always `"true"`. */
export function roleLabelKey(role: NodeRole): string {
  return `${ROLE_LABEL_PREFIX}/${role}`;
}

/** A Kubernetes toleration, in the shape the core/v1 API takes. */
export interface Toleration {
  key: string;
  operator: "Equal" | "Exists";
  value?: string;
  effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

/** A node taint, in the shape `alicloud.cs.NodePool` takes. */
export interface Taint {
  key: string;
  value: string;
  effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

/** Where a role's pods go: the selector that finds its nodes and the tolerations that let them in. */
export interface Scheduling {
  nodeSelector: Record<string, string>;
  tolerations: Toleration[];
}

/** The taint a dedicated pool of `role` carries; combined pools carry none. */
export function roleTaint(role: NodeRole, layout: PoolLayout): Taint | undefined {
  if (layout === "combined") return undefined;
  return { key: roleLabelKey(role), value: "true", effect: "NoSchedule" };
}

/** Node selector and tolerations for pods of `role` under `layout`. */
export function schedulingFor(role: NodeRole, layout: PoolLayout): Scheduling {
  const taint = roleTaint(role, layout);
  return {
    nodeSelector: { [roleLabelKey(role)]: "true" },
    tolerations: taint ? [{ key: taint.key, operator: "Equal", value: taint.value, effect: taint.effect }] : [],
  };
}
