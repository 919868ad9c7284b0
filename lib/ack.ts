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
 * eRDMA controller settings of Alibaba's 3FS-on-ACK guide (alibabacloud-3FS deploy/container/README.md:39).
 * `preferDriver: compat` selects the agent's compat driver: the erdma kernel module loaded with
 * `compat_mode=Y`, i.e. RoCE compatibility mode, in which the device presents itself to rdma-core as RoCE
 * (alibabacloud-erdma-controller internal/drivers/compat.go:24-46; its installer also enables
 * ERDMA_FORCE_MAD_ENABLE, utils.go:30-31). It is not about the OS image: where the module comes from
 * depends on the OS (ContainerOS: the kernel's own kernel-modules package; otherwise a DKMS build; see
 * IMAGE_TYPE in lib/nodepools/plan.ts). `allocateAllDevices` hands every eRDMA device of the node to the pod
 * that requests `aliyun/erdma` (3FS uses all of them for its RDMA transport).
 */
export const ERDMA_CONTROLLER_CONFIG = { agent: { preferDriver: "compat", allocateAllDevices: true } } as const;

/**
 * Addons installed when the cluster is created. ACK treats this list as create-only: later edits are
 * ignored by the API, so the component also sets `ignoreChanges: ["addons"]` and changes after day one go
 * through `alicloud.cs.KubernetesAddon`.
 *
 * - terway-controlplane + terway-eniip: pods get VPC addresses from the pod vSwitches (no overlay);
 *   terway-controlplane runs Terway's centralised IPAM, as in Alibaba's 3FS-on-ACK guide
 *   (deploy/container/README.md:20-26). Terway must not adopt the eRDMA ENIs that ack-erdma-controller
 *   attaches (ACK "Use eRDMA": configure a whitelist for Terway); the stack gives every 3FS node an ENI tag
 *   whitelist through Terway's per-node configuration (`terwayEniConfig` in lib/nodepools/plan.ts), which
 *   both the daemon and centralised IPAM honour. Terway's newer zero-configuration coexistence (tag
 *   block-list) works only with centralised IPAM (terway docs/erdma-coexistence.md:21-25), another reason
 *   to install terway-controlplane.
 * - csi-plugin + managed-csiprovisioner: the disk CSI driver that creates EED and ESSD volumes.
 * - ack-erdma-controller: installs the eRDMA agent and registers the `aliyun/erdma` device resource; it
 *   must exist before eRDMA nodes join (nodes added earlier miss their eRDMA interfaces).
 */
export function planAddons(): AckAddon[] {
  return [
    { name: "terway-controlplane" },
    { name: "terway-eniip", config: JSON.stringify({ IPVlan: "false", NetworkPolicy: "false", ENITrunking: "false" }) },
    { name: "csi-plugin" },
    { name: "managed-csiprovisioner" },
    { name: "ack-erdma-controller", config: JSON.stringify(ERDMA_CONTROLLER_CONFIG) },
  ];
}
