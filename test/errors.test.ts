// What a failed call throws: the class for its status, a short one-line message, a bounded
// copy of the body, and a connection error when the exchange broke off. Over a socket, as a
// property over random answers, and the status-to-class rule on its own.
import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  APIConnectionError,
  APIError,
  AuthenticationError,
  BadRequestError,
  BodyTooLargeError,
  ConflictError,
  EnvelopeError,
  InternalServerError,
  LiveAvatarError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from "../src/index.ts";
import { errorClassFor } from "../src/errors.ts";
import { CALLS, type ScriptedCall } from "./support/calls.ts";
import { clientFor, rejectionOf } from "./support/client.ts";
import { failures, NGINX_502, expectShortMessage } from "./support/failures.ts";
import { API_KEY, SESSION_TOKEN } from "./support/credentials.ts";
import { envelope, scriptedServers, scriptRun, type Reply } from "./support/scripted-server.ts";

const serve = scriptedServers();

const failureFor = failures(serve);

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

describe.concurrent("every message is one line", () => {
  test("a server message with line breaks is joined onto one line", async () => {
    const error = await failureFor({ status: 400, body: { code: 4000, message: "bad\r\nrequest\n\n  here" } });
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.message).toBe("400 from GET /v1/avatars (code 4000): bad request here");
    expect(error).toMatchObject({ apiMessage: "bad\r\nrequest\n\n  here" });
  });

  // Found by the REST simulation: a server's message went into the error's message whole.
  test("a server message of any length is cut to a short excerpt; apiMessage keeps it whole", async () => {
    const long = "why ".repeat(5_000);
    const error = await failureFor({ status: 403, body: { code: 4003, message: long } });
    expect(error.message.length).toBeLessThan(300);
    expect(error.message).toMatch(/^403 from GET \/v1\/avatars \(code 4003\): why why .*…$/);
    expect(error).toMatchObject({ apiMessage: long });
    const envelopeError = await failureFor({ body: { code: 4001, message: long, data: null } });
    expect(envelopeError.message.length).toBeLessThan(300);
  });

  test("so is a failure code in a 2xx envelope", async () => {
    const error = await failureFor({ body: { code: 4001, message: "line one\nline two", data: null } });
    expect(error).toBeInstanceOf(EnvelopeError);
    expect(error.message).toBe("200 from GET /v1/avatars (code 4001): envelope reports code 4001: line one line two");
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
      "a 20 MB body labelled JSON with 200 (over maxBodyBytes, so nothing of it is kept)",
      { status: 200, headers: { "content-type": "application/json" } },
      BodyTooLargeError,
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

test.concurrent("the request id is on the error and in its message", async () => {
  const error = await failureFor({ status: 500, headers: { "x-request-id": "req-42" }, body: { detail: "boom" } });
  expect(error).toMatchObject({ requestId: "req-42" });
  expect(error.message).toBe("500 from GET /v1/avatars: boom [request id req-42]");
});

describe("the class for a status", () => {
  test.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [422, UnprocessableEntityError],
    [429, RateLimitError],
    [500, InternalServerError],
    [503, InternalServerError],
    [599, InternalServerError],
    [418, APIError],
    [301, APIError],
  ] as const)("%i: %o", (status, Class) => {
    expect(errorClassFor(status)).toBe(Class);
  });
});

// ---- arbitraries ---------------------------------------------------------------------------

// Weighted towards 2xx, where the client has the most to check. Statuses below 200 are not
// final answers (fetch waits for the next one), so the range starts at 200.
const status = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(200, 201, 204) },
  { weight: 2, arbitrary: fc.constantFrom(301, 302, 400, 401, 403, 404, 408, 409, 422, 429, 500, 502, 503, 504) },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 599 }) },
);

const contentType = fc.option(
  fc.constantFrom(
    "application/json",
    "application/json; charset=utf-8",
    "application/problem+json",
    "text/html; charset=utf-8",
    "text/plain",
    "application/octet-stream",
    "json",
    "",
  ),
  { nil: undefined },
);

