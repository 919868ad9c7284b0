/**
 * The mount helper's logic: adds to a pod spec what it needs to use 3FS on a client node, without making it
 * privileged. Pure: plain objects in, a new plain object out (the input is not changed); no cloud SDK.
 *
 * What it adds (sources in docs/consumers.md):
 * - the client node selector and tolerations: the FUSE DaemonSet mounts 3FS on client nodes only;
 * - a hostPath volume of the node's mount path (type Directory: a node without the FUSE pod's mount point
 *   fails the pod instead of handing it an empty local directory), mounted with HostToContainer
 *   propagation so the container sees the FUSE mount, and a remount after a FUSE restart;
 * - `THREEFS_MOUNT` and `THREEFS_DIR` in each mounted container's environment;
 * - with a tenant: the tenant's uid/gid for every container, and allowPrivilegeEscalation: false (what the
 *   tenant's admission policy requires);
 * - with `usrbio`: the node's USRBIO directory as /dev/shm, shared with the FUSE daemon.
 *
 * Why `subPath` is not a kubelet subPath: the kubelet bind-mounts a subPath once, at container start
 * (kubernetes/kubernetes pkg/kubelet/kubelet_pods.go, makeMounts → PrepareSafeSubpath), so a FUSE restart
 * leaves the container on the dead mount; when the FUSE mount is absent it even creates the directory on the
 * node's own disk (SafeMakeDir in the same function); and USRBIO finds 3FS through the `3fs-virt` directory,
 * which exists only at the root of the mount (alibabacloud-3FS src/fuse/FuseOps.cc:654,
 * src/lib/api/UsrbIo.cc:78-89). So the whole mount is mounted and the directory is passed as THREEFS_DIR.
 */

import type { ClientMount } from "../stacks/contract";

/** Structural, minimal Kubernetes shapes: the fields the helper reads or writes; others pass through. */
export interface EnvVarLike {
  name: string;
  value?: string;
  [key: string]: unknown;
}
export interface VolumeMountLike {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  mountPropagation?: string;
  [key: string]: unknown;
}
export interface SecurityContextLike {
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  [key: string]: unknown;
}
export interface ContainerLike {
  name: string;
  env?: EnvVarLike[];
  volumeMounts?: VolumeMountLike[];
  securityContext?: SecurityContextLike;
  workingDir?: string;
  [key: string]: unknown;
}
export interface VolumeLike {
  name: string;
  [key: string]: unknown;
}
export interface TolerationLike {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}
export interface PodSpecLike {
  containers: ContainerLike[];
  initContainers?: ContainerLike[];
  volumes?: VolumeLike[];
  nodeSelector?: Record<string, string>;
  tolerations?: TolerationLike[];
  securityContext?: { runAsUser?: number; runAsGroup?: number; runAsNonRoot?: boolean; [key: string]: unknown };
  [key: string]: unknown;
}

/** The stack's client side (the contract's ClientMount). */
export type ClientMountLike = ClientMount;

/** The tenant identity the pod takes (contract TenantInfo). */
export interface TenantLike {
  uid: number;
  gid: number;
  directory: string;
}

/** Options of {@link mountThreeFs}. */
export interface MountOptions {
  /** Where the whole 3FS tree appears in the containers. Default: the node's mount path (e.g. /mnt/3fs). */
  mountPath?: string;
  /**
   * Mount read-only. Defence in depth only: the kubelet's read-only bind is not recursive and cannot be
   * with HostToContainer propagation, so a FUSE remount reaches the container writable; the directory's
   * owner and mode are what protect data (docs/consumers.md). Incompatible with `usrbio`. Default false.
   */
  readOnly?: boolean;
  /**
   * Directory to work in, relative to the tenant's directory (with a tenant) or to the file-system root;
   * becomes THREEFS_DIR. Not a kubelet subPath (see the module comment). Default: the tenant's directory
   * or the root.
   */
  subPath?: string;
  /** Also make THREEFS_DIR each mounted container's working directory. Default false. */
  workingDir?: boolean;
  /**
   * USRBIO: mount the node's USRBIO shared-memory directory at /dev/shm, the same directory that is the
   * FUSE daemon's /dev/shm. Needs a writable mount (buffers are registered by creating symlinks under
   * <mount>/3fs-virt/iovs). Default false.
   */
  usrbio?: boolean;
  /** Containers (by name) that get the mount and environment. Default every container (not init containers). */
  containers?: string[];
}

