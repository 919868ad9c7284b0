/**
 * Rules of the Alibaba Cloud APIs that a configuration can break, as typed data with their sources, so
 * that a value the cloud would refuse fails at config time with a key-named line instead of minutes into
 * `pulumi up`. Facts that need the account (which zones a region has today, which instance types a zone
 * sells, which Kubernetes versions ACK creates) are looked up at preview instead (`lib/alicloud/preflight.ts`).
 *
 * Pure module: no cloud SDK imports.
 */
import { contains, overlaps, parseCidr, type Cidr } from "../network/cidr";

/**
 * Region ids the provider knows: terraform-provider-alicloud alicloud/connectivity/regions.go:65-77
 * (`ValidRegions`, commit 81c43b672), the provider @pulumi/alicloud wraps. A region outside this list
 * fails every API call.
 */
export const KNOWN_REGIONS: readonly string[] = [
  "cn-hangzhou", "cn-qingdao", "cn-beijing", "cn-shenzhen", "cn-hongkong", "cn-shanghai", "cn-zhangjiakou", "cn-huhehaote",
  "cn-chengdu", "cn-heyuan", "cn-wulanchabu", "cn-guangzhou", "cn-nanjing", "cn-fuzhou", "cn-zhongwei",
  "us-west-1", "us-east-1", "us-southeast-1",
  "na-south-1",
  "ap-northeast-1", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ap-southeast-8",
  "ap-south-1",
  "me-east-1", "me-central-1",
  "eu-central-1", "eu-west-1", "rus-west-1",
  "cn-north-2-gov-1",
  "cn-shenzhen-finance-1", "cn-szfinance", "cn-shenzhen-finance",
  "cn-shanghai-finance-1-pub", "cn-shanghai-finance-1",
  "cn-hangzhou-finance", "cn-hzfinance", "cn-hzjbp",
  "cn-beijing-finance-1", "cn-beijing-finance-1-pub",
];

/**
 * Blocks a VPC may not use. The VPC API accepts 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 and their
 * subnets, or a custom block other than these ranges and their subnets; the prefix is /8 to /24 for the
 * primary block (CreateVpc) and the block cannot start with 0 (alicloud_vpc_ipv4_cidr_block docs,
 * https://help.aliyun.com/document_detail/2588220.html; CreateVpc https://alibabacloud.com/help/ja/vpc/api-createvpc).
 */
export const VPC_RESERVED_RANGES: readonly string[] = ["100.64.0.0/10", "224.0.0.0/4", "127.0.0.0/8", "169.254.0.0/16"];

/** One line per reason the VPC API would refuse `text` as a VPC block (empty when acceptable). */
export function vpcCidrProblems(text: string): string[] {
  const c = parseCidr(text);
  if (typeof c === "string") return [c];
  const out: string[] = [];
  if (c.prefix < 8 || c.prefix > 24) out.push(`VPC prefix must be /8 to /24 (got /${c.prefix})`);
  if (c.base >>> 24 === 0) out.push(`a VPC block cannot start with 0 (got ${text})`);
  for (const r of VPC_RESERVED_RANGES) {
    if (overlaps(c, parseCidr(r) as Cidr)) out.push(`${text} overlaps ${r}, which the VPC API reserves`);
  }
  return out;
}

/**
 * The managed control plane reaches the API server from this range; an API server whitelist must admit it
 * (ACK, "Configure API server access control", https://www.alibabacloud.com/help/en/ack/cluster-access-control).
 */
export const ACK_CONTROL_PLANE_CIDR = "100.104.0.0/16";

/**
 * One line per allow-list entry that cannot be an SLB ACL entry (malformed, host bits, /0) or is already
 * admitted: the stack adds ACK's control-plane range and the VPC (`vpcCidr`, when known) itself, because the
 * public and internal endpoints share the listener and nodes reach the API server through the VPC (ACK page above).
 */
export function allowedCidrProblems(allowed: readonly string[], vpcCidr?: string): string[] {
  const out: string[] = [];
  allowed.forEach((text, i) => {
    const c = parseCidr(text);
    if (typeof c === "string") out.push(`threefs:cluster.apiServerAllowedCidrs[${i}]: ${c}`);
    else if (c.prefix === 0) out.push(`threefs:cluster.apiServerAllowedCidrs[${i}]: 0.0.0.0/0 admits the whole internet; list your CI runners' and operators' egress CIDRs`);
    else if (cidrWithin(ACK_CONTROL_PLANE_CIDR, text) || (vpcCidr !== undefined && cidrWithin(vpcCidr, text))) {
      out.push(`threefs:cluster.apiServerAllowedCidrs[${i}]: ${text} is already admitted (the stack adds ${ACK_CONTROL_PLANE_CIDR} and the VPC itself)`);
    } else if (allowed.indexOf(text) !== i) out.push(`threefs:cluster.apiServerAllowedCidrs[${i}]: ${text} is listed twice`);
  });
  return out;
}

/**
 * Tag rules of Alibaba Cloud resources: key ≤ 128 characters, key and value may not start with `aliyun` or
 * `acs:` nor contain `http://` / `https://` (@pulumi/alicloud 3.108.0 cs/nodePool.d.ts `tags`;
 * terraform-provider-alicloud alicloud/tags.go:59), value ≤ 128 characters, at most 20 tags per resource
 * (TagResources, https://www.alibabacloud.com/help/ja/vpn/api-tagresources).
 */
export const TAG_LIMITS = { maxTags: 20, maxKeyLength: 128, maxValueLength: 128 } as const;

/** One line per tag the tagging API would refuse; `reserved` are the tags the stack adds itself. */
export function tagProblems(tags: Readonly<Record<string, string>>, reserved: readonly string[]): string[] {
  const out: string[] = [];
  const bad = (s: string) => /^(aliyun|acs:)/i.test(s) || /https?:\/\//i.test(s);
  for (const [k, v] of Object.entries(tags)) {
    const where = `threefs:tags.${k}`;
    if (k.length === 0 || k.length > TAG_LIMITS.maxKeyLength) out.push(`${where}: a tag key has 1 to ${TAG_LIMITS.maxKeyLength} characters`);
    if (v.length > TAG_LIMITS.maxValueLength) out.push(`${where}: a tag value has at most ${TAG_LIMITS.maxValueLength} characters (got ${v.length})`);
    if (bad(k)) out.push(`${where}: tag keys may not start with aliyun or acs: nor contain http:// or https://`);
    if (bad(v)) out.push(`${where}: tag values may not start with aliyun or acs: nor contain http:// or https://`);
    if (reserved.includes(k)) out.push(`${where}: set by the stack itself (${reserved.join(", ")})`);
  }
  const total = Object.keys(tags).length + reserved.length;
  if (total > TAG_LIMITS.maxTags) {
    out.push(`threefs:tags: ${Object.keys(tags).length} tags plus the stack's ${reserved.length} exceed the ${TAG_LIMITS.maxTags} tags a resource can carry`);
  }
  return out;
}

/** True when `inner` lies inside `outer` (both valid CIDRs). */
export function cidrWithin(outer: string, inner: string): boolean {
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  return typeof o !== "string" && typeof i !== "string" && contains(o, i);
}
