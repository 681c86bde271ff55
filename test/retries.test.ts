// What is retried, how often and after how long, against a server that scripts failures;
// the delay rule as a pure function; and the policy as a model checked with random answers.
import fc from "fast-check";
import { beforeAll, describe, expect, test, vi } from "vitest";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  InternalServerError,
  RateLimitError,
  APIError,
} from "../src/index.ts";
import { retryDelayMs } from "../src/retry.ts";
import { CALLS, CREATING_CALLS, IDEMPOTENT_CALLS, TOKEN_BODY } from "./support/calls.ts";
import { clientFor, rejectionOf } from "./support/client.ts";
import {
  envelope,
  scriptedServers,
  scriptRun,
  startScriptedServer,
  unusedPort,
  type Reply,
  type ScriptedServer,
} from "./support/scripted-server.ts";

const serve = scriptedServers();

/** A failure the server asks to retry at once, so tests do not wait for backoff. */
const failNow = (status: number, message = `failure ${status}`): Reply => ({
  status,
  headers: { "retry-after": "0" },
  body: envelope(null, status, message),
});

describe.concurrent("how many times", () => {
  test("a client retries twice by default, and the error carries the attempts and the last answer", async () => {
    const server = await serve(failNow(503, "first"), failNow(503, "second"), failNow(503, "third"));
    const error = await rejectionOf(CALLS.listAvatars.call(clientFor(server.url)));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 503, attempts: 3, apiMessage: "third" });
    expect(error.message).toContain("third");
    expect(server.requests).toHaveLength(3);
  });

  test("a retry that succeeds resolves with the data", async () => {
    const server = await serve(failNow(503), failNow(502), CALLS.listAvatars.ok);
    const data = await CALLS.listAvatars.call(clientFor(server.url));
    expect(data).toMatchObject({ count: 1 });
    expect(server.requests).toHaveLength(3);
  });

  test("the client option maxRetries sets the count", async () => {
    const server = await serve(failNow(503));
    const error = await rejectionOf(CALLS.listAvatars.call(clientFor(server.url, { maxRetries: 1 })));
    expect(error).toMatchObject({ attempts: 2 });
    expect(server.requests).toHaveLength(2);
  });

  test.each([0, 4])("a per-call maxRetries of %i overrides the client's", async (maxRetries) => {
    const server = await serve(failNow(503));
    const error = await rejectionOf(CALLS.listAvatars.call(clientFor(server.url, { maxRetries: 2 }), { maxRetries }));
    expect(error).toMatchObject({ attempts: maxRetries + 1 });
    expect(server.requests).toHaveLength(maxRetries + 1);
  });

  test("a 4xx other than 408 and 429 is not retried", async () => {
    const server = await serve({ status: 404, body: { detail: "Not Found" } });
    const error = await rejectionOf(CALLS.listAvatars.call(clientFor(server.url)));
    expect(error).toMatchObject({ status: 404, attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  test("every attempt sends the same method, path, body and credentials", async () => {
    const server = await serve(failNow(429), failNow(503), CALLS.createToken.ok);
    await CALLS.createToken.call(clientFor(server.url), { idempotent: true });
    expect(server.requests).toHaveLength(3);
    for (const request of server.requests) {
      expect(request).toMatchObject({ method: "POST", url: "/v1/sessions/token" });
      expect(JSON.parse(request.body)).toEqual(TOKEN_BODY);
      expect(request.headers["x-api-key"]).toBe(server.requests[0]!.headers["x-api-key"]);
    }
  });
});

describe.concurrent("what is retried", () => {
  describe.each(IDEMPOTENT_CALLS)("$operation (idempotent)", (call) => {
    test.each([500, 502, 503, 504, 408, 429])("is retried on %i", async (status) => {
      const server = await serve(failNow(status), call.ok);
      await call.call(clientFor(server.url));
      expect(server.requests.map((r) => r.url)).toEqual([call.url, call.url]);
    });

    test("is retried after the connection was reset once the request had been sent", async () => {
      const server = await serve({ reset: "before-headers" }, call.ok);
      await call.call(clientFor(server.url));
      expect(server.requests).toHaveLength(2);
    });

    test("is retried after a per-attempt timeout", async () => {
      const server = await serve({ ...call.ok, delay: 5_000 }, call.ok);
      await call.call(clientFor(server.url, { timeout: 1_000 }));
      expect(server.requests).toHaveLength(2);
    });
  });

  describe.each(CREATING_CALLS)("$operation (creates something)", (call) => {
    test.each([500, 502, 503, 504])("is not retried on %i: the server may have acted on it", async (status) => {
      const server = await serve(failNow(status), call.ok);
      const error = await rejectionOf(call.call(clientFor(server.url)));
      expect(error).toBeInstanceOf(InternalServerError);
      expect(error).toMatchObject({ status, attempts: 1 });
      expect(server.requests).toHaveLength(1);
    });

    test("is not retried after a reset that came once the request was sent", async () => {
      const server = await serve({ reset: "before-headers" }, call.ok);
      const error = await rejectionOf(call.call(clientFor(server.url)));
      expect(error).toBeInstanceOf(APIConnectionError);
      expect(error).toMatchObject({ attempts: 1 });
      expect(server.requests).toHaveLength(1);
    });

    test("is not retried after a timeout", async () => {
      const server = await serve({ ...call.ok, delay: 5_000 }, call.ok);
      const error = await rejectionOf(call.call(clientFor(server.url, { timeout: 1_000 })));
      expect(error).toBeInstanceOf(APIConnectionTimeoutError);
      expect(error).toMatchObject({ attempts: 1 });
      expect(server.requests.length).toBeLessThanOrEqual(1);
    });

    test.each([429, 408])("is retried on %i: the server did not act on it", async (status) => {
      const server = await serve(failNow(status), call.ok);
      await call.call(clientFor(server.url));
      expect(server.requests).toHaveLength(2);
    });

    test("is retried when the per-call option says it is idempotent", async () => {
      const server = await serve(failNow(503), { reset: "before-headers" }, call.ok);
      await call.call(clientFor(server.url), { idempotent: true });
      expect(server.requests).toHaveLength(3);
    });
  });

  test("idempotent: false stops a GET from being retried on a 5xx or a reset, but not on a 429", async () => {
    const server = await serve(failNow(503));
    const client = clientFor(server.url);
    expect(await rejectionOf(CALLS.listAvatars.call(client, { idempotent: false }))).toMatchObject({ attempts: 1 });
    server.script({ reset: "before-headers" });
    expect(await rejectionOf(CALLS.listAvatars.call(client, { idempotent: false }))).toMatchObject({ attempts: 1 });
    server.script(failNow(429), CALLS.listAvatars.ok);
    await CALLS.listAvatars.call(client, { idempotent: false });
    expect(server.requests).toHaveLength(4);
  });

  test("a refused connection is retried even for POST /v1/sessions/token: nothing was sent", async () => {
    const port = await unusedPort();
    let starting: Promise<ScriptedServer> | undefined;
    const quiet = () => {};
    const client = clientFor(`http://127.0.0.1:${port}`, {
      logLevel: "warn",
      // The warning about the coming retry is the cue to bring the server up before the retry.
      logger: {
        debug: quiet,
        info: quiet,
        error: quiet,
        warn: () => void (starting ??= startScriptedServer([CALLS.createToken.ok], { port })),
      },
    });
    const data = await CALLS.createToken.call(client).then(undefined, async (error: unknown) => {
      await (await starting)?.close();
      throw error;
    });
    const server = await starting!;
    await server.close();
    expect(data).toEqual({ session_id: "s-1", session_token: "t-1" });
    expect(server.requests).toHaveLength(1);
    expect(JSON.parse(server.requests[0]!.body)).toEqual(TOKEN_BODY);
  });

  test("a connection that stays refused fails with APIConnectionError after every retry", async () => {
    const port = await unusedPort();
    const error = await rejectionOf(CALLS.createToken.call(clientFor(`http://127.0.0.1:${port}`, { maxRetries: 1 })));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).toMatchObject({ attempts: 2 });
    expect(error.message).toContain("ECONNREFUSED");
  });
});

describe("how long between attempts", () => {
  // On Vitest's fake clock (the sockets stay real): the server stamps each request with the fake
  // Date.now, so the gaps are the client's waits exactly, whatever the machine's load.
  const STEP = 10;
  const gaps = (server: ScriptedServer) =>
    server.requests.slice(1).map((request, i) => request.receivedAt - server.requests[i]!.receivedAt);

  async function onFakeClock(run: () => PromiseLike<unknown>): Promise<void> {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
    try {
      let done = false;
      const call = Promise.resolve(run()).finally(() => (done = true));
      while (!done) {
        for (let turn = 0; turn < 4; turn++) await new Promise((resolve) => setImmediate(resolve));
        await vi.advanceTimersByTimeAsync(STEP);
      }
      await call;
    } finally {
      vi.useRealTimers();
    }
  }

  test("retry-after-ms is honoured", async () => {
    const server = await serve({ status: 503, headers: { "retry-after-ms": "300" } }, CALLS.listAvatars.ok);
    await onFakeClock(() => CALLS.listAvatars.call(clientFor(server.url)));
    expect(gaps(server)[0]).toBeGreaterThanOrEqual(300);
    expect(gaps(server)[0]).toBeLessThanOrEqual(300 + STEP);
  });

  test("Retry-After in seconds is honoured", async () => {
    const server = await serve({ status: 429, headers: { "retry-after": "1" } }, CALLS.createToken.ok);
    await onFakeClock(() => CALLS.createToken.call(clientFor(server.url)));
    expect(gaps(server)[0]).toBeGreaterThanOrEqual(1_000);
    expect(gaps(server)[0]).toBeLessThanOrEqual(1_000 + STEP);
  });

  test("without a hint the client backs off exponentially from about 0.5 s", async () => {
    const server = await serve({ reset: "before-headers" }, { reset: "before-headers" }, CALLS.listAvatars.ok);
    await onFakeClock(() => CALLS.listAvatars.call(clientFor(server.url)));
    const [first, second] = gaps(server);
    expect(first).toBeGreaterThanOrEqual(375);
    expect(first).toBeLessThanOrEqual(500 + STEP);
    expect(second).toBeGreaterThanOrEqual(750);
    expect(second).toBeLessThanOrEqual(1_000 + STEP);
  });

  test("a Retry-After over 60 s falls back to the backoff (the unit table below has the other cases)", async () => {
    const server = await serve({ status: 503, headers: { "retry-after": "3600" } }, CALLS.listAvatars.ok);
    await onFakeClock(() => CALLS.listAvatars.call(clientFor(server.url)));
    const [gap] = gaps(server);
    expect(gap).toBeGreaterThanOrEqual(375);
    expect(gap).toBeLessThanOrEqual(500 + STEP);
  });

  describe("retryDelayMs", () => {
    const now = Date.UTC(2025, 0, 1, 12, 0, 0);
    const headers = (init: Record<string, string>) => new Headers(init);
    const backoff = (retry: number) => {
      const base = Math.min(500 * 2 ** (retry - 1), 8_000);
      return [base * 0.75, base] as const;
    };

    test.each([1, 2, 3, 4, 5, 6, 10])("backs off within the jittered window for retry %i", (retry) => {
      const [low, high] = backoff(retry);
      for (let i = 0; i < 50; i++) {
        const delay = retryDelayMs(retry, undefined, now);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(low));
        expect(delay).toBeLessThanOrEqual(high);
      }
    });

    test.each([
      ["retry-after-ms", { "retry-after-ms": "1500" }, 1500],
      ["retry-after-ms of 0", { "retry-after-ms": "0" }, 0],
      ["Retry-After seconds", { "retry-after": "2" }, 2000],
      ["Retry-After fractional seconds", { "retry-after": "1.5" }, 1500],
      ["Retry-After 0", { "retry-after": "0" }, 0],
      ["Retry-After 60 s, the upper bound", { "retry-after": "60" }, 60_000],
      ["Retry-After HTTP date 10 s ahead", { "retry-after": new Date(now + 10_000).toUTCString() }, 10_000],
      ["retry-after-ms before Retry-After", { "retry-after-ms": "250", "retry-after": "9" }, 250],
      ["an unreadable retry-after-ms yields to Retry-After", { "retry-after-ms": "x", "retry-after": "3" }, 3000],
    ])("honours %s", (_, init, expected) => {
      expect(retryDelayMs(1, headers(init), now)).toBe(expected);
    });

    test.each([
      ["Retry-After above 60 s", { "retry-after": "61" }],
      ["retry-after-ms above 60 s", { "retry-after-ms": "60001" }],
      ["a negative retry-after-ms", { "retry-after-ms": "-1" }],
      ["an HTTP date in the past", { "retry-after": new Date(now - 1_000).toUTCString() }],
      ["an HTTP date 2 minutes ahead", { "retry-after": new Date(now + 120_000).toUTCString() }],
      ["an empty Retry-After", { "retry-after": "" }],
      ["Infinity", { "retry-after": "Infinity" }],
      ["a word", { "retry-after": "later" }],
      // Number() reads these, HTTP does not: found by the REST simulation (seed 136 waited 16 s for "0x10").
      ["a hexadecimal Retry-After", { "retry-after": "0x10" }],
      ["an exponent in Retry-After", { "retry-after": "1e1" }],
      ["a binary retry-after-ms", { "retry-after-ms": "0b11" }],
      ["a hexadecimal retry-after-ms", { "retry-after-ms": "0x10" }],
    ])("falls back to the backoff for %s", (_, init) => {
      const [low, high] = backoff(2);
      const delay = retryDelayMs(2, headers(init), now);
      expect(delay).toBeGreaterThanOrEqual(low);
      expect(delay).toBeLessThanOrEqual(high);
    });
  });
});