/** A pod spec the helper cannot make work; the message says why and what to change. */
export class MountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MountError";
  }
}

/** Volume names the helper adds. */
export const MOUNT_VOLUME = "threefs";
export const SHM_VOLUME = "threefs-usrbio-shm";

const PATH_IN_CONTAINER = /^\/[A-Za-z0-9._/-]*[A-Za-z0-9._-]$/;
const RELATIVE = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

function checkOptions(client: ClientMountLike, opts: MountOptions): void {
  if (client.nodes <= 0) {
    throw new MountError("the threefs stack has no client nodes (threefs:client.nodes is 0), so no node has the 3FS mount: add client nodes to the threefs stack");
  }
  if (opts.usrbio && opts.readOnly) {
    throw new MountError("usrbio needs a writable mount: USRBIO registers its buffers by creating symlinks under <mount>/3fs-virt/iovs (UsrbIo.cc:145-156), which a read-only mount refuses");
  }
  const mountPath = opts.mountPath ?? client.mountPath;
  if (!PATH_IN_CONTAINER.test(mountPath) || mountPath.startsWith("/dev") || mountPath.split("/").includes("..")) {
    throw new MountError(`mountPath '${mountPath}' must be an absolute path of [A-Za-z0-9._/-] outside /dev`);
  }
  if (opts.subPath !== undefined && (!RELATIVE.test(opts.subPath) || opts.subPath.split("/").some((p) => p === "." || p === ".."))) {
    throw new MountError(`subPath '${opts.subPath}' must be a relative path inside 3FS (no leading /, no . or ..)`);
  }
}

/** The containers the mount goes into. */
function targets(spec: PodSpecLike, opts: MountOptions): Set<string> {
  const names = spec.containers.map((c) => c.name);
  const wanted = opts.containers ?? names;
  const unknown = wanted.filter((n) => !names.includes(n));
  if (unknown.length > 0) throw new MountError(`containers ${unknown.join(", ")} are not in the pod spec (it has ${names.join(", ")})`);
  return new Set(wanted);
}

function mergeNodeSelector(have: Record<string, string> | undefined, want: Record<string, string>): Record<string, string> {
  const out = { ...(have ?? {}) };
  for (const [k, v] of Object.entries(want)) {
    if (out[k] !== undefined && out[k] !== v) throw new MountError(`nodeSelector ${k}=${out[k]} conflicts with the client nodes' ${k}=${v}`);
    out[k] = v;
  }
  return out;
}

function mergeTolerations(have: TolerationLike[] | undefined, want: readonly TolerationLike[]): TolerationLike[] {
  const out = [...(have ?? [])];
  const same = (a: TolerationLike, b: TolerationLike) => a.key === b.key && (a.operator ?? "Equal") === (b.operator ?? "Equal") && a.value === b.value && a.effect === b.effect;
  for (const t of want) if (!out.some((o) => same(o, t))) out.push({ ...t });
  return out;
}

function addEnv(c: ContainerLike, vars: Record<string, string>): EnvVarLike[] {
  const env = [...(c.env ?? [])];
  for (const [name, value] of Object.entries(vars)) {
    const old = env.find((e) => e.name === name);
    if (old && old.value !== value) throw new MountError(`container ${c.name} sets ${name}=${String(old.value)}; the helper sets it to ${value}`);
    if (!old) env.push({ name, value });
  }
  return env;
}

/** The tenant's identity for one container; refuses what the tenant's admission policy would refuse. */
function tenantSecurity(c: ContainerLike, t: TenantLike): SecurityContextLike {
  const sc = { ...(c.securityContext ?? {}) };
  for (const [field, want] of [["runAsUser", t.uid], ["runAsGroup", t.gid]] as const) {
    if (sc[field] !== undefined && sc[field] !== want) throw new MountError(`container ${c.name} sets ${field} ${sc[field]}; the tenant's pods run as ${want}`);
  }
  if (sc.allowPrivilegeEscalation === true) throw new MountError(`container ${c.name} allows privilege escalation; a tenant's containers may not (a setuid binary would make it root)`);
  return { ...sc, allowPrivilegeEscalation: false };
}

