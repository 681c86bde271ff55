// The fake's controls under misuse: `inject` and `calls` take only real operations (a typo names
// the nearest one), recorded calls are bounded, `reset()` never re-issues an id, and the control
// endpoints answer no cross-origin request.
import { request as httpRequest } from "node:http";
import { expect, test } from "vitest";
import { LiveAvatar } from "../../src/index.ts";
import { LiteConnection } from "../../src/realtime/index.ts";
import { createLiveAvatarFake, FakeConfigError, startFakeServer } from "../../src/testing/index.ts";
import { liveAvatarHandlers } from "../../src/testing/msw.ts";
import { AVATAR_ID, send, useFake } from "./helpers.ts";

const { server, backend } = useFake();

const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
};

test("inject and calls refuse what is not an operation, own keys of Object included", () => {
  for (const op of ["constructor", "hasOwnProperty", "toString", "__proto__", "valueOf"]) {
    expect(
      thrown(() => server().inject(op as never, { status: 503 })),
      op,
    ).toBeInstanceOf(FakeConfigError);
    expect(
      thrown(() => server().calls(op as never)),
      op,
    ).toBeInstanceOf(FakeConfigError);
  }
  expect(thrown(() => server().calls(42 as never))).toBeInstanceOf(FakeConfigError);
});

test("a misspelt operation throws in calls() as in inject(), naming the nearest one", async () => {
  for (const use of [
    () => server().calls("POST /v1/session/token" as never),
    () => server().inject("POST /v1/session/token" as never, { status: 503 }),
  ]) {
    const error = thrown(use) as FakeConfigError;
    expect(error).toBeInstanceOf(FakeConfigError);
    expect(error.message).toContain(
      'unknown operation "POST /v1/session/token"; did you mean POST /v1/sessions/token?',
    );
  }
  const remote = await send(server().url, "GET", "/__fake/calls?operation=GET%20/v1/avatar");
  expect(remote.status).toBe(400);
  expect(remote.body.message).toContain("did you mean GET /v1/avatars?");
  expect(thrown(() => server().calls("DELETE /nothing/at/all/like/this" as never))).toMatchObject({
    message: expect.stringContaining('use "METHOD /path" as in the spec'),
  });
});

test("recorded calls are bounded: the oldest are dropped and counted", async () => {
  const fake = createLiveAvatarFake({ maxRecordedCalls: 5 });
  for (let page = 1; page <= 8; page++) {
    await fake.handle(
      new Request(`http://fake.test/v1/avatars?page=${page}`, { headers: { "x-api-key": fake.apiKey } }),
    );
  }
  expect(fake.calls().map((c) => c.query.page)).toEqual(["4", "5", "6", "7", "8"]);
  expect(fake.droppedCalls).toBe(3);
  fake.reset();
  expect([fake.calls().length, fake.droppedCalls]).toEqual([0, 0]);
  // The default keeps 1000.
  const plain = createLiveAvatarFake();
  for (let i = 0; i < 1003; i++) await plain.handle(new Request("http://fake.test/v1/languages"));
  expect([plain.calls().length, plain.droppedCalls]).toEqual([1000, 3]);
});

test("the MSW handlers count dropped calls live, as the fake does", async () => {
  const handlers = liveAvatarHandlers({ maxRecordedCalls: 1 });
  expect(handlers.droppedCalls).toBe(0);
  for (let i = 0; i < 3; i++) await handlers.fake.handle(new Request("https://api.liveavatar.com/v1/languages"));
  expect([handlers.calls().length, handlers.droppedCalls]).toEqual([1, 2]);
});

test("GET /__fake/calls says how many calls were dropped", async () => {
  await using fake = await startFakeServer({ maxRecordedCalls: 2 });
  for (let i = 0; i < 3; i++) await fetch(`${fake.url}/v1/languages`);
  const calls = await send(fake.url, "GET", "/__fake/calls");
  expect(calls.body).toHaveLength(2);
  expect(calls.headers.get("x-fake-dropped-calls")).toBe("1");
  expect(fake.droppedCalls).toBe(1);
});

