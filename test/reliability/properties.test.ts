// Property-based tests over a real socket: whatever the server answers, the client resolves
// with data or rejects with one of the package's errors, retries exactly as the policy says,
// and every path parameter reaches exactly one path segment.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { APIError, LiveAvatarError } from "../../src/index.ts";
import { retryDelayMs } from "../../src/retry.ts";
import {
  envelope,
  startScriptedServer,
  type RecordedRequest,
  type Reply,
  type ScriptedServer,
} from "../support/scripted-server.ts";
import {
  API_KEY,
  CALLS,
  CREATING_CALLS,
  REPEATABLE_CALLS,
  SESSION_TOKEN,
  clientFor,
  type ScriptedCall,
} from "./helpers.ts";

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server.close());

/** Scripts the server for one run; the function returned lists the requests of that run. */
function answerWith(...replies: Reply[]): () => RecordedRequest[] {
  const start = server.requests.length;
  server.script(...replies);
  return () => server.requests.slice(start);
}

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
    await fc.assert(
      fc.asyncProperty(reply, call, async (answer, operation) => {
        answerWith(answer);
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
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});

describe("whatever JSON a 2xx carries", () => {
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
    await fc.assert(
      fc.asyncProperty(json, call, fc.constantFrom(200, 201), async (value, operation, status) => {
        answerWith({ status, body: JSON.stringify(value), headers: { "content-type": "application/json" } });
        try {
          await operation.call(clientFor(server.url, { maxRetries: 0 }));
        } catch (error) {
          expect(error).toBeInstanceOf(LiveAvatarError);
        }
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});

describe("the retry policy, as a model", () => {
  const RETRYABLE_ALWAYS = new Set([408, 429]);
  const RETRYABLE_IF_REPEATABLE = new Set([500, 502, 503, 504]);

  /** How many attempts the policy allows for this sequence of answers, and whether the call succeeds. */
  function expected(statuses: number[], repeatable: boolean, maxRetries: number) {
    for (let attempt = 1; ; attempt++) {
      const s = statuses[Math.min(attempt - 1, statuses.length - 1)]!;
      if (s < 300) return { attempts: attempt, ok: true };
      const retryable = RETRYABLE_ALWAYS.has(s) || (repeatable && RETRYABLE_IF_REPEATABLE.has(s));
      if (!retryable || attempt > maxRetries) return { attempts: attempt, ok: false, status: s };
    }
  }

  test("attempts and outcome match the policy for any sequence of statuses", async () => {
    const calls = [
      ...REPEATABLE_CALLS.map((c) => ({ c, repeatable: true })),
      ...CREATING_CALLS.map((c) => ({ c, repeatable: false })),
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(200, 400, 404, 408, 429, 500, 502, 503, 504), { minLength: 1, maxLength: 5 }),
        fc.constantFrom(...calls),
        fc.integer({ min: 0, max: 3 }),
        // Mostly the default for the operation, sometimes overridden either way.
        fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.boolean() }),
        async (statuses, { c, repeatable }, maxRetries, idempotent) => {
          const sent = answerWith(
            ...statuses.map((s): Reply => (s < 300 ? c.ok : { status: s, headers: { "retry-after-ms": "0" } })),
          );
          const model = expected(statuses, idempotent ?? repeatable, maxRetries);
          const client = clientFor(server.url, { maxRetries });
          const options = idempotent === undefined ? {} : { idempotent };
          try {
            await c.call(client, options);
            expect(model.ok).toBe(true);
          } catch (error) {
            expect(model.ok).toBe(false);
            expect(error).toMatchObject({ status: model.status, attempts: model.attempts });
          }
          expect(sent()).toHaveLength(model.attempts);
        },
      ),
      { numRuns: 120 },
    );
  }, 60_000);
});

describe("path parameters", () => {
  const id = fc.oneof(
    fc.string({ unit: "binary", maxLength: 20 }),
    fc.string({ unit: fc.constantFrom(".", "/", "?", "#", "%", "\\", "2", "e", "a", " ", ";", "&"), maxLength: 8 }),
    fc.constantFrom(".", "..", "../avatars", "%2e%2e", "..%2f", "a/../b"),
  );

  test("any value reaches exactly one segment of the operation's path, or is refused before sending", async () => {
    const client = clientFor(server.url, { maxRetries: 0 });
    await fc.assert(
      fc.asyncProperty(id, async (sessionId) => {
        const sent = answerWith({ body: envelope({ session_id: "s" }) });
        const refused = sessionId === "" || sessionId === "." || sessionId === "..";
        try {
          await client.GET("/v1/sessions/{session_id}", { params: { path: { session_id: sessionId } } });
          expect(refused).toBe(false);
        } catch (error) {
          expect(error).toBeInstanceOf(LiveAvatarError);
          expect(refused).toBe(true);
          expect(sent()).toHaveLength(0);
          return;
        }
        expect(sent()).toHaveLength(1);
        const { url } = sent()[0]!;
        expect(url.startsWith("/v1/sessions/")).toBe(true);
        const segment = url.slice("/v1/sessions/".length);
        expect(segment).not.toMatch(/[/?#\\]/);
        expect(decodeURIComponent(segment)).toBe(sessionId);
      }),
      { numRuns: 200 },
    );
  }, 60_000);
});

describe("retryDelayMs", () => {
  test("is always a whole number of milliseconds between 0 and 60 s, whatever the headers say", () => {
    const headerValue = fc.oneof(
      fc.string({ unit: "grapheme-ascii" }),
      fc.double().map(String),
      fc.integer({ min: -100_000, max: 100_000 }).map(String),
      fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.option(headerValue, { nil: undefined }),
        fc.option(headerValue, { nil: undefined }),
        (retry, ms, seconds) => {
          const headers = new Headers();
          if (ms !== undefined) headers.set("retry-after-ms", ms);
          if (seconds !== undefined) headers.set("retry-after", seconds);
          const delay = retryDelayMs(retry, headers);
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(60_000);
        },
      ),
      { numRuns: 500 },
    );
  });
});
