// Reading and validating a request against its operation's parameters and body schema.
import { operationSchemas } from "../../generated/testing-tables.js";
import type { OperationKey } from "../../generated/operations.js";
import { coerce, resolve, validate, type Issue } from "./validate.js";

export interface ParsedRequest {
  query: Record<string, unknown>;
  body: unknown;
  issues: Issue[];
}

export async function parseRequest(
  key: OperationKey,
  request: Request,
  url: URL,
  path: Record<string, string>,
): Promise<ParsedRequest> {
  const table = operationSchemas[key]!;
  const issues: Issue[] = [];
  const query: Record<string, unknown> = {};
  for (const param of table.params) {
    const raw = param.in === "path" ? path[param.name] : (url.searchParams.get(param.name) ?? undefined);
    if (raw === undefined) {
      if (param.required) issues.push({ loc: [param.in, param.name], msg: "is required", type: "missing" });
      else if (param.in === "query" && resolve(param.schema).default !== undefined)
        query[param.name] = resolve(param.schema).default;
      continue;
    }
    const value = coerce(param.schema, raw);
    issues.push(...validate(param.schema, value, [param.in, param.name]));
    if (param.in === "query") query[param.name] = value;
  }
  const text = await request.text();
  let body: unknown;
  if (text.trim() !== "") {
    try {
      body = JSON.parse(text);
    } catch {
      issues.push({ loc: ["body"], msg: "must be valid JSON", type: "json_invalid" });
      return { query, body: undefined, issues };
    }
  }
  if (table.body) {
    if (body === undefined) {
      if (table.body.required) issues.push({ loc: ["body"], msg: "is required", type: "missing" });
    } else if (table.body.schema) issues.push(...validate(table.body.schema, body, ["body"]));
  }
  return { query, body, issues };
}