/**
 * Adds the 3FS mount (and with `usrbio` the shared memory) to a pod spec.
 * @param spec the pod spec (unchanged; a new one is returned)
 * @param client the stack's client side (contract ClientMount)
 * @param opts see MountOptions
 * @param tenant the tenant the pod runs as; without one the pod's identity is left alone
 * @throws MountError when the stack has no client nodes, or the spec or options cannot work
 */
export function mountThreeFs<S extends PodSpecLike>(spec: S, client: ClientMountLike, opts: MountOptions = {}, tenant?: TenantLike): S {
  checkOptions(client, opts);
  const into = targets(spec, opts);
  const all = [...spec.containers, ...(spec.initContainers ?? [])];
  const privileged = all.find((c) => c.securityContext?.privileged === true);
  if (privileged) throw new MountError(`container ${privileged.name} is privileged; 3FS needs no privileged workload (the FUSE DaemonSet holds the mount)`);
  const volumes = [...(spec.volumes ?? [])];
  const added = [MOUNT_VOLUME, ...(opts.usrbio ? [SHM_VOLUME] : [])];
  const clash = volumes.find((v) => added.includes(v.name));
  if (clash) throw new MountError(`the pod spec already has a volume named ${clash.name}`);
  volumes.push({ name: MOUNT_VOLUME, hostPath: { path: client.mountPath, type: "Directory" } });
  // The FUSE pod creates the directory (DirectoryOrCreate) before it mounts; Directory keeps this pod
  // waiting until then instead of giving it a private, empty /dev/shm.
  if (opts.usrbio) volumes.push({ name: SHM_VOLUME, hostPath: { path: client.usrbioShmHostPath, type: "Directory" } });

  const mountPath = opts.mountPath ?? client.mountPath;
  const base = tenant ? `${mountPath}${tenant.directory}` : mountPath;
  const dir = opts.subPath ? `${base}/${opts.subPath}` : base;
  const mounts: VolumeMountLike[] = [
    { name: MOUNT_VOLUME, mountPath, mountPropagation: "HostToContainer", ...(opts.readOnly ? { readOnly: true } : {}) },
    ...(opts.usrbio ? [{ name: SHM_VOLUME, mountPath: "/dev/shm" }] : []),
  ];
  const mountInto = (c: ContainerLike): ContainerLike => {
    const have = c.volumeMounts ?? [];
    const taken = have.find((m) => mounts.some((n) => n.mountPath === m.mountPath));
    if (taken) throw new MountError(`container ${c.name} already mounts ${taken.name} at ${taken.mountPath}`);
    return { ...c, volumeMounts: [...have, ...mounts], env: addEnv(c, { THREEFS_MOUNT: mountPath, THREEFS_DIR: dir }), ...(opts.workingDir ? { workingDir: dir } : {}) };
  };
  const withTenant = (c: ContainerLike): ContainerLike => (tenant ? { ...c, securityContext: tenantSecurity(c, tenant) } : c);
  const out: PodSpecLike = {
    ...spec,
    containers: spec.containers.map((c) => withTenant(into.has(c.name) ? mountInto(c) : c)),
    ...(spec.initContainers ? { initContainers: spec.initContainers.map(withTenant) } : {}),
    volumes,
    nodeSelector: mergeNodeSelector(spec.nodeSelector, client.nodeSelector),
    tolerations: mergeTolerations(spec.tolerations, client.tolerations),
  };
  if (out.tolerations!.length === 0) delete out.tolerations;
  if (tenant) {
    const psc = { ...(spec.securityContext ?? {}) };
    for (const [field, want] of [["runAsUser", tenant.uid], ["runAsGroup", tenant.gid]] as const) {
      if (psc[field] !== undefined && psc[field] !== want) throw new MountError(`the pod sets ${field} ${psc[field]}; the tenant's pods run as ${want}`);
    }
    out.securityContext = { ...psc, runAsUser: tenant.uid, runAsGroup: tenant.gid, runAsNonRoot: true };
  }
  return out as S;
}
