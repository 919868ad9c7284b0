/**
 * A rough fit check: do the pods a role runs request more CPU/memory than its node pool has?
 *
 * It catches the obvious mistake (dev's first profile asked for ~11.6 vCPU on three 4-vCPU nodes) at
 * preview time instead of as Pending pods and a 30-minute timeout. It is deliberately approximate: vCPUs
 * come from the instance size (`xlarge` = 4, `<n>xlarge` = 4n, `large` = 2), memory from the family letter
 * (g: 4 GiB per vCPU, c: 2, r: 8), only the first instance type of each list is used, and a fixed share
 * is set aside for ACK's reservations and system DaemonSets. Unknown sizes or families are not checked.
 *
 * Pure module: no cloud SDK imports.
 */
import { DEFAULT_OPERATOR_RESOURCES } from "../fdb/operator";
import { DEFAULT_SIDECAR_RESOURCES } from "../fdb/spec";
import { fdbProcessCounts, type FdbProcessCountsInput } from "../fdb/topology";
import { parseQuantity } from "../k8s/quantity";
import type { NodeRole } from "../roles";
import { roleNodeCounts, type NodePoolsConfig } from "./plan";

/** Share of a node's capacity assumed usable by workloads (kubelet/system reservations, DaemonSets). */
export const ALLOCATABLE_SHARE = 0.75;

const MEM_PER_VCPU_GIB: Readonly<Record<string, number>> = { g: 4, c: 2, r: 8 };

/** vCPUs and memory (bytes) of an instance type, when its name tells. */
export function instanceShape(type: string): { vcpu: number; memoryBytes?: number } | undefined {
  const m = /^ecs\.([a-z]+)[0-9][a-z0-9-]*\.(\d*)(x?)large$/.exec(type);
  if (!m) return undefined;
  const vcpu = m[3] === "x" ? 4 * (m[2] === "" ? 1 : Number(m[2])) : 2 * (m[2] === "" ? 1 : Number(m[2]));
  const perVcpu = MEM_PER_VCPU_GIB[m[1]];
  return { vcpu, memoryBytes: perVcpu === undefined ? undefined : vcpu * perVcpu * 2 ** 30 };
}

interface Demand {
  cpu: number;
  memory: number;
}

type Cfg = NodePoolsConfig & {
  profile: "dev" | "staging" | "prod";
  meta: NodePoolsConfig["meta"] & { mgmtdReplicas: number; metaReplicas: number };
  resources: Record<"mgmtd" | "meta" | "storage" | "fuse" | "adminCli" | "fdb", { requests: { cpu: string; memory: string } }>;
  /** The metrics pipeline and the FDB backup agents also run on the meta nodes (threefs:monitoring, threefs:backup). */
  monitoring?: { enabled: boolean; clickhouse: string; grafana: string; resources: Record<"collector" | "clickhouse" | "grafana" | "exporter", { requests: { cpu: string; memory: string } }> };
  backup?: { enabled: boolean; agentCount: number; resources: { requests: { cpu: string; memory: string } } };
};

/** Requests of the metrics pipeline and the backup agents (meta nodes). */
function observabilityDemand(cfg: Cfg): Demand[] {
  const out: Demand[] = [];
  const m = cfg.monitoring;
  if (m?.enabled) {
    out.push(req(m.resources.collector), req(m.resources.exporter));
    if (m.clickhouse === "in-cluster") out.push(req(m.resources.clickhouse));
    if (m.grafana === "in-cluster") out.push(req(m.resources.grafana));
  }
  if (cfg.backup?.enabled) out.push(req(cfg.backup.resources, cfg.backup.agentCount));
  return out;
}

function req(r: { requests: { cpu: string; memory: string } }, times = 1): Demand {
  return { cpu: parseQuantity(r.requests.cpu) * times, memory: parseQuantity(r.requests.memory) * times };
}

/** Requests of the pods each role runs (FUSE runs on every client node). */
export function roleDemand(cfg: Cfg): Record<NodeRole, Demand> {
  const counts: FdbProcessCountsInput = cfg.fdb.processCounts ?? fdbProcessCounts(cfg.fdb.redundancyMode, cfg.profile);
  const fdbPods = counts.storage + counts.log + Math.max(counts.stateless, 0) + (counts.clusterController ?? 0);
  const sum = (...ds: Demand[]): Demand => ds.reduce((a, d) => ({ cpu: a.cpu + d.cpu, memory: a.memory + d.memory }), { cpu: 0, memory: 0 });
  return {
    storage: req(cfg.resources.storage, cfg.storage.nodes),
    meta: sum(
      req(cfg.resources.mgmtd, cfg.meta.mgmtdReplicas),
      req(cfg.resources.meta, cfg.meta.metaReplicas),
      req(cfg.resources.fdb, fdbPods),
      req(DEFAULT_SIDECAR_RESOURCES as { requests: { cpu: string; memory: string } }, fdbPods),
      req(DEFAULT_OPERATOR_RESOURCES as { requests: { cpu: string; memory: string } }),
      req(cfg.resources.adminCli, 2), // the admin-cli pod and the bootstrap Job
      ...observabilityDemand(cfg),
    ),
    client: req(cfg.resources.fuse, roleNodeCounts(cfg).client),
  };
}

/** One warning per pool whose pods request more than its nodes can give. */
export function fitWarnings(cfg: Cfg): string[] {
  const demand = roleDemand(cfg);
  const counts = roleNodeCounts(cfg);
  const pools: { key: string; roles: NodeRole[]; nodes: number; type: string }[] =
    cfg.nodePools.layout === "combined"
      ? [{ key: "threefs:storage.instanceTypes", roles: ["storage", "meta", "client"], nodes: counts.storage, type: cfg.storage.instanceTypes[0] }]
      : [
          { key: "threefs:storage.instanceTypes", roles: ["storage"], nodes: counts.storage, type: cfg.storage.instanceTypes[0] },
          { key: "threefs:meta.instanceTypes", roles: ["meta"], nodes: counts.meta, type: cfg.meta.instanceTypes[0] },
          { key: "threefs:client.instanceTypes", roles: ["client"], nodes: counts.client, type: cfg.client.instanceTypes[0] },
        ];
  const out: string[] = [];
  for (const pool of pools) {
    const shape = instanceShape(pool.type);
    if (!shape || pool.nodes === 0) continue;
    const want = pool.roles.reduce((a, r) => ({ cpu: a.cpu + demand[r].cpu, memory: a.memory + demand[r].memory }), { cpu: 0, memory: 0 });
    const haveCpu = pool.nodes * shape.vcpu * ALLOCATABLE_SHARE;
    if (want.cpu > haveCpu) {
      out.push(`${pool.key}: pods of the ${pool.roles.join("/")} role(s) request ${want.cpu.toFixed(1)} vCPU, but ${pool.nodes} × ${pool.type} leave about ${haveCpu.toFixed(1)}; pods would stay Pending. Use a larger type, more nodes, or lower threefs:resources requests`);
    }
    if (shape.memoryBytes !== undefined) {
      const haveMem = pool.nodes * shape.memoryBytes * ALLOCATABLE_SHARE;
      if (want.memory > haveMem) {
        out.push(`${pool.key}: pods of the ${pool.roles.join("/")} role(s) request ${(want.memory / 2 ** 30).toFixed(1)} GiB, but ${pool.nodes} × ${pool.type} leave about ${(haveMem / 2 ** 30).toFixed(1)} GiB; pods would stay Pending`);
      }
    }
  }
  return out;
}
