/**
 * Text forms of the sizing model: the full report of `npm run sizing` and side-by-side comparisons
 * (the short section of `npm run plan` is in output.ts, next to the output it prints).
 *
 * Pure module: no cloud SDK imports.
 */
import type { RecoveryEstimate } from "./recovery";
import { nodeRecoveryAt, type SizingReport } from "./report";
import { ASSUMPTIONS } from "./sources";
import { formatBytes, formatDuration, formatRate, grouped } from "./units";

/** Left-aligned columns separated by two spaces; trailing spaces trimmed. */
export function columns(rows: readonly (readonly string[])[], indent = "  "): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => (indent + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join("  ")).trimEnd());
}

function recoveryLines(label: string, e: RecoveryEstimate | null): string[][] {
  if (e === null) return [[label, "n/a: replicas = 1, nothing to recover from"]];
  return [
    [label, `${formatDuration(e.seconds)} (${e.bound}-bound)`],
    ["  receiver", `${formatBytes(e.bytes)} into the replacement: ${formatDuration(e.receiverSeconds)}`],
    ["  busiest peer", `${e.busiestChains} shared chains per disk (node ${e.busiestPeer} of lost node ${e.lostNode}): ${formatDuration(e.senderSeconds)} (pair-count bound)`],
    ["  fresh table", `${e.freshBusiestChains} chains per disk from the busiest tail member: ${formatDuration(e.freshSenderSeconds)}`],
  ];
}

/** Peer-spare variants of the node-loss estimate (the foreground load the peers keep serving). */
function spareLines(r: SizingReport): string[][] {
  if (!r.node || r.input.replicas < 2) return [];
  return [0.5, 0.25].map((spare) => {
    const e = nodeRecoveryAt(r, spare);
    return [`node lost, peers ${spare * 100} % spare`, e ? `${formatDuration(e.seconds)} (${e.bound}-bound)` : "n/a"];
  });
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The full report of `npm run sizing -- --stack <s>`. */
export function renderReport(r: SizingReport, title: string): string {
  const i = r.input;
  const urls: string[] = [];
  const ref = (u: string) => `[${(urls.includes(u) ? urls : (urls.push(u), urls)).indexOf(u) + 1}]`;
  const out: string[] = [
    `${title}: ${i.storageNodes} storage nodes × ${i.storageTypes.join(" | ")}, ${i.disksPerNode} × ${i.diskSizeGiB} GiB ${i.diskCategory}, replicas ${i.replicas}, ${i.targetsPerDisk} targets per disk; ${plural(i.clientNodes, "client node")}`,
    "",
    "Figures (published, with source):",
    ...columns(r.figures.map((f) => [f.what, f.value, ref(f.source)])),
  ];
  if (r.node && r.cluster) {
    const n = r.node;
    const c = r.cluster;
    out.push(
      "",
      "Per storage node (sustained):",
      ...columns([
        ["read", formatRate(n.read.value), n.read.limit],
        ["ingest (receive + write)", formatRate(n.ingest.value), n.ingest.limit],
        ["share of client writes", formatRate(n.write.value), `ingest ÷ ${i.replicas} replicas`],
        ["read IOPS", n.readIops ? grouped(n.readIops.value) : "n/a", n.readIops?.limit ?? ""],
        ["share of client write IOPS", n.writeIops ? grouped(n.writeIops.value) : "n/a", n.writeIops ? `${n.writeIops.limit} ÷ ${i.replicas}` : ""],
      ]),
      "",
      `Cluster (${plural(i.storageNodes, "storage node")}, ${plural(i.clientNodes, "client node")}):`,
      ...columns([
        ["storage read ceiling", formatRate(c.read.value), c.read.limit],
        ["storage write ceiling", formatRate(c.write.value), c.write.limit],
        ["client network", c.clientRead === null ? "n/a" : formatRate(c.clientRead), "per direction"],
        ["clients can read", formatRate(c.deliverableRead.value), c.deliverableRead.limit],
        ["clients can write", formatRate(c.deliverableWrite.value), c.deliverableWrite.limit],
        ["read, one node lost", r.degradedReadBps === null ? "n/a" : formatRate(r.degradedReadBps), "busiest peer takes the lost node's reads"],
        ["usable capacity", `${grouped(r.capacity.usableGiB)} GiB`, `${grouped(r.capacity.totalRawGiB)} GiB raw ÷ ${i.replicas}`],
      ]),
    );
  }
  out.push("", "Placement:", ...columns([["largest pair count", `${r.placement.maxShared} chains per disk`, `balanced minimum for one cohort: ${r.placement.balancedMax}`]]));
  if (r.node) {
    out.push(
      "",
      `Recovery (fill ${r.options.fill * 100} %, peer spare ${r.options.peerSpare * 100} %, worst lost node):`,
      ...columns([...recoveryLines("node lost", r.recovery.node), ...recoveryLines("disk lost", r.recovery.disk), ...spareLines(r)]),
    );
  }
  if (r.problems.length > 0) out.push("", "Not computed:", ...r.problems.map((p) => `  ${p}`));
  out.push("", "Assumed (not published):", ...r.assumptions.map((a) => `  ${a}: ${ASSUMPTIONS[a]}`));
  out.push("", "Sources:", ...urls.map((u, k) => `  [${k + 1}] ${u}`));
  return out.join("\n") + "\n";
}

/** Side by side: one column per labelled report. */
export function renderComparison(items: readonly { label: string; report: SizingReport }[]): string {
  const row = (what: string, f: (r: SizingReport) => string) => [what, ...items.map((it) => f(it.report))];
  const opt = (f: (r: SizingReport) => string) => (r: SizingReport) => (r.node && r.cluster ? f(r) : "n/a");
  const rows = [
    ["", ...items.map((it) => it.label)],
    row("storage nodes", (r) => String(r.input.storageNodes)),
    row("instance types", (r) => r.input.storageTypes.join(" | ")),
    row("disks", (r) => `${r.input.disksPerNode} × ${r.input.diskSizeGiB} GiB ${r.input.diskCategory.replace("elastic_ephemeral_disk_", "EED ")}`),
    row("replicas / targets per disk", (r) => `${r.input.replicas} / ${r.input.targetsPerDisk}`),
    row("node read", opt((r) => `${formatRate(r.node!.read.value)} (${r.node!.read.limit})`)),
    row("node write share", opt((r) => formatRate(r.node!.write.value))),
    row("storage read", opt((r) => formatRate(r.cluster!.read.value))),
    row("storage write", opt((r) => formatRate(r.cluster!.write.value))),
    row("clients can read", opt((r) => `${formatRate(r.cluster!.deliverableRead.value)} (${r.cluster!.deliverableRead.limit})`)),
    row("read, one node lost", opt((r) => (r.degradedReadBps === null ? "n/a" : formatRate(r.degradedReadBps)))),
    row("usable capacity", (r) => `${grouped(r.capacity.usableGiB)} GiB`),
    row("largest pair count", (r) => String(r.placement.maxShared)),
    row("recovery, node lost", opt((r) => (r.recovery.node ? `${formatDuration(r.recovery.node.seconds)} (${r.recovery.node.bound})` : "n/a"))),
    row("recovery, disk lost", opt((r) => (r.recovery.disk ? formatDuration(r.recovery.disk.seconds) : "n/a"))),
  ];
  return columns(rows, "").join("\n") + "\n";
}
