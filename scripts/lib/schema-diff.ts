// Compares one JSON schema in the old spec with its counterpart in the new one and classifies
// each difference for a caller of the client. The direction decides most rules:
//   request  (the caller writes it): whatever the server now refuses breaks callers, so a
//            narrowed schema (new required field, tighter type/format/bound, enum introduced,
//            no longer nullable) is breaking and a widened one is not;
//   response (the caller reads it): whatever callers did not expect breaks them, so a widened
//            schema (field optional or nullable, looser type, format dropped) is breaking and a
//            narrowed one is not.
// Two rules hold in both directions: a removed field and a removed enum value are breaking,
// and a new enum value is not.
// A third class, warning, is for changes that break no type but change what a caller gets
// without editing its code: a request default that changed (callers who omit the field now
// get other behaviour).
import { isObject, resolveRef, type JsonObject, type OpenAPISpec } from "./spec.ts";

export type Severity = "breaking" | "warning" | "non-breaking";
export type Direction = "request" | "response";

export interface SchemaChange {
  severity: Severity;
  /** Where in the body or parameter, e.g. "response.data.results[].name". */
  at: string;
  message: string;
}

const NARROWING_BOUNDS = ["minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"] as const;
const WIDENING_BOUNDS = ["maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"] as const;

export function diffSchemas(
  specs: { before: OpenAPISpec; after: OpenAPISpec },
  before: unknown,
  after: unknown,
  direction: Direction,
  at: string,
): SchemaChange[] {
  const out: SchemaChange[] = [];
  const onPath = new Set<string>();
  const add = (severity: Severity, where: string, message: string): void =>
    void out.push({ severity, at: where, message });
  const narrowed = (where: string, message: string) =>
    add(direction === "request" ? "breaking" : "non-breaking", where, message);
  const widened = (where: string, message: string) =>
    add(direction === "response" ? "breaking" : "non-breaking", where, message);

  const compare = (rawA: unknown, rawB: unknown, where: string, siblings: JsonObject = {}): void => {
    // Read before refs are followed: OpenAPI 3.1 allows `deprecated` beside a `$ref`.
    const deprecation = newlyDeprecated(specs, rawA, rawB, siblings);
    if (deprecation) add("warning", where, deprecation);
    // A recursive schema is compared once per path through it.
    const refKey = `${refOf(rawA)}|${refOf(rawB)}`;
    if (refKey !== "|" && onPath.has(refKey)) return;
    onPath.add(refKey);
    try {
      compareResolved(flatten(specs.before, rawA), flatten(specs.after, rawB), where);
    } finally {
      onPath.delete(refKey);
    }
  };

  const compareResolved = (a: JsonObject, b: JsonObject, where: string): void => {
    const sa = shapeOf(specs.before, a);
    const sb = shapeOf(specs.after, b);
    if (sa.nullable && !sb.nullable) narrowed(where, "is no longer nullable");
    if (!sa.nullable && sb.nullable) widened(where, "may now be null");

    if (sa.variants.length > 1 || sb.variants.length > 1) {
      compareVariants(sa.variants, sb.variants, where);
      return;
    }
    const a1 = sa.variants[0] ?? {};
    const b1 = sb.variants[0] ?? {};
    // `anyOf: [X, null]` on either side: compare X with the other side's non-null part.
    if (sa.union || sb.union) return compare(a1, b1, where);
    compareScalars(a1 as JsonObject, b1 as JsonObject, where);
  };

  const compareScalars = (a: JsonObject, b: JsonObject, where: string): void => {
    compareTypes(typesOf(a), typesOf(b), where);
    compareFormat(a.format, b.format, where);
    compareEnum(enumOf(a), enumOf(b), where);
    compareBounds(a, b, where);
    compareDefault(a.default, b.default, where);
    compareProperties(a, b, where);
    if (a.items !== undefined || b.items !== undefined) compare(a.items ?? {}, b.items ?? {}, `${where}[]`);
    if (isObject(a.additionalProperties) && isObject(b.additionalProperties))
      compare(a.additionalProperties, b.additionalProperties, `${where}{*}`);
  };

  const compareVariants = (va: unknown[], vb: unknown[], where: string): void => {
    const names = (list: unknown[]) => list.map((v, i) => refOf(v) || `#${i + 1}`);
    const na = names(va);
    const nb = names(vb);
    na.forEach((name, i) => {
      const j = nb.indexOf(name);
      if (j === -1) narrowed(where, `no longer allows variant ${name}`);
      else compare(va[i], vb[j], `${where}<${name}>`);
    });
    for (const name of nb) if (!na.includes(name)) widened(where, `now also allows variant ${name}`);
  };

  const compareTypes = (ta: Set<string> | null, tb: Set<string> | null, where: string): void => {
    const lost = ta ? [...ta].filter((t) => !covers(tb, t)) : tb ? ["any"] : [];
    const gained = tb ? [...tb].filter((t) => !covers(ta, t)) : ta ? ["any"] : [];
    if (lost.length === 0 && gained.length === 0) return;
    const message = `type changed from ${showTypes(ta)} to ${showTypes(tb)}`;
    if (lost.length > 0 && gained.length > 0) add("breaking", where, message);
    else if (lost.length > 0) narrowed(where, message.replace("changed", "narrowed"));
    else widened(where, message.replace("changed", "widened"));
  };

  const compareFormat = (fa: unknown, fb: unknown, where: string): void => {
    if (fa === fb) return;
    if (fa === undefined) narrowed(where, `now has format ${show(fb)}`);
    else if (fb === undefined) widened(where, `format ${show(fa)} dropped`);
    else add("breaking", where, `format changed from ${show(fa)} to ${show(fb)}`);
  };

  const compareEnum = (ea: unknown[] | null, eb: unknown[] | null, where: string): void => {
    if (!ea && !eb) return;
    if (!ea) return narrowed(where, `now limited to ${eb!.map(show).join(", ")}`);
    if (!eb) return widened(where, `no longer limited to ${ea.map(show).join(", ")}`);
    const key = (v: unknown) => JSON.stringify(v);
    const removed = ea.filter((v) => !eb.some((w) => key(w) === key(v)));
    const added = eb.filter((v) => !ea.some((w) => key(w) === key(v)));
    if (removed.length > 0)
      add("breaking", where, `enum value${plural(removed)} removed: ${removed.map(show).join(", ")}`);
    if (added.length > 0) add("non-breaking", where, `enum value${plural(added)} added: ${added.map(show).join(", ")}`);
  };

  const compareBounds = (a: JsonObject, b: JsonObject, where: string): void => {
    for (const [keys, tighter] of [
      [NARROWING_BOUNDS, (x: number, y: number) => y > x],
      [WIDENING_BOUNDS, (x: number, y: number) => y < x],
    ] as const) {
      for (const key of keys) {
        const x = typeof a[key] === "number" ? a[key] : undefined;
        const y = typeof b[key] === "number" ? b[key] : undefined;
        if (x === y) continue;
        const message = `${key} ${x === undefined ? "set to" : `changed from ${x} to`} ${y === undefined ? "none" : y}`;
        if (y !== undefined && (x === undefined || tighter(x, y))) narrowed(where, message);
        else widened(where, message);
      }
    }
    // An empty pattern matches every string: the same as no pattern.
    const pa = patternOf(a);
    const pb = patternOf(b);
    if (pa !== pb) {
      if (pb === undefined) widened(where, `pattern ${quote(pa)} dropped`);
      else if (pa === undefined) narrowed(where, `now has pattern ${quote(pb)}`);
      else add("breaking", where, `pattern changed from ${quote(pa)} to ${quote(pb)}`);
    }
  };

  // A request default is what the server does for callers who leave the value out, so a change
  // there alters their calls silently. In a response a default only documents the server.
  const compareDefault = (da: unknown, db: unknown, where: string): void => {
    if (JSON.stringify(da) === JSON.stringify(db)) return;
    const message =
      da === undefined
        ? `default set to ${show(db)}`
        : db === undefined
          ? `default ${show(da)} dropped`
          : `default changed from ${show(da)} to ${show(db)}`;
    const note = ": callers who omit it now get different behaviour";
    if (direction === "request") add("warning", where, message + note);
    else add("non-breaking", where, message);
  };

  const compareProperties = (a: JsonObject, b: JsonObject, where: string): void => {
    const pa = isObject(a.properties) ? a.properties : {};
    const pb = isObject(b.properties) ? b.properties : {};
    const ra = new Set(Array.isArray(a.required) ? a.required : []);
    const rb = new Set(Array.isArray(b.required) ? b.required : []);
    for (const name of Object.keys(pa)) {
      const field = `${where}.${name}`;
      if (!(name in pb)) {
        add(
          "breaking",
          field,
          direction === "response"
            ? "removed (or renamed): callers reading it get nothing"
            : "removed from the request",
        );
        continue;
      }
      if (ra.has(name) && !rb.has(name)) widened(field, "no longer required");
      if (!ra.has(name) && rb.has(name)) narrowed(field, "now required");
      compare(pa[name], pb[name], field, pb);
    }
    for (const name of Object.keys(pb)) {
      if (name in pa) continue;
      const required = rb.has(name);
      if (direction === "request" && required) add("breaking", `${where}.${name}`, "added as a required field");
      else add("non-breaking", `${where}.${name}`, `added${required ? "" : " (optional)"}`);
    }
  };

  compare(before, after, at);
  return out;
}

