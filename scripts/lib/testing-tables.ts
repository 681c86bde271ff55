// Derives the tables the testing kit's fake needs at run time from the (normalised) spec:
// every component schema and, per operation, its parameters, request body and success
// response schema. The fake validates requests and its own responses against these, so it
// cannot drift from openapi.json without `npm run generate -- --check` noticing.
import { isObject, listOperations, resolveRef, type JsonObject, type OpenAPISpec } from "./spec.ts";

/** Keywords the fake's validator and sampler do not use: dropped to keep the testing bundle small. */
const DROPPED = new Set(["title", "description", "examples", "example"]);

function strip(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strip);
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    // `properties` maps names to schemas: a property may well be called "title" or "description".
    if (key === "properties" && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, strip(schema)]));
    } else if (!DROPPED.has(key)) out[key] = strip(value);
  }
  return out;
}

function jsonSchema(spec: OpenAPISpec, holder: unknown): unknown {
  const resolved = resolveRef(spec, holder);
  if (!isObject(resolved) || !isObject(resolved.content)) return undefined;
  const media = resolved.content["application/json"];
  return isObject(media) ? strip(media.schema ?? {}) : undefined;
}

export function renderTestingTables(spec: OpenAPISpec, header: string): string {
  const ops: Record<string, JsonObject> = {};
  for (const { method, path, operation } of listOperations(spec)) {
    const params = (operation.parameters as unknown[])
      .map((p) => resolveRef(spec, p) as JsonObject)
      .filter((p) => p.in === "path" || p.in === "query")
      .map((p) => ({ name: p.name, in: p.in, required: p.required === true, schema: strip(p.schema ?? {}) }));
    const requestBody = resolveRef(spec, operation.requestBody) as JsonObject | undefined;
    const responses = isObject(operation.responses) ? operation.responses : {};
    const success = Object.keys(responses)
      .filter((code) => /^2\d\d$/.test(code))
      .sort()[0]!;
    ops[`${method} ${path}`] = {
      params,
      body: requestBody ? { required: requestBody.required === true, schema: jsonSchema(spec, requestBody) } : null,
      response: jsonSchema(spec, responses[success]) ?? null,
    };
  }
  const schemas = strip(spec.components?.schemas ?? {});
  return `${header}
// Schemas for the testing kit's fake (src/testing): request validation, response validation, seed data.
import type { JsonSchema } from "../src/schema-check/types.js";

export interface ParamTable {
  readonly name: string;
  readonly in: "path" | "query";
  readonly required: boolean;
  readonly schema: JsonSchema;
}

export interface OperationSchemas {
  readonly params: readonly ParamTable[];
  /** The JSON request body, or null when the operation takes none. */
  readonly body: { readonly required: boolean; readonly schema: JsonSchema } | null;
  /** The success response's JSON schema, or null for a body-less success. */
  readonly response: JsonSchema | null;
}

/** \`#/components/schemas\`, without titles and descriptions. */
export const componentSchemas: Readonly<Record<string, JsonSchema>> = ${JSON.stringify(schemas)};

export const operationSchemas: Readonly<Record<string, OperationSchemas>> = ${JSON.stringify(ops)};
`;
}
