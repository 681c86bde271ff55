// The fake's checks of requests and of its own answers: the one validator (src/schema-check)
// over openapi.json's tables, its issues worded as the API's 422 `detail`
// ("body.avatar_id: must be a string (uuid format)", type "uuid_parsing").
import { componentSchemas } from "../../generated/testing-tables.js";
import { checkSchema, resolveSchema, typesOf, type SchemaIssue } from "../schema-check/check.js";
import type { JsonSchema } from "./schema-types.js";

export interface Issue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

const PREFIX = "#/components/schemas/";
const options = {
  resolve: (ref: string) => (ref.startsWith(PREFIX) ? componentSchemas[ref.slice(PREFIX.length)] : undefined),
};

export function resolve(schema: JsonSchema): JsonSchema {
  return resolveSchema(schema, options);
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
function accepted(schema: JsonSchema): string {
  const s = resolve(schema);
  const variants = s.anyOf ?? s.oneOf;
  if (variants) return variants.map(accepted).join(" or ");
  if (s.const !== undefined) return JSON.stringify(s.const);
  const base =
    typesOf(s)
      .map((t) => ARTICLE[t] ?? t)
      .join(" or ") || "a value";
  return s.format ? `${base} (${s.format} format)` : base;
}

const list = (values: readonly unknown[]) => values.map((v) => JSON.stringify(v)).join(", ");

/** The API's wording and error type for each rule. */
function toIssue({ path, keyword, schema }: SchemaIssue, loc: (string | number)[]): Issue {
  const at = [...loc, ...path];
  const issue = (msg: string, type: string): Issue => ({ loc: at, msg, type });
  switch (keyword) {
    case "type":
      return issue(
        `must be ${accepted(schema)}`,
        schema.anyOf || schema.oneOf ? "union_type" : `${typesOf(schema)[0]}_type`,
      );
    case "const":
      return issue(`must be ${JSON.stringify(schema.const)}`, "literal_error");
    case "enum":
      return issue(`must be one of ${list(schema.enum ?? [])}`, "enum");
    case "format":
      return issue(`must be ${accepted(schema)}`, schema.format === "uuid" ? "uuid_parsing" : "datetime_parsing");
    case "minLength":
      return issue(`must have at least ${schema.minLength} characters`, "string_too_short");
    case "maxLength":
      return issue(`must have at most ${schema.maxLength} characters`, "string_too_long");
    case "pattern":
      return issue(`must match the pattern ${schema.pattern}`, "string_pattern_mismatch");
    case "minimum":
      return issue(`must be >= ${schema.minimum}`, "greater_than_equal");
    case "maximum":
      return issue(`must be <= ${schema.maximum}`, "less_than_equal");
    case "exclusiveMinimum":
      return issue(`must be > ${schema.exclusiveMinimum}`, "greater_than");
    case "exclusiveMaximum":
      return issue(`must be < ${schema.exclusiveMaximum}`, "less_than");
    case "required":
      return issue("is required", "missing");
    case "discriminator":
      return issue(`must be one of ${list(Object.keys(schema.discriminator?.mapping ?? {}))}`, "union_tag_invalid");
    default:
      return issue("is not allowed", "extra_forbidden");
  }
}

/** Validates `value`; returns the issues found (empty when valid). `loc` is where `value` sits. */
export function validate(schema: JsonSchema, value: unknown, loc: (string | number)[] = []): Issue[] {
  return checkSchema(schema, value, options).map((found) => toIssue(found, loc));
}

/**
 * Turns a query or path string into the type its schema asks for, as the API's framework does
 * before validating ("2" -> 2 for an integer). Values that do not convert stay strings and fail.
 */
export function coerce(schema: JsonSchema, text: string): unknown {
  const s = resolve(schema);
  const types = (s.anyOf ?? s.oneOf ?? [s]).flatMap((v) => typesOf(resolve(v)));
  if ((types.includes("integer") || types.includes("number")) && text.trim() !== "" && !Number.isNaN(Number(text)))
    return Number(text);
  if (types.includes("boolean") && (text === "true" || text === "false")) return text === "true";
  return text;
}

/** "body.avatar_id: must be a string (uuid format)". */
export function formatIssue(issue: Issue): string {
  return `${issue.loc.join(".")}: ${issue.msg}`;
}
