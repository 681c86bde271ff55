// The change classification, one fixture pair per change class (test/fixtures/specs/changes):
// each must produce exactly the listed changes, with the listed severity.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { renderMarkdown, renderText } from "../../scripts/lib/change-report.ts";
import { diffSpecs, type SpecDiff } from "../../scripts/lib/spec-diff.ts";
import type { OpenAPISpec } from "../../scripts/lib/spec.ts";
import { ROOT } from "../support/spec.ts";

const B = "breaking";
const W = "warning";
const N = "non-breaking";
type Expected = [severity: typeof B | typeof W | typeof N, area: string, message: string];

/** Per fixture: the flattened changes expected, as [severity, area, message] (message is matched exactly). */
const cases: Record<string, Expected[]> = {
  "operation-added": [[N, "operation", "added GET /gadgets (list_gadgets)"]],
  "operation-removed": [[B, "operation", "removed DELETE /widgets (delete_widgets)"]],
  "response-field-removed": [
    [B, "success response", "`response.size` removed (or renamed): callers reading it get nothing"],
  ],
  "response-field-renamed": [
    [B, "success response", "`response.name` removed (or renamed): callers reading it get nothing"],
    [N, "success response", "`response.title` added"],
  ],
  "response-field-added": [[N, "success response", "`response.weight` added (optional)"]],
  "response-field-optional": [[B, "success response", "`response.name` no longer required"]],
  "response-field-nullable": [[B, "success response", "`response.name` may now be null"]],
  "response-enum-added": [[N, "success response", '`response.colour` enum value added: "blue"']],
  "response-enum-removed": [[B, "success response", '`response.colour` enum value removed: "green"']],
  "response-type-narrowed": [[N, "success response", "`response.size` type narrowed from number to integer"]],
  "response-type-changed": [[B, "success response", "`response.size` type changed from number to string"]],
  "response-format-dropped": [[B, "success response", '`response.id` format "uuid" dropped']],
  "response-unchanged-nullable-union": [],
  "request-field-now-required": [[B, "request body", "`body.size` now required"]],
  "request-field-no-longer-required": [[N, "request body", "`body.name` no longer required"]],
  "request-field-added-optional": [[N, "request body", "`body.shape` added (optional)"]],
  "request-field-added-required": [[B, "request body", "`body.shape` added as a required field"]],
  "request-field-removed": [[B, "request body", "`body.tag` removed from the request"]],
  "request-type-narrowed": [[B, "request body", "`body.size` type narrowed from number to integer"]],
  "request-type-widened": [[N, "request body", "`body.size` type widened from number to number | string"]],
  "request-format-narrowed": [[B, "request body", '`body.tag` now has format "uuid"']],
  "request-enum-removed": [[B, "request body", '`body.colour` enum value removed: "green"']],
  "request-enum-added": [[N, "request body", '`body.colour` enum value added: "blue"']],
  "request-bound-tightened": [[B, "request body", "`body.name` maxLength changed from 50 to 20"]],
  "request-nullable-dropped": [[B, "request body", "`body.note` is no longer nullable"]],
  "request-body-required": [[B, "request body", "is now required"]],
  "parameter-changes": [
    [B, "parameters", "`query page` is now required"],
    [B, "parameters", "`query owner` added as a required parameter"],
    [N, "parameters", "`query sort` added (optional)"],
  ],
  "success-status-changed": [[B, "success response", "status changed from 200 to 201"]],
  "success-status-added": [
    [W, "success response", "202 added beside 200: callers may now get a 202 answer"],
    [N, "success response", "204 no longer declared"],
  ],
  "request-pattern-removed": [[N, "request body", '`body.name` pattern "^\\w+$" dropped']],
  "request-pattern-changed": [
    [B, "request body", '`body.name` pattern changed from "^\\w+$" to "^[a-z]+$"'],
    [N, "request body", '`body.code` pattern "^[A-Z]+$" dropped'],
  ],
  "parameter-default-changed": [
    [
      W,
      "parameters",
      "`query page_size` default changed from 20 to 50: callers who omit it now get different behaviour",
    ],
    [N, "success response", '`response.unit` default changed from "cm" to "mm"'],
    [W, "request body", '`body.colour` default set to "red": callers who omit it now get different behaviour'],
  ],
  deprecated: [
    [W, "parameters", "`query sort` is now deprecated (its description names no replacement)"],
    [W, "success response", '`response.size` is now deprecated: use `size_mm` instead ("Use `size_mm` instead.")'],
    [N, "success response", "`response.size_mm` added (optional)"],
    [W, "request body", '`body.shape` is now deprecated: use `template` instead ("Mutually exclusive with template.")'],
    [W, "request body", "`body.colour` is now deprecated (its description names no replacement)"],
    [N, "request body", "`body.template` added (optional)"],
    [W, "operation", 'is now deprecated: use `GET /v2/gadgets` instead ("Replaced by `GET /v2/gadgets`.")'],
  ],
  "security-changed": [
    [
      B,
      "security",
      "changed from ApiKey (apiKey header X-API-KEY) or Bearer (http bearer) to ApiKey (apiKey header X-API-KEY)",
    ],
  ],
};

