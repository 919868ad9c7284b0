/**
 * Tenants: teams that read and write 3FS through the shared FUSE mount with only what they need — a
 * namespace of their own, a namespace-scoped Kubernetes identity, a non-root 3FS user and a directory
 * they own. This module resolves `threefs:tenants` entries (defaults, names) and checks the rules that
 * involve several entries or the rest of the stack.
 *
 * How isolation works on a shared mount (docs/consumers.md): the FUSE daemon mounts with
 * `allow_other` and `default_permissions` (alibabacloud-3FS ab363af src/fuse/FuseMainLoop.cc:29-31,
 * allow_other defaulting to true in src/fuse/FuseLauncherConfig.h:15), so the kernel checks every access
 * against the calling process's uid/gid and the file's mode, and the daemon forwards that uid/gid to
 * meta with each request (src/fuse/FuseOps.cc:302). A tenant's pods therefore run as the tenant's uid and
 * gid, and its directory belongs to that uid/gid with a mode that keeps others out.
 *
 * No quota: 3FS has none to set (its only mention is a `TODO: quota` in statfs, src/fuse/FuseOps.cc:1854),
 * so a tenant entry has no quota field.
 *
 * Pure module: no cloud SDK imports.
 */

/** A `threefs:tenants` entry as written (see stacks/schema.ts for the field docs). */
export interface TenantConfig {
  name: string;
  namespace?: string;
  uid: number;
  gid?: number;
  directory?: string;
  mode?: string;
}

/** A tenant with every default resolved. */
export interface Tenant {
  /** Tenant name: a DNS label (also the 3FS user name). */
  name: string;
  /** Kubernetes namespace the program creates for the tenant. Default: the name. */
  namespace: string;
  /** 3FS user id and the uid the tenant's pods run as (≥ 1: never root). */
  uid: number;
  /** gid the tenant's pods run as and the directory's group. Default: the uid (3FS gives every user gid = uid). */
  gid: number;
  /** The tenant's directory in 3FS, absolute from the file system's root. Default /tenants/<name>. */
  directory: string;
  /** Mode of the directory, octal digits (e.g. "0700"). Default 0700: only the tenant. */
  mode: string;
}

/** Where tenant directories go unless an entry names its own. */
export const DEFAULT_TENANT_ROOT = "/tenants";
/** Mode of a tenant directory unless an entry names its own: owner only. */
export const DEFAULT_TENANT_MODE = "0700";
/**
 * Mode of the parent directories the bootstrap creates on the way to a tenant directory (e.g. /tenants):
 * traversable by everyone, writable by root only.
 */
export const PARENT_DIRECTORY_MODE = "0755";

/**
 * The FUSE daemon's virtual directory at the file system's root (src/fuse/FuseOps.cc:356,654): a real
 * directory of that name would be hidden by it.
 */
export const VIRTUAL_DIR = "3fs-virt";

/** Namespaces a tenant may not take: the system's and this stack's own. */
const RESERVED_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

/** Resolves the defaults of one entry. */
export function resolveTenant(t: TenantConfig): Tenant {
  return {
    name: t.name,
    namespace: t.namespace ?? t.name,
    uid: t.uid,
    gid: t.gid ?? t.uid,
    directory: normalizeDirectory(t.directory ?? `${DEFAULT_TENANT_ROOT}/${t.name}`),
    mode: (t.mode ?? DEFAULT_TENANT_MODE).padStart(4, "0"),
  };
}

/** `/a//b/` → `/a/b` (the schema already restricts the characters). */
function normalizeDirectory(dir: string): string {
  return `/${dir.split("/").filter((p) => p !== "").join("/")}`;
}

/** One directory problem, or undefined. */
function directoryProblem(dir: string): string | undefined {
  const parts = dir.split("/").filter((p) => p !== "");
  if (parts.length === 0) return "must be a directory below the root, not / itself (3FS refuses to change the root's owner)";
  if (parts.some((p) => p === "." || p === "..")) return "must not contain . or .. (3FS refuses them: filename is '.' or '..')";
  if (parts[0] === VIRTUAL_DIR) return `must not be under /${VIRTUAL_DIR}, the FUSE daemon's virtual directory`;
  return undefined;
}

const isInside = (inner: string, outer: string) => inner === outer || inner.startsWith(`${outer}/`);

/**
 * Every problem with the tenants of a stack, one line each, prefixed with the key to change.
 * @param entries the `threefs:tenants` entries (shape-valid)
 * @param stackNamespaces namespaces the stack itself uses (3FS, FDB operator)
 */
export function tenantProblems(entries: readonly TenantConfig[], stackNamespaces: readonly string[]): string[] {
  const out: string[] = [];
  const tenants = entries.map(resolveTenant);
  const seen = { name: new Map<string, number>(), namespace: new Map<string, number>(), uid: new Map<number, number>() };
  tenants.forEach((t, i) => {
    const key = `threefs:tenants[${i}]`;
    const dup = (field: "name" | "namespace" | "uid", value: string | number) => {
      const first = (seen[field] as Map<string | number, number>).get(value);
      if (first !== undefined) out.push(`${key}.${field}: ${value} is already used by threefs:tenants[${first}]`);
      else (seen[field] as Map<string | number, number>).set(value, i);
    };
    dup("name", t.name);
    dup("namespace", t.namespace);
    dup("uid", t.uid);
    if (RESERVED_NAMESPACES.includes(t.namespace) || t.namespace.startsWith("kube-") || stackNamespaces.includes(t.namespace)) {
      out.push(`${key}.namespace: ${t.namespace} is a system namespace or one of this stack's own (${stackNamespaces.join(", ")}); give the tenant its own`);
    }
    const problem = directoryProblem(t.directory);
    if (problem) out.push(`${key}.directory: ${t.directory} ${problem}`);
    tenants.slice(0, i).forEach((o, j) => {
      if (isInside(t.directory, o.directory) || isInside(o.directory, t.directory)) {
        out.push(`${key}.directory: ${t.directory} overlaps ${o.directory} of threefs:tenants[${j}]; tenant directories must be disjoint (a tenant's mode would lock the other out)`);
      }
    });
  });
  return out;
}

/** The directories between the root and a tenant directory, outermost first (`/a/b/c` → `/a`, `/a/b`). */
export function parentDirectories(directory: string): string[] {
  const parts = directory.split("/").filter((p) => p !== "");
  return parts.slice(0, -1).map((_, i) => `/${parts.slice(0, i + 1).join("/")}`);
}

/** Kubernetes names of a tenant's objects (inside its namespace, except the cluster-scoped policy). */
export function tenantObjectNames(prefix: string, t: Tenant) {
  return {
    /** The ServiceAccount the tenant's kubeconfig authenticates as. */
    serviceAccount: `${t.name}-deployer`,
    role: `${t.name}-workloads`,
    roleBinding: `${t.name}-workloads`,
    /** The long-lived ServiceAccount token Secret behind the kubeconfig. */
    serviceAccountToken: `${t.name}-deployer-token`,
    /** The tenant's own 3FS token (key `token`), for tools that authenticate as the tenant. */
    threeFsToken: `${t.name}-3fs-token`,
    /** Cluster-scoped admission policy and binding that restrict the tenant's pods. */
    admissionPolicy: `${prefix}-tenant-${t.name}`,
  };
}
