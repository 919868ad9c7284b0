/**
 * Operator-supplied placements ("incidence" files): a JSON array of groups, each an array of 1-based
 * node indexes, group number = 1-based position. Rendering such a file instead of computing a
 * placement reproduces or migrates an existing chain table exactly (e.g. one made by upstream's
 * solver, converted from its incidence_matrix.pickle as docs/chain-table.md shows).
 *
 * Only the JSON shape is checked here; validateChainTableSpec checks node range, sizes and degrees.
 */
import { ChainTableError } from "./errors";

/** Parses incidence JSON text into groups. Throws ChainTableError with a one-line reason. */
export function parseIncidence(text: string, source = "incidence"): number[][] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ChainTableError(`${source} is not valid JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(data) || data.length === 0) {
    throw new ChainTableError(`${source} must be a non-empty JSON array of groups (arrays of 1-based node indexes)`);
  }
  data.forEach((group: unknown, i) => {
    if (!Array.isArray(group) || !group.every((x) => Number.isInteger(x))) {
      throw new ChainTableError(`${source}: group ${i + 1} must be an array of integers, got ${JSON.stringify(group)}`);
    }
  });
  return data as number[][];
}
