/**
 * The tenants part of the bootstrap plan (scripts/tenants.sh): the input type, its checks and tenants.tsv.
 *
 * Pure module: no cloud SDK imports.
 */
/** A tenant whose 3FS user and directory the bootstrap ensures (resolved, see lib/tenants/spec.ts). */
export interface BootstrapTenant {
  /** The 3FS user name and the token file's name in `tenantTokenDir`. */
  name: string;
  /** 3FS uid (≥ 1; the user is created non-root and non-admin). */
  uid: number;
  /** The directory's group (recorded as the user's supplementary group when it differs from the uid). */
  gid: number;
  /** Absolute directory in 3FS (not /). */
  directory: string;
  /** Its mode, four octal digits. */
  mode: string;
}

/** Problems with the tenants the bootstrap would create (the stack config checks the same, by key). */
export function tenantInputProblems(tenants: readonly BootstrapTenant[]): string[] {
  const out: string[] = [];
  const names = new Set<string>();
  const uids = new Set<number>();
  tenants.forEach((t, i) => {
    const at = `tenants[${i}]`;
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(t.name)) out.push(`${at}.name: must be a DNS label, got "${t.name}"`);
    for (const [k, v] of [["uid", t.uid], ["gid", t.gid]] as const) if (!Number.isInteger(v) || v < 1 || v > 0xfffffffe) out.push(`${at}.${k}: must be an integer ≥ 1 (never root), got ${v}`);
    if (!/^(\/[A-Za-z0-9._-]+)+$/.test(t.directory) || t.directory.split("/").some((p) => p === "." || p === "..")) out.push(`${at}.directory: must be an absolute path below /, got "${t.directory}"`);
    if (!/^[0-7]{4}$/.test(t.mode)) out.push(`${at}.mode: must be four octal digits, got "${t.mode}"`);
    if (names.has(t.name)) out.push(`${at}.name: ${t.name} is listed twice`);
    if (uids.has(t.uid)) out.push(`${at}.uid: ${t.uid} is listed twice`);
    names.add(t.name);
    uids.add(t.uid);
  });
  return out;
}

/** tenants.tsv: "name uid gid directory mode" per line (scripts/tenants.sh), a comment header first. */
export function tenantsTsv(tenants: readonly BootstrapTenant[]): string {
  return ["# name uid gid directory mode", ...tenants.map((t) => `${t.name} ${t.uid} ${t.gid} ${t.directory} ${t.mode}`)].map((l) => `${l}\n`).join("");
}