function fixture(name: string): { before: OpenAPISpec; after: OpenAPISpec } {
  return parse(readFileSync(join(ROOT, "test", "fixtures", "specs", "changes", `${name}.yaml`), "utf8"));
}

/** Added/removed operations and per-operation changes, as one flat list. */
function flatten(diff: SpecDiff): Expected[] {
  return [
    ...diff.added.map((op): Expected => [N, "operation", `added ${op.key} (${op.operationId})`]),
    ...diff.removed.map((op): Expected => [B, "operation", `removed ${op.key} (${op.operationId})`]),
    ...diff.changed.flatMap((op) => op.changes.map((c): Expected => [c.severity, c.area, c.message])),
  ];
}

describe("change classification", () => {
  test.each(Object.entries(cases))("%s", (name, expected) => {
    const { before, after } = fixture(name);
    const diff = diffSpecs(before, after);
    expect(flatten(diff)).toEqual(expected);
    expect(diff.breaking).toBe(expected.filter(([s]) => s === B).length);
    expect(diff.warning).toBe(expected.filter(([s]) => s === W).length);
    expect(diff.nonBreaking).toBe(expected.filter(([s]) => s === N).length);
  });

  test("every fixture file is covered by a case", () => {
    const files = readdirNames(join(ROOT, "test", "fixtures", "specs", "changes"));
    expect(files.sort()).toEqual(Object.keys(cases).sort());
  });

  test("a spec compared with itself has no change, the vendored spec included", () => {
    const vendored = JSON.parse(readFileSync(join(ROOT, "openapi.json"), "utf8")) as OpenAPISpec;
    expect(flatten(diffSpecs(vendored, structuredClone(vendored)))).toEqual([]);
    const { before } = fixture("security-changed");
    expect(flatten(diffSpecs(before, before))).toEqual([]);
  });

  test("a recursive schema is compared without looping, and changes deep inside it are found", () => {
    const spec = (leaf: object): OpenAPISpec => ({
      openapi: "3.1.0",
      paths: {
        "/tree": {
          get: {
            operationId: "tree",
            responses: {
              "200": {
                description: "ok",
                content: { "application/json": { schema: { $ref: "#/components/schemas/Node" } } },
              },
            },
          },
        },
      },
      components: {
        schemas: {
          Node: {
            type: "object",
            properties: { value: leaf, children: { type: "array", items: { $ref: "#/components/schemas/Node" } } },
          },
        },
      },
    });
    const diff = diffSpecs(spec({ type: "integer" }), spec({ type: "string" }));
    expect(flatten(diff)).toEqual([[B, "success response", "`response.value` type changed from integer to string"]]);
  });

  test("allOf members are merged before comparing", () => {
    const spec = (required: string[]): OpenAPISpec => ({
      openapi: "3.1.0",
      paths: {
        "/w": {
          post: {
            operationId: "w",
            requestBody: {
              content: {
                "application/json": {
                  schema: { allOf: [{ type: "object", properties: { a: { type: "string" } } }, { required }] },
                },
              },
            },
            responses: { "204": { description: "ok" } },
          },
        },
      },
    });
    expect(flatten(diffSpecs(spec([]), spec(["a"])))).toEqual([[B, "request body", "`body.a` now required"]]);
  });
});

