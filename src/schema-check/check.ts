// The one JSON Schema validator of the package, over the one schema type (types.ts). The fake
// checks requests and its own answers with it, the LITE and FULL fakes their frames, and
// `liveavatar-api/drift` live answers and events. It only finds issues; each caller words them.
// An issue names where, the rule, what the schema expects and the JSON type that arrived: never
// the value (values may be secrets). No Node, no dependencies: every entry may bundle it.
import type { JsonSchema } from "./types.js";

export type { JsonSchema } from "./types.js";

/** Where an issue is: property names and array indices from the checked value's root. */
export type SchemaPath = readonly (string | number)[];

export type SchemaKeyword =
  | "type"
  | "const"
  | "enum"
  | "format"
  | "minLength"
  | "maxLength"
  | "pattern"
  | "minimum"
  | "maximum"
  | "exclusiveMinimum"
  | "exclusiveMaximum"
  | "required"
  | "additionalProperties"
  | "undeclared"
  | "discriminator";

export interface SchemaIssue {
  readonly path: SchemaPath;
  readonly keyword: SchemaKeyword;
  /** The schema node whose rule failed (callers read its limits, format or enum for their messages). */
  readonly schema: JsonSchema;
  /** What the schema asks for, by type: "string", "object or null", "present" (required), "absent" (extra field). */
  readonly expected: string;
  /** The JSON type that arrived: "string", "integer", "number", "boolean", "null", "array", "object" or "absent". */
  readonly received: string;
}

export interface CheckOptions {
  /** Looks up a `$ref` ("#/components/schemas/X"). A `$ref` it cannot resolve throws. */
  readonly resolve?: ((ref: string) => JsonSchema | undefined) | undefined;
  /** Also report fields the schema does not declare where `additionalProperties` allows them (drift). */
  readonly undeclared?: boolean | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i;
const FORMATS: Record<string, RegExp> = { uuid: UUID, "date-time": DATE_TIME };
const MAX_REF_HOPS = 16;

/** The issues of `value` against `schema`; empty when it is valid. */
export function checkSchema(schema: JsonSchema, value: unknown, options: CheckOptions = {}): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  check(schema, value, [], options, issues);
  return issues;
}

/** Follows `$ref`s to the schema they name. */
export function resolveSchema(schema: JsonSchema, options: CheckOptions = {}): JsonSchema {
  let current = schema;
  for (let hops = 0; current.$ref !== undefined; hops++) {
    const target = hops < MAX_REF_HOPS ? options.resolve?.(current.$ref) : undefined;
    if (!target) throw new Error(`unknown schema ${current.$ref}`);
    current = target;
  }
  return current;
}

/** The JSON type of a value, by name (integers apart from other numbers, as JSON Schema does). */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** The types a schema names, without resolving unions. */
export function typesOf(schema: JsonSchema): readonly string[] {
  return Array.isArray(schema.type) ? schema.type : typeof schema.type === "string" ? [schema.type] : [];
}

function matchesType(type: string, value: unknown): boolean {
  const actual = jsonTypeOf(value);
  return actual === type || (type === "number" && actual === "integer");
}

