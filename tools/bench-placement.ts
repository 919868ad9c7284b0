/**
 * bench:placement: times planPlacement on typical and hard parameters and prints a markdown table
 * (v, k, r, b, λ, time, spread, min/max pair count); then rebalanceCases: growth, decommission and zone
 * cases up to 1000 nodes (time, moves against the lower bound, pair spread, zone survival). The numbers
 * in docs/chain-table.md come from it.
 *
 *   npm run bench:placement            # both tables
 *   npm run bench:placement -- rebalance
 */
import { pairBand, planPlacement } from "../lib/chaintable";
import { rebalancePlacement, type RebalanceInput } from "../lib/chaintable/rebalance";

interface BenchCase {
  v: number;
  k: number;
  r: number;
  note: string;
}

/** Typical sizes first (upstream's examples, the issue's speed goal), then known-hard designs. */
export const BENCH_CASES: readonly BenchCase[] = [
  { v: 5, k: 3, r: 6, note: "upstream README example" },
  { v: 6, k: 3, r: 5, note: "3FS design notes table" },
  { v: 10, k: 3, r: 9, note: "upstream test_setup" },
  { v: 5, k: 2, r: 6, note: "upstream test_setup, k = 2" },
  { v: 20, k: 1, r: 10, note: "k = 1: no pairs" },
  { v: 32, k: 2, r: 31, note: "k = 2: complete graph" },
  { v: 100, k: 3, r: 51, note: "λ just above 1 (upstream's preferred regime)" },
  { v: 200, k: 4, r: 99, note: "" },
  { v: 300, k: 5, r: 99, note: "" },
  { v: 500, k: 3, r: 99, note: "" },
  { v: 1000, k: 3, r: 99, note: "speed goal" },
  { v: 1000, k: 4, r: 99, note: "" },
  { v: 1000, k: 5, r: 99, note: "" },
  { v: 7, k: 3, r: 3, note: "hard: Fano plane S(2,3,7)" },
  { v: 69, k: 3, r: 34, note: "hard: Steiner triple system" },
  { v: 199, k: 3, r: 99, note: "hard: Steiner triple system" },
  { v: 50, k: 3, r: 24, note: "hard: maximum triple packing" },
  { v: 13, k: 4, r: 4, note: "hard: projective plane PG(2,3)" },
  { v: 16, k: 4, r: 5, note: "hard: affine plane AG(2,4)" },
  { v: 21, k: 5, r: 5, note: "hard: projective plane PG(2,4)" },
  { v: 25, k: 5, r: 6, note: "hard: affine plane AG(2,5)" },
  { v: 25, k: 4, r: 8, note: "hard: Steiner system S(2,4,25)" },
  { v: 40, k: 4, r: 13, note: "hard: S(2,4,40), points/lines of PG(3,3)" },
  { v: 100, k: 4, r: 33, note: "hard: S(2,4,100)" },
  { v: 50, k: 4, r: 16, note: "near-exact: 4-GDD of type 2^25" },
  { v: 100, k: 4, r: 32, note: "near-exact: 4-GDD of type 4^25" },
  { v: 100, k: 4, r: 99, note: "exact: three S(2,4,100)" },
  { v: 121, k: 4, r: 40, note: "exact: PG(4,3)" },
  { v: 256, k: 4, r: 85, note: "exact: AG(4,4)" },
  { v: 15, k: 5, r: 7, note: "infeasible: no 2-(15,5,2) design" },
  { v: 8, k: 4, r: 2, note: "infeasible: 4 chains must share a pair" },
];

function row(c: BenchCase): string {
  const p = planPlacement({ nodes: c.v, replicas: c.k, targetsPerDisk: c.r });
  const lambda = pairBand(c.v, c.k, c.r).lambda;
  const cells = [
    c.v,
    c.k,
    c.r,
    p.groups.length,
    lambda.toFixed(2),
    p.elapsedMs.toFixed(1),
    p.spread,
    `${p.minPair}/${p.maxPair}`,
    c.note,
  ];
  return `| ${cells.join(" | ")} |`;
}

