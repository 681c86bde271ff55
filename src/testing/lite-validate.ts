// Checks a message against one of the JSON Schemas generated from asyncapi.yaml. It covers the
// subset the document uses (see EventSchema) so the shipped mock needs no schema library;
// test/realtime/validate.test.ts checks it against ajv on every schema.
import type { EventSchema } from "../../generated/event-schemas.js";
import { isRecord } from "../guards.js";

/** One line per violation, each naming where (`/audio`) and what; empty when valid. */
export function validateEvent(schema: EventSchema, value: unknown, path = ""): string[] {
  const at = path || "/";
  const errors: string[] = [];
  if (schema.type !== undefined) {
    const types = typeof schema.type === "string" ? [schema.type] : schema.type;
    if (!types.some((t) => hasType(value, t))) return [`${at}: expected ${types.join(" or ")}, got ${typeName(value)}`];
  }
  if ("const" in schema && value !== schema.const) errors.push(`${at}: must be ${JSON.stringify(schema.const)}`);
  if (schema.enum && !schema.enum.includes(value)) {
    errors.push(`${at}: must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}`);
  }
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength)
      errors.push(`${at}: shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength)
      errors.push(`${at}: longer than ${schema.maxLength}`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value)) {
      errors.push(`${at}: does not match ${schema.pattern}`);
    }
  }
  if (isRecord(value)) {
    for (const key of schema.required ?? []) if (!(key in value)) errors.push(`${at}: missing "${key}"`);
    for (const [key, child] of Object.entries(value)) {
      const sub = schema.properties?.[key];
      if (sub) errors.push(...validateEvent(sub, child, `${path}/${key}`));
      else if (schema.additionalProperties === false) errors.push(`${at}: unexpected property "${key}"`);
    }
  }
  if (Array.isArray(value) && schema.items)
    value.forEach((item, i) => errors.push(...validateEvent(schema.items!, item, `${path}/${i}`)));
  for (const sub of schema.allOf ?? []) errors.push(...validateEvent(sub, value, path));
  if (schema.anyOf && !schema.anyOf.some((sub) => validateEvent(sub, value, path).length === 0)) {
    errors.push(`${at}: matches none of the alternatives`);
  }
  if (schema.oneOf && schema.oneOf.filter((sub) => validateEvent(sub, value, path).length === 0).length !== 1) {
    errors.push(`${at}: must match exactly one alternative`);
  }
  return errors;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "object":
      return isRecord(value);
    case "array":
      return Array.isArray(value);
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "null":
      return value === null;
    default:
      return typeof value === type;
  }
}

function typeName(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
}