/** `composed`: checking one member of an `allOf`, whose siblings may declare the other fields. */
function check(
  raw: JsonSchema,
  value: unknown,
  path: SchemaPath,
  options: CheckOptions,
  out: SchemaIssue[],
  composed = false,
): void {
  const schema = resolveSchema(raw, options);
  const add = (keyword: SchemaKeyword, expected: string, at: SchemaPath = path, received = jsonTypeOf(value)) =>
    void out.push({ path: at, keyword, schema, expected, received });
  const types = typesOf(schema);
  if (types.length > 0 && !types.some((t) => matchesType(t, value))) return add("type", types.join(" or "));
  if ("const" in schema && value !== schema.const) return add("const", JSON.stringify(schema.const));
  if (schema.enum && !schema.enum.includes(value))
    return add("enum", schema.enum.map((v) => JSON.stringify(v)).join(" or "));
  if (typeof value === "string") {
    const format = schema.format !== undefined ? FORMATS[schema.format] : undefined;
    if (format && !format.test(value)) add("format", `string (${schema.format})`);
    if (schema.minLength !== undefined && value.length < schema.minLength)
      add("minLength", `string of length >= ${schema.minLength}`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength)
      add("maxLength", `string of length <= ${schema.maxLength}`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value))
      add("pattern", `string matching ${schema.pattern}`);
  } else if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) add("minimum", `>= ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) add("maximum", `<= ${schema.maximum}`);
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum)
      add("exclusiveMinimum", `> ${schema.exclusiveMinimum}`);
    if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum)
      add("exclusiveMaximum", `< ${schema.exclusiveMaximum}`);
  } else if (Array.isArray(value)) {
    if (schema.items) value.forEach((item, i) => check(schema.items!, item, [...path, i], options, out));
  } else if (jsonTypeOf(value) === "object") checkObject(schema, value as Record<string, unknown>, path, options, out);
  for (const member of schema.allOf ?? []) check(member, value, path, options, out, true);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) checkUnion(schema, variants, value, path, options, out);
  else if (options.undeclared && !composed && jsonTypeOf(value) === "object") {
    const declared = declaredFields(schema, options);
    for (const [name, item] of Object.entries(value as Record<string, unknown>))
      if (declared && !declared.has(name)) add("undeclared", "absent", [...path, name], jsonTypeOf(item));
  }
}

/**
 * The fields a schema and its `allOf` members declare; null when it takes any field: an
 * `additionalProperties` rule applies, or it declares no field at all (`{}`, `type: object`).
 */
function declaredFields(schema: JsonSchema, options: CheckOptions): Set<string> | null {
  const names = new Set<string>();
  let declares = false;
  const visit = (node: JsonSchema): boolean => {
    if (node.additionalProperties !== undefined || node.anyOf || node.oneOf) return false;
    if (node.properties) declares = true;
    for (const name of Object.keys(node.properties ?? {})) names.add(name);
    return (node.allOf ?? []).every((member) => visit(resolveSchema(member, options)));
  };
  return visit(schema) && declares ? names : null;
}

function checkObject(
  schema: JsonSchema,
  value: Record<string, unknown>,
  path: SchemaPath,
  options: CheckOptions,
  out: SchemaIssue[],
): void {
  const add = (keyword: SchemaKeyword, name: string, expected: string, received: string) =>
    void out.push({ path: [...path, name], keyword, schema, expected, received });
  for (const name of schema.required ?? []) if (!(name in value)) add("required", name, "present", "absent");
  const properties = schema.properties ?? {};
  const extra = schema.additionalProperties;
  for (const [name, item] of Object.entries(value)) {
    const property = Object.hasOwn(properties, name) ? properties[name] : undefined;
    if (property) check(property, item, [...path, name], options, out);
    else if (extra === false) add("additionalProperties", name, "absent", jsonTypeOf(item));
    else if (typeof extra === "object") check(extra, item, [...path, name], options, out);
  }
}

/**
 * anyOf and oneOf alike: one variant that holds is enough (the vendor's `oneOf` bodies have
 * overlapping variants, and the API takes either). A discriminator picks its variant by tag.
 * Otherwise the issues of the closest variant of the right type are reported, so they name a
 * real field; with no variant of the right type, one type issue for the union.
 */
function checkUnion(
  schema: JsonSchema,
  variants: readonly JsonSchema[],
  value: unknown,
  path: SchemaPath,
  options: CheckOptions,
  out: SchemaIssue[],
): void {
  const discriminator = schema.discriminator;
  if (discriminator?.mapping && jsonTypeOf(value) === "object") {
    const tag = (value as Record<string, unknown>)[discriminator.propertyName];
    const target =
      typeof tag === "string" && Object.hasOwn(discriminator.mapping, tag) ? discriminator.mapping[tag] : undefined;
    if (target) return check({ $ref: target }, value, path, options, out);
    const expected = Object.keys(discriminator.mapping)
      .map((t) => JSON.stringify(t))
      .join(" or ");
    const received = tag === undefined ? "absent" : jsonTypeOf(tag);
    return void out.push({
      path: [...path, discriminator.propertyName],
      keyword: "discriminator",
      schema,
      expected,
      received,
    });
  }
  const attempts = variants.map((variant) => checkSchema(variant, value, options));
  if (attempts.some((found) => found.length === 0)) return;
  const candidates = variants
    .map((variant, i) => ({ types: typesOf(resolveSchema(variant, options)), found: attempts[i]! }))
    .filter(({ types }) => types.length === 0 || types.some((t) => matchesType(t, value)));
  if (candidates.length === 0) {
    const expected = variants.flatMap((v) => typesOf(resolveSchema(v, options)));
    return void out.push({
      path,
      keyword: "type",
      schema,
      expected: [...new Set(expected)].join(" or "),
      received: jsonTypeOf(value),
    });
  }
  const best = candidates.reduce((a, b) => (b.found.length < a.found.length ? b : a));
  for (const issue of best.found) out.push({ ...issue, path: [...path, ...issue.path] });
}

/** A JSON pointer ("/data/results/0/name"; "" for the root). */
export function pointerOf(path: SchemaPath): string {
  return path.map((part) => `/${String(part).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}
