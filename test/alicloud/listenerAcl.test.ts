/**
 * The allow-list attachment's create/read/update/delete (lib/alicloud/listenerAcl.ts) against the strict fake
 * of the CLB API (slbFake.ts): the calls made, what the fake refuses, and the state left behind.
 */
import { attachListenerAcl, checkListenerAcl, detachListenerAcl, diffListenerAcl, listenerAclId, refreshListenerAcl, type ListenerAclArgs } from "../../lib/alicloud/listenerAcl";
import { isSlbNotFound, resolveSlbCredentials, slbEndpoint, slbError, withSlbRetry } from "../../lib/alicloud/slbApi";
import { apiServerAccount, type FakeSlb } from "./slbFake";

const LB = "lb-2zeapiserver0000000001";
const args: ListenerAclArgs = { region: "cn-beijing", loadBalancerId: LB, listenerPort: 6443, aclId: "acl-2zeallow000000000001", aclType: "white" };
const listener = (f: FakeSlb) => f.lbs[LB].listeners[6443];

describe("the strict fake refuses what the CLB API refuses", () => {
  const f = apiServerAccount();
  const set = (p: Record<string, string>) => f.call("SetLoadBalancerTCPListenerAttribute", { RegionId: "cn-beijing", LoadBalancerId: LB, ListenerPort: "6443", ...p });
  it.each([
    ["a missing ListenerPort", () => f.call("SetLoadBalancerTCPListenerAttribute", { LoadBalancerId: LB }), "MissingListenerPort"],
    ["an unknown parameter (a typo)", () => set({ AclID: "acl-2zeallow000000000001" }), "FakeUnknownParameter"],
    ["an unknown action", () => f.call("SetLoadBalancerTCPListenerAttributes", { LoadBalancerId: LB, ListenerPort: "6443" }), "InvalidAction.NotFound"],
    ["AclStatus on without AclId", () => set({ AclStatus: "on", AclType: "white" }), "FakeMissingAclId"],
    ["AclStatus on without AclType", () => set({ AclStatus: "on", AclId: "acl-2zeallow000000000001" }), "FakeMissingAclType"],
    ["an AclStatus outside on|off", () => set({ AclStatus: "true" }), "InvalidParameter"],
    ["an AclType outside white|black", () => set({ AclStatus: "on", AclType: "White", AclId: "acl-2zeallow000000000001" }), "InvalidParameter"],
    ["an ACL that does not exist", () => set({ AclStatus: "on", AclType: "white", AclId: "acl-2zenothere000000001" }), "AclNotExist"],
    ["an unknown load balancer", () => f.call("DescribeLoadBalancerTCPListenerAttribute", { LoadBalancerId: "lb-2zenothere0000000001", ListenerPort: "6443" }), "InvalidLoadBalancerId.NotFound"],
    ["a load balancer of another region", () => f.call("DescribeLoadBalancerTCPListenerAttribute", { RegionId: "cn-shanghai", LoadBalancerId: LB, ListenerPort: "6443" }), "InvalidLoadBalancerId.NotFound"],
    ["a port without a TCP listener", () => f.call("DescribeLoadBalancerTCPListenerAttribute", { LoadBalancerId: LB, ListenerPort: "443" }), "InvalidParameter"],
    ["a port out of range", () => f.call("DescribeLoadBalancerTCPListenerAttribute", { LoadBalancerId: LB, ListenerPort: "70000" }), "InvalidParameter"],
  ])("refuses %s", async (_what, run, code) => {
    await expect(run()).rejects.toMatchObject({ code });
    expect(listener(f)).toEqual({ protocol: "tcp", aclStatus: "off" });
  });
});