/**
 * "is now deprecated: use `x` instead (...)" when `after` is deprecated and `before` was not; else
 * undefined. The replacement comes from the description: an explicit "use X instead" / "replaced
 * by X" / "in favour of X", or "mutually exclusive with X" when X is a sibling field that is not
 * itself deprecated (the vendor's way of naming the new field beside the old one).
 */
export function newlyDeprecated(
  specs: { before: OpenAPISpec; after: OpenAPISpec },
  before: unknown,
  after: unknown,
  siblings: JsonObject = {},
): string | undefined {
  if (isDeprecated(specs.before, before) || !isDeprecated(specs.after, after)) return undefined;
  const described = [after, resolveRef(specs.after, after)]
    .map((node) => (isObject(node) && typeof node.description === "string" ? node.description : ""))
    .join(" ");
  return deprecationMessage(described, (name) => name in siblings && !isDeprecated(specs.after, siblings[name]));
}

/** The deprecation message for a node with this description; `isSibling` vets "mutually exclusive" names. */
export function deprecationMessage(description: string, isSibling: (name: string) => boolean = () => false): string {
  // A name in backticks (which may hold spaces: `GET /v2/x`) or a bare word.
  const name = String.raw`(?:\x60([^\x60]+)\x60|([\w./{}-]*\w))`;
  const explicit = [
    new RegExp(String.raw`\buse\s+${name}\s+instead\b`, "i"),
    new RegExp(String.raw`\b(?:replaced|superseded)\s+by\s+${name}`, "i"),
    new RegExp(String.raw`\bin\s+favou?r\s+of\s+${name}`, "i"),
  ];
  for (const pattern of explicit) {
    const match = pattern.exec(description);
    if (match)
      return `is now deprecated: use \`${match[1] ?? match[2]}\` instead ("${sentenceAt(description, match.index)}")`;
  }
  const exclusive = new RegExp(String.raw`\bmutually exclusive with\s+${name}`, "i").exec(description);
  const sibling = exclusive?.[1] ?? exclusive?.[2];
  if (exclusive && sibling && isSibling(sibling))
    return `is now deprecated: use \`${sibling}\` instead ("${sentenceAt(description, exclusive.index)}")`;
  return "is now deprecated (its description names no replacement)";
}

