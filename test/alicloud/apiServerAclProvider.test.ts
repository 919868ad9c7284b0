/**
 * The dynamic provider as `pulumi up` runs it: serialized by Pulumi's closure serializer, loaded back the way
 * the engine's dynamic-provider host loads it (require-from-string, then `configure` with the stack config),
 * and driven through the real SDK (@alicloud/openapi-client) against the strict fake served on loopback, which
 * checks the V3 request syntax and signature. Also: the serialized text carries no credential.
 */
import * as pulumi from "@pulumi/pulumi";
import { apiServerAclProvider } from "../../components/apiServerAcl";
import { apiServerAccount, type FakeSlb } from "./slbFake";

const LB = "lb-2zeapiserver0000000001";
const inputs = { region: "cn-beijing", loadBalancerId: LB, listenerPort: 6443, aclId: "acl-2zeallow000000000001", aclType: "white" };
type Provider = typeof apiServerAclProvider;

const SENTINELS = { ALICLOUD_ACCESS_KEY: "LTAIsentinelsentinel99", ALICLOUD_SECRET_KEY: "sentinel-secret-must-not-serialize", ALICLOUD_SECURITY_TOKEN: "sentinel-token-must-not-serialize" };
let text = "";
let containsSecrets = true;
let fake: FakeSlb;
let server: { url: string; close: () => Promise<void> };
// The loaded provider runs outside jest's sandbox (require-from-string compiles it as a real module), so its
// `process` is Node's own, not the sandbox copy this file sees.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const requireFromString = require("require-from-string") as (code: string) => unknown;
const realProcess = requireFromString("module.exports = process") as NodeJS.Process;
const saved = { ...realProcess.env };
const setEnv = (env: Record<string, string>) => (realProcess.env = { ...saved, ...env });

beforeAll(async () => {
  Object.assign(process.env, SENTINELS);
  Object.assign(realProcess.env, SENTINELS);
  const sf = await pulumi.runtime.serializeFunction(() => apiServerAclProvider, { allowSecrets: true });
  text = sf.text;
  containsSecrets = sf.containsSecrets;
  fake = apiServerAccount();
  server = await fake.serve();
}, 60000);

afterAll(async () => {
  realProcess.env = saved;
  await server.close();
});

/** A fresh provider from the serialized text, configured like the engine does (cmd/dynamic-provider getProvider). */
async function load(config: Record<string, string>): Promise<Provider> {
  const p = (requireFromString(text) as { handler: () => Provider }).handler();
  await p.configure({ config: { get: (k: string) => config[k], require: (k: string) => config[k] } });
  return p;
}

describe("serialized ApiServerAcl provider", () => {
  it("captures no credential from the environment and no secret", () => {
    expect(containsSecrets).toBe(false);
    for (const v of Object.values(SENTINELS)) expect(text).not.toContain(v);
    expect(text).toContain('require("@alicloud/openapi-client');
  });

  it("create → read → update → delete through the SDK, credentials from the stack config", async () => {
    setEnv({ ALIBABA_CLOUD_ENDPOINT_SLB: server.url });
    const p = await load({ "alicloud:accessKey": fake.credentials.accessKeyId, "alicloud:secretKey": fake.credentials.accessKeySecret });
    expect((await p.check({}, inputs)).failures).toEqual([]);
    const created = await p.create(inputs);
    expect(created).toEqual({ id: `${LB}:6443`, outs: { ...inputs, aclStatus: "on" } });
    expect(fake.lbs[LB].listeners[6443]).toEqual({ protocol: "tcp", aclStatus: "on", aclType: "white", aclId: inputs.aclId });
    // Nothing secret in what Pulumi stores.
    expect(JSON.stringify(created)).not.toMatch(/LTAI|secret/i);

    fake.lbs[LB].listeners[6443].aclStatus = "off";
    const read = await p.read(created.id, created.outs);
    expect(read).toEqual({ id: created.id, props: { ...inputs, aclStatus: "off" } });
    expect(await p.diff(created.id, read.props!, inputs)).toEqual({ changes: true, replaces: [] });

    const next = { ...inputs, aclId: "acl-2zeallow000000000002" };
    await expect(p.update(created.id, read.props!, next)).resolves.toEqual({ outs: { ...next, aclStatus: "on" } });
    await p.delete(created.id, { ...next, aclStatus: "on" });
    expect(fake.lbs[LB].listeners[6443]).toMatchObject({ aclStatus: "off" });
  });

  it("uses an STS token from ALICLOUD_SECURITY_TOKEN, and the fake refuses a wrong signature", async () => {
    fake.credentials.securityToken = "sts-token-0001";
    setEnv({ ALIBABA_CLOUD_ENDPOINT_SLB: server.url, ALICLOUD_ACCESS_KEY: fake.credentials.accessKeyId, ALICLOUD_SECRET_KEY: fake.credentials.accessKeySecret, ALICLOUD_SECURITY_TOKEN: "sts-token-0001" });
    const p = await load({});
    await expect(p.create(inputs)).resolves.toMatchObject({ outs: { aclStatus: "on" } });
    realProcess.env.ALICLOUD_SECRET_KEY = "wrong";
    await expect(p.create(inputs)).rejects.toMatchObject({ code: "SignatureDoesNotMatch" });
    fake.credentials.securityToken = undefined;
  });

  it("errors name the API's code and request id, never the key or the URL's signature", async () => {
    setEnv({ ALIBABA_CLOUD_ENDPOINT_SLB: server.url, ALICLOUD_ACCESS_KEY: fake.credentials.accessKeyId, ALICLOUD_SECRET_KEY: fake.credentials.accessKeySecret });
    const p = await load({});
    fake.lbs[LB].listeners[6443] = { protocol: "tcp", aclStatus: "off" };
    const err = await p.create({ ...inputs, aclId: "acl-2zenothere000000001" }).catch((e: Error) => e);
    expect(String(err)).toMatch(/AclNotExist: The specified acl acl-2zenothere000000001 does not exist\. \(RequestId FAKE-REQUEST-ID\)/);
    expect(String(err)).not.toContain(fake.credentials.accessKeySecret);
    await expect(p.create({ ...inputs, loadBalancerId: "lb-2zenothere0000000001" })).rejects.toThrow(/not found/);
    setEnv({ ALIBABA_CLOUD_ENDPOINT_SLB: server.url });
    await expect(p.create(inputs)).rejects.toThrow(/no Alibaba Cloud AccessKey/);
  });
});
