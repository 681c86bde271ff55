// Every request is validated against the spec; a bad one gets the API's 422 shape
// (`detail: [{loc, msg, type}]`) with a message that names the field and the rule.
import { expect, test } from "vitest";
import { UnprocessableEntityError } from "../../src/index.ts";
import { AVATAR_ID, send, useFake } from "./helpers.ts";
import { rejectionOf } from "../support/client.ts";

const { server, backend } = useFake();

async function detail(method: string, path: string, body?: unknown, raw?: string) {
  const { status, body: answer } = await send(server().url, method, path, {
    headers: { "x-api-key": server().apiKey },
    body,
    raw,
  });
  expect(status).toBe(422);
  return answer.detail as { loc: (string | number)[]; msg: string; type: string }[];
}

test("a body field of the wrong format", async () => {
  expect(await detail("POST", "/v1/sessions/token", { mode: "LITE", avatar_id: "nope" })).toEqual([
    { loc: ["body", "avatar_id"], msg: "must be a string (uuid format)", type: "uuid_parsing" },
  ]);
});

test("missing required fields, one entry each", async () => {
  expect(await detail("POST", "/v1/contexts", { name: "n" })).toEqual([
    { loc: ["body", "prompt"], msg: "is required", type: "missing" },
    { loc: ["body", "opening_text"], msg: "is required", type: "missing" },
  ]);
  expect(await detail("POST", "/v1/contexts")).toEqual([{ loc: ["body"], msg: "is required", type: "missing" }]);
});

test("enums, nested fields and discriminated unions name the path", async () => {
  expect(await detail("POST", "/v1/memory", { memory_type: "episodic", session_id: AVATAR_ID })).toEqual([
    { loc: ["body", "memory_type"], msg: 'must be one of "session"', type: "enum" },
  ]);
  const voice = await detail("POST", "/v1/sessions/token", {
    mode: "FULL",
    avatar_id: AVATAR_ID,
    avatar_persona: { voice_settings: { provider: "acme" } },
  });
  expect(voice).toEqual([
    {
      loc: ["body", "avatar_persona", "voice_settings", "provider"],
      msg: 'must be one of "elevenLabs", "fish"',
      type: "union_tag_invalid",
    },
  ]);
});

test("query parameters are converted, then checked against their bounds", async () => {
  expect(await detail("GET", "/v1/avatars?page_size=0")).toEqual([
    { loc: ["query", "page_size"], msg: "must be >= 1", type: "greater_than_equal" },
  ]);
  expect(await detail("GET", "/v1/avatars?page_size=101&page=x")).toEqual([
    { loc: ["query", "page"], msg: "must be an integer", type: "integer_type" },
    { loc: ["query", "page_size"], msg: "must be <= 100", type: "less_than_equal" },
  ]);
  expect(await detail("GET", "/v1/sessions")).toEqual([
    { loc: ["query", "type"], msg: "is required", type: "missing" },
  ]);
  expect(await detail("GET", "/v1/sessions?type=live")).toEqual([
    { loc: ["query", "type"], msg: 'must be one of "active", "historic"', type: "enum" },
  ]);
});

test("a body that is not JSON", async () => {
  expect(await detail("POST", "/v1/contexts", undefined, "{not json")).toEqual([
    { loc: ["body"], msg: "must be valid JSON", type: "json_invalid" },
  ]);
});

test("the client surfaces it as UnprocessableEntityError with the detail", async () => {
  const error = await rejectionOf(
    backend().POST("/v1/sessions/token", { body: { mode: "LITE", avatar_id: 42 as unknown as string } }),
  );
  expect(error).toBeInstanceOf(UnprocessableEntityError);
  expect((error as UnprocessableEntityError).detail).toEqual([
    { loc: ["body", "avatar_id"], msg: "must be a string (uuid format)", type: "string_type" },
  ]);
});
