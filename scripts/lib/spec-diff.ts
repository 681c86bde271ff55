// What changed between two specs, operation by operation, classified for a caller of the
// client. Both specs are normalised first, exactly as the generator sees them. Schema-level
// rules live in schema-diff.ts; this file pairs up operations, parameters, bodies, success
// responses and security requirements.
import { deprecationMessage, diffSchemas, newlyDeprecated, type Direction, type Severity } from "./schema-diff.ts";
import {
  isObject,
  isUntyped,
  listOperations,
  normaliseSpec,
  resolveRef,
  type JsonObject,
  type OpenAPISpec,
} from "./spec.ts";

export type Area = "operation" | "parameters" | "request body" | "success response" | "error responses" | "security";

export interface Change {
  severity: Severity;
  area: Area;
  message: string;
}

export interface OperationRef {
  /** "METHOD /path", as in generated/operations.ts. */
  key: string;
  operationId: string;
}

export interface SpecDiff {
  before: { title: string; version: string; operations: number };
  after: { title: string; version: string; operations: number };
  added: OperationRef[];
  removed: OperationRef[];
  changed: Array<OperationRef & { changes: Change[] }>;
  breaking: number;
  /**
   * Schemas in the new spec that promise nothing (`{}`, or only a title / description / `x-`
   * keys): generated as `unknown` and never checked. `isNew` when the old spec had no such entry.
   */
  untyped: Untyped[];
  /** Changes that break no code but change what callers get (see schema-diff.ts). */
  warning: number;
  nonBreaking: number;
}

export interface Untyped {
  /** "Schema", "Schema.field", "Schema.field[]", or "METHOD /path request body|success response" for inline ones. */
  where: string;
  /** The operations whose request or success response reach it ("METHOD /path"), in spec order. */
  usedBy: string[];
  isNew: boolean;
}

type Specs = { before: OpenAPISpec; after: OpenAPISpec };

export function diffSpecs(rawBefore: OpenAPISpec, rawAfter: OpenAPISpec): SpecDiff {
  const specs: Specs = { before: normaliseSpec(rawBefore).spec, after: normaliseSpec(rawAfter).spec };
  const index = (spec: OpenAPISpec) =>
    new Map(listOperations(spec).map((op) => [`${op.method} ${op.path}`, op.operation] as const));
  const before = index(specs.before);
  const after = index(specs.after);
  const ref = (key: string, op: JsonObject): OperationRef => ({ key, operationId: String(op.operationId ?? key) });

  const added = [...after].filter(([key]) => !before.has(key)).map(([key, op]) => ref(key, op));
  const removed = [...before].filter(([key]) => !after.has(key)).map(([key, op]) => ref(key, op));
  const changed = [...after]
    .filter(([key]) => before.has(key))
    .map(([key, op]) => ({ ...ref(key, op), changes: diffOperation(specs, before.get(key)!, op) }))
    .filter((entry) => entry.changes.length > 0);

  const all = changed.flatMap((c) => c.changes);
  return {
    before: summary(specs.before, before.size),
    after: summary(specs.after, after.size),
    added,
    removed,
    changed,
    untyped: untypedIn(specs.after).map((u) => ({
      ...u,
      isNew: !untypedIn(specs.before).some((old) => old.where === u.where),
    })),
    // A removed operation is breaking, an added one is not.
    breaking: removed.length + all.filter((c) => c.severity === "breaking").length,
    warning: all.filter((c) => c.severity === "warning").length,
    nonBreaking: added.length + all.filter((c) => c.severity === "non-breaking").length,
  };
}

function summary(spec: OpenAPISpec, operations: number): SpecDiff["before"] {
  const info = isObject(spec.info) ? spec.info : {};
  return { title: String(info.title ?? ""), version: String(info.version ?? ""), operations };
}

