/**
 * Deterministic mocks for Pulumi's mock runtime: realistic ids (`vpc-…`, `c…`), plausible computed
 * outputs (SNAT table ids, EIP addresses, Kubernetes autonames), and a fake kubeconfig for the one
 * invoke the program makes. Ids derive from a hash of type and name, so the same config yields
 * byte-identical plan files. Unknown invokes throw: a new data-source call must be mocked on purpose.
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";

/** One resource the mock engine saw: what `pulumi up` would send to the provider. */
export interface MockRegistration {
  type: string;
  name: string;
  /** Inputs as the provider would receive them; secrets are wrapped in Pulumi's secret signature. */
  inputs: Record<string, unknown>;
  /** Provider reference `urn::id`, when the resource has one (explicit or inherited). */
  provider?: string;
  custom: boolean;
  /** Name Pulumi's Kubernetes provider would assign (autonaming) when metadata.name is unset. */
  autoName?: string;
}

/** Short stable hex digest of the given parts. */
export function stableHash(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex");
}

const ID_PREFIX: Record<string, string> = {
  "alicloud:vpc/network:Network": "vpc-",
  "alicloud:vpc/switch:Switch": "vsw-",
  "alicloud:ecs/securityGroup:SecurityGroup": "sg-",
  "alicloud:ecs/securityGroupRule:SecurityGroupRule": "sgr-",
  "alicloud:vpc/natGateway:NatGateway": "ngw-",
  "alicloud:ecs/eipAddress:EipAddress": "eip-",
  "alicloud:ecs/eipAssociation:EipAssociation": "eip-assoc-",
  "alicloud:vpc/snatEntry:SnatEntry": "snat-",
  "alicloud:cs/managedKubernetes:ManagedKubernetes": "c",
  "alicloud:cs/nodePool:NodePool": "np",
  "alicloud:cs/kubernetesAddon:KubernetesAddon": "addon-",
  "alicloud:clickhouse/dbCluster:DbCluster": "cc-",
  // RAM AccessKey IDs are 24 characters (LTAI5t + 18); the mock keeps that length.
  "alicloud:ram/accessKey:AccessKey": "LTAI5t",
};

/** A fake, syntactically valid kubeconfig (no credentials). */
export function fakeKubeconfig(clusterId: string): string {
  return [
    "apiVersion: v1",
    "kind: Config",
    `clusters: [{name: ${clusterId}, cluster: {server: "https://${clusterId}.mock.invalid:6443"}}]`,
    `contexts: [{name: ${clusterId}, context: {cluster: ${clusterId}, user: mock}}]`,
    `current-context: ${clusterId}`,
    "users: [{name: mock, user: {token: mock-token}}]",
    "",
  ].join("\n");
}

/** Mock implementation handed to `pulumi.runtime.setMocks`; records every registration. */
export class PlanMocks implements pulumi.runtime.Mocks {
  public readonly registrations: MockRegistration[] = [];

  /** @param stackOutputs outputs returned for `StackReference`s, by referenced stack name. */
  constructor(private readonly stackOutputs: Readonly<Record<string, Record<string, unknown>>> = {}) {}

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
    this.registrations.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider || undefined, custom: args.custom ?? true });
    const h = stableHash(args.type, args.name);
    const state: Record<string, unknown> = { ...args.inputs };
    if (args.type.startsWith("kubernetes:") && args.type !== "pulumi:providers:kubernetes") {
      return { id: this.kubernetesId(args, h, state), state };
    }
    switch (args.type) {
      case "pulumi:pulumi:StackReference": {
        const ref = String(args.inputs.name);
        const outputs = this.stackOutputs[ref];
        if (!outputs) throw new Error(`no mocked outputs for stack reference "${ref}" (pass them with --stack-outputs)`);
        return { id: ref, state: { name: ref, outputs, secretOutputNames: [] } };
      }
      case "alicloud:vpc/natGateway:NatGateway":
        state.snatTableIds = `stb-${h.slice(0, 20)}`;
        state.forwardTableIds = `ftb-${h.slice(0, 20)}`;
        break;
      case "alicloud:ecs/eipAddress:EipAddress":
        state.ipAddress = `47.${parseInt(h.slice(0, 2), 16)}.${parseInt(h.slice(2, 4), 16)}.${parseInt(h.slice(4, 6), 16)}`;
        break;
      // Random strings and passwords: lowercase hex of the stated length (valid in bucket names too).
      case "random:index/randomString:RandomString":
      case "random:index/randomPassword:RandomPassword":
        state.result = stableHash("random-string", args.name).slice(0, Number(args.inputs.length ?? 16));
        break;
      case "alicloud:clickhouse/dbCluster:DbCluster":
        state.connectionString = `cc-${h.slice(0, 16)}.clickhouse.ads.aliyuncs.com`;
        break;
      case "alicloud:ram/accessKey:AccessKey":
        state.secret = `mock-secret-${h.slice(0, 12)}`;
        break;
      case "random:index/randomBytes:RandomBytes": {
        const bytes = Buffer.from(stableHash("random-bytes", args.name), "hex").subarray(0, Number(args.inputs.length ?? 8));
        state.base64 = bytes.toString("base64");
        state.hex = bytes.toString("hex");
        break;
      }
    }
    const prefix = ID_PREFIX[args.type];
    const idLength = args.type === "alicloud:ram/accessKey:AccessKey" ? 18 : 20;
    return { id: prefix !== undefined ? `${prefix}${h.slice(0, idLength)}` : `${args.name}-${h.slice(0, 8)}`, state };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    if (args.token === "alicloud:cs/getClusterCredential:getClusterCredential") {
      const clusterId = String(args.inputs.clusterId);
      return { id: clusterId, clusterId, clusterName: clusterId, kubeConfig: fakeKubeconfig(clusterId), expiration: "2029-01-01T00:00:00Z", certificateAuthority: {} };
    }
    throw new Error(`unexpected invoke ${args.token}: add a deterministic mock for it in lib/plan/mocks.ts`);
  }

  /** Kubernetes objects: autoname like Pulumi (`<name>-<suffix>`) when metadata.name is unset. */
  private kubernetesId(args: pulumi.runtime.MockResourceArgs, h: string, state: Record<string, unknown>): string {
    const meta = { ...((state.metadata as Record<string, unknown> | undefined) ?? {}) };
    const isComponentLike = args.type.startsWith("kubernetes:yaml") || args.type.startsWith("kubernetes:helm");
    if (!isComponentLike && meta.name === undefined) {
      meta.name = `${args.name}-${h.slice(0, 8)}`;
      const reg = this.registrations[this.registrations.length - 1];
      if (reg && reg.type === args.type && reg.name === args.name) reg.autoName = String(meta.name);
    }
    if (!isComponentLike) state.metadata = meta;
    return meta.namespace ? `${String(meta.namespace)}/${String(meta.name)}` : String(meta.name ?? args.name);
  }
}
