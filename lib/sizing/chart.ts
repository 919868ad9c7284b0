/**
 * Recovery time after losing one storage node, as a function of the number of storage nodes, for a
 * stack's configuration (instance type, disks, replicas, targets per disk). Every point uses the
 * placement the program would compute for that many nodes (one cohort), so it shows what the chain
 * placement buys: the busiest peer's share shrinks as nodes are added, while the replacement node
 * must always take in a whole node's data.
 *
 * Pure module: no cloud SDK imports.
 */
import { planPlacement, validatePlacementInput } from "../chaintable/placement";
import { PLACEMENT_SAFETY_NET_MS } from "../threefs/chainGroups";
import { nodeRecoveryAt, sizeStorage, type SizingInput } from "./report";
import { el, renderSvg, type SvgElement } from "./svg";

/** One point of the curve, seconds. */
export interface RecoveryPoint {
  nodes: number;
  /** Replacement node taking in the lost node's data. */
  receiverSeconds: number;
  /** Busiest peer sending, idle cluster (100 % spare). */
  idleSenderSeconds: number;
  /** Busiest peer sending with only `busySpare` of its bandwidth. */
  busySenderSeconds: number;
}

/** Options of {@link recoveryCurve}. */
export interface CurveOptions {
  maxNodes: number;
  /** Peer spare of the "busy" series, (0, 1). */
  busySpare: number;
  fill?: number;
}

/** The curve for every valid node count from `replicas` (at least 2) to `maxNodes`. */
export function recoveryCurve(input: SizingInput, opts: CurveOptions): RecoveryPoint[] {
  const out: RecoveryPoint[] = [];
  const k = input.replicas;
  const r = input.targetsPerDisk;
  for (let v = Math.max(2, k); v <= opts.maxNodes; v++) {
    if (validatePlacementInput({ nodes: v, replicas: k, targetsPerDisk: r }).length > 0) continue;
    const groups = planPlacement({ nodes: v, replicas: k, targetsPerDisk: r, timeBudgetMs: PLACEMENT_SAFETY_NET_MS }).groups;
    const report = sizeStorage({ ...input, storageNodes: v }, groups, { fill: opts.fill ?? 1, peerSpare: 1 });
    const idle = report.recovery.node;
    const busy = nodeRecoveryAt(report, opts.busySpare);
    if (!idle || !busy) continue;
    out.push({ nodes: v, receiverSeconds: idle.receiverSeconds, idleSenderSeconds: idle.senderSeconds, busySenderSeconds: busy.senderSeconds });
  }
  return out;
}