describe("change report", () => {
  const { before, after } = fixture("response-field-renamed");
  const diff = diffSpecs(before, after);

  test("text names each change under its operation with its class", () => {
    const text = renderText(diff);
    expect(text).toContain("0 added, 0 removed, 1 changed; 1 breaking, 0 warnings, 1 non-breaking");
    const section = text.slice(text.indexOf("GET /widgets/{id} (get_widget)"));
    expect(section).toContain("BREAKING      success response: `response.name` removed");
    expect(section).toContain("non-breaking  success response: `response.title` added");
    expect(text).toContain("Result: BREAKING for callers (1)");
  });

  test("Markdown has a heading per changed operation and marks breaking changes", () => {
    const markdown = renderMarkdown(diff);
    expect(markdown).toContain("#### `GET /widgets/{id}` (`get_widget`)");
    expect(markdown).toContain("- **breaking** · success response: `response.name` removed");
    expect(markdown).toContain("- non-breaking · success response: `response.title` added");
  });

  test("warnings are counted, labelled and summed up apart from breaking changes", () => {
    const pair = fixture("parameter-default-changed");
    const withWarnings = diffSpecs(pair.before, pair.after);
    const text = renderText(withWarnings);
    expect(text).toContain("0 breaking, 2 warnings, 1 non-breaking");
    expect(text).toContain("WARNING       parameters: `query page_size` default changed from 20 to 50");
    expect(text).toContain("Result: no breaking change; 2 warnings to review");
    const markdown = renderMarkdown(withWarnings);
    expect(markdown).toContain("- **warning** · parameters: `query page_size` default changed from 20 to 50");
    expect(markdown).toContain("No breaking change · 0 added, 0 removed, 2 changed; 0 breaking, 2 warnings");
    expect(markdown).toContain("**2 to review**");
  });

  test("an unchanged spec says so", () => {
    expect(renderText(diffSpecs(before, before))).toContain("No operation changed.");
    expect(renderMarkdown(diffSpecs(before, before))).toContain("No operation changed.");
  });
});

function readdirNames(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => f.replace(/\.yaml$/, ""));
}

describe("schemas that promise nothing", () => {
  const spec = (data: object, extra: Record<string, object> = {}): OpenAPISpec => ({
    openapi: "3.1.0",
    info: { title: "Fixture", version: "1" },
    paths: {
      "/widgets": {
        get: {
          operationId: "list_widgets",
          responses: {
            "200": {
              description: "ok",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Envelope" } } },
            },
          },
        },
        delete: {
          operationId: "delete_widgets",
          responses: { "200": { description: "ok", content: { "application/json": { schema: {} } } } },
        },
      },
    },
    components: {
      schemas: {
        Envelope: { type: "object", properties: { data, code: { type: "integer" } } },
        Meta: { type: "object" },
        ...extra,
      },
    },
  });

  test("each empty schema is listed once with the operations that reach it; those new in this spec are marked", () => {
    const before = spec({ type: "string" });
    const after = spec({ title: "Data", "x-reconstructed-from": "https://example.test" }, { Stub: {} });
    const diff = diffSpecs(before, after);
    expect(diff.untyped).toEqual([
      { where: "DELETE /widgets success response", usedBy: ["DELETE /widgets"], isNew: false },
      { where: "Envelope.data", usedBy: ["GET /widgets"], isNew: true },
      { where: "Stub", usedBy: [], isNew: true },
    ]);
    const text = renderText(diff);
    expect(text).toContain(
      "Schemas that promise nothing (empty or {}: generated as `unknown`, never checked): 3, 2 new:\n" +
        "       DELETE /widgets success response\n" +
        "  new  Envelope.data (GET /widgets)\n" +
        "  new  Stub\n",
    );
    expect(renderMarkdown(diff)).toContain("- **new** · `Envelope.data` (GET /widgets)");
  });

  test("`type: object` alone promises an object and is not listed", () => {
    expect(diffSpecs(spec({ type: "object" }), spec({ type: "object" })).untyped.map((u) => u.where)).toEqual([
      "DELETE /widgets success response",
    ]);
  });
});
