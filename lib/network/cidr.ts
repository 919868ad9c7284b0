/**
 * IPv4 CIDR arithmetic and the network layout of a stack.
 *
 * The layout is computed, not typed by hand, so adding a zone never produces overlapping vSwitches:
 * per zone one node vSwitch (ECS primary ENIs) and one Terway pod vSwitch (Terway ENI-IP mode gives each
 * pod a VPC address from the pod vSwitch). Pod vSwitches get the larger blocks because pods outnumber
 * nodes by one to two orders of magnitude. The Kubernetes service CIDR is virtual and must not overlap
 * the VPC (kube-proxy would otherwise shadow real addresses).
 *
 * Pure module: no cloud SDK imports.
 */

/** A parsed IPv4 CIDR block. `base` is the network address as an unsigned 32-bit integer. */
export interface Cidr {
  base: number;
  prefix: number;
}

const CIDR_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/p`; returns an error string when malformed or when host bits are set. */
export function parseCidr(text: string): Cidr | string {
  const m = CIDR_RE.exec(text);
  if (!m) return `"${text}" is not an IPv4 CIDR like 10.0.0.0/16`;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return `"${text}" is not an IPv4 CIDR like 10.0.0.0/16`;
  const base = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  if ((base & hostMask(prefix)) !== 0) return `"${text}" has host bits set (network address expected)`;
  return { base, prefix };
}

/** Parses a CIDR that is known to be valid (throws otherwise). */
export function mustParseCidr(text: string): Cidr {
  const c = parseCidr(text);
  if (typeof c === "string") throw new Error(c);
  return c;
}

function hostMask(prefix: number): number {
  return prefix === 0 ? 0xffffffff : (2 ** (32 - prefix) - 1) >>> 0;
}

/** Number of addresses in a block. */
export function size(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

/** Formats a block as `a.b.c.d/p`. */
export function formatCidr(c: Cidr): string {
  const b = c.base;
  return `${b >>> 24}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${c.prefix}`;
}

/** True when two blocks share at least one address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  const aEnd = a.base + size(a);
  const bEnd = b.base + size(b);
  return a.base < bEnd && b.base < aEnd;
}

/** True when `inner` lies entirely inside `outer`. */
export function contains(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && inner.base >= outer.base && inner.base + size(inner) <= outer.base + size(outer);
}

/** The vSwitch blocks of one zone. */
export interface ZoneSubnets {
  zone: string;
  nodeCidr: string;
  podCidr: string;
}

/** Inputs of {@link planSubnets}. */
export interface SubnetPlanInput {
  /** VPC block, e.g. `10.0.0.0/16`. */
  vpcCidr: string;
  /** Zone ids in order; index i gets the i-th blocks. */
  zones: readonly string[];
  /** Prefix length of each node vSwitch (default 22: 1,020 usable node IPs per zone). */
  nodePrefix: number;
  /** Prefix length of each pod vSwitch (default 19: 8,188 usable pod IPs per zone). */
  podPrefix: number;
}

/**
 * Lays out per-zone node and pod vSwitches inside the VPC.
 *
 * Pod blocks are carved from the start of the VPC and node blocks from the first aligned address after
 * the last pod block, so that every block is aligned to its own size (a CIDR requirement) and the layout
 * of zone i does not depend on later zones: appending a zone never moves an existing vSwitch (moving one
 * would replace it and every node in it). Returns an error string if the VPC is too small.
 */
export function planSubnets(input: SubnetPlanInput): ZoneSubnets[] | string {
  const vpc = parseCidr(input.vpcCidr);
  if (typeof vpc === "string") return vpc;
  const { nodePrefix, podPrefix, zones } = input;
  if (podPrefix <= vpc.prefix || nodePrefix <= vpc.prefix) {
    return `vSwitch prefixes (/${podPrefix} pods, /${nodePrefix} nodes) must be longer than the VPC's /${vpc.prefix}`;
  }
  // Reserve a fixed number of slots (5, the most zones a stack may use) for pods so that adding a zone
  // later does not shift the node blocks.
  const podSize = 2 ** (32 - podPrefix);
  const nodeSize = 2 ** (32 - nodePrefix);
  const nodeStart = alignUp(vpc.base + MAX_ZONES * podSize, nodeSize);
  const out: ZoneSubnets[] = [];
  for (let i = 0; i < zones.length; i++) {
    const pod: Cidr = { base: vpc.base + i * podSize, prefix: podPrefix };
    const node: Cidr = { base: nodeStart + i * nodeSize, prefix: nodePrefix };
    if (!contains(vpc, pod) || !contains(vpc, node)) {
      return `VPC ${input.vpcCidr} is too small for ${MAX_ZONES} zone slots of a /${podPrefix} pod and a /${nodePrefix} node vSwitch`;
    }
    out.push({ zone: zones[i], nodeCidr: formatCidr(node), podCidr: formatCidr(pod) });
  }
  // Also check the last reserved slot fits, so the error surfaces now and not when a zone is added.
  const lastNode: Cidr = { base: nodeStart + (MAX_ZONES - 1) * nodeSize, prefix: nodePrefix };
  if (!contains(vpc, lastNode)) {
    return `VPC ${input.vpcCidr} is too small for ${MAX_ZONES} zone slots of a /${podPrefix} pod and a /${nodePrefix} node vSwitch`;
  }
  return out;
}

/** The most zones a stack may span (slots reserved in the layout). */
export const MAX_ZONES = 5;

function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}
