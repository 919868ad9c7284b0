/**
 * Maps a stack configuration onto the sizing model's plain inputs. The only place that knows config
 * shapes, so the model itself stays independent of them.
 *
 * Pure module: no cloud SDK imports.
 */
import { planNodePools, type NodePoolsConfig } from "../nodepools/plan";
import type { SizingInput } from "./report";

/** Sizing inputs of a stack: its storage layout, replication, and the pools that run FUSE clients. */
export function sizingInputOf(cfg: NodePoolsConfig): SizingInput {
  // Clients are the nodes of every pool with the client role: the client pool, or in the combined
  // layout the single pool, every node of which runs a FUSE client.
  const clientPools = planNodePools(cfg).filter((p) => p.roles.includes("client"));
  return {
    storageNodes: cfg.storage.nodes,
    storageTypes: [...cfg.storage.instanceTypes],
    disksPerNode: cfg.storage.disksPerNode,
    diskSizeGiB: cfg.storage.diskSizeGiB,
    diskCategory: cfg.storage.diskCategory,
    replicas: cfg.chains.replicas,
    targetsPerDisk: cfg.chains.targetsPerDisk,
    clientNodes: clientPools.reduce((n, p) => n + p.size, 0),
    clientTypes: [...new Set(clientPools.flatMap((p) => p.instanceTypes))],
  };
}
