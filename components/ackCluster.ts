/**
 * AckCluster: the managed Kubernetes control plane (or an existing cluster), its kubeconfig (a secret), a
 * Kubernetes provider for every later component, the API server allow-list and the Terway ENI whitelist
 * the eRDMA nodes read.
 */
import * as alicloud from "@pulumi/alicloud";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AckAddon } from "../lib/ack";
import { ACK_CONTROL_PLANE_CIDR } from "../lib/alicloud/limits";
import { kubeconfigServer } from "../lib/k8s/kubeconfig";
import { ApiServerAcl } from "./apiServerAcl";

/** Arguments of {@link AckCluster}. */
export interface AckClusterArgs {
  /** Region of the stack (alicloud:region): where the API server's load balancer lives. */
  region: string;
  /** ACK Kubernetes version, e.g. 1.35.2-aliyun.1 (≥ 1.32, validated in config, creatable: checked at preview). */
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
  /** kube-proxy mode (create-only in the ACK API). */
  proxyMode: "iptables" | "ipvs" | "nftables";
  /** Addons installed at creation (create-only), from `planAddons()`. */
  addons: readonly AckAddon[];
  /** ACK deletion protection (true in prod): the API refuses to delete the cluster. */
  deletionProtection: boolean;
  /** Expose the API server through an internet-facing SLB (needed when `pulumi up` runs outside the VPC). */
  apiServerPublic: boolean;
  /** Allow-list of the API server listener (empty: no access control list, the listener admits every source). */
  apiServerAllowedCidrs: readonly string[];
  /** The VPC's CIDR block (always admitted by the allow-list: nodes reach the API server through the VPC). */
  vpcCidr: pulumi.Input<string>;
  /**
   * Use an existing cluster instead of creating one: by id (its kubeconfig fetched with cs.getClusterCredential),
   * by kubeconfig (a secret: used as given), or both (the id for node pools, the kubeconfig for access).
   */
  existing?: { clusterId?: pulumi.Input<string>; kubeconfig?: pulumi.Input<string> };
  /** Name of the kube-system ConfigMap with the Terway ENI whitelist, and its `eni_conf` content. */
  terwayConfig: { name: string; eniConf: Record<string, unknown> };
  /** Also set Pulumi `protect` on the cluster (prod). */
  protect: boolean;
  /** Tags on the cluster. */
  tags: pulumi.Input<Record<string, string>>;
}

/** The cluster identity of a user-supplied kubeconfig: its API server (validated in config; the offline plan cannot decrypt it). */
function identityOf(kubeconfig: string): string {
  const k = kubeconfigServer(kubeconfig);
  return "server" in k ? k.server : "existing-kubeconfig";
}

/** The ACK cluster of a stack and a Kubernetes provider bound to it. */
export class AckCluster extends pulumi.ComponentResource {
  /** The ACK cluster id; "" for an existing cluster given by kubeconfig alone. */
  public readonly clusterId: pulumi.Output<string>;
  /** Kubeconfig of the cluster (secret). */
  public readonly kubeconfig: pulumi.Output<string>;
  /** Kubernetes provider for every in-cluster resource; pass it as `providers: [provider]`. */
  public readonly provider: k8s.Provider;
  /** The cluster resource itself (unset for an existing cluster), for explicit `dependsOn`. */
  public readonly cluster?: alicloud.cs.ManagedKubernetes;
  /** The Terway ENI whitelist ConfigMap: eRDMA nodes must join after it exists (Terway reads it at start). */
  public readonly terwayConfig: k8s.core.v1.ConfigMap;
  /** The allow-list enforced on the API server listener (set when `apiServerAllowedCidrs` is not empty). */
  public readonly apiServerAcl?: ApiServerAcl;

