/**
 * The ThreeFs component's arguments for a stack configuration: the one mapping from `threefs:*` config to
 * the 3FS workloads, used by the program (index.ts) and by the tests that run a stack's real bootstrap
 * and check scripts against the 3FS model (test/model), so both see exactly the same plan.
 *
 * The names that come from other components (namespace, StorageClass, the FDB cluster-file ConfigMap) are
 * passed in: Outputs in the program, plain strings in tests.
 *
 * Pure module: no cloud SDK imports.
 */
import type { StackConfig } from "../../stacks/config";
import type { ChainMembers } from "./bootstrap";
import { resolveTenant } from "../tenants/spec";
import { collectorAddressFor } from "../monitoring/collector";
import { storageSets } from "./storageNodes";
import { poolExpectations, roleNodeCounts } from "../nodepools/plan";
import { schedulingFor } from "../roles";

/** MiB the post-deploy check writes and reads back through the mount (the former smoke test's size). */
export const CHECK_WRITE_MIB = 64;

/** Names the 3FS workloads take from other components. */
export interface ThreeFsRefs<N> {
  /** Namespace of the 3FS objects (the Namespace component's name). */
  namespace: N;
  /** The EED StorageClass of the storage targets (the Disks component). */
  storageClassName: N;
  /** The FDB operator's `<cluster>-config` ConfigMap (the FoundationDb component). */
  fdbClusterFileConfigMap: N;
}

/**
 * The ThreeFs arguments of a stack.
 * @param prefix the stack-scoped name prefix (`threefs-<stack>`)
 * @param placement the placement lock's chain groups (lib/threefs/placementLock)
 */
export function threeFsArgsOf<N>(cfg: StackConfig, prefix: string, placement: readonly ChainMembers[], refs: ThreeFsRefs<N>, labels: Record<string, string>) {
  return {
    namespace: refs.namespace,
    prefix,
    profile: cfg.profile,
    clusterId: cfg.fs.clusterId,
    images: { registry: cfg.images.registry, tag: cfg.images.tag, digests: { ...cfg.images.digests }, pullPolicy: cfg.images.pullPolicy },
    layout: cfg.nodePools.layout,
    mgmtd: { replicas: cfg.meta.mgmtdReplicas, resources: cfg.resources.mgmtd },
    meta: { replicas: cfg.meta.metaReplicas, resources: cfg.resources.meta },
    storage: { nodes: cfg.storage.nodes, sets: storageSets(cfg.storage.nodes, cfg.zones, cfg.storage.zoneSpread), disksPerNode: cfg.storage.disksPerNode, diskSizeGiB: cfg.storage.diskSizeGiB, storageClassName: refs.storageClassName, resources: cfg.resources.storage },
    fuse: { mountPath: cfg.fs.mountPath, resources: cfg.resources.fuse },
    adminCli: { resources: cfg.resources.adminCli },
    chains: { replicas: cfg.chains.replicas, targetsPerDisk: cfg.chains.targetsPerDisk, stripeSize: cfg.chains.stripeSize, chunkSizeBytes: cfg.chains.chunkSizeBytes, placement, desc: cfg.stack },
    fdbClusterFileConfigMap: refs.fdbClusterFileConfigMap,
    // The in-cluster collector (threefs:monitoring) or an external one (threefs:fs.monitorCollector); never both.
    monitorCollector: collectorAddressFor(cfg.monitoring, cfg.network.serviceCidr) ?? cfg.fs.monitorCollector,
    smokeTest: { ...cfg.smokeTest },
    check: {
      pools: poolExpectations(cfg),
      clientSelector: roleNodeCounts(cfg).client > 0 ? { ...schedulingFor("client", cfg.nodePools.layout).nodeSelector } : {},
      writeMiB: cfg.smokeTest.enabled ? CHECK_WRITE_MIB : 0,
    },
    operations: { maxSyncsPerNode: cfg.chains.maxSyncsPerNode, balanceHeads: cfg.chains.balanceHeads, replace: [...cfg.storage.replace] },
    security: { ...cfg.security },
    tenants: cfg.tenants.map(resolveTenant),
    protect: cfg.protection.stateful,
    kubernetesVersion: cfg.cluster.kubernetesVersion,
    labels,
  };
}
