// Spec-valid values for any schema in the tables, varied by a seeded random source: the fake's
// seed data and the fields a created record does not get from its request body.
import type { JsonSchema } from "./schema-types.js";
import type { Random } from "./random.js";
import { resolve, validate } from "./validate.js";

export interface SampleContext {
  random: Random;
  /** The fake's clock, as an ISO string, for date-time fields. */
  now: string;
}

/** Strings tried for a `pattern` before giving up on it (the spec has one: a decimal amount). */
const PATTERN_CANDIDATES = ["1000", "0", "a", "A1"];

export function sampleValue(raw: JsonSchema, ctx: SampleContext, name = "value"): unknown {
  const schema = resolve(raw);
  if (schema.const !== undefined) return schema.const;
  if (schema.default !== undefined && schema.default !== null) return schema.default;
  if (schema.enum) return schema.enum[0];
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) {
    // The first non-null variant: a sample that says more than `null` makes better test data.
    const chosen = variants.find((v) => resolve(v).type !== "null") ?? variants[0]!;
    return sampleValue(chosen, ctx, name);
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type ?? (schema.properties ? "object" : undefined)) {
    case "string":
      return sampleString(schema, ctx, name);
    case "integer":
      return schema.minimum ?? (schema.exclusiveMinimum !== undefined ? Math.floor(schema.exclusiveMinimum) + 1 : 0);
    case "number":
      return schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 0);
    case "boolean":
      return false;
    case "array":
      return [];
    case "object":
      return sampleObject(schema, ctx);
    case "null":
      return null;
    default:
      return null;
  }
}

function sampleString(schema: JsonSchema, ctx: SampleContext, name: string): string {
  if (schema.format === "uuid") return ctx.random.uuid();
  if (schema.format === "date-time") return ctx.now;
  if (schema.pattern !== undefined) {
    const found = PATTERN_CANDIDATES.find((c) => validate(schema, c).length === 0);
    if (found) return found;
  }
  let text = `${name.replace(/_/g, "-")}-${ctx.random.token(6)}`;
  if (schema.maxLength !== undefined) text = text.slice(0, schema.maxLength);
  while (schema.minLength !== undefined && text.length < schema.minLength) text += "x";
  return text;
}

function sampleObject(schema: JsonSchema, ctx: SampleContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    out[name] = sampleValue(property, ctx, name);
  }
  return out;
}

/**
 * The fields of `record` that `schema` describes, with every required field the record lacks
 * filled from a sample: how one stored record is shown through several schemas
 * (a list item, a detail view, a create response).
 */
export function project(
  schemaName: string,
  record: Record<string, unknown>,
  ctx: SampleContext,
): Record<string, unknown> {
  const schema = resolve({ $ref: `#/components/schemas/${schemaName}` });
  const out: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (name in record && record[name] !== undefined) out[name] = record[name];
    else if (schema.required?.includes(name)) out[name] = sampleValue(property, ctx, name);
  }
  return out;
}
