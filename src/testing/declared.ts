// What a handler may store from a request body: only the fields its schema declares. Undeclared
// fields are dropped, as the API's framework ignores them, so they can never be stored and later
// break a list (an `id` or `created_at` sent in a PATCH, a field of the record's detail view).
import type { JsonSchema } from "./schema-types.js";
import { resolve, validate } from "./validate.js";

export function onlyDeclared(raw: JsonSchema, value: unknown): unknown {
  const schema = resolve(raw);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) {
    // Of the variants the value is valid against, the one that declares most of its fields: a LITE
    // token body with `elevenlabs_agent_config` and no `mode` is valid as FULL too (extra fields
    // are allowed), but it is a LITE body.
    const fits = variants.filter((variant) => validate(variant, value).length === 0);
    const best = fits.sort((a, b) => covered(b, value) - covered(a, value))[0];
    return best ? onlyDeclared(best, value) : value;
  }
  if (Array.isArray(value)) return schema.items ? value.map((item) => onlyDeclared(schema.items!, item)) : value;
  // A map (`additionalProperties`) or a bare `type: object` declares any key.
  if (typeof value !== "object" || value === null || !schema.properties || schema.additionalProperties) return value;
  const out: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema.properties)) {
    if (Object.hasOwn(value, name)) out[name] = onlyDeclared(property, (value as Record<string, unknown>)[name]);
  }
  return out;
}

function covered(raw: JsonSchema, value: unknown): number {
  const properties = resolve(raw).properties ?? {};
  return typeof value === "object" && value !== null
    ? Object.keys(value).filter((k) => Object.hasOwn(properties, k)).length
    : 0;
}
