// Getting a candidate spec for `spec:update`: read it from a file or download it, parse JSON or
// YAML, and check that it is an OpenAPI 3.x document whose `$ref`s all resolve. Every refusal
// is a SpecInputError whose `kind` picks the exit code, so callers can tell the cases apart.
import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { isObject, lookupPointer, normaliseSpec, type OpenAPISpec } from "./spec.ts";

export const DEFAULT_SPEC_URL = "https://api.liveavatar.com/openapi.json";
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 30_000;

export type SpecInputErrorKind = "fetch" | "parse" | "not-openapi" | "ref";

export class SpecInputError extends Error {
  override readonly name = "SpecInputError";
  constructor(
    readonly kind: SpecInputErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export function isHttpUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** The source's text: a local file, or an http(s) URL downloaded within `timeoutMs` (body included). */
export async function readSource(source: string, timeoutMs = DEFAULT_DOWNLOAD_TIMEOUT_MS): Promise<string> {
  if (!isHttpUrl(source)) {
    try {
      return await readFile(source, "utf8");
    } catch (error) {
      throw new SpecInputError("fetch", `cannot read ${source}: ${(error as Error).message}`);
    }
  }
  try {
    const response = await fetch(source, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: "application/json, application/yaml;q=0.9, */*;q=0.5" },
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new SpecInputError("fetch", `download of ${source} failed: HTTP ${response.status} ${response.statusText}`);
    }
    return await response.text();
  } catch (error) {
    if (error instanceof SpecInputError) throw error;
    const name = (error as Error)?.name;
    if (name === "TimeoutError" || name === "AbortError") {
      throw new SpecInputError("fetch", `download of ${source} timed out after ${timeoutMs} ms`);
    }
    const cause = (error as { cause?: Error })?.cause?.message;
    throw new SpecInputError(
      "fetch",
      `download of ${source} failed: ${(error as Error).message}${cause ? ` (${cause})` : ""}`,
    );
  }
}

/** JSON first (the vendor's format), then YAML; either way the document must be a mapping. */
export function parseSpecText(text: string, source: string): unknown {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (jsonError) {
    const looksLikeJson = /^\s*[{[]/.test(text);
    try {
      document = parseYaml(text);
    } catch (yamlError) {
      const detail = looksLikeJson ? (jsonError as Error).message : (yamlError as Error).message.split("\n")[0];
      throw new SpecInputError("parse", `${source} is neither valid JSON nor valid YAML: ${detail}`);
    }
  }
  if (!isObject(document)) {
    throw new SpecInputError("parse", `${source} does not hold a JSON/YAML object (found ${describe(document)})`);
  }
  return document;
}

/** Refuses anything that is not a valid OpenAPI 3.x document with resolvable local `$ref`s. */
export async function checkSpec(document: unknown, source: string): Promise<OpenAPISpec> {
  if (!isObject(document)) throw new SpecInputError("not-openapi", `${source} is not an OpenAPI document`);
  const version = document.openapi;
  if (typeof version !== "string" || !/^3\.\d+\.\d+/.test(version)) {
    const found =
      typeof document.swagger === "string"
        ? `swagger ${document.swagger}`
        : version === undefined
          ? "no `openapi` field"
          : `openapi ${JSON.stringify(version)}`;
    throw new SpecInputError("not-openapi", `${source} is not an OpenAPI 3.x document (${found})`);
  }
  if (!isObject(document.paths)) throw new SpecInputError("not-openapi", `${source} has no \`paths\` object`);
  const spec = document as OpenAPISpec;
  const dangling = danglingRefs(spec);
  if (dangling.length > 0) {
    const shown = dangling.slice(0, 10).map((d) => `  ${d}`);
    if (dangling.length > 10) shown.push(`  ... and ${dangling.length - 10} more`);
    throw new SpecInputError("ref", `${source} has $refs that do not resolve:\n${shown.join("\n")}`);
  }
  // Validated as the generator will see it: normaliseSpec fixes the vendor's known defects first.
  const { validate } = await import("@readme/openapi-parser");
  const result = await validate(normaliseSpec(spec).spec as never, {
    resolve: { external: false, file: false },
    validate: { errors: { colorize: false } },
  });
  if (!result.valid) {
    const shown = result.errors.slice(0, 5).map((e) => `  ${e.message.split("\n")[0]}`);
    const more = result.errors.length - shown.length + result.additionalErrors;
    if (more > 0) shown.push(`  ... and ${more} more`);
    throw new SpecInputError(
      "not-openapi",
      `${source} is not a valid OpenAPI ${version} document:\n${shown.join("\n")}`,
    );
  }
  return spec;
}

/** Every `$ref` that is not local or does not resolve, as "<where> -> <ref>". */
export function danglingRefs(spec: OpenAPISpec): string[] {
  const out: string[] = [];
  const visit = (node: unknown, where: string): void => {
    if (Array.isArray(node)) return node.forEach((item, i) => visit(item, `${where}/${i}`));
    if (!isObject(node)) return;
    if (typeof node.$ref === "string") {
      try {
        lookupPointer(spec, node.$ref);
      } catch (error) {
        out.push(`${where}: ${(error as Error).message}`);
      }
    }
    for (const [key, value] of Object.entries(node))
      visit(value, `${where}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`);
  };
  visit(spec, "#");
  return out;
}

/** Reads, parses and checks a spec source in one go. */
export async function loadSpec(source: string, timeoutMs?: number): Promise<OpenAPISpec> {
  const text = await readSource(source, timeoutMs);
  return checkSpec(parseSpecText(text, source), source);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}
