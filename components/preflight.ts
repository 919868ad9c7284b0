/**
 * The program side of the preview checks (lib/alicloud/preflight.ts): asks the provider's data sources
 * through Pulumi invokes and fails the update with the key-named lines, as a `pulumi.RunError` (printed
 * without a stack trace), before any cloud resource is registered — `index.ts` makes every resource's tags
 * wait for the returned Output.
 */
import * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";
import { gatherFacts, preflightProblems, type Call, type PreflightConfig } from "../lib/alicloud/preflight";

/** The invoke the checks use: the provider's data sources, by token. */
const invoke: Call = (token, args) => pulumi.runtime.invoke(token, args) as Promise<Record<string, unknown>>;

/** Resolves once the checks pass; rejects with a `RunError` listing every problem otherwise. */
export function preflightGate(cfg: PreflightConfig): pulumi.Output<void> {
  return pulumi.output(
    gatherFacts(cfg, invoke).then((facts) => {
      const problems = preflightProblems(cfg, facts);
      if (problems.length > 0) throw new pulumi.RunError(`invalid stack configuration (checked against the account at preview):\n${problems.map((p) => `  ${p}`).join("\n")}`);
    }),
  );
}

/** The CIDR block of the existing VPC (`threefs:network.existing.vpcId`), as the VPC API reports it. */
export function existingVpcCidr(cfg: { network: { existing?: { vpcId: string } } }): pulumi.Output<string> {
  const id = cfg.network.existing?.vpcId ?? "";
  return alicloud.vpc.getNetworksOutput({ ids: [id] }).vpcs.apply((v) => {
    const vpc = v.find((x) => x.id === id);
    if (vpc === undefined) throw new pulumi.RunError(`threefs:network.existing.vpcId: VPC ${id} not found`);
    return vpc.cidrBlock;
  });
}
