/**
 * A configuration that passes validation must not fail later inside the program with an internal message:
 * for generated configs, either `loadConfig` refuses them (key-named lines) or every pure planner the
 * program calls (network, pools, disks, chains, 3FS files, bootstrap and check, Kubernetes objects) accepts them.
 */
import fc from "fast-check";
import { planSubnets } from "../../lib/network/cidr";
import { planNodePools, planStorageClasses, storageClassPrefix } from "../../lib/nodepools/plan";
import { planChainGroups } from "../../lib/threefs/chainGroups";
import { buildWorkloads } from "../../lib/k8s/threefs/manifests";
import { planInput } from "../../lib/k8s/threefs/render";
import { threeFsArgsOf } from "../../lib/threefs/stackArgs";
import { ConfigError, loadConfig } from "../../stacks/config";

const arb = fc.record({
  profile: fc.constantFrom("dev", "staging", "prod"),
  storageNodes: fc.integer({ min: 1, max: 8 }),
  replicas: fc.integer({ min: 1, max: 4 }),
  targetsPerDisk: fc.integer({ min: 1, max: 20 }),
  disksPerNode: fc.integer({ min: 1, max: 4 }),
  stripeSize: fc.integer({ min: 1, max: 64 }),
  mgmtd: fc.integer({ min: 1, max: 5 }),
  metaNodes: fc.integer({ min: 1, max: 6 }),
});

it("validated configs never make a planner throw", () => {
  let accepted = 0;
  fc.assert(
    fc.property(arb, (a) => {
      const zones = a.profile === "prod" ? ["cn-beijing-i", "cn-beijing-j", "cn-beijing-k"] : ["cn-beijing-i"];
      const values: Record<string, string> = {
        "alicloud:region": "cn-beijing",
        "threefs:profile": a.profile,
        "threefs:zones": JSON.stringify(zones),
        "threefs:storage": JSON.stringify({ nodes: a.storageNodes, disksPerNode: a.disksPerNode }),
        "threefs:meta": JSON.stringify({ nodes: a.metaNodes, mgmtdReplicas: a.mgmtd }),
        "threefs:chains": JSON.stringify({ replicas: a.replicas, targetsPerDisk: a.targetsPerDisk, stripeSize: a.stripeSize }),
      };
      let cfg;
      try {
        cfg = loadConfig({ stack: a.profile, values });
      } catch (e) {
        if (e instanceof ConfigError) return; // refused by key: fine
        throw e;
      }
      accepted++;
      expect(typeof planSubnets({ vpcCidr: cfg.network.vpcCidr, zones: cfg.zones, nodePrefix: cfg.network.nodePrefix, podPrefix: cfg.network.podPrefix })).not.toBe("string");
      planNodePools(cfg);
      planStorageClasses(cfg, storageClassPrefix(cfg.stack));
      const groups = planChainGroups({ nodes: cfg.storage.nodes, cohorts: cfg.chains.placementCohorts, replicas: cfg.chains.replicas, targetsPerDisk: cfg.chains.targetsPerDisk });
      // The same mapping index.ts uses (lib/threefs/stackArgs), through every pure 3FS builder.
      const name = `threefs-${cfg.stack}`;
      const { input, rendered } = planInput(threeFsArgsOf(cfg, name, groups.groups, { namespace: name, storageClassName: "sc", fdbClusterFileConfigMap: "fdb" }, {}));
      buildWorkloads(input, rendered.files);
    }),
    { numRuns: 150, seed: 11 },
  );
  expect(accepted).toBeGreaterThan(10);
});
