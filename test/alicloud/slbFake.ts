/**
 * A strict fake of the two CLB API operations the API server allow-list uses, at two levels: `call` (the
 * parsed action and parameters, for lib/alicloud/listenerAcl.ts) and `serve()` (a loopback HTTP server that
 * also checks the request syntax and V3 signature, for the SDK path of components/apiServerAcl.ts).
 *
 * Each rule names its source. Where this fake is stricter than the service it says so: an unknown parameter
 * is refused here (the gateway may ignore it, which would turn a typo into a silent no-op), and refusals whose
 * code the sources do not give carry this fake's own label (only the not-found and busy codes are relied on).
 */
import { createHash, createHmac } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { slbError, type SlbCall, type SlbParams } from "../../lib/alicloud/slbApi";

/** One listener of a fake load balancer. */
export interface FakeListener {
  protocol: "tcp" | "udp" | "http" | "https";
  aclStatus: "on" | "off";
  aclType?: "white" | "black";
  aclId?: string;
}

/** An error answer: HTTP status, Code, Message. */
class ApiRefusal extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

// CLB API reference, request parameter tables of each operation (URLs in lib/alicloud/slbApi.ts SLB_ACTIONS);
// the owner parameters are common to both.
const OWNER = ["OwnerId", "OwnerAccount", "ResourceOwnerId", "ResourceOwnerAccount"];
const PARAMS: Record<string, { required: string[]; optional: string[] }> = {
  DescribeLoadBalancerTCPListenerAttribute: { required: ["LoadBalancerId", "ListenerPort"], optional: ["RegionId", ...OWNER] },
  SetLoadBalancerTCPListenerAttribute: {
    required: ["LoadBalancerId", "ListenerPort"],
    optional: [
      "RegionId", ...OWNER, "Bandwidth", "Scheduler", "PersistenceTimeout", "EstablishedTimeout", "HealthyThreshold", "UnhealthyThreshold",
      "HealthCheckConnectTimeout", "HealthCheckConnectPort", "HealthCheckInterval", "HealthCheckDomain", "HealthCheckURI", "HealthCheckHttpCode",
      "HealthCheckType", "HealthCheckSwitch", "SynProxy", "VServerGroup", "VServerGroupId", "MasterSlaveServerGroup", "MasterSlaveServerGroupId",
      "AclStatus", "AclType", "AclId", "Description", "ConnectionDrain", "ConnectionDrainTimeout", "ProxyProtocolV2Enabled",
    ],
  },
};

/** The fake account: load balancers by id with their region and listeners, ACLs by id with their region. */
export class FakeSlb {
  public readonly calls: { action: string; params: Record<string, string> }[] = [];
  /** Answers to give before the real one, e.g. `["OperationBusy"]` (codes of errors.go:40 SlbIsBusy). */
  public busy: string[] = [];
  /** Credentials the HTTP layer accepts. */
  public credentials = { accessKeyId: "LTAIfakefakefake0001", accessKeySecret: "fake-secret-0001", securityToken: undefined as string | undefined };

  constructor(
    public readonly lbs: Record<string, { region: string; listeners: Record<number, FakeListener> }>,
    public readonly acls: Record<string, { region: string }>,
  ) {}

  /** The level-1 call: what lib/alicloud receives, errors as slbError makes them, like the SDK wrapper throws them. */
  public readonly call: SlbCall = async (action: string, params: SlbParams) => {
    try {
      return this.handle(action, { ...params });
    } catch (e) {
      if (e instanceof ApiRefusal) throw slbError(e.code, e.message, "FAKE-REQUEST-ID");
      throw e;
    }
  };

