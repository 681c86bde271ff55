// No orphaned sessions (they bill by the minute): an aborted start stops what it started (on a
// scripted node:http server that records the stop), a same-tick abort sends nothing, and a
// session that owns a LITE connection (real socket to the mock) is stopped on every path.
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from "vitest";
import { APIUserAbortError, LiveAvatar, LiveAvatarError, type Logger } from "../../src/index.ts";
import { LiteConnection } from "../../src/realtime/index.ts";
import type { LiteMock } from "../../src/testing/lite-mock.ts";
import { envelope, startScriptedServer, type Reply, type ScriptedServer } from "../support/scripted-server.ts";
import { mock, sessionId, tone, until } from "./helpers.ts";

const TOKEN = "session-token-5a4b3c2d";
let api: ScriptedServer;
let lite: LiteMock;

beforeAll(async () => {
  lite = await mock();
});
afterAll(() => lite.close());
beforeEach(async () => {
  api = await startScriptedServer();
});
afterEach(() => api.close());

function client(logger?: Logger): LiveAvatar {
  return new LiveAvatar({ baseUrl: api.url, apiKey: null, sessionToken: TOKEN, maxRetries: 0, logger });
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
  api.script(startAnswer(undefined, 150), { body: envelope(null) });
  const controller = new AbortController();
  const starting = client().startSession({ signal: controller.signal, keepAliveInterval: false });
  await api.waitForRequests(1);
  const abortedAt = Date.now();
  controller.abort();
  await expect(starting).rejects.toBeInstanceOf(APIUserAbortError);
  expect(Date.now() - abortedAt).toBeLessThan(120);
  const [, stop] = await api.waitForRequests(2);
  expect(paths()).toEqual(["/v1/sessions/start", "/v1/sessions/stop"]);
  expect(stop!.headers.authorization).toBe(`Bearer ${TOKEN}`);
});

test("React StrictMode: start and abort in the same tick sends nothing at all", async () => {
  const controller = new AbortController();
  const first = client().startSession({ signal: controller.signal });
  controller.abort(); // StrictMode's unmount runs synchronously after the first mount's effect
  await expect(first).rejects.toBeInstanceOf(APIUserAbortError);
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(api.requests).toEqual([]);
  await expect(client().startSession({ signal: AbortSignal.abort() })).rejects.toBeInstanceOf(APIUserAbortError);
  expect(api.requests).toEqual([]);
});

test("an aborted start whose request failed has nothing to stop", async () => {
  api.script({ status: 500, body: envelope(null, 500, "boom"), delay: 80 });
  const controller = new AbortController();
  const starting = client().startSession({ signal: controller.signal });
  await api.waitForRequests(1);
  controller.abort();
  await expect(starting).rejects.toBeInstanceOf(APIUserAbortError);
  await new Promise((resolve) => setTimeout(resolve, 150));
  expect(paths()).toEqual(["/v1/sessions/start"]);
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

test("a keep-alive answered 404 ends the session (no retries) and closes its connection", async () => {
  const id = sessionId();
  api.script(startAnswer(lite.wsUrlFor(id)), { status: 404, body: envelope(null, 404, "session not found") });
  const session = await client().startSession({ keepAliveInterval: 30 });
  const conn = await session.connectLite(LiteConnection);
  const ended = await session.ended;
  expect(ended).toMatchObject({ reason: "session_not_found" });
  expect((await conn.ended).reason).toBe("client_closed");
  await new Promise((resolve) => setTimeout(resolve, 120));
  expect(paths()).toEqual(["/v1/sessions/start", "/v1/sessions/keep-alive"]);
});

test("a keep-alive envelope error saying the session is closed ends it too", async () => {
  api.script(startAnswer(), { body: envelope(null, 4004, "Session is closed") });
  const session = await client().startSession({ keepAliveInterval: 30 });
  const ended = await session.ended;
  expect(ended).toMatchObject({ reason: "session_not_found" });
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(paths()).toEqual(["/v1/sessions/start", "/v1/sessions/keep-alive"]);
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
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(api.requests).toHaveLength(2);
  } finally {
    delete global.addEventListener;
    delete global.removeEventListener;
  }
});
