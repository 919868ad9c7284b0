/**
 * A small validator for Kubernetes structural OpenAPI schemas (the subset CRDs use), strict about what
 * the API server would silently prune: a field the schema does not declare is an error here, unless the
 * schema preserves unknown fields.
 *
 * Supported keywords: type, properties, additionalProperties, items, required, enum, pattern,
 * minLength/maxLength, minimum/maximum, maxItems, nullable, x-kubernetes-int-or-string,
 * x-kubernetes-preserve-unknown-fields, x-kubernetes-embedded-resource.
 */

export interface StructuralSchema {
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
  properties?: Record<string, StructuralSchema>;
  additionalProperties?: StructuralSchema | boolean;
  items?: StructuralSchema;
  required?: string[];
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  nullable?: boolean;
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-embedded-resource"?: boolean;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

/** Scalar checks: enum, string bounds and pattern, numeric bounds. */
function checkScalar(schema: StructuralSchema, value: unknown, path: string, errors: string[]): void {
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (typeof value === "string") {
    if (schema.maxLength !== undefined && value.length > schema.maxLength) errors.push(`${path}: longer than ${schema.maxLength}`);
    if (schema.minLength !== undefined && value.length < schema.minLength) errors.push(`${path}: shorter than ${schema.minLength}`);
    // Go RE2 patterns of this CRD are unanchored like JS RegExp.test.
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) errors.push(`${path}: "${value}" does not match /${schema.pattern}/`);
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${path}: below minimum ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${path}: above maximum ${schema.maximum}`);
  }
}

function checkObject(schema: StructuralSchema, value: Record<string, unknown>, path: string, errors: string[]): void {
  for (const key of schema.required ?? []) {
    if (value[key] === undefined) errors.push(`${path}.${key}: required`);
  }
  const preserve = schema["x-kubernetes-preserve-unknown-fields"] === true;
  // Embedded resources (e.g. a raw object) always allow apiVersion/kind/metadata.
  const embedded = schema["x-kubernetes-embedded-resource"] === true ? new Set(["apiVersion", "kind", "metadata"]) : new Set<string>();
  for (const [key, child] of Object.entries(value)) {
    if (child === undefined) continue; // JSON drops undefined; nothing reaches the API server
    const sub = schema.properties?.[key];
    if (sub) {
      validate(sub, child, `${path}.${key}`, errors);
    } else if (isPlainObject(schema.additionalProperties)) {
      validate(schema.additionalProperties, child, `${path}.${key}`, errors);
    } else if (!(schema.additionalProperties === true || preserve || embedded.has(key))) {
      errors.push(`${path}.${key}: unknown field (the API server would prune it)`);
    }
  }
}

/** Validates `value` against `schema`; appends one message per problem to `errors`. */
export function validate(schema: StructuralSchema, value: unknown, path: string, errors: string[]): void {
  if (value === null) {
    if (!schema.nullable) errors.push(`${path}: null is not allowed`);
    return;
  }
  const actual = typeOf(value);
  if (schema["x-kubernetes-int-or-string"] === true) {
    if (actual !== "integer" && actual !== "string") errors.push(`${path}: expected integer or string, got ${actual}`);
    else checkScalar(schema, value, path, errors);
    return;
  }
  const expected = schema.type;
  if (expected === undefined) {
    // An untyped schema is only legal with preserve-unknown-fields; anything goes below it.
    if (schema["x-kubernetes-preserve-unknown-fields"] !== true) errors.push(`${path}: schema has no type (fixture problem)`);
    return;
  }
  const typeOk = actual === expected || (expected === "number" && actual === "integer");
  if (!typeOk) {
    errors.push(`${path}: expected ${expected}, got ${actual}`);
    return;
  }
  if (expected === "object") checkObject(schema, value as Record<string, unknown>, path, errors);
  else if (expected === "array") {
    const list = value as unknown[];
    if (schema.maxItems !== undefined && list.length > schema.maxItems) errors.push(`${path}: more than ${schema.maxItems} items`);
    if (schema.items) list.forEach((item, i) => validate(schema.items as StructuralSchema, item, `${path}[${i}]`, errors));
  } else checkScalar(schema, value, path, errors);
}

/** All problems of `value` against `schema`, rooted at `root`. */
export function validationErrors(schema: StructuralSchema, value: unknown, root = "spec"): string[] {
  const errors: string[] = [];
  validate(schema, value, root, errors);
  return errors;
}
