/**
 * The life cycle of an access control list on a CLB TCP listener that someone else created — the API server
 * listener (port 6443) of an ACK cluster — as the create/read/update/delete of a Pulumi dynamic resource
 * (components/apiServerAcl.ts). No provider resource can do this: `alicloud_slb_listener` manages only
 * listeners it created, and attaching an ACL to an existing one is an open feature request
 * (aliyun/terraform-provider-alicloud#8290).
 *
 * The calls are those the provider's own listener resource makes (alicloud/resource_alicloud_slb_listener.go):
 * `SetLoadBalancerTCPListenerAttribute` with LoadBalancerId, ListenerPort, AclStatus, AclType, AclId
 * (buildListenerCommonArgs:850-888, update:561-578), and `DescribeLoadBalancerTCPListenerAttribute` with
 * LoadBalancerId and ListenerPort, whose answer carries AclStatus, AclType, AclId (service_alicloud_slb.go
 * DescribeSlbListener:175-214, readListener:1040-1048). Semantics (CLB API reference,
 * https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-setloadbalancertcplistenerattribute):
 * AclStatus `on` | `off`; AclType `white` (only the ACL's entries reach the listener) | `black`; AclType and
 * AclId are required when AclStatus is `on`. A listener takes one ACL (CLB "Access control",
 * https://www.alibabacloud.com/help/doc-detail/86001.html).
 *
 * Pure module apart from the injected call: no cloud SDK imports.
 */
import { isSlbNotFound, SLB_ACTIONS, type SlbCall } from "./slbApi";

/** Inputs of the attachment. */
export interface ListenerAclArgs {
  /** Region of the load balancer (alicloud:region). */
  region: string;
  /** The CLB instance, `lb-…` (the ACK cluster's `slbId`). */
  loadBalancerId: string;
  /** Frontend port of the TCP listener (6443 for the API server). */
  listenerPort: number;
  /** The access control list, `acl-…`. */
  aclId: string;
  /** `white` (allow-list) or `black`. */
  aclType: "white" | "black";
}

/** State: the inputs plus what the listener reports. */
export interface ListenerAclState extends ListenerAclArgs {
  /** `on` while the listener enforces the ACL; `off` after someone switched it off (drift, repaired by the next update). */
  aclStatus: string;
}

/** What a listener reports about its access control. */
export interface ListenerAclStatus {
  aclStatus: string;
  aclType?: string;
  aclId?: string;
}

/** Resource id: `<loadBalancerId>:<listenerPort>`. */
export function listenerAclId(a: Pick<ListenerAclArgs, "loadBalancerId" | "listenerPort">): string {
  return `${a.loadBalancerId}:${a.listenerPort}`;
}

const where = (a: Pick<ListenerAclArgs, "region" | "loadBalancerId" | "listenerPort">) => `TCP listener ${a.listenerPort} of CLB ${a.loadBalancerId} (${a.region})`;

/** The listener's access control, or undefined when the load balancer or the TCP listener does not exist. */
export async function readListenerAcl(call: SlbCall, a: Pick<ListenerAclArgs, "region" | "loadBalancerId" | "listenerPort">): Promise<ListenerAclStatus | undefined> {
  let r: Record<string, unknown>;
  try {
    r = await call(SLB_ACTIONS.describeTcpListener, { RegionId: a.region, LoadBalancerId: a.loadBalancerId, ListenerPort: String(a.listenerPort) });
  } catch (e) {
    if (isSlbNotFound(e)) return undefined;
    throw e;
  }
  // The provider treats an answer without a positive ListenerPort as "not found" (service_alicloud_slb.go:207-211).
  if (!(Number(r.ListenerPort) > 0)) return undefined;
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  return { aclStatus: str(r.AclStatus) ?? "off", aclType: str(r.AclType), aclId: str(r.AclId) };
}

/** True when the listener enforces exactly this ACL. */
function enforces(s: ListenerAclStatus | undefined, a: Pick<ListenerAclArgs, "aclId" | "aclType">): boolean {
  return s?.aclStatus === "on" && s.aclId === a.aclId && s.aclType === a.aclType;
}

/**
 * Turns the ACL on for the listener and reads it back. Refuses a listener that enforces another ACL the
 * stack does not own (`mayReplace`: the ACL id the stack attached before, on update), instead of silently
 * taking it over.
 */
