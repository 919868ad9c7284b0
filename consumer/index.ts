/**
 * The threefs consumer helper: what a consumer stack imports to run workloads on 3FS.
 *
 * ```ts
 * import { readThreeFsStack, threeFsPodSpec } from "<this repo>/consumer";
 * const threefs = readThreeFsStack(new pulumi.StackReference("myorg/threefs/prod"));
 * const vision = threefs.tenant("vision");
 * const provider = new k8s.Provider("vision", { kubeconfig: vision.kubeconfig });
 * new k8s.batch.v1.Job("train", { metadata: { namespace: vision.info.namespace },
 *   spec: { template: { spec: threeFsPodSpec(vision, { restartPolicy: "Never", containers: [...] }, { usrbio: true }) } } }, { provider });
 * ```
 *
 * The pod lands on a client node, mounts the FUSE mount with HostToContainer propagation, runs as the
 * tenant and stays unprivileged; `usrbio: true` adds the node's USRBIO shared memory. Everything is typed
 * against the output contract (stacks/contract.ts); see docs/consumers.md for FUSE vs USRBIO.
 */
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ThreeFsStack, ThreeFsTenantReference } from "../stacks/contract";
import { MountError, mountThreeFs, type ClientMountLike, type MountOptions, type PodSpecLike, type TenantLike } from "./mount";

export { CONTRACT_VERSION, readThreeFsStack, type ClientMount, type TenantInfo, type ThreeFsStack, type ThreeFsTenantReference } from "../stacks/contract";
export { MOUNT_VOLUME, MountError, SHM_VOLUME, mountThreeFs, type MountOptions, type PodSpecLike } from "./mount";

/** A pod spec as Pulumi's Kubernetes resources take it. */
export type PodSpec = k8s.types.input.core.v1.PodSpec;

/**
 * A pod spec with the 3FS mount, from a tenant (preferred: the pod runs as the tenant) or from the whole
 * stack (operators' workloads: the pod's identity is left alone).
 * Fails — at preview once the stack's outputs are known — with a clear message when the stack has no
 * client nodes or the spec cannot work (see MountError in ./mount).
 */
export function threeFsPodSpec(source: ThreeFsTenantReference | ThreeFsStack, spec: pulumi.Input<PodSpec>, opts: MountOptions = {}): pulumi.Output<PodSpec> {
  const tenant: pulumi.Output<TenantLike | undefined> = "info" in source ? source.info.apply((i) => ({ uid: i.uid, gid: i.gid, directory: i.directory })) : pulumi.output(undefined);
  return pulumi.all([pulumi.output(spec), source.client, tenant]).apply(([plain, client, t]) => mountOrFail(plain as unknown as PodSpecLike, client, opts, t) as unknown as PodSpec);
}

/**
 * mountThreeFs, with its refusals as a `pulumi.RunError` (Pulumi prints the message alone, without a stack
 * trace), which is how `threeFsPodSpec` fails a preview.
 */
export function mountOrFail(spec: PodSpecLike, client: ClientMountLike, opts: MountOptions, tenant: TenantLike | undefined): PodSpecLike {
  try {
    return mountThreeFs(spec, client, opts, tenant);
  } catch (e) {
    if (e instanceof MountError) throw new pulumi.RunError(`threefs mount: ${e.message}`);
    throw e;
  }
}