/** Extra headers with valid names and values (invalid ones never get past Node's own checks). */
const extraHeaders = fc.dictionary(fc.stringMatching(/^x-[a-z0-9-]{1,12}$/), fc.stringMatching(/^[\x21-\x7e]{0,40}$/), {
  maxKeys: 3,
});

const location = fc.option(
  fc.constantFrom("/v1/avatars", "http://127.0.0.1:1/elsewhere", "javascript:alert(1)", "http://[::1", ""),
  { nil: undefined },
);

const envelopeLike = fc
  .record(
    {
      code: fc.oneof(fc.constantFrom(100, 1000, 4001), fc.integer(), fc.string(), fc.constant(null)),
      data: fc.oneof(fc.jsonValue(), fc.constant({ count: 0, results: [] })),
      message: fc.oneof(fc.string(), fc.jsonValue()),
    },
    { requiredKeys: [] },
  )
  .map((value) => JSON.stringify(value));

const bodyText = fc.oneof(
  envelopeLike,
  fc.json(),
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.constantFrom(
    "",
    "{",
    '{"code":1000,"data":',
    "<html><body>502 Bad Gateway</body></html>",
    "null",
    "[]",
    "0",
    '"ok"',
  ),
);

/** A body, sometimes with a credential spliced in, as a careless server might. */
const body = fc.oneof(
  bodyText,
  fc.tuple(bodyText, fc.nat(), fc.constantFrom(API_KEY, SESSION_TOKEN)).map(([text, at, secret]) => {
    const cut = at % (text.length + 1);
    return text.slice(0, cut) + secret + text.slice(cut);
  }),
  fc.uint8Array({ maxLength: 500 }),
);

const reply: fc.Arbitrary<Reply> = fc
  .record({
    status,
    contentType,
    headers: extraHeaders,
    location,
    body,
    cut: fc.option(fc.oneof(fc.constant(-1), fc.nat()), { nil: undefined, freq: 4 }),
  })
  .map(({ status, contentType, headers, location, body, cut }) => ({
    status,
    headers: {
      ...headers,
      ...(contentType === undefined ? {} : { "content-type": contentType }),
      ...(location === undefined ? {} : { location }),
    },
    body,
    ...(cut === undefined
      ? {}
      : cut === -1
        ? { reset: "before-headers" as const }
        : { reset: "mid-body" as const, partial: cut % (body.length + 1) }),
  }));

const call = fc.constantFrom<ScriptedCall>(...Object.values(CALLS));

/** Statuses whose responses have no body for fetch. */
const NO_BODY = new Set([204, 205]);

// ---- properties ----------------------------------------------------------------------------

describe("whatever the server answers", () => {
  test("the client resolves with data (only on a 2xx) or rejects with a LiveAvatarError, never leaking a credential", async () => {
    const server = await serve();
    await fc.assert(
      fc.asyncProperty(reply, call, async (answer, operation) => {
        scriptRun(server, answer);
        let outcome: { data: unknown } | { error: unknown };
        try {
          outcome = { data: await operation.call(clientFor(server.url, { maxRetries: 0, timeout: 5_000 })) };
        } catch (error) {
          outcome = { error };
        }
        if ("data" in outcome) {
          expect(answer.status! >= 200 && answer.status! < 300).toBe(true);
          // A cut connection only loses nothing when the whole body had gone out, or there is none.
          const whole = answer.partial !== undefined && answer.partial >= (answer.body as string).length;
          if (answer.reset) expect(answer.reset === "mid-body" && (whole || NO_BODY.has(answer.status!))).toBe(true);
          return;
        }
        const { error } = outcome;
        expect(error).toBeInstanceOf(LiveAvatarError);
        if (error instanceof APIError) expect(error.status).toBe(answer.status);
        const printed = `${(error as Error).message} ${JSON.stringify(error)}`;
        expect(printed).not.toContain(API_KEY);
        expect(printed).not.toContain(SESSION_TOKEN);
        expect((error as Error).message.length).toBeLessThan(1_000);
        expect((error as Error).message).toContain(operation.operation);
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});