describe("attach (create)", () => {
  it("enables the white list with exactly the provider's parameters and reads it back", async () => {
    const f = apiServerAccount();
    const s = await attachListenerAcl(f.call, args);
    expect(s).toEqual({ ...args, aclStatus: "on" });
    expect(listener(f)).toEqual({ protocol: "tcp", aclStatus: "on", aclType: "white", aclId: args.aclId });
    expect(f.calls.map((c) => c.action)).toEqual(["DescribeLoadBalancerTCPListenerAttribute", "SetLoadBalancerTCPListenerAttribute", "DescribeLoadBalancerTCPListenerAttribute"]);
    expect(f.calls[1].params).toEqual({ RegionId: "cn-beijing", LoadBalancerId: LB, ListenerPort: "6443", AclStatus: "on", AclType: "white", AclId: args.aclId });
    expect(listenerAclId(args)).toBe(`${LB}:6443`);
  });

  it("fails with the listener named when the CLB or its TCP 6443 listener does not exist", async () => {
    const f = apiServerAccount();
    await expect(attachListenerAcl(f.call, { ...args, loadBalancerId: "lb-2zenothere0000000001" })).rejects.toThrow(/TCP listener 6443 of CLB lb-2zenothere0000000001 \(cn-beijing\) not found/);
    f.lbs[LB].listeners[6443].protocol = "https";
    await expect(attachListenerAcl(f.call, args)).rejects.toThrow(/not found/);
    expect(f.calls.filter((c) => c.action.startsWith("Set"))).toEqual([]);
  });

  it("refuses to take over a listener that enforces someone else's ACL, and adopts its own", async () => {
    const f = apiServerAccount();
    Object.assign(listener(f), { aclStatus: "on", aclType: "white", aclId: "acl-2zeforeign0000000001" });
    await expect(attachListenerAcl(f.call, args)).rejects.toThrow(/already enforces ACL acl-2zeforeign0000000001 \(white\), which this stack does not manage/);
    expect(listener(f).aclId).toBe("acl-2zeforeign0000000001");
    // The same ACL attached by hand before (the old manual step): adopted.
    Object.assign(listener(f), { aclId: args.aclId });
    await expect(attachListenerAcl(f.call, args)).resolves.toMatchObject({ aclStatus: "on" });
  });

  it("retries while the API is busy (the provider's SlbIsBusy codes), then gives up", async () => {
    const f = apiServerAccount();
    f.busy = ["OperationBusy", "ServiceIsConfiguring"];
    const sleeps: number[] = [];
    const call = withSlbRetry(f.call, { sleep: async (ms) => void sleeps.push(ms) });
    await expect(attachListenerAcl(call, args)).resolves.toMatchObject({ aclStatus: "on" });
    expect(sleeps).toHaveLength(2);
    f.busy = ["SystemBusy", "SystemBusy", "SystemBusy"];
    await expect(withSlbRetry(f.call, { attempts: 3, sleep: async () => undefined })("DescribeLoadBalancerTCPListenerAttribute", { LoadBalancerId: LB, ListenerPort: "6443" })).rejects.toMatchObject({ code: "SystemBusy" });
    await expect(withSlbRetry(f.call, { sleep: async () => undefined })("DescribeLoadBalancerTCPListenerAttribute", { LoadBalancerId: LB })).rejects.toMatchObject({ code: "MissingListenerPort" });
  });
});

describe("update, refresh, delete", () => {
  it("switches to a new ACL in place (the old one was ours)", async () => {
    const f = apiServerAccount();
    const s = await attachListenerAcl(f.call, args);
    const next = { ...args, aclId: "acl-2zeallow000000000002" };
    expect(diffListenerAcl(s, next)).toEqual({ changes: true, replaces: [] });
    await expect(attachListenerAcl(f.call, next, s.aclId)).resolves.toEqual({ ...next, aclStatus: "on" });
    expect(listener(f).aclId).toBe("acl-2zeallow000000000002");
  });

  it("reports drift on refresh and repairs it on the next update", async () => {
    const f = apiServerAccount();
    const s = await attachListenerAcl(f.call, args);
    listener(f).aclStatus = "off"; // switched off in the console
    const refreshed = await refreshListenerAcl(f.call, s);
    expect(refreshed).toEqual({ ...args, aclStatus: "off" });
    expect(diffListenerAcl(refreshed!, args)).toEqual({ changes: true, replaces: [] });
    await attachListenerAcl(f.call, args, s.aclId);
    expect(listener(f).aclStatus).toBe("on");
    expect(diffListenerAcl({ ...args, aclStatus: "on" }, args)).toEqual({ changes: false, replaces: [] });
  });

  it("refresh of a deleted cluster's listener reports the attachment gone", async () => {
    const f = apiServerAccount();
    const s = await attachListenerAcl(f.call, args);
    delete f.lbs[LB];
    await expect(refreshListenerAcl(f.call, s)).resolves.toBeUndefined();
  });

  it("delete turns AclStatus off; a gone CLB or someone else's ACL is left alone", async () => {
    const f = apiServerAccount();
    const s = await attachListenerAcl(f.call, args);
    await detachListenerAcl(f.call, s);
    expect(listener(f).aclStatus).toBe("off");
    expect(f.calls.at(-1)?.params).toEqual({ RegionId: "cn-beijing", LoadBalancerId: LB, ListenerPort: "6443", AclStatus: "off" });
    Object.assign(listener(f), { aclStatus: "on", aclId: "acl-2zeforeign0000000001" });
    await detachListenerAcl(f.call, s);
    expect(listener(f)).toMatchObject({ aclStatus: "on", aclId: "acl-2zeforeign0000000001" });
    delete f.lbs[LB];
    await expect(detachListenerAcl(f.call, s)).resolves.toBeUndefined();
  });

  it("another load balancer, region or port is a replacement", () => {
    const s = { ...args, aclStatus: "on" };
    expect(diffListenerAcl(s, { ...args, loadBalancerId: "lb-2zeother000000000001" })).toEqual({ changes: true, replaces: ["loadBalancerId"] });
    expect(diffListenerAcl(s, { ...args, region: "cn-shanghai", listenerPort: 443 })).toEqual({ changes: true, replaces: ["region", "listenerPort"] });
  });
});

