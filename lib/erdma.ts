/**
 * Which ECS instance families can run 3FS: every 3FS process talks RDMA, and on Alibaba Cloud that
 * means eRDMA (Elastic RDMA Interfaces), which only some families offer. Storage nodes additionally
 * attach elastic ephemeral disks (EED), which is again a per-family feature.
 *
 * The table below is the single place that knows this. Each entry cites where the fact comes from.
 * Unless noted otherwise the source is Alibaba Cloud's ECS "Overview of instance families" page,
 * https://www.alibabacloud.com/help/en/ecs/user-guide/overview-of-instance-families#<family>, whose
 * per-family "Network" list says "supports eRDMA / ERIs" and whose "Storage" list names the supported
 * disk categories ("elastic ephemeral disk" or not). Alibaba adds families faster than this file
 * changes: `threefs:nodePools.extraErdmaFamilies` accepts a family the table does not know (or
 * overrides an entry, see {@link familyInfo}) without a code change.
 *
 * The authoritative check at apply time is ECS `DescribeInstanceTypes` (`EriQuantity` > 0 means eRDMA);
 * this table exists so that a wrong type fails in `pulumi preview`, not 10 minutes into `pulumi up`.
 *
 * Pure module: no cloud SDK imports.
 */

/** What the table knows about one instance family. */
export interface ErdmaFamily {
  /** Family name as it appears in the instance type, e.g. `g8i` in `ecs.g8i.4xlarge`. */
  family: string;
  /** CPU vendor / kind, for docs; "unknown" for families only the user's escape hatch names. */
  kind: "intel" | "amd" | "gpu" | "unknown";
  /** The family can attach elastic ephemeral disks (so it can be a storage node). */
  eed: boolean;
  /** Where the eRDMA (and EED) facts come from. */
  source: string;
  /** The family has local disks (NVMe SSD): ContainerOS does not run on such instance types. */
  localDisk?: boolean;
}

const OVERVIEW = "ECS docs, Overview of instance families";

/**
 * Families documented with eRDMA. Families the docs list *without* eRDMA (g7, c7, r7, g7a, g8ine, c8ine,
 * the 6th generation, …) are deliberately absent: absent means refused.
 */
export const ERDMA_FAMILIES: readonly ErdmaFamily[] = [
  // --- 9th generation, Intel Xeon 6 (Granite Rapids) ---
  // #g9i: "These instances support eRDMA"; disks: ESSD, ESSD AutoPL, Regional ESSD (no EED).
  { family: "g9i", kind: "intel", eed: false, source: `${OVERVIEW} #g9i` },
  // #c9i: "These instances support eRDMA"; disks: ESSD, ESSD AutoPL (no EED).
  { family: "c9i", kind: "intel", eed: false, source: `${OVERVIEW} #c9i` },
  // #r9i: "These instances support eRDMA"; disks: ESSD, Regional ESSD, ESSD AutoPL (no EED).
  { family: "r9i", kind: "intel", eed: false, source: `${OVERVIEW} #r9i` },
  // --- 9th generation, AMD EPYC Turin ---
  // #g9a: "These instances support eRDMA"; disks include elastic ephemeral disk.
  { family: "g9a", kind: "amd", eed: true, source: `${OVERVIEW} #g9a` },
  // #c9a: "Supports ERIs"; disks include elastic ephemeral disks.
  { family: "c9a", kind: "amd", eed: true, source: `${OVERVIEW} #c9a` },
  // #r9a: "Supports ERIs"; disks include elastic ephemeral disks.
  { family: "r9a", kind: "amd", eed: true, source: `${OVERVIEW} #r9a` },
  // #g9ae: "These instances support eRDMA"; disks include elastic ephemeral disk.
  { family: "g9ae", kind: "amd", eed: true, source: `${OVERVIEW} #g9ae` },
  // #c9ae: "Supports elastic RDMA interfaces (ERIs)"; disks include elastic ephemeral disks.
  { family: "c9ae", kind: "amd", eed: true, source: `${OVERVIEW} #c9ae` },
  // #r9ae: "Supports ERIs"; disks include elastic ephemeral disks.
  { family: "r9ae", kind: "amd", eed: true, source: `${OVERVIEW} #r9ae` },
  // --- 8th generation, Intel Xeon Emerald/Sapphire Rapids ---
  // #g8i: "These instances support eRDMA"; disks include elastic ephemeral disks. Alibaba's 3FS-on-ACK
  // guide (deploy/k8s in the 3FS repository) runs on ecs.g8i.xlarge / ecs.g8ise.xlarge with EED.
  { family: "g8i", kind: "intel", eed: true, source: `${OVERVIEW} #g8i; 3FS on ACK guide` },
  // #g8ise (storage-enhanced, zh page "存储增强通用型实例规格族g8ise"): "支持ERI"; disks include 弹性临时盘 (EED).
  // The 3FS-on-ACK guide recommends "instance types that support eRDMA (e.g. ecs.g8ise family)".
  { family: "g8ise", kind: "intel", eed: true, source: `${OVERVIEW} #g8ise (zh); 3FS on ACK guide` },
  // #c8i: "These instances support eRDMA"; disks include elastic ephemeral disk.
  { family: "c8i", kind: "intel", eed: true, source: `${OVERVIEW} #c8i` },
  // #r8i: "Supports ERIs"; disks include elastic ephemeral disks.
  { family: "r8i", kind: "intel", eed: true, source: `${OVERVIEW} #r8i` },
  // --- 8th generation, AMD EPYC Genoa ---
  // #g8a: "These instances support eRDMA"; disks include elastic ephemeral disk.
  { family: "g8a", kind: "amd", eed: true, source: `${OVERVIEW} #g8a` },
  // #c8a: "These instances support eRDMA"; disks include elastic ephemeral disk.
  { family: "c8a", kind: "amd", eed: true, source: `${OVERVIEW} #c8a` },
  // #r8a: "Supports ERIs"; disks include elastic ephemeral disks.
  { family: "r8a", kind: "amd", eed: true, source: `${OVERVIEW} #r8a` },
  // #g8ae: "These instances support eRDMA"; disks: ESSD, ESSD AutoPL, Regional ESSD (no EED).
  { family: "g8ae", kind: "amd", eed: false, source: `${OVERVIEW} #g8ae` },
  // #c8ae: "These instances support eRDMA"; disks: ESSD, ESSD AutoPL, Regional ESSD (no EED).
  { family: "c8ae", kind: "amd", eed: false, source: `${OVERVIEW} #c8ae` },
  // #r8ae: "Supports ERIs"; disks: ESSD, ESSD AutoPL, Regional ESSD (no EED).
  { family: "r8ae", kind: "amd", eed: false, source: `${OVERVIEW} #r8ae` },
  // --- local-SSD and GPU families ---
  // Alibaba's "Deploy 3FS on an ECS instance" (ecs/user-guide/deploy-3fs-distributed-storage-cluster-with-erdma)
  // builds the cluster on eRDMA with the i4 family's local NVMe SSDs; this stack stores targets on EED, which
  // local-SSD families do not use, so i4 fits the meta and client roles only.
  { family: "i4", kind: "intel", eed: false, localDisk: true, source: "ECS docs, Deploy 3FS on an ECS instance (i4 + eRDMA)" },
  // ECS docs, GPU-accelerated instance families, ebmgn8is: "Supports ERIs ... up to 160 Gbit/s"; disks
  // include elastic ephemeral disks. A GPU client pool (training nodes reading 3FS) is the typical use.
  { family: "ebmgn8is", kind: "gpu", eed: true, source: "ECS docs, GPU-accelerated instance families #ebmgn8is" },
];

