/**
 * The 3FS user token, computed by the program instead of being parsed from `user-add` output.
 *
 * Format (3FS `core/user/UserToken.cc`): 18 bytes = magic 0xF1DB (u16 LE) ‖ uid (u32 LE) ‖ random (u64 LE)
 * ‖ CRC-32 of the first 14 bytes (u32 LE); byte i is then stored at position PERMUTATION[i] and the
 * result is base64-encoded (24 characters, no padding needed since 18 is a multiple of 3).
 *
 * The random part comes from an 8-byte `@pulumi/random` RandomBytes resource, so the token is stable
 * across runs and stored encrypted in the stack state. Pure module: no cloud SDK imports.
 */

const MAGIC = 0xf1db;
const TOKEN_BYTES = 18;
const CRC_INPUT_BYTES = 14;
const U32_MAX = 0xffffffff;
const U64_MAX = (1n << 64n) - 1n;

/** Where byte i of the plain token goes in the encoded buffer (3FS's fixed shuffle). */
const PERMUTATION: readonly number[] = [12, 6, 0, 13, 7, 1, 14, 8, 2, 15, 9, 3, 16, 10, 4, 17, 11, 5];

/** CRC-32 lookup table for the reflected polynomial 0xEDB88320 (the IEEE 802.3 polynomial). */
const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * CRC-32 as 3FS computes it for tokens: reflected polynomial 0xEDB88320, initial value 0 and **no**
 * final XOR (3FS calls folly's crc32 with a starting checksum of 0). This differs from the common
 * zlib CRC-32 (initial and final 0xFFFFFFFF), which is why no library is used: a dozen lines are easier
 * to check against the test vector than a library's parameters.
 * @param bytes the data
 * @returns the checksum as an unsigned 32-bit integer
 */
export function tokenCrc32(bytes: Uint8Array): number {
  let crc = 0;
  for (const b of bytes) crc = CRC_TABLE[(crc ^ b) & 0xff] ^ (crc >>> 8);
  return crc >>> 0;
}

/**
 * Encodes a 3FS user token.
 * @param uid the 3FS user id (u32; 0 is root)
 * @param random the token's random part (u64)
 * @returns the 24-character base64 token 3FS accepts in `user-add --token` and token files
 * @throws RangeError when uid or random is out of range
 */
export function encodeToken(uid: number, random: bigint): string {
  if (!Number.isInteger(uid) || uid < 0 || uid > U32_MAX) throw new RangeError(`token uid must be a u32, got ${uid}`);
  if (random < 0n || random > U64_MAX) throw new RangeError(`token random part must be a u64, got ${random}`);
  const plain = Buffer.alloc(TOKEN_BYTES);
  plain.writeUInt16LE(MAGIC, 0);
  plain.writeUInt32LE(uid, 2);
  plain.writeBigUInt64LE(random, 6);
  plain.writeUInt32LE(tokenCrc32(plain.subarray(0, CRC_INPUT_BYTES)), CRC_INPUT_BYTES);
  const shuffled = Buffer.alloc(TOKEN_BYTES);
  for (let i = 0; i < TOKEN_BYTES; i++) shuffled[PERMUTATION[i]] = plain[i];
  return shuffled.toString("base64");
}

/** A decoded token's fields. */
export interface DecodedToken {
  /** The 3FS user id. */
  uid: number;
  /** The random part. */
  random: bigint;
}

/**
 * Decodes a token and checks its magic and CRC (the inverse of encodeToken; used by tests and to
 * validate a token before it is shipped).
 * @param token a base64 token
 * @returns the fields, or an error message
 */
export function decodeToken(token: string): DecodedToken | { error: string } {
  if (!/^[A-Za-z0-9+/]{24}$/.test(token)) return { error: "a 3FS token is 24 base64 characters" };
  const shuffled = Buffer.from(token, "base64");
  const plain = Buffer.alloc(TOKEN_BYTES);
  for (let i = 0; i < TOKEN_BYTES; i++) plain[i] = shuffled[PERMUTATION[i]];
  if (plain.readUInt16LE(0) !== MAGIC) return { error: "bad magic" };
  if (plain.readUInt32LE(CRC_INPUT_BYTES) !== tokenCrc32(plain.subarray(0, CRC_INPUT_BYTES))) return { error: "bad CRC" };
  return { uid: plain.readUInt32LE(2), random: plain.readBigUInt64LE(6) };
}

/**
 * The token for `uid` from the `base64` output of an 8-byte `@pulumi/random` RandomBytes resource.
 * The 8 bytes are read as a little-endian u64 (any fixed byte order would do; LE matches 3FS's own
 * in-memory layout, so the random bytes appear unchanged inside the plain token).
 * @param b64 base64 of exactly 8 bytes
 * @param uid the 3FS user id; default 0 (root)
 * @returns the token
 * @throws RangeError when b64 does not decode to exactly 8 bytes
 */
export function tokenFromRandomBytesBase64(b64: string, uid = 0): string {
  if (!/^[A-Za-z0-9+/]{11}=$/.test(b64)) throw new RangeError("expected the base64 of exactly 8 random bytes");
  return encodeToken(uid, Buffer.from(b64, "base64").readBigUInt64LE(0));
}
