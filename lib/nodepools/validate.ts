/**
 * Node-pool rules that involve more than one key: instance types of every pool the layout creates must
 * have eRDMA (and, where storage targets live, elastic ephemeral disks), and the pool FoundationDB runs in
 * must be large enough for its redundancy mode. Called from `stacks/rules.ts`; each problem is one line
 * prefixed with the key to change.
 *
 * Not here because enforced elsewhere: disk size (64–8192 GiB) and EED category (zod schema), storage nodes
 * ≥ replicas (`chainProblems` in rules.ts).
 *
 * Pure module: no cloud SDK imports.
 */
import { familyInfo, instanceFamily, suggestedFamilies } from "../erdma";
import { planNodePools, roleNodeCounts, type NodePoolsConfig } from "./plan";

/** FoundationDB's minimum machines per redundancy mode (distinct nodes, since its fault domain is the node or zone). */
export const FDB_MIN_NODES: Readonly<Record<"single" | "double" | "triple", number>> = { single: 1, double: 3, triple: 5 };

const EXTRA_KEY = "threefs:nodePools.extraErdmaFamilies";

/** All node-pool problems of a shape-valid config. */
export function nodePoolProblems(cfg: NodePoolsConfig): string[] {
  return [...instanceTypeProblems(cfg), ...fdbNodeProblems(cfg)];
}

/** Every instance type of every pool the layout creates: eRDMA always, EED where storage runs. */
function instanceTypeProblems(cfg: NodePoolsConfig): string[] {
  const out: string[] = [];
  const extra = cfg.nodePools.extraErdmaFamilies;
  for (const pool of planNodePools(cfg)) {
    const needsEed = pool.roles.includes("storage");
    pool.instanceTypes.forEach((type, i) => {
      const where = `${pool.instanceTypesKey}[${i}]`;
      const family = instanceFamily(type);
      if (family === undefined) {
        out.push(`${where}: cannot tell the instance family of ${type}; expected ecs.<family>.<size> such as ecs.g8i.4xlarge`);
        return;
      }
      const info = familyInfo(type, extra);
      if (info === undefined) {
        out.push(
          `${where}: ${type} has no eRDMA (family ${family}); use an eRDMA family (${suggestedFamilies()}) ` +
            `or add "${family}" to ${EXTRA_KEY} if Alibaba added eRDMA to it`,
        );
      } else if (info.localDisk === true && cfg.nodePools.imageType === "ContainerOS") {
        // ACK, ContainerOS overview: "does not support ... instance types with local disks".
        out.push(`${where}: ${type} has local disks, which ContainerOS does not run on; use another family or set threefs:nodePools.imageType: AliyunLinux3ContainerOptimized`);
      } else if (needsEed && !info.eed) {
        out.push(
          `${where}: ${type} cannot attach elastic ephemeral disks (family ${family}), which hold the storage targets; ` +
            `use an eRDMA family with EED (${suggestedFamilies({ eed: true })}) or add "${family}" to ${EXTRA_KEY} if Alibaba added EED to it`,
        );
      }
    });
  }
  return out;
}

/** FoundationDB runs on the meta role's nodes and needs one node per copy plus spares for recovery. */
function fdbNodeProblems(cfg: NodePoolsConfig): string[] {
  const mode = cfg.fdb.redundancyMode;
  const min = FDB_MIN_NODES[mode];
  const have = roleNodeCounts(cfg).meta;
  if (have >= min) return [];
  const fix = "raise threefs:meta.nodes or lower threefs:fdb.redundancyMode";
  if (cfg.nodePools.layout === "combined") {
    return [
      `threefs:meta.nodes: FoundationDB ${mode} redundancy needs ≥ ${min} nodes, and the combined pool has ${have} ` +
        `(the largest of threefs:storage.nodes, threefs:meta.nodes, threefs:client.nodes); ${fix}`,
    ];
  }
  return [`threefs:meta.nodes: FoundationDB ${mode} redundancy needs ≥ ${min} nodes in the meta pool (got ${have}); ${fix}`];
}