function diffOperation(specs: Specs, a: JsonObject, b: JsonObject): Change[] {
  const out: Change[] = [];
  const push = (severity: Severity, area: Area, message: string): void => void out.push({ severity, area, message });
  const schemas = (area: Area, direction: Direction, x: unknown, y: unknown, at: string) => {
    for (const c of diffSchemas(specs, x, y, direction, at)) push(c.severity, area, `\`${c.at}\` ${c.message}`);
  };

  if (a.operationId !== b.operationId)
    push(
      "non-breaking",
      "operation",
      `operationId renamed from ${a.operationId} to ${b.operationId} (only the generated \`operations\` type name changes)`,
    );
  if (!a.deprecated && b.deprecated)
    push("warning", "operation", deprecationMessage(typeof b.description === "string" ? b.description : ""));

  // Parameters, keyed by where they go and their name. The caller writes them.
  const pa = parameters(specs.before, a);
  const pb = parameters(specs.after, b);
  for (const [key, p] of pa) {
    const q = pb.get(key);
    if (!q) {
      push("breaking", "parameters", `\`${key}\` removed: callers passing it no longer type-check`);
      continue;
    }
    if (!p.required && q.required) push("breaking", "parameters", `\`${key}\` is now required`);
    if (p.required && !q.required) push("non-breaking", "parameters", `\`${key}\` is no longer required`);
    const deprecation = newlyDeprecated(specs, p, q);
    if (deprecation) push("warning", "parameters", `\`${key}\` ${deprecation}`);
    schemas("parameters", "request", p.schema, q.schema, key);
  }
  for (const [key, q] of pb) {
    if (pa.has(key)) continue;
    if (q.required) push("breaking", "parameters", `\`${key}\` added as a required parameter`);
    else push("non-breaking", "parameters", `\`${key}\` added (optional)`);
  }

  // Request body.
  const ba = resolveRef(specs.before, a.requestBody) as JsonObject | undefined;
  const bb = resolveRef(specs.after, b.requestBody) as JsonObject | undefined;
  if (ba && !bb) push("breaking", "request body", "removed: callers sending a body no longer type-check");
  else if (!ba && bb)
    push(
      bb.required ? "breaking" : "non-breaking",
      "request body",
      `added${bb.required ? " (required)" : " (optional)"}`,
    );
  else if (ba && bb) {
    if (!ba.required && bb.required) push("breaking", "request body", "is now required");
    if (ba.required && !bb.required) push("non-breaking", "request body", "is no longer required");
    compareMedia("request body", "request", ba, bb, "body");
  }

  // Success response: the lowest 2xx, as the operation table picks it.
  const [sa, ra] = success(specs.before, a);
  const [sb, rb] = success(specs.after, b);
  if (sa !== sb) push("breaking", "success response", `status changed from ${sa ?? "none"} to ${sb ?? "none"}`);
  compareMedia("success response", "response", ra, rb, "response");

  // Other 2xx statuses beside the one the client is built around. A new one can reach callers
  // (with whatever body it declares) although no type changes: a warning. One that goes away
  // only removes an outcome.
  const xa = successStatuses(a);
  const xb = successStatuses(b);
  if (sa !== undefined && sa === sb) {
    for (const s of xb)
      if (!xa.includes(s))
        push("warning", "success response", `${s} added beside ${sa}: callers may now get a ${s} answer`);
    for (const s of xa) if (!xb.includes(s)) push("non-breaking", "success response", `${s} no longer declared`);
  }

  // Declared error statuses only inform: callers handle every error status through one error type.
  const errors = (op: JsonObject) =>
    Object.keys(isObject(op.responses) ? op.responses : {}).filter((s) => !s.startsWith("2"));
  const ea = errors(a);
  const eb = errors(b);
  for (const s of eb) if (!ea.includes(s)) push("non-breaking", "error responses", `${s} now declared`);
  for (const s of ea) if (!eb.includes(s)) push("non-breaking", "error responses", `${s} no longer declared`);

  // Security: any change to who may call it is breaking (callers' credentials may stop working).
  const secA = security(specs.before, a);
  const secB = security(specs.after, b);
  if (secA !== secB) push("breaking", "security", `changed from ${secA} to ${secB}`);
  return out;

  function compareMedia(area: Area, direction: Direction, x: unknown, y: unknown, at: string): void {
    const ca = content(x);
    const cb = content(y);
    if (ca.size > 0 && cb.size === 0) return push("breaking", area, "body removed");
    if (ca.size === 0 && cb.size > 0) return push("non-breaking", area, `body added (${[...cb.keys()].join(", ")})`);
    for (const type of ca.keys()) if (!cb.has(type)) push("breaking", area, `media type ${type} removed`);
    for (const type of cb.keys()) if (!ca.has(type)) push("non-breaking", area, `media type ${type} added`);
    const type =
      ca.has("application/json") && cb.has("application/json")
        ? "application/json"
        : [...ca.keys()].find((t) => cb.has(t));
    if (type) schemas(area, direction, ca.get(type), cb.get(type), at);
  }
}

