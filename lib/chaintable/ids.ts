/**
 * 3FS target and chain id formulas, as upstream's `gen_chain_table.py` defines them.
 *
 * Both ids are decimal digit fields, so every field has a hard range; a value outside it would
 * silently collide with another id, which is why the functions check and throw instead.
 *
 *   targetId = ((targetIdPrefix·10⁶ + nodeId)·10³ + (diskIndex+1))·10² + (targetIndex+1)
 *              prefix ≤ 99 | nodeId: 6 digits | disk: 3 digits | target: 2 digits   (≈ 10¹³ at most)
 *   chainId  = (chainIdPrefix·10³ + (diskIndex+1))·10⁵ + groupNumber
 *              prefix ≤ 99 | disk: 3 digits | group: 5 digits, and the whole must fit a uint32
 *
 * Target ids are uint64 in 3FS; the largest is below 2^53, so a JS number holds it exactly; we still
 * compute in BigInt and convert once, so the arithmetic is exact by construction.
 *
 * Pure module: no cloud SDK imports.
 */
import { ChainTableError } from "./errors";

/** Field limits of the id scheme (inclusive maxima). */
export const ID_LIMITS = {
  /** Target and chain id prefixes are below 100 (upstream asserts this). */
  maxPrefix: 99,
  /** Node ids take 6 digits of a target id. */
  maxNodeId: 999_999,
  /** Disk index + 1 takes 3 digits (upstream: disks per node < 1000). */
  maxDisks: 999,
  /** Target index + 1 takes 2 digits (upstream: targets per disk < 100). */
  maxTargetsPerDisk: 99,
  /** Group (chain index) takes 5 digits. */
  maxGroupNumber: 99_999,
  /** 3FS ChainId is a uint32. */
  maxChainId: 4_294_967_295,
} as const;

/** Upstream's default target and chain id prefixes. */
export const DEFAULT_TARGET_ID_PREFIX = 10;
export const DEFAULT_CHAIN_ID_PREFIX = 10;

function checkField(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ChainTableError(`${name} must be an integer in ${min}..${max}, got ${value}`);
  }
}

/**
 * Id of storage target `targetIndex` (0-based, < 99) on disk `diskIndex` (0-based, < 999) of node
 * `nodeId` (≤ 999999). Throws ChainTableError when a field is out of range.
 */
export function targetIdOf(targetIdPrefix: number, nodeId: number, diskIndex: number, targetIndex: number): number {
  checkField("targetIdPrefix", targetIdPrefix, 0, ID_LIMITS.maxPrefix);
  checkField("nodeId", nodeId, 0, ID_LIMITS.maxNodeId);
  checkField("diskIndex", diskIndex, 0, ID_LIMITS.maxDisks - 1);
  checkField("targetIndex", targetIndex, 0, ID_LIMITS.maxTargetsPerDisk - 1);
  const id =
    ((BigInt(targetIdPrefix) * 1_000_000n + BigInt(nodeId)) * 1_000n + BigInt(diskIndex + 1)) * 100n +
    BigInt(targetIndex + 1);
  return Number(id);
}

/**
 * Id of the chain built from group `groupNumber` (1-based) on disk index `diskIndex` (0-based). Throws
 * ChainTableError when a field is out of range or the id does not fit 3FS's uint32 ChainId.
 */
export function chainIdOf(chainIdPrefix: number, diskIndex: number, groupNumber: number): number {
  checkField("chainIdPrefix", chainIdPrefix, 0, ID_LIMITS.maxPrefix);
  checkField("diskIndex", diskIndex, 0, ID_LIMITS.maxDisks - 1);
  checkField("groupNumber", groupNumber, 1, ID_LIMITS.maxGroupNumber);
  const id = (BigInt(chainIdPrefix) * 1_000n + BigInt(diskIndex + 1)) * 100_000n + BigInt(groupNumber);
  if (id > BigInt(ID_LIMITS.maxChainId)) {
    throw new ChainTableError(
      `chain id ${id} (prefix ${chainIdPrefix}, disk index ${diskIndex}, group ${groupNumber}) ` +
        `exceeds the uint32 maximum ${ID_LIMITS.maxChainId}`,
    );
  }
  return Number(id);
}

/**
 * Problems with the chain id range for `disks` disk indexes and `groups` groups per disk, as messages
 * (empty when the largest id, (prefix·1000 + disks)·100000 + groups, fits a uint32).
 */
export function chainIdRangeProblems(chainIdPrefix: number, disks: number, groups: number): string[] {
  const largest = (BigInt(chainIdPrefix) * 1_000n + BigInt(disks)) * 100_000n + BigInt(groups);
  if (largest <= BigInt(ID_LIMITS.maxChainId)) return [];
  return [
    `chain ids overflow uint32: chainIdPrefix ${chainIdPrefix} with ${disks} disks and ${groups} chains per disk ` +
      `reaches ${largest} > ${ID_LIMITS.maxChainId} (chainIdPrefix·1000 + disks ≤ 42948 always fits)`,
  ];
}