  /** One operation on the fake state. */
  handle(action: string, p: Record<string, string>): Record<string, unknown> {
    this.calls.push({ action, params: p });
    const spec = PARAMS[action];
    // An action the API version does not define is refused by the gateway.
    if (spec === undefined) throw new ApiRefusal(404, "InvalidAction.NotFound", `Specified api is not found: ${action}`);
    const busy = this.busy.shift();
    if (busy !== undefined) throw new ApiRefusal(400, busy, "The request processing has failed due to a busy system (fake).");
    for (const k of spec.required) if (p[k] === undefined || p[k] === "") throw new ApiRefusal(400, `Missing${k}`, `${k} is mandatory for this action.`);
    for (const k of Object.keys(p)) if (![...spec.required, ...spec.optional].includes(k)) throw new ApiRefusal(400, "FakeUnknownParameter", `${k} is not a parameter of ${action} (stricter than the gateway)`);
    // ListenerPort: integer 1–65535 (both reference pages).
    const port = Number(p.ListenerPort);
    if (!/^\d+$/.test(p.ListenerPort) || port < 1 || port > 65535) throw new ApiRefusal(400, "InvalidParameter", "ListenerPort must be 1-65535");
    // Unknown load balancer, or one of another region (the API answers per region): service_alicloud_slb.go:54.
    const lb = this.lbs[p.LoadBalancerId];
    if (lb === undefined || (p.RegionId !== undefined && p.RegionId !== lb.region)) throw new ApiRefusal(404, "InvalidLoadBalancerId.NotFound", `The specified LoadBalancerId ${p.LoadBalancerId} does not exist.`);
    // No TCP listener on that port (an HTTP listener there is not a TCP listener): service_alicloud_slb.go:197.
    const l = lb.listeners[port];
    if (l === undefined || l.protocol !== "tcp") throw new ApiRefusal(404, "InvalidParameter", "The specified resource does not exist.");
    if (action === "DescribeLoadBalancerTCPListenerAttribute") {
      // Response fields the provider reads: service_alicloud_slb.go:207 (ListenerPort), resource_alicloud_slb_listener.go:1040-1048.
      return { RequestId: "FAKE", ListenerPort: port, Status: "running", AclStatus: l.aclStatus, ...(l.aclType ? { AclType: l.aclType } : {}), ...(l.aclId ? { AclId: l.aclId } : {}) };
    }
    return this.set(lb.region, l, p);
  }

  private set(region: string, l: FakeListener, p: Record<string, string>): Record<string, unknown> {
    // AclStatus on | off; AclType white | black (API reference; provider ValidateFunc, resource_alicloud_slb_listener.go:98-109).
    if (p.AclStatus !== undefined && !["on", "off"].includes(p.AclStatus)) throw new ApiRefusal(400, "InvalidParameter", "AclStatus must be on or off");
    if (p.AclType !== undefined && !["white", "black"].includes(p.AclType)) throw new ApiRefusal(400, "InvalidParameter", "AclType must be white or black");
    // AclId and AclType are required when AclStatus is on (API reference, AclId and AclType rows).
    if (p.AclStatus === "on" && (p.AclId === undefined || p.AclId === "")) throw new ApiRefusal(400, "FakeMissingAclId", "AclId is required when AclStatus is on");
    if (p.AclStatus === "on" && p.AclType === undefined) throw new ApiRefusal(400, "FakeMissingAclType", "AclType is required when AclStatus is on");
    // An ACL that does not exist in the region: AclNotExist (service_alicloud_slb.go:241).
    if (p.AclId !== undefined && (this.acls[p.AclId] === undefined || this.acls[p.AclId].region !== region)) throw new ApiRefusal(404, "AclNotExist", `The specified acl ${p.AclId} does not exist.`);
    if (p.AclStatus !== undefined) l.aclStatus = p.AclStatus as FakeListener["aclStatus"];
    if (p.AclType !== undefined) l.aclType = p.AclType as FakeListener["aclType"];
    if (p.AclId !== undefined) l.aclId = p.AclId;
    return { RequestId: "FAKE" };
  }

