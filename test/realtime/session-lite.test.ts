// No orphaned sessions (they bill by the minute): an aborted start stops what it started (on a
// scripted node:http server that records the stop), a same-tick abort sends nothing, and a
// session that owns a LITE connection (real socket to the mock) is stopped on every path.
import { afterAll, afterEach, beforeAll, beforeEach, expect, test, vi } from "vitest";
import { APIUserAbortError, LiveAvatar, LiveAvatarError, type Logger } from "../../src/index.ts";
import { LiteConnection } from "../../src/realtime/index.ts";
import type { LiteFake } from "../../src/testing/index.ts";
import { envelope, startScriptedServer, type Reply, type ScriptedServer } from "../support/scripted-server.ts";
import { FAKE_TIMERS, drain, mock, sessionId, tone, until } from "./helpers.ts";
import { CONNECTED, startLitePeer } from "./lite-peer.ts";

const TOKEN = "session-token-5a4b3c2d";
let api: ScriptedServer;
let lite: LiteFake;

beforeAll(async () => {
  lite = await mock();
});
afterAll(() => lite.close());
beforeEach(async () => {
  api = await startScriptedServer();
});
afterEach(async () => {
  vi.useRealTimers();
  await api.close();
});

/** Every request the client starts, counted as it starts (the requests themselves are real). */
let started: string[] = [];
beforeEach(() => {
  started = [];
});
function client(logger?: Logger): LiveAvatar {
  return new LiveAvatar({
    baseUrl: api.url,
    apiKey: null,
    sessionToken: TOKEN,
    maxRetries: 0,
    logger,
    fetch: (input, init) => {
      started.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
      return fetch(input, init);
    },
  });
}
const paths = () => api.requests.map((r) => r.url);
function startAnswer(wsUrl?: string, delay = 0): Reply {
  const data = {
    session_id: "s-1",
    livekit_url: "wss://lk.test",
    livekit_client_token: "lk",
    ...(wsUrl ? { ws_url: wsUrl } : {}),
  };
  return { status: 201, body: envelope(data), delay };
}

test("an abort after the start request was sent rejects at once and stops the session when the answer arrives", async () => {
  vi.useFakeTimers(FAKE_TIMERS);
  api.script(startAnswer(undefined, 150), { body: envelope(null) });
  const controller = new AbortController();
  const starting = client().startSession({ signal: controller.signal, keepAliveInterval: false });
  await vi.advanceTimersByTimeAsync(0); // the same-tick guard
  await api.waitForRequests(1);
  controller.abort();
  // The answer is 150 ms of (fake) time away and no time has passed: the rejection came at once.
  await expect(starting).rejects.toBeInstanceOf(APIUserAbortError);
  expect(paths()).toEqual(["/v1/sessions/start"]);
  await vi.advanceTimersByTimeAsync(150);
  const [, stop] = await api.waitForRequests(2);
  expect(paths()).toEqual(["/v1/sessions/start", "/v1/sessions/stop"]);
  expect(stop!.headers.authorization).toBe(`Bearer ${TOKEN}`);
});

test("React StrictMode: start and abort in the same tick sends nothing at all", async () => {
  const controller = new AbortController();
  const first = client().startSession({ signal: controller.signal });
  controller.abort(); // StrictMode's unmount runs synchronously after the first mount's effect
  await expect(first).rejects.toBeInstanceOf(APIUserAbortError);
  expect(started).toEqual([]);
  await expect(client().startSession({ signal: AbortSignal.abort() })).rejects.toBeInstanceOf(APIUserAbortError);
  expect(api.requests).toEqual([]);
});

test("an aborted start whose request failed has nothing to stop", async () => {
  api.script({ status: 500, body: envelope(null, 500, "boom"), delay: 80 });
  const warnings: string[] = [];
  const logger: Logger = { debug: () => {}, info: () => {}, warn: (m) => warnings.push(m), error: () => {} };
  const controller = new AbortController();
  const starting = client(logger).startSession({ signal: controller.signal });
  await api.waitForRequests(1);
  controller.abort();
  await expect(starting).rejects.toBeInstanceOf(APIUserAbortError);
  // The failed start is logged when its answer arrives, and that is where a stop would be sent.
  await until(() => warnings.some((w) => w.includes("aborted start")));
  await drain();
  expect(started).toEqual(["/v1/sessions/start"]);
});

test("session.connectLite opens the session's ws_url; stop() closes the socket, then stops the session", async () => {
  const id = sessionId();
  api.script(startAnswer(lite.wsUrlFor(id)), { body: envelope(null) });
  const session = await client().startSession({ keepAliveInterval: false });
  const conn = await session.connectLite(LiteConnection, { connectTimeout: 2000 });
  await conn.speak(tone(100));
  await session.stop();
  expect(conn.state).toBe("closed");
  expect((await conn.ended).reason).toBe("client_closed");
  expect(paths()).toEqual(["/v1/sessions/start", "/v1/sessions/stop"]);
  expect(await session.ended).toEqual({ type: "ended", reason: "stopped" });
  await until(() => lite.openSockets === 0);
  await expect(session.connectLite(LiteConnection)).rejects.toThrow(/is stopped/);
});

test("a socket the server closes ends the session with an `ended` event and stops it", async () => {
  const id = sessionId();
  api.script(startAnswer(lite.wsUrlFor(id)), { body: envelope(null) });
  const session = await client().startSession({ keepAliveInterval: false });
  const conn = await session.connectLite(LiteConnection);
  const ended = session.ended;
  lite.endSession(id, { stateEvent: false, code: 1011 });
  expect(await ended).toEqual({ type: "ended", reason: "connection_ended", detail: "socket_closed" });
  await api.waitForRequests(2);
  expect(paths()).toEqual(["/v1/sessions/start", "/v1/sessions/stop"]);
  expect(session.stopped).toBe(true);
  expect((await conn.ended).closeCode).toBe(1011);
});

