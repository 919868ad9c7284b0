/**
 * The `sizing` stack output (stacks/contract.ts `StorageSizing`) from a sizing report: rounded,
 * JSON-friendly, stable for the same inputs; and the short section `npm run plan` prints from it (so
 * the plan shows exactly what is exported).
 *
 * Pure module: no cloud SDK imports.
 */
import type { StorageSizing } from "../../stacks/contract";
import type { SizingReport } from "./report";
import { columns } from "./render";
import { formatDuration, formatRate, GB, grouped, round } from "./units";

const gb = (bps: number | null | undefined): number | null => (bps === null || bps === undefined ? null : round(bps / GB, 3));

/** The stack output of a report. */
export function sizingOutput(r: SizingReport): StorageSizing {
  const sources = [...new Set(r.figures.filter((f) => f.kind === "published").map((f) => f.source))];
  return {
    instanceTypes: [...r.input.storageTypes],
    perNodeReadGBps: gb(r.node?.read.value),
    perNodeWriteGBps: gb(r.node?.write.value),
    readGBps: gb(r.cluster?.read.value),
    writeGBps: gb(r.cluster?.write.value),
    clientReadGBps: gb(r.cluster?.deliverableRead.value),
    clientWriteGBps: gb(r.cluster?.deliverableWrite.value),
    degradedReadGBps: gb(r.degradedReadBps),
    readLimit: r.cluster?.deliverableRead.limit ?? null,
    writeLimit: r.cluster?.deliverableWrite.limit ?? null,
    usableGiB: r.capacity.usableGiB,
    nodeRecoverySeconds: r.recovery.node ? Math.round(r.recovery.node.seconds) : null,
    nodeRecoveryBound: r.recovery.node?.bound ?? null,
    diskRecoverySeconds: r.recovery.disk ? Math.round(r.recovery.disk.seconds) : null,
    assumptions: [...r.assumptions],
    sources,
  };
}

const rate = (gbps: number | null): string => (gbps === null ? "n/a" : formatRate(gbps * GB));
const duration = (s: number | null): string => (s === null ? "n/a (no second copy)" : formatDuration(s));

/** The short section of `npm run plan`, from the `sizing` output. */
export function renderPlanSection(s: StorageSizing, stack: string): string {
  const lines = [
    "",
    `Sizing (sustained ceilings, GB/s = 10^9 B/s; details: npm run sizing -- --stack ${stack}):`,
    ...columns([
      ["storage node", `${rate(s.perNodeReadGBps)} read, ${rate(s.perNodeWriteGBps)} of client writes (${s.instanceTypes.join(" | ")})`],
      ["storage tier", `${rate(s.readGBps)} read, ${rate(s.writeGBps)} write`],
      ["clients get", `${rate(s.clientReadGBps)} read (limit: ${s.readLimit ?? "n/a"}), ${rate(s.clientWriteGBps)} write (limit: ${s.writeLimit ?? "n/a"})`],
      ["one node lost", `${rate(s.degradedReadGBps)} read`],
      ["usable capacity", `${grouped(s.usableGiB)} GiB`],
      ["recovery", `node lost: ${duration(s.nodeRecoverySeconds)}${s.nodeRecoveryBound ? ` (${s.nodeRecoveryBound}-bound)` : ""}; disk lost: ${duration(s.diskRecoverySeconds)} (full disks, idle peers)`],
    ]),
    `  assumed: ${s.assumptions.join(", ")} (lib/sizing/sources.ts, docs/sizing.md)`,
    "  sources:",
    ...s.sources.map((u) => `    ${u}`),
  ];
  return lines.join("\n") + "\n";
}

