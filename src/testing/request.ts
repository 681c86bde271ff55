// Reading and validating a request against its operation's parameters and body schema.
import { operationSchemas } from "../../generated/testing-tables.js";
import type { OperationKey } from "../../generated/operations.js";
import { coerce, resolve, validate, type Issue } from "./validate.js";

export interface ParsedRequest {
  query: Record<string, unknown>;
  body: unknown;
  issues: Issue[];
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** A request body over the fake's `maxBodyBytes`: answered 413. */
export class BodyTooLarge extends Error {
  override name = "BodyTooLarge";
  constructor(readonly limit: number) {
    super(`the request body is larger than ${limit} bytes (the fake's maxBodyBytes)`);
  }
}

/** The body as text, read no further than `limit` bytes: a huge body costs no more than that. */
export async function readText(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > limit) throw new BodyTooLarge(limit);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > limit) {
      reader.cancel().catch(() => undefined);
      throw new BodyTooLarge(limit);
    }
    text += decoder.decode(value, { stream: true });
  }
}

export async function parseRequest(
  key: OperationKey,
  request: Request,
  url: URL,
  path: Record<string, string>,
  maxBodyBytes: number,
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
  const text = await readText(request, maxBodyBytes);
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