  /** A loopback HTTP server speaking the RPC style over signature V3; resolves to its `http://127.0.0.1:<port>`. */
  async serve(): Promise<{ url: string; close: () => Promise<void> }> {
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => {
        let status = 200;
        let answer: Record<string, unknown>;
        try {
          answer = this.handle(...this.parseRequest(req, body));
        } catch (e) {
          if (!(e instanceof ApiRefusal)) throw e;
          status = e.status;
          answer = { RequestId: "FAKE-REQUEST-ID", HostId: "slb.fake", Code: e.code, Message: e.message };
        }
        res.writeHead(status, { "content-type": "application/json;charset=utf-8" });
        res.end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    // closeAllConnections: the SDK's keep-alive sockets would otherwise outlive the test (a jest worker then
    // cannot exit gracefully).
    return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => (server.close(() => r()), server.closeAllConnections())) };
  }

  /**
   * Request syntax and signature V3 (https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature):
   * action and version in x-acs-action / x-acs-version, parameters in the query (or a form body), payload hash in
   * x-acs-content-sha256, and `Authorization: ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=…,Signature=…`
   * over the canonical request; an STS token travels in x-acs-security-token.
   */
  private parseRequest(req: http.IncomingMessage, body: string): [string, Record<string, string>] {
    const h = req.headers;
    const url = new URL(req.url ?? "/", "http://fake");
    const params: Record<string, string> = {};
    url.searchParams.forEach((v, k) => (params[k] = v));
    if (body && String(h["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) new URLSearchParams(body).forEach((v, k) => (params[k] = v));
    if (h["x-acs-version"] !== "2014-05-15") throw new ApiRefusal(400, "InvalidVersion", `Specified parameter Version is not valid: ${String(h["x-acs-version"])}`);
    const action = String(h["x-acs-action"] ?? "");
    const auth = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]+)$/.exec(String(h.authorization ?? ""));
    if (!auth) throw new ApiRefusal(400, "MissingAuthorization", "Authorization header missing or malformed");
    if (auth[1] !== this.credentials.accessKeyId) throw new ApiRefusal(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
    if (this.credentials.securityToken !== undefined && h["x-acs-security-token"] !== this.credentials.securityToken) throw new ApiRefusal(400, "InvalidSecurityToken.Mismatch", "Specified SecurityToken is not valid.");
    const payloadHash = createHash("sha256").update(body).digest("hex");
    if (h["x-acs-content-sha256"] !== payloadHash) throw new ApiRefusal(400, "IncompleteSignature", "x-acs-content-sha256 does not match the body");
    const signed = auth[2].split(";");
    for (const need of ["host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"]) {
      if (!signed.includes(need)) throw new ApiRefusal(400, "IncompleteSignature", `${need} must be signed`);
    }
    const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    const query = [...url.searchParams.keys()].sort().map((k) => `${enc(k)}=${enc(url.searchParams.get(k) ?? "")}`).join("&");
    const headers = signed.map((k) => `${k}:${String(h[k] ?? "").trim()}\n`).join("");
    const canonical = [req.method, url.pathname, query, headers, signed.join(";"), payloadHash].join("\n");
    const toSign = `ACS3-HMAC-SHA256\n${createHash("sha256").update(canonical).digest("hex")}`;
    const expected = createHmac("sha256", this.credentials.accessKeySecret).update(toSign).digest("hex");
    if (expected !== auth[3]) throw new ApiRefusal(400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.");
    return [action, params];
  }
}

/** A fake account with one ACK-style API server CLB (TCP 6443, no ACL) and one ACL, in cn-beijing. */
export function apiServerAccount(): FakeSlb {
  return new FakeSlb(
    { "lb-2zeapiserver0000000001": { region: "cn-beijing", listeners: { 6443: { protocol: "tcp", aclStatus: "off" } } } },
    { "acl-2zeallow000000000001": { region: "cn-beijing" }, "acl-2zeallow000000000002": { region: "cn-beijing" }, "acl-2zeforeign0000000001": { region: "cn-beijing" } },
  );
}