interface RebalanceCase {
  /** Nodes before and after (equal for a drain). */
  from: number;
  to: number;
  k: number;
  r: number;
  /** Nodes drained (the highest indexes). */
  drain?: number;
  /** Zones (node index i in zone (i − 1) mod zones, before and after). */
  zones?: number;
  note: string;
}

/** Growth by doubling and by a few nodes, decommission and zones, up to 1000 nodes. */
export const REBALANCE_CASES: readonly RebalanceCase[] = [
  { from: 6, to: 12, k: 2, r: 16, note: "dev doubled (the model test)" },
  { from: 12, to: 24, k: 2, r: 16, note: "and again" },
  { from: 6, to: 12, k: 3, r: 16, note: "prod doubled" },
  { from: 100, to: 200, k: 3, r: 33, note: "" },
  { from: 500, to: 1000, k: 3, r: 33, note: "" },
  { from: 500, to: 1000, k: 3, r: 99, note: "index reuse: old nodes have no free target index" },
  { from: 900, to: 1000, k: 3, r: 99, note: "" },
  { from: 999, to: 1000, k: 3, r: 99, note: "one node added" },
  { from: 500, to: 1000, k: 4, r: 32, note: "" },
  { from: 1000, to: 1000, k: 3, r: 30, drain: 10, note: "decommission 10 nodes" },
  { from: 300, to: 600, k: 3, r: 32, zones: 3, note: "3 zones, one replica per zone" },
  { from: 999, to: 999, k: 3, r: 99, zones: 3, note: "fresh zone-aware placement, 3 zones" },
];

function rebalanceRow(c: RebalanceCase): string {
  const zones = (n: number) => (c.zones ? Array.from({ length: n }, (_, i) => i % c.zones!) : undefined);
  const fresh = c.zones && c.from === c.to;
  const groups = fresh ? [] : c.zones ? rebalancePlacement({ groups: [], nodes: c.from, replicas: c.k, targetsPerDisk: c.r, zones: zones(c.from) }).groups : planPlacement({ nodes: c.from, replicas: c.k, targetsPerDisk: c.r }).groups;
  const drain = c.drain ? Array.from({ length: c.drain }, (_, i) => c.to - i) : undefined;
  const input: RebalanceInput = { groups, nodes: c.to, replicas: c.k, targetsPerDisk: c.r, drain, zones: zones(c.to) };
  const out = rebalancePlacement(input);
  const zoneCell = c.zones ? `${out.zones.chainsSurvivingZoneLoss}/${out.zones.chains}` : "–";
  const cells = [`${c.from} → ${c.to}${c.drain ? ` (drain ${c.drain})` : ""}`, c.k, c.r, groups.length, out.groups.length, out.elapsedMs.toFixed(0), out.moves, out.lowerBound, out.spread, `${out.minPair}/${out.maxPair}`, zoneCell, c.note];
  return `| ${cells.join(" | ")} |`;
}

function main(args: string[]): void {
  const start = performance.now();
  if (args[0] !== "rebalance") {
    process.stdout.write("| v | k | r | b | λ | time ms | spread | min/max pair | note |\n");
    process.stdout.write("|---:|---:|---:|---:|---:|---:|---:|:---:|:---|\n");
    for (const c of BENCH_CASES) process.stdout.write(`${row(c)}\n`);
    process.stdout.write("\n");
  }
  process.stdout.write("| nodes | k | r | chains before | after | time ms | moves | lower bound | spread | min/max pair | chains surviving a zone loss | note |\n");
  process.stdout.write("|:---|---:|---:|---:|---:|---:|---:|---:|---:|:---:|:---:|:---|\n");
  for (const c of REBALANCE_CASES) process.stdout.write(`${rebalanceRow(c)}\n`);
  const total = (performance.now() - start).toFixed(0);
  process.stdout.write(`\n${total} ms in all (node ${process.version})\n`);
}

if (require.main === module) main(process.argv.slice(2));
