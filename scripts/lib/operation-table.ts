// Derives the facade's operation table from a (normalised) spec: everything the client
// needs at run time that openapi-typescript's types do not carry.
import { isObject, listOperations, resolveRef, type JsonObject, type OpenAPISpec } from "./spec.ts";

/** What the success body's `data` is, as far as callers are concerned. */
export type DataKind = "object" | "array" | "untyped" | "null" | "none";

export interface OperationEntry {
  operationId: string;
  method: string;
  path: string;
  tag: string | null;
  /** Security alternatives in the spec's order; each lists the schemes it needs together. `[]` = public. */
  security: string[][];
  successStatus: number;
  /** Whether the success body is the `{code, data, message}` envelope. */
  envelope: boolean;
  data: DataKind;
  /** Takes `page`/`page_size` and answers `{count, next, previous, results}`. */
  paginated: boolean;
}

export interface SecuritySchemeEntry {
  type: string;
  in?: string;
  name?: string;
  scheme?: string;
}

export function buildOperationTable(spec: OpenAPISpec): OperationEntry[] {
  return listOperations(spec).map(({ method, path, operation }) => {
    const [status, response] = successResponse(spec, operation, `${method} ${path}`);
    const body = jsonSchemaOf(spec, response);
    const envelope = isEnvelope(body);
    const data = envelope
      ? dataKind(spec, (body as { properties: JsonObject }).properties.data)
      : body
        ? "untyped"
        : "none";
    const query = (operation.parameters as unknown[])
      .map((p) => resolveRef(spec, p))
      .filter((p): p is JsonObject => isObject(p) && p.in === "query")
      .map((p) => p.name);
    return {
      operationId: String(operation.operationId ?? `${method} ${path}`),
      method,
      path,
      tag: Array.isArray(operation.tags) && typeof operation.tags[0] === "string" ? operation.tags[0] : null,
      security: (Array.isArray(operation.security) ? operation.security : (spec.security ?? [])).map((requirement) =>
        Object.keys(requirement as JsonObject),
      ),
      successStatus: status,
      envelope,
      data,
      paginated: query.includes("page") && query.includes("page_size") && hasResultsArray(spec, envelope, body),
    };
  });
}

export function buildSecuritySchemes(spec: OpenAPISpec): Record<string, SecuritySchemeEntry> {
  const out: Record<string, SecuritySchemeEntry> = {};
  for (const [name, raw] of Object.entries(spec.components?.securitySchemes ?? {})) {
    const scheme = resolveRef(spec, raw) as JsonObject;
    const entry: SecuritySchemeEntry = { type: String(scheme.type) };
    for (const key of ["in", "name", "scheme"] as const) if (typeof scheme[key] === "string") entry[key] = scheme[key];
    out[name] = entry;
  }
  return out;
}

function successResponse(spec: OpenAPISpec, operation: JsonObject, label: string): [number, unknown] {
  const responses = isObject(operation.responses) ? operation.responses : {};
  const codes = Object.keys(responses)
    .filter((code) => /^2\d\d$/.test(code))
    .sort();
  if (codes.length === 0) throw new Error(`${label} declares no 2xx response`);
  return [Number(codes[0]), resolveRef(spec, responses[codes[0]!])];
}

function jsonSchemaOf(spec: OpenAPISpec, response: unknown): JsonObject | undefined {
  if (!isObject(response) || !isObject(response.content)) return undefined;
  const media = response.content["application/json"];
  if (!isObject(media)) return undefined;
  const schema = resolveRef(spec, media.schema);
  return isObject(schema) ? schema : {};
}

function isEnvelope(schema: JsonObject | undefined): boolean {
  return isObject(schema?.properties) && "code" in schema.properties && "data" in schema.properties;
}

/** `anyOf[X, null]` counts as X: the envelope marks `data` nullable everywhere, even where a success always has it. */
function dataKind(spec: OpenAPISpec, raw: unknown): DataKind {
  const schema = resolveRef(spec, raw);
  if (!isObject(schema)) return "untyped";
  const variants = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : null;
  if (variants) {
    const kinds = new Set(variants.map((v) => dataKind(spec, v)).filter((k) => k !== "null"));
    if (kinds.size === 0) return "null";
    return kinds.size === 1 ? [...kinds][0]! : "untyped";
  }
  const types = Array.isArray(schema.type) ? schema.type.filter((t) => t !== "null") : [schema.type];
  if (types.length === 1 && (types[0] === "object" || types[0] === "array")) return types[0];
  if (schema.type === "null" || (Array.isArray(schema.type) && types.length === 0)) return "null";
  if (isObject(schema.properties)) return "object";
  return "untyped";
}

function hasResultsArray(spec: OpenAPISpec, envelope: boolean, body: JsonObject | undefined): boolean {
  if (!envelope || !body) return false;
  let data = resolveRef(spec, (body.properties as JsonObject).data);
  if (isObject(data) && Array.isArray(data.anyOf)) {
    data = data.anyOf.map((v) => resolveRef(spec, v)).find((v) => isObject(v) && v.type !== "null");
  }
  const results = isObject(data) && isObject(data.properties) ? resolveRef(spec, data.properties.results) : undefined;
  return isObject(results) && results.type === "array";
}
