/**
 * ApiServerAcl: enforces an SLB access control list on the API server listener (TCP 6443) of an ACK
 * cluster, as a Pulumi dynamic resource (`pulumi-nodejs:dynamic:ApiServerAcl`; a dynamic resource's type
 * token always belongs to the `pulumi-nodejs` package, whose engine plugin runs it).
 *
 * ACK creates the CLB of the API server and its 6443 listener; the public and internal endpoints share
 * that listener, and an access control list on it is how access is restricted (ACK, "Configure API server
 * access control", https://www.alibabacloud.com/help/en/ack/cluster-access-control; the listener is TCP,
 * https://www.alibabacloud.com/help/doc-detail/141866.htm). No alicloud resource attaches an ACL to a
 * listener it did not create (aliyun/terraform-provider-alicloud#8290), so this resource calls the CLB API
 * itself — the life cycle is in lib/alicloud/listenerAcl.ts, tested against a strict fake of the API.
 *
 * Credentials are those of the alicloud provider (`alicloud:accessKey`/`secretKey`/`securityToken` stack
 * config, else ALICLOUD_ACCESS_KEY / ALICLOUD_SECRET_KEY / ALICLOUD_SECURITY_TOKEN), read when the
 * provider is configured or called: they are never inputs, outputs or captured by the serialized provider,
 * so they never reach the state. The SDK is Alibaba's generic OpenAPI client (@alicloud/openapi-client, the
 * base of every generated Alibaba Cloud TypeScript SDK; signature V3), called the way a generated RPC client
 * calls an action: POST, pathname "/", parameters in the query.
 */
import OpenApi, * as $OpenApi from "@alicloud/openapi-client";
import * as $Util from "@alicloud/tea-util";
import * as pulumi from "@pulumi/pulumi";
import { attachListenerAcl, checkListenerAcl, detachListenerAcl, diffListenerAcl, listenerAclId, refreshListenerAcl, type ListenerAclArgs, type ListenerAclState } from "../lib/alicloud/listenerAcl";
import { CREDENTIAL_SOURCES, resolveSlbCredentials, SLB_API_VERSION, slbEndpoint, slbError, withSlbRetry, type SlbCall } from "../lib/alicloud/slbApi";

/** Frontend port of the API server listener ACK creates. */
export const API_SERVER_LISTENER_PORT = 6443;

/** Type token of the resource (module-less dynamic resource named ApiServerAcl). */
export const API_SERVER_ACL_TYPE = "pulumi-nodejs:dynamic:ApiServerAcl";

/** How an unknown value reaches a dynamic provider during a preview (Pulumi's RPC sentinel). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** One CLB API call through the SDK; errors become {@link slbError} (code, message, request id: no URL, no key). */
export function sdkSlbCall(region: string, config: Readonly<Record<string, string | undefined>>, env: Readonly<Record<string, string | undefined>>): SlbCall {
  const creds = resolveSlbCredentials(config, env);
  const ep = slbEndpoint(region, env);
  const client = new OpenApi(new $OpenApi.Config({ ...creds, endpoint: ep.host, protocol: ep.protocol, regionId: region, readTimeout: 30_000, connectTimeout: 10_000 }));
  const call: SlbCall = async (action, params) => {
    try {
      const params_ = new $OpenApi.Params({ action, version: SLB_API_VERSION, protocol: ep.protocol, pathname: "/", method: "POST", authType: "AK", style: "RPC", reqBodyType: "formData", bodyType: "json" });
      const res = await client.callApi(params_, new $OpenApi.OpenApiRequest({ query: { ...params } }), new $Util.RuntimeOptions({ autoretry: true, maxAttempts: 3 }));
      return (res.body ?? {}) as Record<string, unknown>;
    } catch (e) {
      const err = e as { code?: unknown; message?: unknown; data?: Record<string, unknown> };
      if (err.data && typeof err.data.Code === "string") throw slbError(err.data.Code, String(err.data.Message ?? ""), typeof err.data.RequestId === "string" ? err.data.RequestId : undefined);
      throw new Error(`CLB API ${action} failed: ${String(err.message ?? e)}`);
    }
  };
  return withSlbRetry(call);
}

function argsOf(v: Record<string, unknown>): ListenerAclArgs {
  return { region: String(v.region), loadBalancerId: String(v.loadBalancerId), listenerPort: Number(v.listenerPort), aclId: String(v.aclId), aclType: v.aclType === "black" ? "black" : "white" };
}

/**
 * The provider. A plain object (not a class with fields, which Pulumi's closure serializer does not carry):
 * `config` holds the credential keys of the stack config, filled by `configure` (pulumi/pulumi#17697).
 */
export const apiServerAclProvider = {
  config: {} as Record<string, string | undefined>,
  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    for (const s of Object.values(CREDENTIAL_SOURCES)) this.config[s.config] = req.config.get(s.config);
  },
  async check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
    return { inputs: news, failures: checkListenerAcl(news, (v) => v === UNKNOWN) };
  },
  async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.DiffResult> {
    return diffListenerAcl(olds as Partial<ListenerAclState>, news as Partial<ListenerAclArgs>);
  },
  async create(inputs: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
    const a = argsOf(inputs);
    return { id: listenerAclId(a), outs: await attachListenerAcl(sdkSlbCall(a.region, this.config, process.env), a) };
  },
  async read(id: string, props: Record<string, unknown> | undefined): Promise<pulumi.dynamic.ReadResult> {
    if (props === undefined || props.region === undefined) throw new Error(`ApiServerAcl ${id}: import is not supported; let pulumi up create it`);
    const s = { ...argsOf(props), aclStatus: String(props.aclStatus) };
    const now = await refreshListenerAcl(sdkSlbCall(s.region, this.config, process.env), s);
    return now === undefined ? {} : { id, props: now };
  },
  async update(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.UpdateResult> {
    const a = argsOf(news);
    return { outs: await attachListenerAcl(sdkSlbCall(a.region, this.config, process.env), a, String(olds.aclId)) };
  },
  async delete(_id: string, props: Record<string, unknown>): Promise<void> {
    const s = { ...argsOf(props), aclStatus: String(props.aclStatus) };
    await detachListenerAcl(sdkSlbCall(s.region, this.config, process.env), s);
  },
};

/** Arguments of {@link ApiServerAcl}. */
export interface ApiServerAclArgs {
  /** Region of the cluster (alicloud:region). */
  region: pulumi.Input<string>;
  /** The API server's CLB (`alicloud.cs.ManagedKubernetes.slbId`). */
  loadBalancerId: pulumi.Input<string>;
  /** The ACL to enforce (`alicloud.slb.Acl.id`); populate it first (dependsOn its entries). */
  aclId: pulumi.Input<string>;
}

/** The API server listener enforcing an allow-list (AclType white). */
export class ApiServerAcl extends pulumi.dynamic.Resource {
  /** `on` while enforced (as last created, updated or refreshed). */
  public readonly aclStatus!: pulumi.Output<string>;

  constructor(name: string, args: ApiServerAclArgs, opts?: pulumi.CustomResourceOptions) {
    super(apiServerAclProvider, name, { region: args.region, loadBalancerId: args.loadBalancerId, listenerPort: API_SERVER_LISTENER_PORT, aclId: args.aclId, aclType: "white", aclStatus: undefined }, opts, undefined, "ApiServerAcl");
  }
}
