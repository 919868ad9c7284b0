/**
 * Deterministic mocks for Pulumi's mock runtime: realistic ids (`vpc-…`, `c…`), plausible computed
 * outputs (SNAT table ids, EIP addresses, Kubernetes autonames), and a fake kubeconfig for the one
 * invoke the program makes. Ids derive from a hash of type and name, so the same config yields
 * byte-identical plan files. Unknown invokes throw: a new data-source call must be mocked on purpose.
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import account from "./tables/account.json";
import ackVersions from "./tables/ack-versions.json";
import regions from "./tables/regions.json";

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
  /** What the provider would return and Pulumi store as the resource's state (outputs). */
  state?: Record<string, unknown>;
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
  "alicloud:slb/acl:Acl": "acl-",
};

/**
 * A fake certificate authority, shaped like what the provider stores in `certificateAuthority` when
 * `skipSetCertificateAuthority` is not set (service_alicloud_cs.go setCerts:1194-1204): the PEM headers are
 * real so that the plan's secret scan would catch them; the bodies are not key material.
 */
const FAKE_CA = {
  clusterCert: "-----BEGIN CERTIFICATE-----\nbW9jaw==\n-----END CERTIFICATE-----\n",
  clientCert: "-----BEGIN CERTIFICATE-----\nbW9jaw==\n-----END CERTIFICATE-----\n",
  clientKey: "-----BEGIN RSA PRIVATE KEY-----\nbW9jaw==\n-----END RSA PRIVATE KEY-----\n",
};

type RegionTable = { zones: Record<string, { resources: string[]; diskCategories: string[] }>; instanceTypes: Record<string, { family: string; cpuCoreCount: number; memorySize: number; zones: string[] }> };

