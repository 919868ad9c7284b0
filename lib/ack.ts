/**
 * ACK cluster planning: the addons installed at cluster creation.
 *
 * Pure module: no cloud SDK imports.
 */

/** One ACK addon as `alicloud.cs.ManagedKubernetes` takes it (config is a JSON string). */
export interface AckAddon {
  name: string;
  config?: string;
}

/**
 * eRDMA controller settings used by Alibaba's 3FS deployment: `compat` driver mode works with the
 * container-optimized OS image's in-tree driver, and `allocateAllDevices` hands every eRDMA device of
 * the node to the pod that requests `aliyun/erdma` (3FS uses all of them for its RDMA transport).
 */
export const ERDMA_CONTROLLER_CONFIG = { agent: { preferDriver: "compat", allocateAllDevices: true } } as const;

/**
 * Addons installed when the cluster is created. ACK treats this list as create-only: later edits are
 * ignored by the API, so the component also sets `ignoreChanges: ["addons"]` and changes after day one go
 * through `alicloud.cs.KubernetesAddon`.
 *
 * - terway-eniip: pods get VPC addresses from the pod vSwitches (no overlay), which eRDMA needs.
 *   terway-controlplane is only required for ENI trunking / per-pod security groups, which we do not use.
 * - csi-plugin + managed-csiprovisioner: the disk CSI driver that creates EED and ESSD volumes.
 * - ack-erdma-controller: installs the eRDMA agent and registers the `aliyun/erdma` device resource; it
 *   must exist before eRDMA nodes join (nodes added earlier miss their eRDMA interfaces).
 */
export function planAddons(): AckAddon[] {
  return [
    { name: "terway-eniip", config: JSON.stringify({ IPVlan: "false", NetworkPolicy: "false", ENITrunking: "false" }) },
    { name: "csi-plugin" },
    { name: "managed-csiprovisioner" },
    { name: "ack-erdma-controller", config: JSON.stringify(ERDMA_CONTROLLER_CONFIG) },
  ];
}
