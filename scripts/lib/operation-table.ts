// Derives the facade's operation table from a (normalised) spec: everything the client
// needs at run time that openapi-typescript's types do not carry.
import {
  OPERATION_DEFAULTS,
  operationIdSuffix,
  type DataKind,
  type OperationInfo,
  type SecuritySchemeInfo,
} from "../../src/operation-info.ts";
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

/**
 * generated/operations.ts: the table as compact rows (see `OperationRow`) that expand at load into
 * the public `operations` object, and its exact type written out (`expandOperations` checks it is
 * a table of `OperationInfo`), so `typeof operations` keeps
 * every literal (the call signatures read `successStatus`, `envelope` and `data` from it).
 */
export function renderOperationTable(spec: OpenAPISpec, header: string): string {
  const table = buildOperationTable(spec);
  const security: string[] = [];
  const rows = table.map((op) => compactRow(op, security));
  const types = table.map((op) => `readonly ${JSON.stringify(`${op.method} ${op.path}`)}: ${literalType(op)}`);
  return `${header}
import { expandOperations, type SecuritySchemeInfo } from "../src/operation-info.js";

export type { DataKind, OperationInfo } from "../src/operation-info.js";

export const securitySchemes = ${JSON.stringify(buildSecuritySchemes(spec))} as const satisfies Record<string, SecuritySchemeInfo>;

/** The operation table's exact type: one entry per operation, keyed by "METHOD /path", in the spec's order. */
export type OperationTable = {
${types.join(";\n")}
};

/** One entry per operation, keyed by "METHOD /path", in the spec's order (expanded once at load from compact rows). */
export const operations: OperationTable = /* @__PURE__ */ expandOperations<OperationTable>(
  [
${rows.join(",\n")}
  ],
  [${security.join(", ")}],
);

export type OperationKey = keyof OperationTable;
`;
}

function compactRow(op: OperationInfo, security: string[]): string {
  const suffix = operationIdSuffix(op.method, op.path);
  const derived = op.operationId.endsWith(suffix) && op.operationId.length > suffix.length;
  const name = derived ? op.operationId.slice(0, -suffix.length) : "";
  const differences: Partial<Record<keyof OperationInfo, unknown>> = derived ? {} : { operationId: op.operationId };
  for (const key of Object.keys(OPERATION_DEFAULTS) as (keyof typeof OPERATION_DEFAULTS)[]) {
    if (op[key] !== OPERATION_DEFAULTS[key]) differences[key] = op[key];
  }
  const requirement = JSON.stringify(op.security);
  if (!security.includes(requirement)) security.push(requirement);
  const row = [`${op.method} ${op.path}`, name, op.tag, security.indexOf(requirement)] as unknown[];
  if (Object.keys(differences).length > 0) row.push(differences);
  return JSON.stringify(row);
}

/** A value as a readonly literal type, e.g. `readonly [readonly ["APIKeyHeader"]]`. */
function literalType(value: unknown): string {
  if (Array.isArray(value)) return `readonly [${value.map(literalType).join(", ")}]`;
  if (isObject(value)) {
    const fields = Object.entries(value).map(([key, field]) => `readonly ${key}: ${literalType(field)}`);
    return `{ ${fields.join("; ")} }`;
  }
  return JSON.stringify(value);
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
