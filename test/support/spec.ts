// The spec as the tests see it: normalised exactly as the generator does, plus request
// samples and response-schema validators derived from it.
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { sample } from "openapi-sampler";
import {
  isObject,
  isReadOnly,
  listOperations,
  normaliseSpec,
  readSpec,
  resolveRef,
  type JsonObject,
} from "../../scripts/lib/spec.ts";

export const ROOT = join(import.meta.dirname, "..", "..");
export const spec = normaliseSpec(readSpec(join(ROOT, "openapi.json"))).spec;

export interface SpecOperation {
  key: string;
  method: string;
  path: string;
  operationId: string;
  operation: JsonObject;
}

export const specOperations: SpecOperation[] = listOperations(spec).map(({ method, path, operation }) => ({
  key: `${method} ${path}`,
  method,
  path,
  operationId: String(operation.operationId),
  operation,
}));

/**
 * The operations the contract suite calls. With LIVEAVATAR_CONTRACT_READONLY=1 (set by
 * `npm run contract:live`) only GET operations: against a live server nothing may create,
 * change, delete or bill anything.
 */
export const contractOperations: SpecOperation[] =
  process.env.LIVEAVATAR_CONTRACT_READONLY === "1" ? specOperations.filter(isReadOnly) : specOperations;

/** A spec-valid request for an operation: required params and (if any) a body, sampled from the schemas. */
export function sampleRequest(op: SpecOperation): { params: Record<string, Record<string, unknown>>; body?: unknown } {
  const params: Record<string, Record<string, unknown>> = {};
  for (const raw of op.operation.parameters as unknown[]) {
    const p = resolveRef(spec, raw) as JsonObject;
    if (p.in === "cookie" || p.in === "header" || (!p.required && p.in !== "path")) continue;
    (params[p.in as string] ??= {})[p.name as string] = sample(p.schema as object, {}, spec as object);
  }
  const body = resolveRef(spec, op.operation.requestBody) as JsonObject | undefined;
  const media = isObject(body?.content) ? (body.content["application/json"] as JsonObject | undefined) : undefined;
  if (!media?.schema) return { params };
  return { params, body: sample(media.schema as object, { skipReadOnly: true }, spec as object) };
}

function validator(options: { patterns: boolean }): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  // Prism's static mock fills a string that has no example with the literal "string" and
  // ignores `pattern` (UserCreditsSchema.credits_left); against the mock, patterns are not checked.
  if (!options.patterns) ajv.removeKeyword("pattern");
  ajv.addSchema(spec, "spec.json");
  return ajv;
}

const validators = { strict: validator({ patterns: true }), mock: validator({ patterns: false }) };

function pointer(...segments: string[]): string {
  return segments.map((s) => s.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
}

/** Validates a call's unwrapped result against the spec: the envelope's `data` schema, or the whole body. */
export function validateResult(
  op: SpecOperation,
  status: number,
  result: unknown,
  server: "mock" | "external",
): string[] {
  const ajv = server === "mock" ? validators.mock : validators.strict;
  const base = `spec.json#/paths/${pointer(op.path, op.method.toLowerCase(), "responses", String(status), "content", "application/json", "schema")}`;
  const responseSchema = resolveRef(spec, (op.operation.responses as JsonObject)[String(status)]) as JsonObject;
  const media = isObject(responseSchema.content)
    ? (responseSchema.content["application/json"] as JsonObject)
    : undefined;
  if (!media) return result === undefined ? [] : ["expected no body"];
  const schema = media.schema as JsonObject;
  const target = typeof schema.$ref === "string" ? `spec.json${schema.$ref}` : base;
  const envelope = resolveRef(spec, schema) as JsonObject;
  const hasEnvelope = isObject(envelope.properties) && "data" in envelope.properties;
  const validate = ajv.compile({ $ref: hasEnvelope ? `${target}/properties/data` : target });
  return validate(result) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
}
