/**
 * Kubernetes resource quantities ("500m", "4Gi", "1.5G", "2e9") as plain numbers.
 *
 * The 3FS storage container's memory limit also sizes the storage service's RDMA buffer pool in its
 * TOML config, so the program needs the limit in bytes rather than as the string Kubernetes takes.
 *
 * Pure module: no cloud SDK imports.
 */

const BINARY: Readonly<Record<string, number>> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Readonly<Record<string, number>> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

// Kubernetes' quantity grammar: a signed decimal number, then a binary or decimal SI suffix or a
// decimal exponent. "1E" is the exa suffix, not an exponent without digits, hence the ordering.
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

/**
 * Parses a Kubernetes quantity into a number in base units (bytes for memory/storage, cores for cpu).
 * @param quantity e.g. "16Gi" → 17179869184, "500m" → 0.5, "2" → 2, "1e3" → 1000.
 * @throws Error for anything Kubernetes would reject (empty, unknown suffix, "1GiB").
 */
export function parseQuantity(quantity: string | number): number {
  if (typeof quantity === "number") {
    if (!Number.isFinite(quantity)) throw new Error(`quantity ${quantity} is not finite`);
    return quantity;
  }
  const m = QUANTITY.exec(quantity.trim());
  if (!m) throw new Error(`'${quantity}' is not a Kubernetes quantity (e.g. 500m, 2, 4Gi, 1.5G)`);
  const value = Number(m[1]);
  if (m[3] !== undefined) return value * 10 ** Number(m[3]);
  const suffix = m[2] ?? "";
  return value * (BINARY[suffix] ?? DECIMAL[suffix] ?? 1);
}

/**
 * A memory/storage quantity in whole bytes (rounded down; Kubernetes itself rounds byte quantities up,
 * but a fractional byte never matters for sizing buffers).
 * @throws Error when the quantity is malformed or negative.
 */
export function quantityToBytes(quantity: string | number): number {
  const bytes = Math.floor(parseQuantity(quantity));
  if (bytes < 0) throw new Error(`memory quantity '${quantity}' is negative`);
  return bytes;
}

/** A whole number of GiB as a Kubernetes quantity ("64Gi"). @throws Error for non-positive or fractional input. */
export function gibQuantity(gib: number): string {
  if (!Number.isInteger(gib) || gib <= 0) throw new Error(`size ${gib} GiB must be a positive integer`);
  return `${gib}Gi`;
}