describe("inputs, endpoint, credentials", () => {
  const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
  it("check refuses malformed known inputs and skips unknown ones", () => {
    expect(checkListenerAcl({ ...args }, (v) => v === UNKNOWN)).toEqual([]);
    expect(checkListenerAcl({ ...args, loadBalancerId: UNKNOWN, aclId: UNKNOWN }, (v) => v === UNKNOWN)).toEqual([]);
    expect(checkListenerAcl({ ...args, loadBalancerId: "c0123", listenerPort: 0, aclType: "White" }, () => false).map((f) => f.property)).toEqual(["loadBalancerId", "listenerPort", "aclType"]);
  });

  it("uses the region's endpoint, slb.aliyuncs.com for cn-hangzhou, and the provider's override variables", () => {
    expect(slbEndpoint("cn-beijing", {})).toEqual({ host: "slb.cn-beijing.aliyuncs.com", protocol: "HTTPS" });
    expect(slbEndpoint("cn-hangzhou", {})).toEqual({ host: "slb.aliyuncs.com", protocol: "HTTPS" });
    expect(slbEndpoint("cn-beijing", { SLB_ENDPOINT: "slb-vpc.cn-beijing.aliyuncs.com" })).toEqual({ host: "slb-vpc.cn-beijing.aliyuncs.com", protocol: "HTTPS" });
    expect(slbEndpoint("cn-beijing", { ALIBABA_CLOUD_ENDPOINT_SLB: "http://127.0.0.1:9/" })).toEqual({ host: "127.0.0.1:9", protocol: "HTTP" });
  });

  it("takes credentials from stack config first, then the provider's variables in its order, and names them when missing", () => {
    expect(resolveSlbCredentials({}, { ALIBABA_CLOUD_ACCESS_KEY_ID: "b", ALICLOUD_ACCESS_KEY: "a", ALICLOUD_SECRET_KEY: "s" })).toEqual({ accessKeyId: "a", accessKeySecret: "s" });
    expect(resolveSlbCredentials({ "alicloud:accessKey": "c", "alicloud:secretKey": "cs" }, { ALICLOUD_ACCESS_KEY: "a", ALICLOUD_SECRET_KEY: "s", ALICLOUD_SECURITY_TOKEN: "t" })).toEqual({ accessKeyId: "c", accessKeySecret: "cs", securityToken: "t" });
    expect(() => resolveSlbCredentials({}, { ALICLOUD_ACCESS_KEY: "a" })).toThrow(/set ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY/);
  });

  it("not found means an unknown CLB or a missing listener, nothing else", () => {
    expect(isSlbNotFound(slbError("InvalidLoadBalancerId.NotFound", "x"))).toBe(true);
    expect(isSlbNotFound(slbError("InvalidParameter", "The specified resource does not exist."))).toBe(true);
    expect(isSlbNotFound(slbError("AclNotExist", "The specified acl does not exist."))).toBe(false);
    expect(isSlbNotFound(new Error("The specified resource does not exist."))).toBe(false);
  });
});
