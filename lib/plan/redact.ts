/**
 * Secret handling for plan files: values the engine marks secret become "[secret]" unless the user asks
 * with --show-secrets. The mark is Pulumi's wire signature, which the mock engine keeps on inputs.
 */

/** Pulumi's signature key and the value that marks a secret on the wire. */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** True for a wire-format secret wrapper `{ <sig>: <secret>, value }`. */
export function isWireSecret(v: unknown): v is { value: unknown } {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** Replaces secret values with "[secret]" (or unwraps them when `show`), recursively. */
export function redact(v: unknown, show: boolean): unknown {
  if (isWireSecret(v)) return show ? redact(v.value, show) : "[secret]";
  if (Array.isArray(v)) return v.map((x) => redact(x, show));
  if (typeof v === "object" && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = redact(x, show);
    return out;
  }
  return v;
}
