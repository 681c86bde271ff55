// Faults on demand, over a real socket: statuses with JSON or HTML bodies, Retry-After, slow
// answers, dropped connections; each seen through the client as the user's code would see it.
import { expect, test, vi } from "vitest";
import { APIConnectionError, APIConnectionTimeoutError, InternalServerError, RateLimitError } from "../../src/index.ts";
import { FakeConfigError } from "../../src/testing/index.ts";
import { LiveAvatarError } from "../../src/index.ts";
import { send, useFake } from "./helpers.ts";
import { rejectionOf } from "../support/client.ts";

const { server, backend } = useFake();

test("a 503 twice, then success: the client's retries get through without waiting", async () => {
  server().inject("GET /v1/avatars", { status: 503, times: 2 });
  // Frozen clock: only zero-delay timers run. Without Retry-After: 0 on the injected 503s the
  // client would wait its backoff (~0.5 s, then ~1 s) and the call would not settle.
  const realTimeout = globalThis.setTimeout;
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
  try {
    let settled = false;
    const call = backend({ maxRetries: 2 })
      .GET("/v1/avatars")
      .finally(() => (settled = true));
    // Runs due (zero-delay) timers while the sockets work; fake time never moves forward.
    // (expect.poll and vi.waitFor would advance the fake clock themselves.)
    for (let turn = 0; turn < 500 && !settled; turn++) {
      await vi.advanceTimersByTimeAsync(0);
      await new Promise((resolve) => realTimeout(resolve, 20));
    }
    expect(settled, "the retries waited for a timer").toBe(true);
    expect((await call).count).toBe(3);
  } finally {
    vi.useRealTimers();
  }
  expect(
    server()
      .calls("GET /v1/avatars")
      .map((c) => c.status),
  ).toEqual([503, 503, 200]);
});

test("a 429 carries Retry-After and becomes RateLimitError", async () => {
  server().inject("POST /v1/sessions/token", { status: 429, headers: { "Retry-After": "7" } });
  const error = await rejectionOf(
    backend().POST("/v1/sessions/token", { body: { mode: "LITE", avatar_id: "3fa85f64-5717-4562-b3fc-2c963f66afa6" } }),
  );
  expect(error).toBeInstanceOf(RateLimitError);
  expect((error as RateLimitError).headers.get("retry-after")).toBe("7");
  expect((error as RateLimitError).body).toEqual({ code: 429, data: null, message: "injected fault: 429" });
});

test("a slow answer trips the client's timeout; without one it arrives late but whole", async () => {
  server().inject("GET /v1/languages", { delayMs: 300 });
  const error = await rejectionOf(backend({ timeout: 50 }).GET("/v1/languages"));
  expect(error).toBeInstanceOf(APIConnectionTimeoutError);
  server().inject("GET /v1/languages", { delayMs: 60 });
  expect(await backend({ timeout: 5_000 }).GET("/v1/languages")).toHaveLength(3);
});

test("an HTML 502 from a proxy becomes InternalServerError with a readable snippet", async () => {
  server().inject("GET /v1/users/credits", { html: true });
  const error = await rejectionOf(backend().GET("/v1/users/credits"));
  expect(error).toBeInstanceOf(InternalServerError);
  expect((error as InternalServerError).status).toBe(502);
  const raw = await send(server().url, "GET", "/v1/users/credits", { headers: { "x-api-key": server().apiKey } });
  expect(raw.status).toBe(200);
});

test("a dropped connection becomes APIConnectionError; the next call is answered", async () => {
  server().inject("GET /v1/contexts", { reset: true });
  const error = await rejectionOf(backend().GET("/v1/contexts"));
  expect(error).toBeInstanceOf(APIConnectionError);
  expect((await backend().GET("/v1/contexts")).count).toBe(3);
});

test('"*" faults every operation; a custom body and times: Infinity last until reset()', async () => {
  server().inject("*", { status: 500, body: { code: 5000, message: "maintenance" }, times: Infinity });
  for (const call of [() => backend().GET("/v1/languages"), () => backend().GET("/v1/secrets")]) {
    const error = await rejectionOf(call());
    expect(error).toMatchObject({ status: 500, apiMessage: "maintenance", code: 5000 });
  }
  server().reset();
  expect(await backend().GET("/v1/languages")).toHaveLength(3);
});

test("bad fault definitions are FakeConfigError (a LiveAvatarError) at inject time", () => {
  const bad: [string, object][] = [
    ["GET /v1/nothing", { status: 503 }],
    ["GET /v1/avatars", { status: 99 }],
    ["GET /v1/avatars", { times: 0 }],
    ["GET /v1/avatars", { delayMs: -1 }],
    ["GET /v1/avatars", { stauts: 503 }],
  ];
  for (const [op, fault] of bad) {
    const error = (() => {
      try {
        server().inject(op as never, fault);
      } catch (e) {
        return e;
      }
    })();
    expect(error, `${op} ${JSON.stringify(fault)}`).toBeInstanceOf(FakeConfigError);
    expect(error).toBeInstanceOf(LiveAvatarError);
  }
});

test("faults can be injected from another process through the control endpoint", async () => {
  const injected = await send(server().url, "POST", "/__fake/inject", {
    body: { operation: "GET /v1/languages", fault: { status: 503 } },
  });
  expect(injected.status).toBe(200);
  expect((await send(server().url, "GET", "/v1/languages")).status).toBe(503);
  const calls = await send(server().url, "GET", "/__fake/calls?operation=GET%20/v1/languages");
  expect(calls.body).toEqual([expect.objectContaining({ operation: "GET /v1/languages", status: 503 })]);
  const rejected = await send(server().url, "POST", "/__fake/inject", { body: { operation: "nope", fault: {} } });
  expect(rejected.status).toBe(400);
  expect(rejected.body.message).toContain("unknown operation");
});
