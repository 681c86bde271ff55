// What a 2xx becomes: the envelope's data, or an EnvelopeError when the body is not a
// successful envelope. Over a socket, as a property, and unwrapEnvelope on its own.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { EnvelopeError, LiveAvatarError } from "../src/index.ts";
import { unwrapEnvelope } from "../src/envelope.ts";
import { operations, type OperationKey } from "../generated/operations.ts";
import { isRecord } from "../src/guards.ts";
import { CALLS, type ScriptedCall } from "./support/calls.ts";
import { clientFor, rejectionOf } from "./support/client.ts";
import { failures, NGINX_502, expectShortMessage } from "./support/failures.ts";
import { envelope, scriptedServers, scriptRun, type Reply } from "./support/scripted-server.ts";

const serve = scriptedServers();

const failureFor = failures(serve);

describe.concurrent("2xx answers the client cannot accept: EnvelopeError", () => {
  test.each([
    ["an empty body", { body: "" }, "empty"],
    ["an empty body labelled JSON", { headers: { "content-type": "application/json" }, body: "" }, "empty"],
    [
      "truncated JSON",
      { headers: { "content-type": "application/json" }, body: '{"code":1000,"data":{"count":1,"res' },
      'not valid JSON: {"code":1000',
    ],
    ["a JSON array", { body: [1, 2, 3] }, "got an array"],
    [
      "a JSON string",
      { body: JSON.stringify("hello"), headers: { "content-type": "application/json" } },
      "got a string",
    ],
    ["JSON null", { body: "null", headers: { "content-type": "application/json" } }, "got null"],
    ["a number", { body: "42", headers: { "content-type": "application/json" } }, "got a number"],
    ["a string code", { body: { code: "1000", data: {}, message: "ok" } }, "code is a string"],
    ["a fractional code", { body: { code: 1000.5, data: {}, message: "ok" } }, "code is a number"],
    ["a message that is an object", { body: { code: 1000, data: {}, message: {} } }, "message is an object"],
    ["data that is a string", { body: envelope("avatars") }, "data should be an object, got a string"],
    ["data that is missing", { body: { code: 1000, message: "ok" } }, "data should be an object, got nothing"],
    ["data that is null", { body: envelope(null) }, "data should be an object, got null"],
    [
      "valid JSON labelled text/html",
      { headers: { "content-type": "text/html" }, body: JSON.stringify(envelope({ count: 0 })) },
      "expected a JSON body, got text/html",
    ],
    [
      "an HTML page with 200",
      { headers: { "content-type": "text/html; charset=utf-8" }, body: NGINX_502 },
      "text/html",
    ],
    [
      "bytes that are not UTF-8",
      { headers: { "content-type": "application/json" }, body: new Uint8Array([0xff, 0xfe, 0x00, 0x81]) },
      "not valid JSON",
    ],
  ] as [string, Reply, string][])("%s", async (_, reply, expected) => {
    const error = await failureFor(reply);
    expect(error).toBeInstanceOf(EnvelopeError);
    expect(error).toMatchObject({ status: 200, operation: "GET /v1/avatars", attempts: 1 });
    expect(error.message).toContain(expected);
    expectShortMessage(error);
  });

  test("a success envelope with a code outside successCodes is an error carrying the code and message", async () => {
    const error = await failureFor({ body: envelope(null, 4002, "Insufficient credits") }, CALLS.createToken);
    expect(error).toBeInstanceOf(EnvelopeError);
    expect(error).toMatchObject({ status: 200, code: 4002 });
    expect(error.message).toContain("code 4002: Insufficient credits");
  });

  test("successCodes decides which codes are a success", async () => {
    const server = await serve({ body: envelope({ count: 0, results: [] }, 0) });
    await expect(CALLS.listAvatars.call(clientFor(server.url))).rejects.toBeInstanceOf(EnvelopeError);
    await expect(CALLS.listAvatars.call(clientFor(server.url, { successCodes: [0] }))).resolves.toMatchObject({
      count: 0,
    });
  });

  test("an operation that answers with no body resolves to undefined on an empty 2xx", async () => {
    const server = await serve({ status: 204 }, { status: 200 });
    await expect(CALLS.deleteMemory.call(clientFor(server.url))).resolves.toBeUndefined();
    await expect(CALLS.deleteMemory.call(clientFor(server.url))).resolves.toBeUndefined();
  });

  test.each([
    ["text", { headers: { "content-type": "text/plain" }, body: "Deleted" }, "expected a JSON body, got text/plain"],
    ["JSON that is not an envelope", { body: { deleted: true } }, "expected no body, got an object"],
    [
      "an envelope with a failure code",
      { body: envelope(null, 40400, "Memory not found") },
      "code 40400: Memory not found",
    ],
  ] as [string, Reply, string][])(
    "an operation that answers with no body refuses a non-empty one: %s",
    async (_, reply, expected) => {
      const server = await serve(reply);
      const error = await rejectionOf(CALLS.deleteMemory.call(clientFor(server.url)));
      expect(error).toBeInstanceOf(EnvelopeError);
      expect(error.message).toContain(expected);
    },
  );

  test("an operation that answers with no body accepts a success envelope, and resolves to undefined", async () => {
    const server = await serve({ body: envelope({ id: "m-1" }, 1000, "deleted") });
    await expect(CALLS.deleteMemory.call(clientFor(server.url))).resolves.toBeUndefined();
  });
});

