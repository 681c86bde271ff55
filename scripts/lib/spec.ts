// Reading the vendored OpenAPI document and the in-memory normalisations it needs.
// Shared by the generator, the tests and the spec tools so they all see the same spec.
import { readFileSync } from "node:fs";

export type JsonObject = { [key: string]: unknown };
export type OpenAPISpec = JsonObject & {
  openapi: string;
  paths: Record<string, Record<string, JsonObject>>;
  components?: JsonObject & { schemas?: Record<string, JsonObject>; securitySchemes?: Record<string, JsonObject> };
  security?: Array<Record<string, string[]>>;
};

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function readSpec(file: string): OpenAPISpec {
  return JSON.parse(readFileSync(file, "utf8")) as OpenAPISpec;
}

/**
 * Returns a normalised deep copy of `spec` and one human-readable note per change.
 * The vendor's file writes discriminator mapping values as `{ "$ref": "..." }` objects;
 * OpenAPI requires plain strings, and openapi-typescript crashes on the objects.
 */
export function normaliseSpec(spec: OpenAPISpec): { spec: OpenAPISpec; notes: string[] } {
  const copy = structuredClone(spec);
  const notes: string[] = [];
  const visit = (node: unknown, pointer: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, `${pointer}/${i}`));
      return;
    }
    if (!isObject(node)) return;
    const mapping = isObject(node.discriminator) ? node.discriminator.mapping : undefined;
    if (isObject(mapping)) {
      for (const [key, value] of Object.entries(mapping)) {
        if (isObject(value) && typeof value.$ref === "string") {
          mapping[key] = value.$ref;
          notes.push(
            `discriminator mapping ${pointer}/discriminator/mapping/${key}: {"$ref"} object -> "${value.$ref}"`,
          );
        }
      }
    }
    for (const [key, value] of Object.entries(node)) visit(value, `${pointer}/${escapePointer(key)}`);
  };
  visit(copy, "#");
  return { spec: copy, notes };
}

/**
 * The vendor extensions that mean something to a reader of the generated types, turned into
 * description text so openapi-typescript puts them in the TSDoc. Every other `x-` key passes
 * through untouched (the generator ignores it; the testing tables carry it). Returns a copy.
 */
export function documentExtensions(spec: OpenAPISpec): OpenAPISpec {
  const copy = structuredClone(spec);
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isObject(node)) return;
    const source = node["x-reconstructed-from"];
    if (typeof source === "string") {
      const note = isUntyped(node)
        ? `Known by name only, rebuilt from the vendor's rendered page ${source}: nothing about this value is promised.`
        : `Rebuilt from the vendor's rendered page ${source}, not read from its spec: fields may be missing or differ.`;
      node.description = typeof node.description === "string" ? `${node.description}\n\n${note}` : note;
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit(copy);
  return copy;
}

/** Keywords that describe a schema without constraining it. */
const ANNOTATIONS = new Set([
  "title",
  "description",
  "example",
  "examples",
  "default",
  "deprecated",
  "readOnly",
  "writeOnly",
  "$comment",
]);

/** A schema that promises nothing: `{}` or only annotations and vendor extensions (any JSON value). */
export function isUntyped(schema: unknown): boolean {
  if (schema === true) return true;
  return isObject(schema) && Object.keys(schema).every((key) => ANNOTATIONS.has(key) || key.startsWith("x-"));
}

function escapePointer(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Follows a local `$ref` chain ("#/components/..."); returns the node unchanged when it is not a ref. */
export function resolveRef(spec: OpenAPISpec, node: unknown): unknown {
  const seen = new Set<string>();
  while (isObject(node) && typeof node.$ref === "string") {
    const ref = node.$ref;
    if (seen.has(ref)) throw new Error(`circular $ref ${ref}`);
    seen.add(ref);
    node = lookupPointer(spec, ref);
  }
  return node;
}

export function lookupPointer(spec: OpenAPISpec, ref: string): unknown {
  if (!ref.startsWith("#/")) throw new Error(`only local $refs are supported, got ${ref}`);
  let node: unknown = spec;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (!isObject(node) && !Array.isArray(node)) throw new Error(`$ref ${ref} does not resolve`);
    node = (node as JsonObject)[key];
    if (node === undefined) throw new Error(`$ref ${ref} does not resolve`);
  }
  return node;
}

/** Every operation in document order, with its path-level parameters merged in. */
export function listOperations(spec: OpenAPISpec): Array<{ method: string; path: string; operation: JsonObject }> {
  const out: Array<{ method: string; path: string; operation: JsonObject }> = [];
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const own = Array.isArray(operation.parameters) ? operation.parameters : [];
      out.push({ method: method.toUpperCase(), path, operation: { ...operation, parameters: [...shared, ...own] } });
    }
  }
  return out;
}

/** Operations that change nothing on the server (nothing created, deleted or billed): GET only. */
export function isReadOnly(op: { method: string }): boolean {
  return op.method.toUpperCase() === "GET";
}
