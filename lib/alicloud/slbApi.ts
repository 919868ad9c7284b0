/**
 * What this project relies on from the Classic Load Balancer (CLB, formerly SLB) API, version 2014-05-15:
 * the endpoint of a region, the credentials the alicloud provider itself would use, the error codes that mean
 * "not found" or "busy, retry", and a retrying wrapper around one API call.
 *
 * Pure module: no cloud SDK imports; the SDK call is injected (components/apiServerAcl.ts).
 */

/** API version of CLB (https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-endpoint). */
export const SLB_API_VERSION = "2014-05-15";

/** The two operations the API server allow-list uses. */
export const SLB_ACTIONS = {
  /** https://www.alibabacloud.com/help/doc-detail/27607.htm */
  describeTcpListener: "DescribeLoadBalancerTCPListenerAttribute",
  /** https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-setloadbalancertcplistenerattribute */
  setTcpListener: "SetLoadBalancerTCPListenerAttribute",
} as const;

/** Request parameters as they go on the wire (every value a string). */
export type SlbParams = Readonly<Record<string, string>>;
/** One CLB API call: action and parameters in, the response body out; failures throw {@link slbError}. */
export type SlbCall = (action: string, params: SlbParams) => Promise<Record<string, unknown>>;

/** An error answer of the CLB API (its `Code`, `Message` and `RequestId`); carries no credential. */
export interface SlbError extends Error {
  code: string;
  apiMessage: string;
  requestId?: string;
}

/**
 * A plain `Error` with the API's fields. Not a subclass: the dynamic provider is shipped through Pulumi's
 * closure serializer, which does not keep an `Error` subclass's prototype chain (the engine would print
 * "[object Object]").
 */
export function slbError(code: string, apiMessage: string, requestId?: string): SlbError {
  const e = new Error(`${code}: ${apiMessage}${requestId ? ` (RequestId ${requestId})` : ""}`) as SlbError;
  e.name = "SlbError";
  e.code = code;
  e.apiMessage = apiMessage;
  if (requestId !== undefined) e.requestId = requestId;
  return e;
}

/** True for an error made by {@link slbError}. */
export function isSlbError(e: unknown): e is SlbError {
  return e instanceof Error && typeof (e as Partial<SlbError>).code === "string" && typeof (e as Partial<SlbError>).apiMessage === "string";
}

/**
 * Codes the alicloud provider retries on for CLB: `SlbIsBusy` (terraform-provider-alicloud alicloud/errors.go:40)
 * and `OperationFailed.ListenerStatusNotSupport`, retried around SetLoadBalancer*ListenerAttribute
 * (alicloud/resource_alicloud_slb_listener.go:779).
 */
export const SLB_RETRY_CODES: readonly string[] = ["SystemBusy", "OperationBusy", "ServiceIsStopping", "BackendServer.configuring", "ServiceIsConfiguring", "OperationFailed.ListenerStatusNotSupport"];

/**
 * "Not found" answers: an unknown load balancer is `InvalidLoadBalancerId.NotFound`
 * (alicloud/service_alicloud_slb.go:54,160); a load balancer without a listener on that port and protocol
 * answers with the message "The specified resource does not exist" (service_alicloud_slb.go:197, matched
 * on the message like the provider's IsExpectedErrors, errors.go:136-141).
 */
export function isSlbNotFound(e: unknown): boolean {
  return isSlbError(e) && (e.code === "InvalidLoadBalancerId.NotFound" || e.apiMessage.includes("The specified resource does not exist"));
}

/** Retries `call` while the API answers with one of {@link SLB_RETRY_CODES}, like the provider's 5-minute `resource.Retry`. */
export function withSlbRetry(call: SlbCall, opts: { attempts?: number; delayMs?: number; sleep?: (ms: number) => Promise<void> } = {}): SlbCall {
  const attempts = opts.attempts ?? 30;
  const delayMs = opts.delayMs ?? 10_000;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return async (action, params) => {
    for (let i = 1; ; i++) {
      try {
        return await call(action, params);
      } catch (e) {
        if (!isSlbError(e) || !SLB_RETRY_CODES.includes(e.code) || i >= attempts) throw e;
        await sleep(delayMs);
      }
    }
  };
}

/**
 * The CLB endpoint of a region: `slb.aliyuncs.com` for cn-hangzhou, `slb.<region>.aliyuncs.com` elsewhere
 * (CLB "Endpoints" page above). `ALIBABA_CLOUD_ENDPOINT_SLB` or `SLB_ENDPOINT` override it, the variables the
 * alicloud provider reads first (alicloud/connectivity/endpoint.go `loadEndpoint`); a value may carry
 * `http://` (a local test double), otherwise HTTPS is used.
 */
export function slbEndpoint(region: string, env: Readonly<Record<string, string | undefined>>): { host: string; protocol: "HTTPS" | "HTTP" } {
  const override = (env.ALIBABA_CLOUD_ENDPOINT_SLB ?? env.SLB_ENDPOINT ?? "").trim();
  if (override) {
    const m = /^(https?):\/\/(.+?)\/?$/i.exec(override);
    return m ? { host: m[2], protocol: m[1].toLowerCase() === "http" ? "HTTP" : "HTTPS" } : { host: override, protocol: "HTTPS" };
  }
  return { host: region === "cn-hangzhou" ? "slb.aliyuncs.com" : `slb.${region}.aliyuncs.com`, protocol: "HTTPS" };
}

/** An AccessKey pair (and STS token). Never stored in state: resolved at call time. */
export interface SlbCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

/**
 * Environment variables of the alicloud provider, in its order (terraform-provider-alicloud alicloud/provider.go:35-47,
 * `MultiEnvDefaultFunc`); stack config `alicloud:accessKey` / `secretKey` / `securityToken` wins, as it does for
 * the provider (@pulumi/alicloud config/vars.js).
 */
export const CREDENTIAL_SOURCES = {
  accessKeyId: { config: "alicloud:accessKey", env: ["ALICLOUD_ACCESS_KEY", "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABACLOUD_ACCESS_KEY_ID"] },
  accessKeySecret: { config: "alicloud:secretKey", env: ["ALICLOUD_SECRET_KEY", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABACLOUD_ACCESS_KEY_SECRET"] },
  securityToken: { config: "alicloud:securityToken", env: ["ALICLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_SECURITY_TOKEN", "ALIBABACLOUD_SECURITY_TOKEN"] },
} as const;

/** Credentials from stack config, then the environment; throws naming the variables when there are none. */
export function resolveSlbCredentials(config: Readonly<Record<string, string | undefined>>, env: Readonly<Record<string, string | undefined>>): SlbCredentials {
  const pick = (k: keyof typeof CREDENTIAL_SOURCES): string | undefined => {
    const s = CREDENTIAL_SOURCES[k];
    return [config[s.config], ...s.env.map((v) => env[v])].find((v) => v !== undefined && v !== "");
  };
  const accessKeyId = pick("accessKeyId");
  const accessKeySecret = pick("accessKeySecret");
  if (!accessKeyId || !accessKeySecret) {
    throw new Error(
      "API server allow-list: no Alibaba Cloud AccessKey for the CLB API; set ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY " +
        "(and ALICLOUD_SECURITY_TOKEN for STS), or alicloud:accessKey / alicloud:secretKey in the stack config. " +
        "Profiles, assumed roles and ECS RAM roles of the alicloud provider are not supported here.",
    );
  }
  const securityToken = pick("securityToken");
  return securityToken ? { accessKeyId, accessKeySecret, securityToken } : { accessKeyId, accessKeySecret };
}
