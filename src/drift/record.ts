// From the one validator's issues to SpecDrift records, each reported once per checker.
import { checkSchema, pointerOf, type CheckOptions, type JsonSchema, type SchemaIssue } from "../schema-check/check.js";
import type { SpecDrift } from "./types.js";

/**
 * How many distinct drifts one checker remembers. Past it, new drifts are no longer reported:
 * memory stays bounded however much a live service differs (the first thousand say enough).
 */
export const MAX_DISTINCT_DRIFTS = 1000;

const KIND: Partial<Record<SchemaIssue["keyword"], SpecDrift["kind"]>> = {
  type: "wrong_type",
  discriminator: "wrong_type",
  required: "missing_field",
  additionalProperties: "undeclared_field",
  undeclared: "undeclared_field",
};

/**
 * The structural drifts of `value` against `schema`: wrong types, missing required fields and
 * fields the spec does not declare. Rules about values (formats, enums, bounds) are left out:
 * a drift report names types only. Array items are written `*` in the pointer, so one field
 * that differs in every item is one drift.
 */
export function driftsOf(
  operation: string,
  schema: JsonSchema,
  value: unknown,
  options: CheckOptions = {},
): SpecDrift[] {
  const out: SpecDrift[] = [];
  for (const issue of checkSchema(schema, value, { ...options, undeclared: true })) {
    const kind = KIND[issue.keyword];
    if (!kind) continue;
    const pointer = pointerOf(issue.path.map((part) => (typeof part === "number" ? "*" : part)));
    out.push({ operation, kind, pointer, expected: issue.expected, received: issue.received });
  }
  return out;
}

/** Remembers the drifts reported so far; `fresh` keeps only the ones not seen before. */
export class DriftLog {
  readonly #seen = new Set<string>();

  fresh(drifts: readonly SpecDrift[]): SpecDrift[] {
    const out: SpecDrift[] = [];
    for (const drift of drifts) {
      const key = [drift.operation, drift.kind, drift.pointer, drift.expected, drift.received].join("\u0000");
      if (this.#seen.has(key) || this.#seen.size >= MAX_DISTINCT_DRIFTS) continue;
      this.#seen.add(key);
      out.push(drift);
    }
    return out;
  }
}

/** The same drift list without repeats (one response may hold one drift many times). */
export function distinct(drifts: readonly SpecDrift[]): SpecDrift[] {
  return new DriftLog().fresh(drifts);
}
