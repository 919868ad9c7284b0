/**
 * Disks: the StorageClasses through which 3FS gets its disks. Storage targets live on elastic ephemeral
 * disks (EED) that the storage StatefulSet claims (`disksPerNode` claims of `diskSizeGiB` per pod), so each
 * disk belongs to its storage pod's identity; FoundationDB data lives on ESSD through the second class.
 * An EED detached from an instance can only be attached to that same instance again, so a storage disk
 * cannot follow its pod to a replacement node (see docs/node-pools.md).
 *
 * Disks are created by the Alibaba Cloud disk CSI driver when a pod is scheduled (WaitForFirstConsumer), in
 * the zone of that pod's node; they are not Pulumi resources, and `pulumi destroy` does not wait for the
 * driver to delete them (see README, "Tearing down").
 *
 * The Kubernetes provider comes from the caller's `opts.providers` (AckCluster.provider); children inherit it.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { StorageCapacity, StorageClassPlan, StorageClassSpec } from "../lib/nodepools/plan";

/** Arguments of {@link Disks}. */
export interface DisksArgs {
  /** The EED and FDB StorageClasses, from `planStorageClasses(cfg, storageClassPrefix(stack))`. */
  storageClasses: StorageClassPlan;
  /** Expected capacity of the storage layout, from `storageCapacity(cfg)`; exposed for the stack outputs. */
  capacity: StorageCapacity;
}

/** The stack's StorageClasses (cluster-scoped, stack-scoped names) and its storage capacity ceiling. */
export class Disks extends pulumi.ComponentResource {
  /** Name of the EED StorageClass the storage StatefulSet's claim templates use. */
  public readonly eedStorageClassName: pulumi.Output<string>;
  /** Name of the ESSD StorageClass FoundationDB's volume claims use. */
  public readonly fdbStorageClassName: pulumi.Output<string>;
  /** Raw and usable capacity (plain numbers, known at plan time). */
  public readonly capacity: StorageCapacity;

  constructor(name: string, args: DisksArgs, opts?: pulumi.ComponentResourceOptions) {
    super("threefs:index:Disks", name, {}, opts);
    const eed = this.storageClass(`${name}-eed`, args.storageClasses.eed);
    const fdb = this.storageClass(`${name}-fdb`, args.storageClasses.fdb);
    this.eedStorageClassName = eed.metadata.name;
    this.fdbStorageClassName = fdb.metadata.name;
    this.capacity = args.capacity;
    this.registerOutputs({ eedStorageClassName: this.eedStorageClassName, fdbStorageClassName: this.fdbStorageClassName, capacity: this.capacity });
  }

  private storageClass(resourceName: string, spec: StorageClassSpec): k8s.storage.v1.StorageClass {
    return new k8s.storage.v1.StorageClass(
      resourceName,
      {
        metadata: { name: spec.metadata.name, labels: { ...spec.metadata.labels } },
        provisioner: spec.provisioner,
        parameters: { ...spec.parameters },
        reclaimPolicy: spec.reclaimPolicy,
        volumeBindingMode: spec.volumeBindingMode,
        allowVolumeExpansion: spec.allowVolumeExpansion,
        mountOptions: spec.mountOptions ? [...spec.mountOptions] : undefined,
      },
      // A StorageClass's parameters are immutable and its name is fixed: a change is delete-then-create.
      // Existing volumes are unaffected (PVs keep their own copy of what they need).
      { parent: this, deleteBeforeReplace: true },
    );
  }
}