/** Refuses an argument value outside the provider's validation (terraform-provider-alicloud data sources). */
function oneOf(token: string, field: string, value: unknown, allowed: readonly string[]): void {
  if (value !== undefined && !allowed.includes(String(value))) throw new Error(`${token}: expected ${field} to be one of ${allowed.join(", ")}, got ${String(value)}`);
}

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

  /**
   * @param stackOutputs outputs returned for `StackReference`s, by referenced stack name.
   * @param region the stack's `alicloud:region`: data sources answer for this region only, like the provider.
   */
  constructor(
    private readonly stackOutputs: Readonly<Record<string, Record<string, unknown>>> = {},
    private readonly region = "cn-beijing",
  ) {}

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
    const h = stableHash(args.type, args.name);
    const state: Record<string, unknown> = { ...args.inputs };
    this.registrations.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider || undefined, custom: args.custom ?? true, state });
    if (args.type.startsWith("kubernetes:") && args.type !== "pulumi:providers:kubernetes") {
      const id = this.kubernetesId(args, h, state);
      // The token controller fills a ServiceAccount token Secret's data (token, ca.crt, namespace) and the
      // provider waits for it (pulumi-kubernetes provider/pkg/await/awaiters.go, untilCoreV1SecretInitialized):
      // https://kubernetes.io/docs/concepts/configuration/secret/#serviceaccount-token-secrets
      if (args.type === "kubernetes:core/v1:Secret" && args.inputs.type === "kubernetes.io/service-account-token") {
        const b64 = (v: string) => Buffer.from(v).toString("base64");
        const meta = state.metadata as { namespace?: string };
        state.data = { token: b64(`mock-sa-token-${h.slice(0, 16)}`), "ca.crt": b64("mock-ca"), namespace: b64(String(meta.namespace ?? "default")) };
      }
      return { id, state };
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
      case "alicloud:cs/managedKubernetes:ManagedKubernetes":
        // setCerts (service_alicloud_cs.go:1194-1204): empty strings when skipped, else the kubeconfig's certificates.
        state.certificateAuthority = args.inputs.skipSetCertificateAuthority === true ? { clusterCert: "", clientCert: "", clientKey: "" } : { ...FAKE_CA };
        state.slbId = `lb-${h.slice(0, 20)}`;
        break;
      case "pulumi-nodejs:dynamic:ApiServerAcl":
        // components/apiServerAcl.ts: id `<lb>:<port>`, state = inputs + the AclStatus the listener reports
        // after create (lib/alicloud/listenerAcl.ts attachListenerAcl). The inputs carry no credential.
        for (const k of Object.keys(args.inputs)) {
          if (!["__provider", "region", "loadBalancerId", "listenerPort", "aclId", "aclType"].includes(k)) throw new Error(`ApiServerAcl ${args.name}: unexpected input ${k}`);
        }
        state.aclStatus = "on";
        return { id: `${String(args.inputs.loadBalancerId)}:${String(args.inputs.listenerPort)}`, state };
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
    const answer = this.dataSource(args.token, args.inputs as Record<string, unknown>);
    if (answer !== undefined) return answer;
    throw new Error(`unexpected invoke ${args.token}: add a deterministic mock for it in lib/plan/mocks.ts`);
  }

  /**
   * The data sources of the preview checks (lib/alicloud/preflight.ts), answered from the committed tables
   * (lib/plan/tables) and as strict as the provider: argument values outside its validation throw, unknown
   * regions fail, unknown ids and types come back empty.
   */
  private dataSource(token: string, a: Record<string, unknown>): Record<string, unknown> | undefined {
    const table = (regions.regions as Record<string, RegionTable>)[this.region];
    const region = () => {
      // DescribeZones of a region the account cannot reach: data_source_alicloud_zones.go:423-425.
      if (table === undefined) throw new Error(`${token}: There are no availability zones in the region: ${this.region}`);
      return table;
    };
    switch (token) {
      case "alicloud:cs/getKubernetesVersion:getKubernetesVersion": {
        // data_source_alicloud_cs_kubernetes_version.go:19-33 validates cluster_type and profile.
        oneOf(token, "clusterType", a.clusterType, ackVersions.clusterTypes);
        oneOf(token, "profile", a.profile, ackVersions.profiles);
        const list = ackVersions.versions.filter((v) => a.kubernetesVersion === undefined || v.version === a.kubernetesVersion);
        return { id: "versions", clusterType: a.clusterType, metadatas: list };
      }
      case "alicloud:index/getZones:getZones": {
        oneOf(token, "availableResourceCreation", a.availableResourceCreation, ["Instance", "Disk", "VSwitch", "Rds", "KVStore", "FunctionCompute", "Elasticsearch", "Slb"]);
        const t = region();
        const ids = Object.entries(t.zones)
          .filter(([, z]) => a.availableResourceCreation === undefined || z.resources.includes(String(a.availableResourceCreation)))
          .filter(([, z]) => a.availableDiskCategory === undefined || z.diskCategories.includes(String(a.availableDiskCategory)))
          .filter(([id]) => a.availableInstanceType === undefined || t.instanceTypes[String(a.availableInstanceType)]?.zones.includes(id) === true)
          .map(([id]) => id)
          .sort(); // data_source_alicloud_zones.go:495-498 sorts the ids
        return { id: stableHash(token, JSON.stringify(a)).slice(0, 12), ids, zones: ids.map((id) => ({ id, availableDiskCategories: t.zones[id].diskCategories, availableResourceCreations: t.zones[id].resources })) };
      }
      case "alicloud:ecs/getInstanceTypes:getInstanceTypes": {
        const t = region();
        const list = Object.entries(t.instanceTypes)
          .filter(([id]) => a.instanceType === undefined || id === a.instanceType)
          .filter(([, v]) => a.availabilityZone === undefined || v.zones.includes(String(a.availabilityZone)))
          .map(([id, v]) => ({ id, family: v.family, cpuCoreCount: v.cpuCoreCount, memorySize: v.memorySize, availabilityZones: v.zones }));
        return { id: stableHash(token, JSON.stringify(a)).slice(0, 12), ids: list.map((x) => x.id), instanceTypes: list };
      }
      case "alicloud:vpc/getNetworks:getNetworks": {
        const ids = (a.ids as string[] | undefined) ?? [];
        const vpcs = account.vpcs.filter((v) => v.regionId === this.region && ids.includes(v.id));
        return { id: "vpcs", ids: vpcs.map((v) => v.id), vpcs };
      }
      case "alicloud:vpc/getSwitches:getSwitches": {
        const ids = (a.ids as string[] | undefined) ?? [];
        const vswitches = account.vswitches.filter((v) => ids.includes(v.id) && account.vpcs.some((p) => p.id === v.vpcId && p.regionId === this.region));
        return { id: "vswitches", ids: vswitches.map((v) => v.id), vswitches };
      }
      case "alicloud:cs/getManagedKubernetesClusters:getManagedKubernetesClusters": {
        const ids = (a.ids as string[] | undefined) ?? [];
        const clusters = account.clusters.filter((c) => ids.includes(c.id) && account.vpcs.some((p) => p.id === c.vpcId && p.regionId === this.region));
        return { id: "clusters", ids: clusters.map((c) => c.id), names: clusters.map((c) => c.name), clusters };
      }
    }
    return undefined;
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
