// Checks a LITE or FULL message against one of the JSON Schemas generated from asyncapi.yaml,
// with the one validator (src/schema-check); one line per violation, for the fakes' errors.
import type { EventSchema } from "../../generated/event-schemas.js";
import { checkSchema, pointerOf, type SchemaIssue } from "../schema-check/check.js";

/** One line per violation, each naming where (`/audio`) and what; empty when valid. */
export function validateEvent(schema: EventSchema, value: unknown, path = ""): string[] {
  return checkSchema(schema, value).map((issue) => line(issue, path));
}

function line({ path, keyword, schema, expected, received }: SchemaIssue, prefix: string): string {
  const at = (parts: typeof path) => prefix + pointerOf(parts) || "/";
  const field = String(path[path.length - 1]);
  switch (keyword) {
    case "required":
      return `${at(path.slice(0, -1))}: missing "${field}"`;
    case "additionalProperties":
    case "undeclared":
      return `${at(path.slice(0, -1))}: unexpected property "${field}"`;
    case "type":
      return `${at(path)}: expected ${expected}, got ${received}`;
    case "const":
      return `${at(path)}: must be ${JSON.stringify(schema.const)}`;
    case "enum":
      return `${at(path)}: must be one of ${(schema.enum ?? []).map((v) => JSON.stringify(v)).join(", ")}`;
    case "minLength":
      return `${at(path)}: shorter than ${schema.minLength}`;
    case "maxLength":
      return `${at(path)}: longer than ${schema.maxLength}`;
    case "pattern":
      return `${at(path)}: does not match ${schema.pattern}`;
    default:
      return `${at(path)}: must be ${expected}`;
  }
}
