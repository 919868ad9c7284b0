/**
 * A minimal typed SVG builder: elements are data, {@link renderSvg} serialises them with escaping.
 * Numbers are written with at most two decimals, so the same chart gives the same bytes everywhere.
 *
 * Pure module: no cloud SDK imports.
 */

/** An attribute value; numbers are rounded to two decimals on output. */
export type AttrValue = string | number;

/** An SVG element. */
export interface SvgElement {
  tag: string;
  attrs: Readonly<Record<string, AttrValue>>;
  children: readonly (SvgElement | string)[];
}

/** Builds an element. */
export function el(tag: string, attrs: Record<string, AttrValue> = {}, children: readonly (SvgElement | string)[] = []): SvgElement {
  return { tag, attrs, children };
}

/** A number as SVG text: at most two decimals, no trailing zeros, no "-0". */
export function num(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  const s = (Math.round(n * 100) / 100).toFixed(2).replace(/\.?0+$/, "");
  return s === "-0" ? "0" : s;
}

const escapeText = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const escapeAttr = (s: string): string => escapeText(s).replace(/"/g, "&quot;");
const NAME = /^[a-zA-Z][a-zA-Z0-9:-]*$/;

function render(e: SvgElement, depth: number, out: string[]): void {
  if (!NAME.test(e.tag)) throw new Error(`bad SVG tag name ${JSON.stringify(e.tag)}`);
  const attrs = Object.entries(e.attrs)
    .map(([k, v]) => {
      if (!NAME.test(k)) throw new Error(`bad SVG attribute name ${JSON.stringify(k)}`);
      return ` ${k}="${escapeAttr(typeof v === "number" ? num(v) : v)}"`;
    })
    .join("");
  const pad = "  ".repeat(depth);
  if (e.children.length === 0) {
    out.push(`${pad}<${e.tag}${attrs}/>`);
  } else if (e.children.every((c) => typeof c === "string")) {
    out.push(`${pad}<${e.tag}${attrs}>${(e.children as string[]).map(escapeText).join("")}</${e.tag}>`);
  } else {
    out.push(`${pad}<${e.tag}${attrs}>`);
    for (const c of e.children) {
      if (typeof c === "string") out.push(`${pad}  ${escapeText(c)}`);
      else render(c, depth + 1, out);
    }
    out.push(`${pad}</${e.tag}>`);
  }
}

/** Serialises a root `<svg>` element (the xmlns is added) as a standalone document. */
export function renderSvg(root: SvgElement): string {
  if (root.tag !== "svg") throw new Error("root element must be <svg>");
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  render({ ...root, attrs: { xmlns: "http://www.w3.org/2000/svg", ...root.attrs } }, 0, out);
  return out.join("\n") + "\n";
}