function isDeprecated(spec: OpenAPISpec, node: unknown): boolean {
  const resolved = resolveRef(spec, node);
  return (isObject(node) && node.deprecated === true) || (isObject(resolved) && resolved.deprecated === true);
}

/** The sentence of `text` that contains `index`, for quoting what the description says. */
function sentenceAt(text: string, index: number): string {
  const dot = text.lastIndexOf(". ", index);
  const start = Math.max(dot === -1 ? 0 : dot + 2, text.lastIndexOf("\n", index) + 1);
  const stops = [text.indexOf(". ", index), text.indexOf("\n", index)].filter((i) => i !== -1);
  const end = stops.length > 0 ? Math.min(...stops) + 1 : text.length;
  return text.slice(start, end).trim();
}

/** The ref a schema names, or "" for an inline one. */
function refOf(node: unknown): string {
  return isObject(node) && typeof node.$ref === "string" ? node.$ref.replace(/^#\/components\/schemas\//, "") : "";
}

/** Resolves refs and merges `allOf` members into one schema (properties and required combined). */
function flatten(spec: OpenAPISpec, raw: unknown): JsonObject {
  const node = resolveRef(spec, raw);
  if (node === false) return { not: {} };
  if (!isObject(node)) return {};
  if (!Array.isArray(node.allOf)) return node;
  const { allOf, ...own } = node;
  const merged: JsonObject = { ...own, properties: { ...(isObject(own.properties) ? own.properties : {}) } };
  const required = new Set(Array.isArray(own.required) ? own.required : []);
  for (const member of allOf.map((m) => flatten(spec, m))) {
    Object.assign(merged.properties as JsonObject, isObject(member.properties) ? member.properties : {});
    for (const r of Array.isArray(member.required) ? member.required : []) required.add(r);
    for (const [key, value] of Object.entries(member)) if (!(key in merged)) merged[key] = value;
  }
  merged.required = [...required];
  return merged;
}

/** Splits a schema into its nullability and its non-null alternatives (itself, minus null, when it has none). */
function shapeOf(spec: OpenAPISpec, schema: JsonObject): { nullable: boolean; union: boolean; variants: unknown[] } {
  let nullable = schema.nullable === true || (Array.isArray(schema.type) && schema.type.includes("null"));
  if (Array.isArray(schema.enum) && schema.enum.includes(null)) nullable = true;
  const union = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : null;
  if (!union) return { nullable, union: false, variants: [withoutNull(schema)] };
  const variants = union.filter((v) => {
    const resolved = resolveRef(spec, v);
    const isNull =
      isObject(resolved) && (resolved.type === "null" || (resolved.const === null && !("type" in resolved)));
    if (isNull) nullable = true;
    return !isNull;
  });
  return { nullable, union: true, variants };
}

function withoutNull(schema: JsonObject): JsonObject {
  const { nullable: _, ...copy } = schema;
  if (Array.isArray(copy.type)) {
    const types = copy.type.filter((t) => t !== "null");
    if (types.length === 0) delete copy.type;
    else copy.type = types.length === 1 ? types[0] : types;
  } else if (copy.type === "null") delete copy.type;
  if (Array.isArray(copy.enum)) copy.enum = copy.enum.filter((v) => v !== null);
  return copy;
}

/** The non-null types a schema allows, or null when it leaves the type open. */
function typesOf(schema: JsonObject): Set<string> | null {
  const raw = Array.isArray(schema.type) ? schema.type : typeof schema.type === "string" ? [schema.type] : null;
  if (!raw) return null;
  return new Set(raw.filter((t): t is string => typeof t === "string" && t !== "null"));
}

function covers(types: Set<string> | null, type: string): boolean {
  return types === null || types.has(type) || (type === "integer" && types.has("number"));
}

function patternOf(schema: JsonObject): string | undefined {
  return typeof schema.pattern === "string" && schema.pattern !== "" ? schema.pattern : undefined;
}

function enumOf(schema: JsonObject): unknown[] | null {
  if ("const" in schema) return schema.const === null ? null : [schema.const];
  return Array.isArray(schema.enum) ? schema.enum.filter((v) => v !== null) : null;
}

function showTypes(types: Set<string> | null): string {
  return types === null ? "any" : [...types].join(" | ") || "null";
}

function show(value: unknown): string {
  return JSON.stringify(value);
}

/** A regular expression as written in the spec (JSON escaping would double its backslashes). */
function quote(pattern: string | undefined): string {
  return `"${pattern}"`;
}

function plural(list: unknown[]): string {
  return list.length === 1 ? "" : "s";
}