test("a keep-alive answered 404 ends the session (no retries, no stop) and closes its connection", async () => {
  vi.useFakeTimers(FAKE_TIMERS);
  const peer = await startLitePeer();
  try {
    api.script(startAnswer(peer.url), { status: 404, body: envelope(null, 404, "session not found") });
    const starting = client().startSession({ keepAliveInterval: 30 });
    await vi.advanceTimersByTimeAsync(0);
    const session = await starting;
    const connecting = session.connectLite(LiteConnection, { keepAliveIdle: false });
    const p = await peer.next();
    await p.accept();
    p.sendEvent(CONNECTED);
    const conn = await connecting;
    await vi.advanceTimersByTimeAsync(30);
    expect(await session.ended).toMatchObject({ reason: "session_not_found", serverMessage: "session not found" });
    expect((await conn.ended).reason).toBe("client_closed");
    await conn.close();
    await session.stop(); // the server said it is gone: nothing to stop
    // Ten more intervals of (fake) time: no keep-alive, no stop.
    await vi.advanceTimersByTimeAsync(300);
    await drain();
    expect(started).toEqual(["/v1/sessions/start", "/v1/sessions/keep-alive"]);
  } finally {
    await peer.close();
  }
});

test("a keep-alive envelope error saying the session is closed ends it too", async () => {
  vi.useFakeTimers(FAKE_TIMERS);
  api.script(startAnswer(), { body: envelope(null, 4004, "Session is closed") });
  const starting = client().startSession({ keepAliveInterval: 30 });
  await vi.advanceTimersByTimeAsync(0);
  const session = await starting;
  await vi.advanceTimersByTimeAsync(30);
  expect(await session.ended).toMatchObject({ reason: "session_not_found", serverMessage: "Session is closed" });
  await vi.advanceTimersByTimeAsync(300);
  await drain();
  expect(started).toEqual(["/v1/sessions/start", "/v1/sessions/keep-alive"]);
});

test("row 3: a 200 failure envelope that merely mentions a closed session is retried, not taken as the end", async () => {
  vi.useFakeTimers(FAKE_TIMERS);
  api.script(
    startAnswer(),
    { body: envelope(null, 4029, "Too many requests: try again before the session closed") },
    { body: envelope(null) },
  );
  const errors: LiveAvatarError[] = [];
  const starting = client().startSession({ keepAliveInterval: 30, onKeepAliveError: (e) => errors.push(e) });
  await vi.advanceTimersByTimeAsync(0);
  const session = await starting;
  await vi.advanceTimersByTimeAsync(30);
  await until(() => errors.length === 1);
  expect(session.stopped).toBe(false);
  await vi.advanceTimersByTimeAsync(30);
  await api.waitForRequests(3);
  await session.stop();
  expect(paths()).toEqual([
    "/v1/sessions/start",
    "/v1/sessions/keep-alive",
    "/v1/sessions/keep-alive",
    "/v1/sessions/stop",
  ]);
});

test("the LITE connection says the session is gone: no stop, and the handle says so in the server's words", async () => {
  const id = sessionId();
  api.script(startAnswer(lite.wsUrlFor(id, { keepAliveNoSession: true })), { body: envelope(null) });
  const session = await client().startSession({ keepAliveInterval: false });
  await session.connectLite(LiteConnection, { keepAliveIdle: 20 });
  expect(await session.ended).toEqual({
    type: "ended",
    reason: "session_not_found",
    detail: "session_not_found",
    serverMessage: "no such session",
  });
  await session.stop();
  expect(started).toEqual(["/v1/sessions/start"]);
});

test("keep-alive failures go to the client's logger, not console", async () => {
  const lines: string[] = [];
  const logger: Logger = { debug: () => {}, info: () => {}, warn: (m) => lines.push(m), error: () => {} };
  api.script(startAnswer(), { status: 500, body: envelope(null, 500, "boom") });
  const session = await client(logger).startSession({ keepAliveInterval: 20 });
  await until(() => lines.length > 0);
  await session.stop().catch(() => {});
  expect(lines[0]).toMatch(/^\[liveavatar\] keep-alive failed: 500/);
  expect(lines.join("\n")).not.toContain(TOKEN);
});

test("a session without ws_url cannot connectLite: the error says why", async () => {
  api.script(startAnswer(), { body: envelope(null) });
  const session = await client().startSession({ keepAliveInterval: false });
  await expect(session.connectLite(LiteConnection)).rejects.toThrow(LiveAvatarError);
  await expect(session.connectLite(LiteConnection)).rejects.toThrow(/no ws_url/);
  await session.stop();
});

test("stopOnPageHide: a pagehide stops the session (with a keepalive request) and removes its listener", async () => {
  // Node has no window: stand one in with an EventTarget for the page's global listeners.
  const page = new EventTarget();
  const global = globalThis as { addEventListener?: unknown; removeEventListener?: unknown };
  global.addEventListener = page.addEventListener.bind(page);
  global.removeEventListener = page.removeEventListener.bind(page);
  try {
    api.script(startAnswer(), { body: envelope(null) });
    const session = await client().startSession({ keepAliveInterval: false, stopOnPageHide: true });
    page.dispatchEvent(new Event("pagehide"));
    await api.waitForRequests(2);
    expect(paths()).toEqual(["/v1/sessions/start", "/v1/sessions/stop"]);
    expect(session.stopped).toBe(true);
    page.dispatchEvent(new Event("pagehide"));
    await drain();
    expect(started).toHaveLength(2);
  } finally {
    delete global.addEventListener;
    delete global.removeEventListener;
  }
});
