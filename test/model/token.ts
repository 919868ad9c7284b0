/**
 * 3FS user tokens as the source defines them (src/core/user/UserToken.cc:14-88 of alibabacloud-3FS
 * ab363af), written independently of lib/threefs/token.ts so that the model checks the program's tokens
 * rather than sharing its assumptions: 18 bytes {magic 0xF1DB u16, uid u32, random u64, crc32 of the first
 * 14 bytes with start 0 (folly::crc32(tmp, 14, 0), :43)} little-endian, byte i moved to position
 * MAPPING[i] (:14-21,48-50), base64 with the standard alphabet (:51).
 */
const MAPPING = [12, 6, 0, 13, 7, 1, 14, 8, 2, 15, 9, 3, 16, 10, 4, 17, 11, 5];

/** folly::crc32 (IEEE, reflected 0xEDB88320, no final inversion) from a given start. */
function crc32(bytes: Uint8Array, start: number): number {
  let c = start >>> 0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return c >>> 0;
}

/** Decodes a token; the errors are the source's (Decode token fail: …, UserToken.cc:54-88). */
export function decodeToken(token: string): { uid: number; random: bigint } | { error: string } {
  let raw: Buffer;
  try {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(token)) throw new Error("bad base64");
    raw = Buffer.from(token, "base64");
  } catch {
    return { error: "Decode token fail: {}" };
  }
  if (raw.length !== 18) return { error: "Decode token fail: invalid format" };
  const tmp = Buffer.alloc(18);
  for (let i = 0; i < 18; i++) tmp[i] = raw[MAPPING[i]];
  if (tmp.readUInt16LE(0) !== 0xf1db) return { error: "Decode token fail: invalid format" };
  if (tmp.readUInt32LE(14) !== crc32(tmp.subarray(0, 14), 0)) return { error: "Decode token fail: invalid crc" };
  return { uid: tmp.readUInt32LE(2), random: tmp.readBigUInt64LE(6) };
}

/** A fresh token for a uid (what user-add generates when no --token is given, UserStore.cc:77-81). */
export function newToken(uid: number, random: bigint): string {
  const tmp = Buffer.alloc(18);
  tmp.writeUInt16LE(0xf1db, 0);
  tmp.writeUInt32LE(uid, 2);
  tmp.writeBigUInt64LE(random, 6);
  tmp.writeUInt32LE(crc32(tmp.subarray(0, 14), 0), 14);
  const out = Buffer.alloc(18);
  for (let i = 0; i < 18; i++) out[MAPPING[i]] = tmp[i];
  return out.toString("base64");
}
