/**
 * Namespace: the stack's application namespace, where the FoundationDB cluster and every 3FS workload
 * live (3FS pods mount the FDB operator's cluster-file ConfigMap, which is namespace-scoped). The name is
 * stack-scoped (`threefs-<stack>`), so several stacks can share one ACK cluster.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** Arguments of {@link Namespace}. */
export interface NamespaceArgs {
  /** Namespace name (DNS-1123 label, ≤ 63 characters), e.g. `threefs-dev`. */
  name: string;
  /** Labels on the namespace (profile, app). */
  labels: Record<string, string>;
  /** Keep the namespace when the stack is destroyed (prod: it holds the protected FDB cluster). */
  retainOnDelete: boolean;
}

/** The application namespace of a stack. */
export class Namespace extends pulumi.ComponentResource {
  public readonly name: pulumi.Output<string>;

  constructor(name: string, args: NamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("threefs:index:Namespace", name, {}, opts);
    const ns = new k8s.core.v1.Namespace(`${name}-ns`, { metadata: { name: args.name, labels: args.labels } }, { parent: this, retainOnDelete: args.retainOnDelete });
    this.name = ns.metadata.name;
    this.registerOutputs({ name: this.name });
  }
}
