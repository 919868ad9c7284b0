import { findUnmarkedSecrets } from "../../lib/plan/secretScan";
import { PlanMocks } from "../../lib/plan/mocks";
import { committedStacks } from "./stacks";

describe("findUnmarkedSecrets", () => {
  it("finds PEM keys, AccessKeys, kubeconfig tokens and credential fields that are not secret", () => {
    const found = findUnmarkedSecrets({
      a: "-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----",
      b: ["LTAI5tFakeFakeFake1234"],
      c: { kubeconfig: "apiVersion: v1" },
      d: "users: [{name: x, user: {token: abc}}]",
      e: { stringData: { token: "plain" } },
      f: { id: "ak-id", secret: "plainSecretOfAnAccessKey" }, // alicloud.ram.AccessKey's `secret` output
    });
    expect(found).toHaveLength(6);
    expect(found).toContain("$.f.secret: credential field outside a secret");
  });

  it("accepts redacted values and empty certificate fields", () => {
    expect(findUnmarkedSecrets({ kubeconfig: { value: "[secret]", secret: true }, token: "[secret]", certificateAuthority: { clientKey: "", clientCert: "" }, stringData: { token: "[secret]" }, tokenSecretName: "x" })).toEqual([]);
    // outputs.json rows: the boolean flag named `secret` is not a credential.
    expect(findUnmarkedSecrets({ bucket: { value: "b", secret: false }, key: { value: "[secret]", secret: true }, ak: { secret: "[secret]" } })).toEqual([]);
  });

  it("catches the certificate authority the provider stores unless skipSetCertificateAuthority (mock as strict as setCerts)", () => {
    const mocks = new PlanMocks();
    const args = (inputs: Record<string, unknown>) => ({ type: "alicloud:cs/managedKubernetes:ManagedKubernetes", name: "c", inputs, custom: true, id: "" });
    const kept = mocks.newResource(args({})).state;
    expect(findUnmarkedSecrets(kept)).toEqual([expect.stringMatching(/^\$\.certificateAuthority\.clientKey: /)]);
    expect(findUnmarkedSecrets(mocks.newResource(args({ skipSetCertificateAuthority: true })).state)).toEqual([]);
  });

  it("every committed stack has a plan test", () => {
    const fs = jest.requireActual<typeof import("node:fs")>("node:fs");
    for (const s of committedStacks()) expect(fs.existsSync(`${__dirname}/stack-${s}.test.ts`)).toBe(true);
  });
});