/** A "nice" tick step (1, 2 or 5 × 10^n) giving about `target` ticks over `span`. */
export function niceStep(span: number, target: number): number {
  const raw = span / target;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/** What the chart is about. */
export interface ChartLabels {
  title: string;
  /** Up to two lines under the title. */
  subtitle: readonly string[];
  /** The stack's own node count (marked), if it is on the curve. */
  currentNodes?: number;
  busySpare: number;
}

const W = 760;
const H = 440;
const M = { left: 70, right: 24, top: 84, bottom: 56 };
const COLORS = { receiver: "#555555", idle: "#1f77b4", busy: "#d62728", grid: "#dddddd", text: "#222222" };

/** The chart as an SVG element tree. */
export function recoveryChart(points: readonly RecoveryPoint[], labels: ChartLabels): SvgElement {
  if (points.length === 0) throw new Error("no points to chart");
  const maxS = Math.max(...points.map((p) => Math.max(p.receiverSeconds, p.busySenderSeconds)));
  const hours = maxS >= 2 * 3600;
  const unit = hours ? 3600 : 60;
  const yStep = niceStep(maxS / unit, 6);
  const yMax = Math.ceil((maxS / unit) * 1.05 / yStep) * yStep;
  const xMin = points[0].nodes;
  const xMax = points[points.length - 1].nodes;
  const xStep = niceStep(Math.max(1, xMax - xMin), 8);
  const px = (v: number) => M.left + ((v - xMin) / Math.max(1, xMax - xMin)) * (W - M.left - M.right);
  const py = (s: number) => H - M.bottom - (s / unit / yMax) * (H - M.top - M.bottom);
  const text = (x: number, y: number, s: string, attrs: Record<string, string | number> = {}) => el("text", { x, y, fill: COLORS.text, ...attrs }, [s]);
  const grid: SvgElement[] = [];
  for (let y = 0; y <= yMax + 1e-9; y += yStep) {
    grid.push(el("line", { x1: M.left, y1: py(y * unit), x2: W - M.right, y2: py(y * unit), stroke: COLORS.grid }));
    grid.push(text(M.left - 8, py(y * unit) + 4, Number(y.toFixed(6)).toString(), { "text-anchor": "end" }));
  }
  for (let x = Math.ceil(xMin / xStep) * xStep; x <= xMax; x += xStep) {
    grid.push(el("line", { x1: px(x), y1: H - M.bottom, x2: px(x), y2: H - M.bottom + 5, stroke: COLORS.text }));
    grid.push(text(px(x), H - M.bottom + 20, String(x), { "text-anchor": "middle" }));
  }
  const line = (f: (p: RecoveryPoint) => number, color: string, dash?: string) =>
    el("polyline", { points: points.map((p) => `${px(p.nodes).toFixed(2)},${py(f(p)).toFixed(2)}`).join(" "), fill: "none", stroke: color, "stroke-width": 2, ...(dash ? { "stroke-dasharray": dash } : {}) });
  const series = [
    { label: "replacement node receives the lost node's data", color: COLORS.receiver, dash: "6 4", f: (p: RecoveryPoint) => p.receiverSeconds },
    { label: "busiest peer sends its share, idle cluster", color: COLORS.idle, dash: undefined, f: (p: RecoveryPoint) => p.idleSenderSeconds },
    { label: `busiest peer sends its share, ${Math.round(labels.busySpare * 100)} % of its bandwidth spare`, color: COLORS.busy, dash: undefined, f: (p: RecoveryPoint) => p.busySenderSeconds },
  ];
  const legend = series.map((s, i) =>
    el("g", {}, [
      el("line", { x1: W - 360, y1: M.top + 12 + i * 18, x2: W - 330, y2: M.top + 12 + i * 18, stroke: s.color, "stroke-width": 2, ...(s.dash ? { "stroke-dasharray": s.dash } : {}) }),
      text(W - 324, M.top + 16 + i * 18, s.label, { "font-size": 11 }),
    ]),
  );
  const marks: SvgElement[] = [];
  const cur = points.find((p) => p.nodes === labels.currentNodes);
  if (cur) {
    marks.push(el("line", { x1: px(cur.nodes), y1: M.top, x2: px(cur.nodes), y2: H - M.bottom, stroke: COLORS.text, "stroke-dasharray": "2 3" }));
    const total = Math.max(cur.receiverSeconds, cur.idleSenderSeconds) / unit;
    marks.push(text(px(cur.nodes) + 4, M.top + 10, `this stack: ${cur.nodes} nodes, ${total.toFixed(hours ? 1 : 0)} ${hours ? "h" : "min"} (idle cluster)`, { "font-size": 11 }));
  }
  return el("svg", { width: W, height: H, viewBox: `0 0 ${W} ${H}`, "font-family": "DejaVu Sans, Arial, sans-serif", "font-size": 12 }, [
    el("rect", { x: 0, y: 0, width: W, height: H, fill: "#ffffff" }),
    text(M.left, 24, labels.title, { "font-size": 15, "font-weight": "bold" }),
    ...labels.subtitle.map((line, i) => text(M.left, 44 + i * 16, line, { "font-size": 11 })),
    ...grid,
    el("line", { x1: M.left, y1: H - M.bottom, x2: W - M.right, y2: H - M.bottom, stroke: COLORS.text }),
    el("line", { x1: M.left, y1: M.top, x2: M.left, y2: H - M.bottom, stroke: COLORS.text }),
    ...series.map((s) => line(s.f, s.color, s.dash)),
    ...marks,
    ...legend,
    text((M.left + W - M.right) / 2, H - 12, "storage nodes (one placement cohort)", { "text-anchor": "middle" }),
    text(18, (M.top + H - M.bottom) / 2, `time after losing one storage node (${hours ? "hours" : "minutes"})`, { "text-anchor": "middle", transform: `rotate(-90 18 ${(M.top + H - M.bottom) / 2})` }),
  ]);
}

/** The chart of a stack as SVG text: recovery = max(replacement, busiest peer) at each node count. */
export function recoveryChartSvg(input: SizingInput, stack: string, maxNodes = 48, busySpare = 0.25): string {
  const points = recoveryCurve(input, { maxNodes, busySpare });
  const disks = `${input.disksPerNode} × ${input.diskSizeGiB} GiB ${input.diskCategory.replace("elastic_ephemeral_disk_", "EED ")}`;
  return renderSvg(
    recoveryChart(points, {
      title: `Recovery after losing a storage node: stack ${stack}`,
      subtitle: [
        `${input.storageTypes.join(" | ")}, ${disks}, replicas ${input.replicas}, ${input.targetsPerDisk} targets per disk, full disks`,
        "recovery = max(replacement node, busiest peer); each node count uses the placement the program computes for it",
      ],
      currentNodes: input.storageNodes,
      busySpare,
    }),
  );
}
