/**
 * bench:placement: times planPlacement on typical and hard parameters and prints a markdown table
 * (v, k, r, b, λ, time, spread, min/max pair count). The numbers in docs/chain-table.md come from it.
 *
 *   npm run bench:placement
 */
import { pairBand, planPlacement } from "../lib/chaintable";

interface BenchCase {
  v: number;
  k: number;
  r: number;
  note: string;
}

/** Typical sizes first (upstream's examples, the speed goal), then known-hard designs. */
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

function main(): void {
  process.stdout.write("| v | k | r | b | λ | time ms | spread | min/max pair | note |\n");
  process.stdout.write("|---:|---:|---:|---:|---:|---:|---:|:---:|:---|\n");
  const start = performance.now();
  for (const c of BENCH_CASES) process.stdout.write(`${row(c)}\n`);
  const total = (performance.now() - start).toFixed(0);
  process.stdout.write(`\n${BENCH_CASES.length} cases in ${total} ms (node ${process.version})\n`);
}

if (require.main === module) main();
