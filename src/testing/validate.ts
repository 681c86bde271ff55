// A validator for the JSON Schema subset openapi.json uses, whose messages name the field and
// the rule ("body.avatar_id: must be a string (uuid format)"), in the API's 422 `detail` shape.
import { componentSchemas } from "../../generated/testing-tables.js";
import type { JsonSchema } from "./schema-types.js";

export interface Issue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i;

export function resolve(schema: JsonSchema): JsonSchema {
  let current = schema;
  for (let hops = 0; current.$ref && hops < 16; hops++) {
    const name = current.$ref.replace("#/components/schemas/", "");
    const target = componentSchemas[name];
    if (!target) throw new Error(`unknown schema ${current.$ref}`);
    current = target;
  }
  return current;
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function matchesType(type: string, value: unknown): boolean {
  const actual = typeOf(value);
  return actual === type || (type === "number" && actual === "integer");
}

const ARTICLE: Record<string, string> = {
  string: "a string",
  integer: "an integer",
  number: "a number",
  boolean: "a boolean",
  object: "an object",
  array: "an array",
  null: "null",
};

/** Describes what a schema accepts, for "must be ..." messages. */
function describe(schema: JsonSchema): string {
  const s = resolve(schema);
  const variants = s.anyOf ?? s.oneOf;
  if (variants) return variants.map(describe).join(" or ");
  if (s.const !== undefined) return JSON.stringify(s.const);
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type as string] : [];
  const base = types.map((t) => ARTICLE[t] ?? t).join(" or ") || "a value";
  return s.format ? `${base} (${s.format} format)` : base;
}

/** Validates `value`; returns the issues found (empty when valid). `loc` is where `value` sits. */
export function validate(schema: JsonSchema, value: unknown, loc: (string | number)[] = []): Issue[] {
  const issues: Issue[] = [];
  check(schema, value, loc, issues);
  return issues;
}

function add(issues: Issue[], loc: (string | number)[], msg: string, type: string): void {
  issues.push({ loc, msg, type });
}

function check(raw: JsonSchema, value: unknown, loc: (string | number)[], issues: Issue[]): void {
  const schema = resolve(raw);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) {
    checkUnion(schema, variants, value, loc, issues);
    return;
  }
  if (schema.const !== undefined && value !== schema.const) {
    add(issues, loc, `must be ${JSON.stringify(schema.const)}`, "literal_error");
    return;
  }
  if (schema.enum && !schema.enum.includes(value)) {
    add(issues, loc, `must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}`, "enum");
    return;
  }
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type as string] : [];
  if (types.length > 0 && !types.some((t) => matchesType(t, value))) {
    add(issues, loc, `must be ${describe(schema)}`, `${types[0]}_type`);
    return;
  }
  if (typeof value === "string") checkString(schema, value, loc, issues);
  else if (typeof value === "number") checkNumber(schema, value, loc, issues);
  else if (Array.isArray(value)) {
    if (schema.items) value.forEach((item, i) => check(schema.items!, item, [...loc, i], issues));
  } else if (typeOf(value) === "object") checkObject(schema, value as Record<string, unknown>, loc, issues);
}

function checkUnion(
  schema: JsonSchema,
  variants: readonly JsonSchema[],
  value: unknown,
  loc: (string | number)[],
  issues: Issue[],
): void {
  const discriminator = schema.discriminator;
  if (discriminator?.mapping && typeOf(value) === "object") {
    const tag = (value as Record<string, unknown>)[discriminator.propertyName];
    const target = typeof tag === "string" ? discriminator.mapping[tag] : undefined;
    if (!target) {
      const tags = Object.keys(discriminator.mapping).map((t) => JSON.stringify(t));
      add(issues, [...loc, discriminator.propertyName], `must be one of ${tags.join(", ")}`, "union_tag_invalid");
      return;
    }
    check({ $ref: target }, value, loc, issues);
    return;
  }
  const attempts = variants.map((variant) => validate(variant, value, loc));
  if (attempts.some((found) => found.length === 0)) return;
  // Report the variant that came closest (fewest issues), so the message names a real field.
  const matchingType = variants
    .map((variant, i) => ({ variant: resolve(variant), found: attempts[i]! }))
    .filter(({ variant }) => variant.type === undefined || [variant.type].flat().some((t) => matchesType(t, value)));
  if (matchingType.length === 0) {
    add(issues, loc, `must be ${describe(schema)}`, "union_type");
    return;
  }
  const best = matchingType.reduce((a, b) => (b.found.length < a.found.length ? b : a));
  issues.push(...best.found);
}

function checkString(schema: JsonSchema, value: string, loc: (string | number)[], issues: Issue[]): void {
  if (schema.format === "uuid" && !UUID.test(value)) add(issues, loc, `must be ${describe(schema)}`, "uuid_parsing");
  if (schema.format === "date-time" && !DATE_TIME.test(value))
    add(issues, loc, `must be ${describe(schema)}`, "datetime_parsing");
  if (schema.minLength !== undefined && value.length < schema.minLength)
    add(issues, loc, `must have at least ${schema.minLength} characters`, "string_too_short");
  if (schema.maxLength !== undefined && value.length > schema.maxLength)
    add(issues, loc, `must have at most ${schema.maxLength} characters`, "string_too_long");
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value))
    add(issues, loc, `must match the pattern ${schema.pattern}`, "string_pattern_mismatch");
}

function checkNumber(schema: JsonSchema, value: number, loc: (string | number)[], issues: Issue[]): void {
  if (schema.minimum !== undefined && value < schema.minimum)
    add(issues, loc, `must be >= ${schema.minimum}`, "greater_than_equal");
  if (schema.maximum !== undefined && value > schema.maximum)
    add(issues, loc, `must be <= ${schema.maximum}`, "less_than_equal");
  if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum)
    add(issues, loc, `must be > ${schema.exclusiveMinimum}`, "greater_than");
  if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum)
    add(issues, loc, `must be < ${schema.exclusiveMaximum}`, "less_than");
}

function checkObject(
  schema: JsonSchema,
  value: Record<string, unknown>,
  loc: (string | number)[],
  issues: Issue[],
): void {
  for (const name of schema.required ?? []) {
    if (!(name in value)) add(issues, [...loc, name], "is required", "missing");
  }
  const properties = schema.properties ?? {};
  for (const [name, item] of Object.entries(value)) {
    const property = properties[name];
    if (property) check(property, item, [...loc, name], issues);
    else if (schema.additionalProperties === false) add(issues, [...loc, name], "is not allowed", "extra_forbidden");
    else if (typeof schema.additionalProperties === "object")
      check(schema.additionalProperties, item, [...loc, name], issues);
  }
}

/**
 * Turns a query or path string into the type its schema asks for, as the API's framework does
 * before validating ("2" -> 2 for an integer). Values that do not convert stay strings and fail.
 */
export function coerce(schema: JsonSchema, text: string): unknown {
  const s = resolve(schema);
  const types = (s.anyOf ?? s.oneOf ?? [s]).flatMap((v) => [resolve(v).type ?? []].flat());
  if ((types.includes("integer") || types.includes("number")) && text.trim() !== "" && !Number.isNaN(Number(text)))
    return Number(text);
  if (types.includes("boolean") && (text === "true" || text === "false")) return text === "true";
  return text;
}

/** "body.avatar_id: must be a string (uuid format)". */
export function formatIssue(issue: Issue): string {
  return `${issue.loc.join(".")}: ${issue.msg}`;
}
