// What is retried, how often and after how long, against a server that scripts failures.
import { describe, expect, test } from "vitest";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  InternalServerError,
  RateLimitError,
  APIError,
  LiveAvatarError,
} from "../../src/index.ts";
import { retryDelayMs } from "../../src/retry.ts";
import {
  envelope,
  startScriptedServer,
  unusedPort,
  type Reply,
  type ScriptedServer,
} from "../support/scripted-server.ts";
import {
  CALLS,
  CREATING_CALLS,
  REPEATABLE_CALLS,
  TOKEN_BODY,
  clientFor,
  rejectionOf,
  scriptedServers,
} from "./helpers.ts";

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

  test.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, "2" as unknown as number])(
    "a maxRetries of %s is refused, by the client and per call, before anything is sent",
    async (maxRetries) => {
      const server = await serve(CALLS.listAvatars.ok);
      expect(() => clientFor(server.url, { maxRetries })).toThrow(/maxRetries must be a whole number/);
      const error = await rejectionOf(CALLS.listAvatars.call(clientFor(server.url), { maxRetries }));
      expect(error).toBeInstanceOf(LiveAvatarError);
      expect(error.message).toContain("maxRetries must be a whole number");
      expect(server.requests).toHaveLength(0);
    },
  );

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
  describe.each(REPEATABLE_CALLS)("$name (safe to repeat)", (call) => {
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

  describe.each(CREATING_CALLS)("$name (creates something)", (call) => {
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

describe.concurrent("how long between attempts", () => {
  const gaps = (server: ScriptedServer) =>
    server.requests.slice(1).map((request, i) => request.receivedAt - server.requests[i]!.receivedAt);

  test("retry-after-ms is honoured", async () => {
    const server = await serve({ status: 503, headers: { "retry-after-ms": "300" } }, CALLS.listAvatars.ok);
    await CALLS.listAvatars.call(clientFor(server.url));
    expect(gaps(server)[0]).toBeGreaterThanOrEqual(290);
  });

  test("Retry-After in seconds is honoured", async () => {
    const server = await serve({ status: 429, headers: { "retry-after": "1" } }, CALLS.createToken.ok);
    await CALLS.createToken.call(clientFor(server.url));
    expect(gaps(server)[0]).toBeGreaterThanOrEqual(990);
  });

  test("without a hint the client backs off exponentially from about 0.5 s", async () => {
    const server = await serve({ reset: "before-headers" }, { reset: "before-headers" }, CALLS.listAvatars.ok);
    await CALLS.listAvatars.call(clientFor(server.url));
    const [first, second] = gaps(server);
    expect(first).toBeGreaterThanOrEqual(370);
    expect(second).toBeGreaterThanOrEqual(745);
  });

  test.each([
    ["an hour in seconds", "3600"],
    ["an HTTP date in the past", new Date(Date.now() - 3_600_000).toUTCString()],
    ["an HTTP date two hours ahead", new Date(Date.now() + 7_200_000).toUTCString()],
    ["a negative number", "-5"],
    ["garbage", "soon"],
  ])("Retry-After of %s falls back to the backoff", async (_, value) => {
    const server = await serve({ status: 503, headers: { "retry-after": value } }, CALLS.listAvatars.ok);
    await CALLS.listAvatars.call(clientFor(server.url));
    const [gap] = gaps(server);
    expect(gap).toBeGreaterThanOrEqual(370);
    expect(gap).toBeLessThan(10_000);
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
