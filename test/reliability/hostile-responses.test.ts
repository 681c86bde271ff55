// Answers a well-behaved API would not give, but proxies, load balancers and bugs do: each
// becomes a typed error with the status and a short excerpt of the body, never a TypeError
// and never a hang.
import { inspect } from "node:util";
import { describe, expect, test } from "vitest";
import {
  APIConnectionError,
  APIError,
  AuthenticationError,
  EnvelopeError,
  InternalServerError,
  LiveAvatarError,
  UnprocessableEntityError,
} from "../../src/index.ts";
import { envelope, type Reply } from "../support/scripted-server.ts";
import { CALLS, clientFor, rejectionOf, scriptedServers, type ScriptedCall } from "./helpers.ts";

const serve = scriptedServers();

/** The error a GET /v1/avatars gets when the server answers `reply`, with no retries. */
async function failureFor(reply: Reply, call: ScriptedCall = CALLS.listAvatars): Promise<Error> {
  const server = await serve(reply);
  return rejectionOf(call.call(clientFor(server.url, { maxRetries: 0, timeout: 10_000 })));
}

const NGINX_502 = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx/1.25.3</center>
</body>
</html>
`;

/** Messages stay one short line, whatever the body was. */
function expectShortMessage(error: Error): void {
  expect(error.message.length).toBeLessThan(400);
  expect(error.message).not.toContain("\n");
}

describe.concurrent("error statuses with bodies that are not the API's", () => {
  test("an HTML 502 from a proxy: InternalServerError with the page's text in short", async () => {
    const error = await failureFor({ status: 502, headers: { "content-type": "text/html" }, body: NGINX_502 });
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 502, body: NGINX_502 });
    expect(error.message).toContain("502 from GET /v1/avatars");
    expect(error.message).toContain("502 Bad Gateway");
    expectShortMessage(error);
  });

  test("an error status with an empty body says so", async () => {
    const error = await failureFor({ status: 500 });
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.message).toContain("(empty body)");
  });

  test("a problem+json 401 gives AuthenticationError with its detail", async () => {
    const error = await failureFor({
      status: 401,
      headers: { "content-type": "application/problem+json" },
      body: { type: "about:blank", title: "Unauthorized", status: 401, detail: "Invalid API key" },
    });
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, apiMessage: "Invalid API key" });
  });

  test("a 422 with FastAPI's detail list names the first issue", async () => {
    const error = await failureFor(
      {
        status: 422,
        body: { detail: [{ loc: ["body", "avatar_id"], msg: "Field required", type: "missing" }] },
      },
      CALLS.createToken,
    );
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    expect(error.message).toContain("Field required at body.avatar_id");
  });

  test("a 422 whose detail is not a list still gives UnprocessableEntityError", async () => {
    const error = await failureFor({ status: 422, body: { detail: "nope" } }, CALLS.createToken);
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    expect(error).toMatchObject({ detail: [], apiMessage: "nope" });
  });

  test("an error whose JSON fields have the wrong types is still an APIError", async () => {
    const error = await failureFor({ status: 400, body: { code: "E1", message: { nested: true }, detail: 7 } });
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: 400, code: undefined, apiMessage: undefined });
  });

  test("an unusual status (418, 599) is an APIError with that status", async () => {
    expect(await failureFor({ status: 418, body: "teapot" })).toMatchObject({ status: 418, name: "APIError" });
    expect(await failureFor({ status: 599, body: "odd" })).toMatchObject({ status: 599, name: "InternalServerError" });
  });
});

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

  test("a body on an operation that answers with none is refused only when it is not empty", async () => {
    const server = await serve({ status: 200, headers: { "content-type": "text/plain" }, body: "Deleted" });
    const error = await rejectionOf(CALLS.deleteMemory.call(clientFor(server.url)));
    expect(error).toBeInstanceOf(EnvelopeError);
    server.script({ status: 200 });
    await expect(CALLS.deleteMemory.call(clientFor(server.url))).resolves.toBeUndefined();
  });
});

describe.concurrent("very large bodies: what an error keeps is bounded", () => {
  const MB = 1024 * 1024;

  test.each([
    ["a 20 MB HTML error page", { status: 500, headers: { "content-type": "text/html" } }, InternalServerError],
    [
      "a 20 MB JSON error that never ends",
      { status: 503, headers: { "content-type": "application/json" } },
      InternalServerError,
    ],
    ["a 20 MB HTML page with 200", { status: 200, headers: { "content-type": "text/html" } }, EnvelopeError],
    [
      "a 20 MB body that is not JSON, labelled JSON, with 200",
      { status: 200, headers: { "content-type": "application/json" } },
      EnvelopeError,
    ],
  ] as const)("%s", async (_, reply, ErrorClass) => {
    const body = Buffer.alloc(20 * MB, "<p>lorem ipsum</p>");
    const error = await failureFor({
      ...reply,
      body:
        reply.headers["content-type"] === "application/json" ? Buffer.concat([Buffer.from('{"detail":"'), body]) : body,
    });
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({ status: reply.status });
    expectShortMessage(error);
    const kept = (error as APIError).body;
    expect(typeof kept).toBe("string");
    expect((kept as string).length).toBeLessThanOrEqual(2_001);
    expect(JSON.stringify(error).length).toBeLessThan(5_000);
    expect(inspect(error, { depth: 5 }).length).toBeLessThan(10_000);
  });
});

describe.concurrent("connections that break", () => {
  test("a reset in the middle of a 200 body: APIConnectionError with the status and what arrived", async () => {
    const error = await failureFor({
      body: envelope({ count: 1, results: [{ avatar_id: "a-1" }] }),
      reset: "mid-body",
      partial: 20,
    });
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).toMatchObject({ status: 200, attempts: 1 });
    expect(error.message).toContain("connection lost while reading the 200 response to GET /v1/avatars");
    expect(error.message).toContain('{"code":1000');
    expectShortMessage(error);
  });

  test("a reset in the middle of an error body", async () => {
    const error = await failureFor({
      status: 502,
      headers: { "content-type": "text/html" },
      body: NGINX_502,
      reset: "mid-body",
    });
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).toMatchObject({ status: 502 });
  });

  test("a reset before any header", async () => {
    const error = await failureFor({ reset: "before-headers" });
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).toMatchObject({ status: undefined });
    expect(error.message).toContain("could not complete GET /v1/avatars");
  });

  test("a server that is not HTTP at all", async () => {
    const net = await import("node:net");
    const raw = net.createServer((socket) => socket.end("SSH-2.0-OpenSSH_9.6\r\n"));
    await new Promise<void>((resolve) => raw.listen(0, "127.0.0.1", () => resolve()));
    try {
      const port = (raw.address() as { port: number }).port;
      const error = await rejectionOf(CALLS.listAvatars.call(clientFor(`http://127.0.0.1:${port}`, { maxRetries: 0 })));
      expect(error).toBeInstanceOf(APIConnectionError);
    } finally {
      raw.close();
    }
  });
});

describe.concurrent("redirects that lead nowhere", () => {
  test("a redirect loop stops after 5 hops", async () => {
    const server = await serve({ status: 307, redirect: "/v1/avatars" });
    const error = await rejectionOf(CALLS.listAvatars.call(clientFor(server.url, { maxRetries: 0 })));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error.message).toContain("more than 5 redirects");
    expect(server.requests).toHaveLength(6);
  });

  test.each([
    ["a file: URL", "file:///etc/passwd", "unsupported file: URL"],
    ["a data: URL", "data:text/plain,hi", "unsupported data: URL"],
    ["a malformed URL", "http://[::1", "redirected to an address that is not a URL"],
  ])("a redirect to %s is refused", async (_, location, expected) => {
    const error = await failureFor({ status: 302, redirect: location });
    expect(error).toBeInstanceOf(LiveAvatarError);
    expect(error.message).toContain(expected);
  });

  test("a 3xx without a Location is an APIError with its status", async () => {
    const error = await failureFor({ status: 301 });
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: 301 });
  });
});