test("reset() never issues an id again; replayIds does, on request", async () => {
  const mint = async () => backend().POST("/v1/sessions/token", { body: { mode: "LITE", avatar_id: AVATAR_ID } });
  const first = await mint();
  server().reset();
  const second = await mint();
  expect(second.session_id).not.toBe(first.session_id);
  expect(second.session_token).not.toBe(first.session_token);
  // The seed data itself is the same after a reset.
  const ids = async () => (await backend().GET("/v1/avatars")).results!.map((a) => a.id);
  const before = await ids();
  server().reset();
  expect(await ids()).toEqual(before);
  server().reset({ replayIds: true });
  expect((await mint()).session_id).toBe(first.session_id);
});

test("after reset(), a new LITE session connects; reset() also resets the LITE fake", async () => {
  await using fake = await startFakeServer({ lite: true });
  const start = async () => {
    const backendClient = new LiveAvatar({ baseUrl: fake.url, apiKey: fake.apiKey, maxRetries: 0 });
    const { session_token } = await backendClient.POST("/v1/sessions/token", {
      body: { mode: "LITE", avatar_id: AVATAR_ID },
    });
    const agent = new LiveAvatar({ baseUrl: fake.url, apiKey: null, sessionToken: session_token, maxRetries: 0 });
    return agent.POST("/v1/sessions/start");
  };
  const ended = await start();
  fake.lite!.endSession(ended.session_id);
  fake.reset();
  const next = await start();
  expect(next.session_id).not.toBe(ended.session_id);
  const conn = await LiteConnection.connect(next.ws_url!, { connectTimeout: 5_000 });
  expect(conn.state).toBe("open");
  conn.keepAlive();
  await expect.poll(() => fake.lite!.received.length).toBe(1);
  // reset() resets the LITE fake too: its sockets are closed and what it received forgotten.
  fake.reset();
  expect(await conn.ended).toMatchObject({ type: "ended", closeCode: 1012 });
  expect(fake.lite!.received).toEqual([]);
});

function raw(url: string, method: string, path: string, headers: Record<string, string>) {
  const { port } = new URL(url);
  return new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, method, path, headers }, (res) => {
      res.resume();
      resolve({ status: res.statusCode!, headers: res.headers });
    });
    req.once("error", reject);
    req.end();
  });
}

test("the control endpoints answer no cross-origin request; the API paths still do", async () => {
  const url = server().url;
  const created = await backend().POST("/v1/contexts", { body: { name: "Kept", prompt: "P", opening_text: "O" } });
  const evil = { origin: "https://evil.test" };
  const preflight = await raw(url, "OPTIONS", "/__fake/reset", {
    ...evil,
    "access-control-request-method": "POST",
  });
  expect(preflight.status).toBe(403);
  expect(preflight.headers["access-control-allow-origin"]).toBeUndefined();
  for (const [method, path] of [
    ["POST", "/__fake/reset"],
    ["GET", "/__fake/calls"],
    ["POST", "/__fake/inject"],
  ] as const) {
    const answer = await raw(url, method, path, evil);
    expect(answer.status, `${method} ${path}`).toBe(403);
    expect(answer.headers["access-control-allow-origin"]).toBeUndefined();
  }
  expect((await raw(url, "POST", "/__fake/reset", { "sec-fetch-site": "cross-site" })).status).toBe(403);
  // DNS rebinding: a page on another name that resolves to 127.0.0.1.
  expect((await raw(url, "POST", "/__fake/reset", { host: `rebound.test:${new URL(url).port}` })).status).toBe(403);
  // Nothing was reset.
  expect(
    (await backend().GET("/v1/contexts/{context_id}", { params: { path: { context_id: created.id } } })).name,
  ).toBe("Kept");
  const own = await raw(url, "GET", "/__fake/calls", { origin: url });
  expect(own.status).toBe(200);
  const api = await raw(url, "GET", "/v1/languages", evil);
  expect(api.headers["access-control-allow-origin"]).toBe("*");
});