describe("whatever JSON a 2xx carries", () => {
  const call = fc.constantFrom<ScriptedCall>(...Object.values(CALLS));
  const envelopeOf = (data: fc.Arbitrary<unknown>) =>
    fc.record(
      {
        code: fc.oneof(fc.constantFrom(100, 1000), fc.jsonValue()),
        data,
        message: fc.oneof(fc.string(), fc.jsonValue()),
      },
      { requiredKeys: [] },
    );
  const json = fc.oneof(
    fc.jsonValue(),
    envelopeOf(fc.jsonValue()),
    envelopeOf(fc.dictionary(fc.string(), fc.jsonValue())),
    envelopeOf(fc.array(fc.jsonValue())),
  );

  test("the call resolves or rejects with a LiveAvatarError", async () => {
    const server = await serve();
    await fc.assert(
      fc.asyncProperty(json, call, fc.constantFrom(200, 201), async (value, operation, status) => {
        scriptRun(server, { status, body: JSON.stringify(value), headers: { "content-type": "application/json" } });
        let data: unknown;
        try {
          data = await operation.call(clientFor(server.url, { maxRetries: 0 }));
        } catch (error) {
          expect(error).toBeInstanceOf(LiveAvatarError);
          return;
        }
        // It resolved: to what the envelope (or, for an operation without one, the body) holds.
        const info = operations[operation.operation as OperationKey];
        const wrapped = isRecord(value) && "code" in value && ("message" in value || "data" in value);
        if (isRecord(value) && "code" in value) expect([100, 1000]).toContain(value.code);
        if (info.data === "none") expect(data).toBeUndefined();
        else if (info.envelope || wrapped) {
          const inner = (value as { data?: unknown }).data;
          expect(data).toEqual(info.data === "null" ? (inner ?? null) : inner);
        } else expect(data).toEqual(value);
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});

describe("withResponse and asResponse", () => {
  test("withResponse gives the data with the envelope's code and message and the response", async () => {
    const server = await serve({
      headers: { "x-request-id": "r-1" },
      body: envelope({ credits_left: "1" }, 100, "ok"),
    });
    const result = await clientFor(server.url).GET("/v1/users/credits").withResponse();
    expect(result).toMatchObject({ data: { credits_left: "1" }, code: 100, message: "ok" });
    expect(result.response.headers.get("x-request-id")).toBe("r-1");
  });

  test("asResponse gives the 2xx response with a readable body and no envelope check", async () => {
    const server = await serve({ status: 201, body: envelope(null, 4001, "refused") });
    const response = await clientFor(server.url).POST("/v1/sessions/start", { auth: "sessionToken" }).asResponse();
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual(envelope(null, 4001, "refused"));
  });

  test("asResponse still rejects a non-2xx with its typed error", async () => {
    const server = await serve({ status: 404, body: { detail: "Not Found" } });
    const error = await rejectionOf(clientFor(server.url).GET("/v1/users/credits").asResponse());
    expect(error).toMatchObject({ name: "NotFoundError", status: 404 });
  });
});

describe("unwrapEnvelope", () => {
  const received = (body: unknown, contentType: string | null = "application/json") => ({
    response: new Response(null, { status: 200, headers: contentType ? { "content-type": contentType } : {} }),
    text: typeof body === "string" ? body : JSON.stringify(body),
    attempts: 1,
  });
  const unwrap = (operation: keyof typeof operations, body: unknown, contentType?: string | null) =>
    unwrapEnvelope(operation, operations[operation], received(body, contentType), new Set([100, 1000]), (t) => t);

  test("gives data, code and message of a success envelope", () => {
    expect(unwrap("GET /v1/users/credits", envelope({ credits_left: "1" }))).toEqual({
      data: { credits_left: "1" },
      code: 1000,
      message: "ok",
    });
  });

  test("an envelope without code or message is a success", () => {
    expect(unwrap("GET /v1/users/credits", { data: { credits_left: "1" } })).toMatchObject({ code: undefined });
  });

  test("null-only data becomes null even when absent", () => {
    expect(unwrap("DELETE /v1/secrets/{secret_id}", { code: 100 }).data).toBeNull();
  });

  test("an unlabelled body is read as JSON", () => {
    expect(unwrap("GET /v1/languages", envelope([]), null).data).toEqual([]);
  });

  test.each([
    ["GET /v1/users/credits", envelope(null, 500, "down"), "code 500: down"],
    ["GET /v1/languages", envelope({}), "data should be an array"],
    ["DELETE /v1/memory/{memory_id}", envelope(null, 40400, "gone"), "code 40400: gone"],
  ] as const)("%s refuses %j", (operation, body, expected) => {
    expect(() => unwrap(operation, body)).toThrow(expected);
  });
});
