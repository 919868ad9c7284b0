/**
 * NodePools: the ACK node pools that run 3FS, one `alicloud.cs.NodePool` per planned pool
 * (`lib/nodepools/plan.ts`: `all` in the combined layout; `storage`, `meta`, `client` in the separate one).
 *
 * Ordering: eRDMA nodes must join after the `ack-erdma-controller` addon exists. The controller sets up a
 * node's eRDMA interfaces (and registers `aliyun/erdma`) when the node joins; a node that joined earlier
 * never gets them until it is removed and added again. The addon is installed with the cluster (the
 * create-time `addons` of `alicloud.cs.ManagedKubernetes`, see `lib/ack.ts`), so every pool depends
 * explicitly on the cluster resource passed as `erdmaReady`. Pulumi would already order the pools after
 * the cluster through `clusterId`; the explicit dependency states the reason and survives refactors that
 * pass the cluster id as a plain string or move the addon to an `alicloud.cs.KubernetesAddon` (then pass
 * that resource instead).
 */
import * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";
import type { NodePoolPlan } from "../lib/nodepools/plan";

/** Arguments of {@link NodePools}. */
export interface NodePoolsArgs {
  /** Id of the ACK cluster the pools join (AckCluster.clusterId). */
  clusterId: pulumi.Input<string>;
  /** Node vSwitch ids, one per configured zone in config order (Network.nodeVswitchIds); plans index into it. */
  vswitchIds: pulumi.Input<string[]>;
  /** The pools to create, from `planNodePools(cfg)` (validated: eRDMA instance types, sizes). */
  pools: readonly NodePoolPlan[];
  /** Security group the nodes join (Network.securityGroupId); omitted: ACK uses the cluster's group. */
  securityGroupId?: pulumi.Input<string>;
  /**
   * The resource after which eRDMA nodes may join: the ACK cluster (AckCluster.cluster), whose create-time
   * addons include ack-erdma-controller. Every pool `dependsOn` it.
   */
  erdmaReady?: pulumi.Resource;
  /**
   * Further resources the nodes need before they boot: the SNAT entries (image pulls) and the Terway ENI
   * whitelist ConfigMap (Terway reads it when it starts on the node).
   */
  nodesNeed?: pulumi.Resource[];
  /** Tags on the pools' ECS instances (include `threefs:profile`, which the policy pack reads). */
  tags: pulumi.Input<Record<string, string>>;
  /** Pulumi `protect` on every pool (prod): deleting a pool deletes its nodes and detaches their EED. */
  protect?: boolean;
}

/** The ACK node pools of one stack. */
export class NodePools extends pulumi.ComponentResource {
  /** The pools by plan name (`all`, or `storage` / `meta` / `client`), for `dependsOn` of workloads. */
  public readonly pools: Readonly<Record<string, alicloud.cs.NodePool>>;
  /** Node pool ids by plan name. */
  public readonly nodePoolIds: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: NodePoolsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("threefs:index:NodePools", name, {}, opts);
    const vswitchIds = pulumi.output(args.vswitchIds);
    const pools: Record<string, alicloud.cs.NodePool> = {};
    for (const plan of args.pools) {
      const poolName = `${name}-${plan.name}`;
      pools[plan.name] = new alicloud.cs.NodePool(
        poolName,
        {
          clusterId: args.clusterId,
          nodePoolName: poolName,
          vswitchIds: vswitchIds.apply((ids) => pickVswitches(ids, plan)),
          instanceTypes: [...plan.instanceTypes],
          // The SDK types desiredSize as a string.
          desiredSize: String(plan.size),
          multiAzPolicy: plan.multiAzPolicy,
          imageType: plan.imageType,
          runtimeName: plan.runtimeName,
          systemDiskCategory: plan.systemDisk.category,
          systemDiskSize: plan.systemDisk.sizeGiB,
          labels: plan.labels.map((l) => ({ key: l.key, value: l.value })),
          taints: plan.taints.length > 0 ? plan.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })) : undefined,
          containerdConfig: {
            limitMemLock: plan.containerd.limitMemLock,
            limitNoFile: plan.containerd.limitNoFile,
            registryMirrors: plan.registryMirrors.length > 0 ? [...plan.registryMirrors] : undefined,
          },
          // ACK repairs (restarts, replaces) unhealthy nodes of meta and client pools; never of pools with
          // storage, whose EED disks die with a replaced instance (see lib/nodepools/plan.ts autoRepair).
          // Automatic upgrades and CVE fixes restart nodes on ACK's schedule, which would take chain members
          // offline unannounced: off everywhere (upgrades go through this program, docs/threefs.md).
          management: { enable: true, autoRepair: plan.autoRepair, autoRepairPolicy: { restartNode: plan.autoRepair }, autoUpgrade: false, autoVulFix: false },
          kubeletConfiguration: { ...plan.kubelet },
          securityGroupIds: args.securityGroupId !== undefined ? [args.securityGroupId] : undefined,
          installCloudMonitor: true,
          // Label/taint edits reach nodes that already exist, not only new ones.
          updateNodes: true,
          // Node replacements (image, runtime or kubelet changes) one at a time: a storage node is a chain member.
          rollingPolicy: { maxParallelism: 1 },
          tags: args.tags,
        },
        { parent: this, dependsOn: [...(args.erdmaReady ? [args.erdmaReady] : []), ...(args.nodesNeed ?? [])], protect: args.protect === true },
      );
    }
    this.pools = pools;
    this.nodePoolIds = pulumi.all(Object.fromEntries(Object.entries(pools).map(([k, p]) => [k, p.id]))) as pulumi.Output<Record<string, string>>;
    this.registerOutputs({ nodePoolIds: this.nodePoolIds });
  }
}

/** The vSwitches a plan names, by index into the stack's node vSwitch list. */
function pickVswitches(ids: readonly string[], plan: NodePoolPlan): string[] {
  return plan.vswitchIndexes.map((i) => {
    const id = ids[i];
    if (id === undefined) throw new Error(`node pool ${plan.name}: no node vSwitch at index ${i} (have ${ids.length}); vswitchIds must list one per zone`);
    return id;
  });
}