/**
 * Families that offer eRDMA only from a size up: checked at preview against the type's real vCPU count
 * (ecs.getInstanceTypes `cpuCoreCount`), since the family table cannot express sizes. ECS docs, Overview of
 * instance families #g9a: eRDMA requires instance types with four vCPUs or more.
 */
export const ERDMA_MIN_VCPUS: Readonly<Record<string, number>> = { g9a: 4 };

const BY_FAMILY: ReadonlyMap<string, ErdmaFamily> = new Map(ERDMA_FAMILIES.map((f) => [f.family, f]));

/**
 * The family of an instance type: the second dot-separated part without a `-variant` suffix.
 * `ecs.g8i.4xlarge` → `g8i`, `ecs.g7a-nps1.16xlarge` → `g7a`, `ecs.gn8is-8x.32xlarge` → `gn8is`.
 * Returns undefined for strings that are not `ecs.<family>.<size>`.
 */
export function instanceFamily(instanceType: string): string | undefined {
  const m = /^ecs\.([a-z0-9]+)(?:-[a-z0-9-]+)?\.[a-z0-9-]+$/.exec(instanceType);
  return m ? m[1] : undefined;
}

/**
 * What is known about the family of `instanceType`. A family listed in `extraFamilies` is trusted
 * outright (eRDMA and EED): the user vouches for it, which also overrides a table entry that says
 * "no EED" after Alibaba extends the family. Undefined: not eRDMA-capable as far as we know.
 */
export function familyInfo(instanceType: string, extraFamilies: readonly string[] = []): ErdmaFamily | undefined {
  const family = instanceFamily(instanceType);
  if (family === undefined) return undefined;
  if (extraFamilies.includes(family)) return { family, kind: BY_FAMILY.get(family)?.kind ?? "unknown", eed: true, source: "threefs:nodePools.extraErdmaFamilies" };
  return BY_FAMILY.get(family);
}

/** True when `instanceType` belongs to a family with eRDMA (from the table or `extraFamilies`). */
export function isErdmaCapable(instanceType: string, extraFamilies: readonly string[] = []): boolean {
  return familyInfo(instanceType, extraFamilies) !== undefined;
}

/** True when `instanceType` can attach elastic ephemeral disks (and has eRDMA). */
export function supportsEed(instanceType: string, extraFamilies: readonly string[] = []): boolean {
  return familyInfo(instanceType, extraFamilies)?.eed === true;
}

/** Family names for messages, e.g. "g8i, g8ise, c8i, …" (the first few, most common first). */
export function suggestedFamilies(opts: { eed?: boolean } = {}): string {
  const preferred = ["g8i", "g8ise", "c8i", "r8i", "g8a", "g9a"];
  const names = preferred.filter((f) => !opts.eed || BY_FAMILY.get(f)?.eed === true);
  return `${names.join(", ")}, …`;
}
