// Derives the facade's operation table from a (normalised) spec: everything the client
// needs at run time that openapi-typescript's types do not carry.
import type { DataKind, OperationInfo, SecuritySchemeInfo } from "../../src/operation-info.ts";
import { isObject, listOperations, resolveRef, type JsonObject, type OpenAPISpec } from "./spec.ts";

export type { DataKind, OperationInfo, SecuritySchemeInfo } from "../../src/operation-info.ts";

export function buildOperationTable(spec: OpenAPISpec): OperationInfo[] {
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

export function buildSecuritySchemes(spec: OpenAPISpec): Record<string, SecuritySchemeInfo> {
  const out: Record<string, SecuritySchemeInfo> = {};
  for (const [name, raw] of Object.entries(spec.components?.securitySchemes ?? {})) {
    const scheme = resolveRef(spec, raw) as JsonObject;
    const pick = (key: "in" | "name" | "scheme") => (typeof scheme[key] === "string" ? { [key]: scheme[key] } : {});
    out[name] = { type: String(scheme.type), ...pick("in"), ...pick("name"), ...pick("scheme") };
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
