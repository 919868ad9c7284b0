/**
 * AckCluster: the managed Kubernetes control plane, its kubeconfig (a secret) and a Kubernetes provider
 * for every later component.
 */
import * as alicloud from "@pulumi/alicloud";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AckAddon } from "../lib/ack";

/** Arguments of {@link AckCluster}. */
export interface AckClusterArgs {
  /** ACK Kubernetes version, e.g. 1.35.2-aliyun.1 (≥ 1.32, validated in config). */
  kubernetesVersion: string;
  /** ack.pro.small (default: SLA-backed control plane) or ack.standard. */
  clusterSpec: string;
  /** Node vSwitches (one per zone), from Network. */
  vswitchIds: pulumi.Input<string[]>;
  /** Terway pod vSwitches (one per zone), from Network. */
  podVswitchIds: pulumi.Input<string[]>;
  /** Security group the nodes join, from Network. */
  securityGroupId: pulumi.Input<string>;
  /** Kubernetes service CIDR; outside the VPC. */
  serviceCidr: string;
  /** Addons installed at creation (create-only), from `planAddons()`. */
  addons: readonly AckAddon[];
  /** ACK deletion protection (true in prod): the API refuses to delete the cluster. */
  deletionProtection: boolean;
  /** Expose the API server through an internet-facing SLB (needed when `pulumi up` runs outside the VPC). */
  apiServerPublic: boolean;
  /** Also set Pulumi `protect` on the cluster (prod). */
  protect: boolean;
  /** Tags on the cluster. */
  tags: Record<string, string>;
}

/** The ACK cluster of a stack and a Kubernetes provider bound to it. */
export class AckCluster extends pulumi.ComponentResource {
  public readonly clusterId: pulumi.Output<string>;
  /** Kubeconfig of the cluster (secret). */
  public readonly kubeconfig: pulumi.Output<string>;
  /** Kubernetes provider for every in-cluster resource; pass it as `providers: [provider]`. */
  public readonly provider: k8s.Provider;
  /** The cluster resource itself, for explicit `dependsOn` (node pools wait for its addons). */
  public readonly cluster: alicloud.cs.ManagedKubernetes;

  constructor(name: string, args: AckClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("threefs:index:AckCluster", name, {}, opts);
    this.cluster = new alicloud.cs.ManagedKubernetes(
      `${name}-cluster`,
      {
        name,
        clusterSpec: args.clusterSpec,
        version: args.kubernetesVersion,
        vswitchIds: args.vswitchIds,
        podVswitchIds: args.podVswitchIds,
        securityGroupId: args.securityGroupId,
        serviceCidr: args.serviceCidr,
        // IPVS scales to many Services without iptables chains; Alibaba's 3FS guide uses it.
        proxyMode: "ipvs",
        // Outbound internet comes from Network's explicit NAT gateway, visible in diffs.
        newNatGateway: false,
        slbInternetEnabled: args.apiServerPublic,
        deletionProtection: args.deletionProtection,
        addons: args.addons.map((a) => ({ name: a.name, config: a.config })),
        tags: args.tags,
      },
      // Addons and the API server's internet SLB are create-only in the ACK API; ignore later edits instead
      // of showing a diff that does nothing (change them through KubernetesAddon / the console).
      { parent: this, protect: args.protect, ignoreChanges: ["addons", "slbInternetEnabled"] },
    );
    this.clusterId = this.cluster.id;
    const credential = alicloud.cs.getClusterCredentialOutput({ clusterId: this.cluster.id }, { parent: this });
    this.kubeconfig = pulumi.secret(credential.kubeConfig);
    this.provider = new k8s.Provider(
      `${name}-k8s`,
      {
        kubeconfig: this.kubeconfig,
        // Identity of the target cluster: a refreshed kubeconfig (new certificate) must not replace
        // every Kubernetes resource, which is what a kubeconfig diff would otherwise do.
        clusterIdentifier: this.cluster.id,
        enableServerSideApply: true,
      },
      { parent: this },
    );
    this.registerOutputs({ clusterId: this.clusterId, kubeconfig: this.kubeconfig });
  }
}
