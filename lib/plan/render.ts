/**
 * Renders a plan for people and for diffs: a `pulumi preview`-like tree, and `kubernetes.yaml` with
 * every Kubernetes object as it would be applied.
 */
import { stringify } from "yaml";
import type { MockRegistration } from "./mocks";
import type { ResourceRow } from "./run";

/** Types that are Pulumi machinery, not Kubernetes objects. */
function isKubernetesObject(row: ResourceRow): boolean {
  return row.type.startsWith("kubernetes:") && !row.type.startsWith("kubernetes:yaml") && !row.type.startsWith("kubernetes:helm") && !row.type.startsWith("pulumi:providers:");
}

/** Every Kubernetes object as a YAML document (apiVersion, kind, metadata, then the rest). */
export function renderKubernetesYaml(rows: readonly ResourceRow[], registrations: readonly MockRegistration[] = []): string {
  const autoNames = new Map(registrations.filter((r) => r.autoName).map((r) => [`${r.type}\u0000${r.name}`, r.autoName]));
  const docs: string[] = [];
  for (const row of rows) {
    if (!isKubernetesObject(row)) continue;
    const inputs = { ...(row.inputs as Record<string, unknown>) };
    const { apiVersion, kind, ...rest } = inputs;
    delete rest.metadata;
    // Autonamed objects get their name at apply time; show the one the provider would pick.
    const autoName = autoNames.get(`${row.type}\u0000${row.name}`);
    const metadata = { ...(autoName ? { name: autoName } : {}), ...((inputs.metadata as Record<string, unknown> | undefined) ?? {}) };
    docs.push(stringify({ apiVersion, kind, metadata, ...rest }, { lineWidth: 0, sortMapEntries: false }));
  }
  return docs.map((d) => `---\n${d}`).join("");
}

/** A tree like `pulumi preview`: type, name, nesting; then counts per type. */
export function renderTree(rows: readonly ResourceRow[], stack: string): string {
  const children = new Map<string | null, ResourceRow[]>();
  for (const r of rows) {
    const list = children.get(r.parent) ?? [];
    list.push(r);
    children.set(r.parent, list);
  }
  const lines: string[] = [`Stack ${stack}: ${rows.length} resources would be created`];
  const walk = (parent: string | null, depth: number) => {
    for (const r of children.get(parent) ?? []) {
      const flags = [r.protect ? "protected" : "", r.retainOnDelete ? "retained" : ""].filter(Boolean).join(", ");
      lines.push(`${"  ".repeat(depth)}+ ${r.type}  ${r.name}${flags ? `  [${flags}]` : ""}`);
      walk(r.urn, depth + 1);
    }
  };
  // Top level: rows whose parent is the stack (or none).
  const urns = new Set(rows.map((r) => r.urn));
  for (const [parent, list] of children) {
    if (parent !== null && urns.has(parent)) continue;
    for (const r of list) {
      const flags = [r.protect ? "protected" : "", r.retainOnDelete ? "retained" : ""].filter(Boolean).join(", ");
      lines.push(`+ ${r.type}  ${r.name}${flags ? `  [${flags}]` : ""}`);
      walk(r.urn, 1);
    }
  }
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  lines.push("", "Resources by type:");
  for (const [type, n] of [...counts].sort((a, b) => a[0].localeCompare(b[0]))) lines.push(`  ${String(n).padStart(4)}  ${type}`);
  return lines.join("\n") + "\n";
}

/** Stack outputs as `pulumi preview` lists them (secrets stay "[secret]" unless shown). */
export function renderOutputs(outputs: Readonly<Record<string, { value: unknown; secret: boolean }>>): string {
  const lines = ["", "Outputs:"];
  for (const [key, o] of Object.entries(outputs)) {
    const text = typeof o.value === "string" ? o.value : JSON.stringify(o.value);
    const oneLine = text.includes("\n") ? `${text.split("\n")[0]} …` : text;
    lines.push(`  ${key}: ${oneLine}`);
  }
  return lines.join("\n") + "\n";
}