function parameters(spec: OpenAPISpec, op: JsonObject): Map<string, JsonObject> {
  const out = new Map<string, JsonObject>();
  for (const raw of Array.isArray(op.parameters) ? op.parameters : []) {
    const p = resolveRef(spec, raw);
    if (isObject(p)) out.set(`${p.in} ${p.name}`, p);
  }
  return out;
}

/** The operation's declared 2xx statuses, lowest first. */
function successStatuses(op: JsonObject): string[] {
  const responses = isObject(op.responses) ? op.responses : {};
  return Object.keys(responses)
    .filter((s) => /^2(\d\d|XX)$/.test(s))
    .sort();
}

function success(spec: OpenAPISpec, op: JsonObject): [number | undefined, unknown] {
  const responses = isObject(op.responses) ? op.responses : {};
  const status = successStatuses(op).filter((s) => /^2\d\d$/.test(s))[0];
  return status ? [Number(status), resolveRef(spec, responses[status])] : [undefined, undefined];
}

/** Media type -> schema for a request body or response object. */
function content(node: unknown): Map<string, unknown> {
  const media = isObject(node) && isObject(node.content) ? node.content : {};
  return new Map(Object.entries(media).map(([type, m]) => [type, isObject(m) ? m.schema : undefined]));
}

/** Who may call the operation, e.g. "APIKeyHeader (apiKey header X-API-KEY) or HTTPBearer (http bearer)". */
function security(spec: OpenAPISpec, op: JsonObject): string {
  const requirements = Array.isArray(op.security) ? op.security : (spec.security ?? []);
  if (requirements.length === 0) return "public (no credentials)";
  const schemes = spec.components?.securitySchemes ?? {};
  const describe = (name: string) => {
    const s = resolveRef(spec, schemes[name]);
    if (!isObject(s)) return `${name} (undefined scheme)`;
    return `${name} (${[s.type, s.in, s.name, s.scheme].filter((x) => typeof x === "string").join(" ")})`;
  };
  return requirements
    .map((r) => {
      const names = Object.keys(isObject(r) ? r : {}).sort();
      return names.length === 0 ? "none" : names.map(describe).join(" + ");
    })
    .sort()
    .join(" or ");
}

/** Every schema of the spec that promises nothing, with the operations that use it. */
export function untypedIn(spec: OpenAPISpec): Array<Omit<Untyped, "isNew">> {
  const found = new Map<string, Set<string>>();
  const note = (where: string, op?: string) => {
    const users = found.get(where) ?? new Set<string>();
    if (op) users.add(op);
    found.set(where, users);
  };
  // Walks one schema: `where` names it; refs are followed once per operation (`seen`).
  const walk = (node: unknown, where: string, op: string | undefined, seen: Set<string>): void => {
    if (isObject(node) && typeof node.$ref === "string") {
      const name = node.$ref.replace(/^#\/components\/schemas\//, "");
      if (seen.has(name)) return;
      seen.add(name);
      return walk(resolveRef(spec, node), name, op, seen);
    }
    if (isUntyped(node)) return note(where, op);
    if (!isObject(node)) return;
    for (const [name, child] of Object.entries(isObject(node.properties) ? node.properties : {}))
      walk(child, `${where}.${name}`, op, seen);
    if (node.items !== undefined) walk(node.items, `${where}[]`, op, seen);
    if (isObject(node.additionalProperties)) walk(node.additionalProperties, `${where}{*}`, op, seen);
    for (const key of ["anyOf", "oneOf", "allOf"] as const)
      if (Array.isArray(node[key])) node[key].forEach((v, i) => walk(v, `${where}<${i + 1}>`, op, seen));
  };
  for (const name of Object.keys(spec.components?.schemas ?? {}))
    walk({ $ref: `#/components/schemas/${name}` }, name, undefined, new Set());
  for (const { method, path, operation } of listOperations(spec)) {
    const key = `${method} ${path}`;
    const seen = new Set<string>();
    const body = resolveRef(spec, operation.requestBody);
    for (const schema of content(body).values()) walk(schema, `${key} request body`, key, seen);
    for (const schema of content(success(spec, operation)[1]).values())
      walk(schema, `${key} success response`, key, seen);
  }
  return [...found]
    .map(([where, users]) => ({ where, usedBy: [...users] }))
    .sort((x, y) => x.where.localeCompare(y.where));
}
