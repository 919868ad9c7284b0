import fc from "fast-check";
import { decodeToken, encodeToken, tokenCrc32, tokenFromRandomBytesBase64 } from "../../lib/threefs/token";

/** Inverse of 3FS's byte shuffle: position PERMUTATION[i] holds plain byte i. */
const PERMUTATION = [12, 6, 0, 13, 7, 1, 14, 8, 2, 15, 9, 3, 16, 10, 4, 17, 11, 5];
function unshuffle(token: string): Buffer {
  const shuffled = Buffer.from(token, "base64");
  return Buffer.from(PERMUTATION.map((p) => shuffled[p]));
}

const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const u32 = fc.integer({ min: 0, max: 0xffffffff });

describe("3FS token", () => {
  test("matches the issue's test vector", () => {
    expect(encodeToken(0, 2624224032140508533n)).toBe("AADHHSOs8QA92iRe2wB1fmuL");
  });

  test("the RandomBytes path reads the 8 bytes as a little-endian u64", () => {
    const bytes = Buffer.alloc(8);
    bytes.writeBigUInt64LE(2624224032140508533n);
    expect(tokenFromRandomBytesBase64(bytes.toString("base64"))).toBe("AADHHSOs8QA92iRe2wB1fmuL");
  });

  test("CRC-32 uses initial value 0 and no final XOR (not zlib's CRC-32)", () => {
    // zlib's crc32("123456789") is 0xCBF43926; with init 0 and no final XOR it is 0x2DFD2D88.
    expect(tokenCrc32(Buffer.from("123456789"))).toBe(0x2dfd2d88);
    expect(tokenCrc32(new Uint8Array(0))).toBe(0);
  });

  test("is 24 base64 characters decoding to 18 bytes, magic and CRC in place", () => {
    fc.assert(
      fc.property(u32, u64, (uid, random) => {
        const token = encodeToken(uid, random);
        expect(token).toMatch(/^[A-Za-z0-9+/]{24}$/);
        expect(Buffer.from(token, "base64")).toHaveLength(18);
        const plain = unshuffle(token);
        expect(plain.readUInt16LE(0)).toBe(0xf1db);
        expect(plain.readUInt32LE(2)).toBe(uid);
        expect(plain.readBigUInt64LE(6)).toBe(random);
        expect(plain.readUInt32LE(14)).toBe(tokenCrc32(plain.subarray(0, 14)));
      }),
    );
  });

  test("decodeToken inverts encodeToken", () => {
    fc.assert(fc.property(u32, u64, (uid, random) => expect(decodeToken(encodeToken(uid, random))).toEqual({ uid, random })));
  });

  test("decodeToken rejects a corrupted token", () => {
    fc.assert(
      fc.property(u64, fc.integer({ min: 0, max: 23 }), (random, pos) => {
        const token = encodeToken(0, random);
        const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        const other = alphabet[(alphabet.indexOf(token[pos]) + 1) % 64];
        expect(decodeToken(token.slice(0, pos) + other + token.slice(pos + 1))).toHaveProperty("error");
      }),
    );
  });

  test.each([
    ["", "empty"],
    ["AAAAAAAAAAA", "unpadded"],
    ["AAAAAAAAAAAAAAAA", "12 bytes"],
  ])("tokenFromRandomBytesBase64 rejects %j (%s)", (b64) => {
    expect(() => tokenFromRandomBytesBase64(b64)).toThrow(RangeError);
  });

  test("encodeToken rejects out-of-range fields", () => {
    expect(() => encodeToken(-1, 0n)).toThrow(RangeError);
    expect(() => encodeToken(2 ** 32, 0n)).toThrow(RangeError);
    expect(() => encodeToken(0, 1n << 64n)).toThrow(RangeError);
    expect(() => encodeToken(0, -1n)).toThrow(RangeError);
  });
});
