/** TOML parsed once per text: every model process reads the same rendered files many times. */
import { parse } from "smol-toml";

const cache = new Map<string, unknown>();

/** The parsed document of a TOML text (shared: do not modify). */
export function parsed<T>(text: string): T {
  let doc = cache.get(text);
  if (doc === undefined) {
    doc = parse(text);
    cache.set(text, doc);
  }
  return doc as T;
}
