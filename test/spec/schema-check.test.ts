// The one validator (src/schema-check) over the one schema type, read by the fake (openapi.json's
// tables), the LITE/FULL fakes (asyncapi.yaml's tables) and liveavatar-api/drift. Its wording
// for each caller is tested with that caller (test/testing/validation.test.ts,
// test/realtime/validate.test.ts); here: what every caller relies on.
import { expect, test } from "vitest";
import { fullEventSchemas, liteEventSchemas } from "../../generated/event-schemas.ts";
import { componentSchemas, operationSchemas } from "../../generated/testing-tables.ts";
import { checkSchema, pointerOf, type JsonSchema } from "../../src/schema-check/check.ts";

const SECRET = "sk-live-4f9a2b7c1d8e6f3a";
const resolve = (ref: string) => componentSchemas[ref.replace("#/components/schemas/", "")];

// Both generated tables are of the one type (this file stops compiling if either drifts away).
const tables: Readonly<Record<string, JsonSchema>>[] = [componentSchemas, liteEventSchemas, fullEventSchemas];

test("an issue names the pointer, the rule, what was expected and the JSON type received, never the value", () => {
  const schema: JsonSchema = {
    type: "object",
    required: ["id", "token"],
    properties: {
      id: { type: "string", format: "uuid" },
      name: { type: "string" },
      items: { type: "array", items: { type: "integer" } },
    },
  };
  const value = { id: SECRET, name: 7, items: [1, SECRET], extra: SECRET };
  const issues = checkSchema(schema, value, { undeclared: true });
  expect(issues.map(({ path, keyword, expected, received }) => [pointerOf(path), keyword, expected, received])).toEqual(
    [
      ["/token", "required", "present", "absent"],
      ["/id", "format", "string (uuid)", "string"],
      ["/name", "type", "string", "integer"],
      ["/items/1", "type", "integer", "string"],
      ["/extra", "undeclared", "absent", "string"],
    ],
  );
  const printed = JSON.stringify(issues);
  expect(printed).not.toContain(SECRET);
});

test("fields declared by any allOf member are declared; a union reports its closest variant", () => {
  const composed: JsonSchema = {
    allOf: [
      { type: "object", properties: { event_id: { type: "string" } } },
      { type: "object", required: ["event_type"], properties: { event_type: { const: "x" } } },
    ],
  };
  expect(checkSchema(composed, { event_type: "x", event_id: "e" }, { undeclared: true })).toEqual([]);
  expect(
    checkSchema(composed, { event_type: "x", other: 1 }, { undeclared: true }).map((i) => pointerOf(i.path)),
  ).toEqual(["/other"]);
  const nullable: JsonSchema = { anyOf: [{ $ref: "#/components/schemas/AvatarSchema" }, { type: "null" }] };
  expect(checkSchema(nullable, null, { resolve })).toEqual([]);
  const wrong = checkSchema(nullable, { id: 5 }, { resolve }).find((i) => pointerOf(i.path) === "/id");
  expect(wrong).toMatchObject({ keyword: "type", received: "integer" });
  expect(checkSchema(nullable, "text", { resolve })).toMatchObject([
    { keyword: "type", expected: "object or null", received: "string" },
  ]);
});

test("without `undeclared`, fields the schema leaves open pass (the fake's request checks)", () => {
  expect(checkSchema({ type: "object", properties: {} }, { anything: 1 })).toEqual([]);
  expect(checkSchema({ type: "object", additionalProperties: false }, { anything: 1 })).toMatchObject([
    { keyword: "additionalProperties", expected: "absent", received: "integer" },
  ]);
});

test("every success schema of openapi.json resolves through the generated component table", () => {
  for (const [key, op] of Object.entries(operationSchemas)) {
    if (op.response) expect(() => checkSchema(op.response!, {}, { resolve }), key).not.toThrow();
  }
  expect(tables.every((table) => Object.keys(table).length > 0)).toBe(true);
});