  constructor(name: string, args: AckClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("threefs:index:AckCluster", name, {}, opts);
    const ex = args.existing;
    if (ex === undefined) {
      this.cluster = this.createCluster(name, args);
      this.clusterId = this.cluster.id;
      if (args.apiServerAllowedCidrs.length > 0) this.apiServerAcl = this.allowList(name, args, this.cluster);
    } else {
      this.clusterId = pulumi.output(ex.clusterId ?? "");
    }
    if (ex?.kubeconfig !== undefined) {
      this.kubeconfig = pulumi.secret(ex.kubeconfig);
    } else {
      const credential = alicloud.cs.getClusterCredentialOutput({ clusterId: this.clusterId }, { parent: this });
      this.kubeconfig = pulumi.secret(credential.kubeConfig);
    }
    this.provider = new k8s.Provider(
      `${name}-k8s`,
      {
        kubeconfig: this.kubeconfig,
        // Identity of the target cluster: a refreshed kubeconfig (new certificate) must not replace
        // every Kubernetes resource, which is what a kubeconfig diff would otherwise do. Without a cluster
        // id, the API server of the kubeconfig's current context identifies the cluster.
        clusterIdentifier: ex !== undefined && ex.clusterId === undefined ? pulumi.secret(this.kubeconfig.apply(identityOf)) : this.clusterId,
        enableServerSideApply: true,
      },
      { parent: this },
    );
    // Terway merges this `eni_conf` over kube-system/eni-config on nodes labelled terway-config=<name>
    // (terway types/daemon/dynamicconfig.go:27-47); our own object, so ACK's eni-config stays untouched.
    this.terwayConfig = new k8s.core.v1.ConfigMap(
      `${name}-terway-eni`,
      { metadata: { name: args.terwayConfig.name, namespace: "kube-system" }, data: { eni_conf: JSON.stringify(args.terwayConfig.eniConf) } },
      { parent: this, provider: this.provider },
    );
    this.registerOutputs({ clusterId: this.clusterId, kubeconfig: this.kubeconfig });
  }

  private createCluster(name: string, args: AckClusterArgs): alicloud.cs.ManagedKubernetes {
    return new alicloud.cs.ManagedKubernetes(
      `${name}-cluster`,
      {
        name,
        clusterSpec: args.clusterSpec,
        version: args.kubernetesVersion,
        vswitchIds: args.vswitchIds,
        podVswitchIds: args.podVswitchIds,
        securityGroupId: args.securityGroupId,
        serviceCidr: args.serviceCidr,
        // ForceNew in the provider (resource_alicloud_cs_managed_kubernetes.go:317-323); iptables by default
        // because ipvs is deprecated in Kubernetes 1.35 (ACK 1.35 release notes).
        proxyMode: args.proxyMode,
        // Outbound internet comes from Network's explicit NAT gateway, visible in diffs.
        newNatGateway: false,
        slbInternetEnabled: args.apiServerPublic,
        deletionProtection: args.deletionProtection,
        addons: args.addons.map((a) => ({ name: a.name, config: a.config })),
        // The provider would otherwise read the cluster's certificate authority, client key included, into
        // the resource's state unmarked (service_alicloud_cs.go setCerts:1194-1204); the kubeconfig comes from
        // cs.getClusterCredential, as a secret.
        skipSetCertificateAuthority: true,
        tags: args.tags,
      },
      {
        parent: this,
        protect: args.protect,
        // Belt and braces: should the provider still return certificate data, the engine encrypts it.
        additionalSecretOutputs: ["certificateAuthority", "clientKey", "clientCert"],
        // Addons and the API server's internet SLB are create-only in the ACK API; ignore later edits instead
        // of showing a diff that does nothing (change them through KubernetesAddon / the console).
        ignoreChanges: ["addons", "slbInternetEnabled"],
      },
    );
  }

  /**
   * The API server allow-list: an SLB access control list with ACK's control-plane range, the VPC and the
   * configured CIDRs (the entries ACK requires, https://www.alibabacloud.com/help/en/ack/cluster-access-control),
   * enforced as a white list on the cluster's 6443 listener by {@link ApiServerAcl} once every entry exists
   * (a white list switched on before its entries would lock nodes and CI out, or admit everyone: the CLB pages
   * disagree on which). ACK's own `access_control_list` parameter no longer takes effect from 2026-07-04 (ACK
   * ModifyCluster API reference).
   */
  private allowList(name: string, args: AckClusterArgs, cluster: alicloud.cs.ManagedKubernetes): ApiServerAcl {
    const acl = new alicloud.slb.Acl(`${name}-apiserver-acl`, { name: `${name}-apiserver`, ipVersion: "ipv4", tags: args.tags }, { parent: this, dependsOn: [cluster] });
    const entries: { entry: pulumi.Input<string>; comment: string }[] = [
      { entry: ACK_CONTROL_PLANE_CIDR, comment: "ACK control plane" },
      { entry: args.vpcCidr, comment: "cluster VPC (nodes)" },
      ...args.apiServerAllowedCidrs.filter((c) => c !== ACK_CONTROL_PLANE_CIDR).map((entry) => ({ entry, comment: "threefs:cluster.apiServerAllowedCidrs" })),
    ];
    const attached = entries.map((e, i) => new alicloud.slb.AclEntryAttachment(`${name}-apiserver-acl-${i}`, { aclId: acl.id, entry: e.entry, comment: e.comment }, { parent: this }));
    return new ApiServerAcl(`${name}-apiserver-acl-attachment`, { region: args.region, loadBalancerId: cluster.slbId, aclId: acl.id }, { parent: this, dependsOn: attached });
  }
}