test.concurrent("a rate limit that never lifts ends with RateLimitError after the retries", async () => {
  const server = await serve(failNow(429, "slow down"));
  const error = await rejectionOf(CALLS.createToken.call(clientFor(server.url)));
  expect(error).toBeInstanceOf(RateLimitError);
  expect(error).toBeInstanceOf(APIError);
  expect(error).toMatchObject({ status: 429, attempts: 3, apiMessage: "slow down" });
});

describe("the retry policy, as a model", () => {
  let server: ScriptedServer;
  beforeAll(async () => {
    server = await serve();
  });
  const RETRYABLE_ALWAYS = new Set([408, 429]);
  const RETRYABLE_IF_IDEMPOTENT = new Set([500, 502, 503, 504]);

  /** How many attempts the policy allows for this sequence of answers, and whether the call succeeds. */
  function expected(statuses: number[], idempotent: boolean, maxRetries: number) {
    for (let attempt = 1; ; attempt++) {
      const s = statuses[Math.min(attempt - 1, statuses.length - 1)]!;
      if (s < 300) return { attempts: attempt, ok: true };
      const retryable = RETRYABLE_ALWAYS.has(s) || (idempotent && RETRYABLE_IF_IDEMPOTENT.has(s));
      if (!retryable || attempt > maxRetries) return { attempts: attempt, ok: false, status: s };
    }
  }

  test("attempts and outcome match the policy for any sequence of statuses", async () => {
    const calls = [
      ...IDEMPOTENT_CALLS.map((c) => ({ c, byDefault: true })),
      ...CREATING_CALLS.map((c) => ({ c, byDefault: false })),
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(200, 400, 404, 408, 429, 500, 502, 503, 504), { minLength: 1, maxLength: 5 }),
        fc.constantFrom(...calls),
        fc.integer({ min: 0, max: 3 }),
        // Mostly the default for the operation, sometimes overridden either way.
        fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.boolean() }),
        async (statuses, { c, byDefault }, maxRetries, idempotent) => {
          const sent = scriptRun(
            server,
            ...statuses.map((s): Reply => (s < 300 ? c.ok : { status: s, headers: { "retry-after-ms": "0" } })),
          );
          const model = expected(statuses, idempotent ?? byDefault, maxRetries);
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

describe("retryDelayMs, for any headers", () => {
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