export async function attachListenerAcl(call: SlbCall, a: ListenerAclArgs, mayReplace?: string): Promise<ListenerAclState> {
  const before = await readListenerAcl(call, a);
  if (before === undefined) throw new Error(`API server allow-list: ${where(a)} not found; is ${a.loadBalancerId} the cluster's API server load balancer (slbId)?`);
  if (before.aclStatus === "on" && before.aclId !== a.aclId && before.aclId !== mayReplace) {
    throw new Error(
      `API server allow-list: ${where(a)} already enforces ACL ${before.aclId ?? "?"} (${before.aclType ?? "?"}), which this stack does not manage; ` +
        `detach it (SetLoadBalancerTCPListenerAttribute AclStatus=off) or remove threefs:cluster.apiServerAllowedCidrs`,
    );
  }
  await call(SLB_ACTIONS.setTcpListener, { RegionId: a.region, LoadBalancerId: a.loadBalancerId, ListenerPort: String(a.listenerPort), AclStatus: "on", AclType: a.aclType, AclId: a.aclId });
  const after = await readListenerAcl(call, a);
  if (!enforces(after, a)) {
    throw new Error(`API server allow-list: ${where(a)} reports AclStatus=${after?.aclStatus ?? "?"} AclType=${after?.aclType ?? "?"} AclId=${after?.aclId ?? "?"} after enabling ${a.aclId}`);
  }
  return { ...a, aclStatus: "on" };
}

/**
 * Switches the ACL off again. A listener or load balancer that is gone, or that enforces another ACL by now
 * (someone else's change), is left as it is.
 */
export async function detachListenerAcl(call: SlbCall, s: ListenerAclState): Promise<void> {
  const now = await readListenerAcl(call, s);
  if (now === undefined || now.aclStatus !== "on" || now.aclId !== s.aclId) return;
  try {
    await call(SLB_ACTIONS.setTcpListener, { RegionId: s.region, LoadBalancerId: s.loadBalancerId, ListenerPort: String(s.listenerPort), AclStatus: "off" });
  } catch (e) {
    if (!isSlbNotFound(e)) throw e;
  }
}

/** Refresh: the state as the listener reports it, or undefined when the listener is gone. */
export async function refreshListenerAcl(call: SlbCall, s: ListenerAclState): Promise<ListenerAclState | undefined> {
  const now = await readListenerAcl(call, s);
  if (now === undefined) return undefined;
  // Another ACL (or none) in place of ours is drift on our attachment: report it so the next update repairs it.
  const ours = now.aclId === s.aclId;
  return { ...s, aclStatus: ours ? now.aclStatus : "off", aclType: ours && (now.aclType === "white" || now.aclType === "black") ? now.aclType : s.aclType };
}

/** Keys whose change means another listener: a new attachment replaces the old one. */
const REPLACE_KEYS = ["region", "loadBalancerId", "listenerPort"] as const;

/** The diff of a dynamic resource: replace for another listener, update for another ACL or after drift. */
export function diffListenerAcl(olds: Partial<ListenerAclState>, news: Partial<ListenerAclArgs>): { changes: boolean; replaces: string[] } {
  const replaces = REPLACE_KEYS.filter((k) => String(olds[k]) !== String(news[k]));
  const updates = olds.aclId !== news.aclId || olds.aclType !== news.aclType || olds.aclStatus !== "on";
  return { changes: replaces.length > 0 || updates, replaces: [...replaces] };
}

/** Validation of the inputs that are known (unknown values during a preview are not checked). */
export function checkListenerAcl(news: Record<string, unknown>, isUnknown: (v: unknown) => boolean): { property: string; reason: string }[] {
  const rules: [keyof ListenerAclArgs, (v: unknown) => boolean, string][] = [
    ["region", (v) => typeof v === "string" && /^[a-z]+-[a-z0-9-]+$/.test(v), "must be a region id such as cn-beijing"],
    ["loadBalancerId", (v) => typeof v === "string" && /^lb-[a-z0-9]+$/.test(v), "must be a CLB id such as lb-2ze0123456789abcdef"],
    ["listenerPort", (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535, "must be a port, 1-65535 (CLB API)"],
    ["aclId", (v) => typeof v === "string" && /^acl-[a-z0-9]+$/.test(v), "must be an ACL id such as acl-2ze0123456789abcdef"],
    ["aclType", (v) => v === "white" || v === "black", "must be white or black (CLB API)"],
  ];
  return rules.filter(([k, ok]) => !isUnknown(news[k]) && !ok(news[k])).map(([property, , reason]) => ({ property, reason }));
}
