// The LITE client under the faults of issue 16 (rows 1, 3, 4 and 9), each against a real `ws`
// peer the test scripts (lite-peer.ts): an upgrade that never completes, keep-alives refused for
// a reason other than "session gone", a peer that stops reading while we close, oversize frames,
// and a reader that stopped reading the event iterator.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { WebSocket as WsSocket } from "ws";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { APIUserAbortError } from "../../src/index.ts";
import {
  EventBufferOverflowError,
  LiteConnection,
  RealtimeConnectTimeoutError,
  RealtimeConnectionError,
  type LiteConnectOptions,
  type LiteKeepAliveFailedEvent,
} from "../../src/realtime/index.ts";
import { withHostWatch } from "../support/invariants.ts";
import { ROOT } from "../support/spec.ts";
import { CONNECTED, startLitePeer, type LitePeer, type PeerConnection } from "./lite-peer.ts";
import { tone } from "./helpers.ts";
import { rejectionOf } from "../support/client.ts";

let peer: LitePeer;
beforeEach(async () => {
  peer = await startLitePeer();
});
afterEach(async () => {
  vi.useRealTimers();
  await peer.close();
});

/** Waits on real I/O (setImmediate is never faked here) until `check` holds. */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 20_000 && !check(); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(check()).toBe(true);
}

async function open(options: LiteConnectOptions = {}): Promise<{ conn: LiteConnection; peer: PeerConnection }> {
  const pending = LiteConnection.connect(peer.url, { connectTimeout: 5000, ...options });
  const connection = await peer.next();
  await connection.accept();
  connection.sendEvent(CONNECTED);
  const conn = await pending;
  return { conn, peer: connection };
}

const FAKE: Parameters<typeof vi.useFakeTimers>[0] = {
  toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
};

test("row 1: a connect timeout or abort while the ws upgrade is pending never crashes the host", async () => {
  await withHostWatch(async () => {
    const timingOut = LiteConnection.connect(peer.url, { WebSocket: WsSocket as never, connectTimeout: 50 });
    await peer.next(); // the upgrade arrived; the peer never answers it
    await expect(timingOut).rejects.toBeInstanceOf(RealtimeConnectTimeoutError);

    const controller = new AbortController();
    const aborted = LiteConnection.connect(peer.url, { WebSocket: WsSocket as never, signal: controller.signal });
    await peer.next();
    controller.abort();
    await expect(aborted).rejects.toBeInstanceOf(APIUserAbortError);
  });
});

test("row 3: keep-alives refused with 'too many requests, try again' are retried and reported, never the end", async () => {
  vi.useFakeTimers(FAKE);
  const { conn, peer: p } = await open({ keepAliveIdle: 1000 });
  await vi.advanceTimersByTimeAsync(0); // frames held for the caller's first tick are delivered
  const reported: LiteKeepAliveFailedEvent[] = [];
  let errors = 0;
  conn.on("keep_alive_failed", (e) => reported.push(e));
  conn.on("error", () => errors++);
  const keepAlives = () => p.received.filter((m) => (m as { type?: string }).type === "session.keep_alive");
  for (let i = 1; i <= 3; i++) {
    await vi.advanceTimersByTimeAsync(1000);
    await until(() => keepAlives().length === i);
    const { event_id } = keepAlives().at(-1) as { event_id: string };
    p.sendEvent({
      type: "error",
      error: { type: "rate_limit_error", message: "too many requests, try again", event_id },
    });
    await until(() => errors === i);
  }
  expect(conn.state).toBe("open");
  expect(reported.map((e) => e.failures)).toEqual([2, 3]);
  expect(reported[0]).toEqual({
    type: "keep_alive_failed",
    failures: 2,
    errorType: "rate_limit_error",
    message: "too many requests, try again",
  });
  // A clear answer ends it, in the server's words.
  await vi.advanceTimersByTimeAsync(1000);
  await until(() => keepAlives().length === 4);
  p.sendEvent({
    type: "error",
    event_id: (keepAlives().at(-1) as { event_id: string }).event_id,
    error: { message: "Session not found" },
  });
  const ended = conn.ended;
  await until(() => conn.state === "closed");
  expect(await ended).toMatchObject({ reason: "session_not_found", message: "Session not found" });
});

test("row 4: close() against a peer that stopped reading resolves within closeTimeout and terminates the socket", async () => {
  vi.useFakeTimers(FAKE);
  const sockets: WsSocket[] = [];
  class Tracked extends WsSocket {
    constructor(...args: ConstructorParameters<typeof WsSocket>) {
      super(...args);
      sockets.push(this);
    }
  }
  const { conn, peer: p } = await open({ closeTimeout: 500, WebSocket: Tracked as never });
  p.stopReading();
  let resolved = false;
  const closing = conn.close().then((e) => ((resolved = true), e));
  await vi.advanceTimersByTimeAsync(499);
  expect(resolved).toBe(false);
  await vi.advanceTimersByTimeAsync(1);
  expect(await closing).toMatchObject({ reason: "client_closed" });
  // terminated, not left waiting for ws's own 30 s close timer
  await until(() => sockets[0]!.readyState === WsSocket.CLOSED);
});

const node22 = join(ROOT, "node_modules/node22/bin/node");
test("row 4: after close() nothing keeps the process alive (Node 20 and 22, a peer that never answers the close)", async () => {
  const serve = (): void =>
    void peer.next().then(async (c) => {
      serve();
      await c.accept();
      c.sendEvent(CONNECTED);
      c.stopReading();
    });
  serve();
  const script = `
    import { LiteConnection } from "./src/realtime/index.ts";
    const conn = await LiteConnection.connect(process.env.PEER_URL, { closeTimeout: 300 });
    console.log("closed", (await conn.close()).reason);
  `;
  for (const node of [process.execPath, ...(existsSync(node22) ? [node22] : [])]) {
    // Without the bound, ws waits 30 s for the close handshake (Node 22's global socket: forever):
    // the guard below would kill the child and fail the test.
    const { stdout } = await promisify(execFile)(node, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: ROOT,
      env: { ...process.env, PEER_URL: peer.url },
      timeout: 15_000,
    });
    expect(stdout).toContain("closed client_closed");
  }
}, 40_000);

test("row 9: a frame over maxFrameBytes ends the connection, typed (ws maxPayload, and the check without it)", async () => {
  class Uncapped extends WsSocket {
    constructor(url: string) {
      super(url); // ignores maxPayload: the client's own length check must catch it
    }
  }
  for (const WebSocket of [undefined, Uncapped]) {
    const { conn, peer: p } = await open({ maxFrameBytes: 64 * 1024, WebSocket: WebSocket as never });
    const speech = conn.speak(tone(100));
    p.send("x".repeat(100 * 1024));
    expect(await conn.ended).toMatchObject({ reason: "frame_too_large" });
    await expect(speech).rejects.toBeInstanceOf(RealtimeConnectionError);
  }
});

test("row 9: an iterator nobody reads holds at most maxUnreadEventBytes, then fails typed; listeners get everything", async () => {
  const { conn, peer: p } = await open({ maxUnreadEventBytes: 4096 });
  const iterator = conn.events();
  let heard = 0;
  conn.on("warning", () => heard++);
  for (let i = 0; i < 200; i++) p.sendEvent({ type: "warning", warning: { message: `w${i}` } });
  await until(() => heard === 200);
  const error = await rejectionOf(iterator.next());
  expect(error).toBeInstanceOf(EventBufferOverflowError);
  expect((error as Error).message).toMatch(/maxUnreadEventBytes/);
  expect(await iterator.next()).toEqual({ done: true, value: undefined });
  await conn.close();
});

test("drift: each drift the checker returns for an inbound event is a `drift` event; a throwing checker is logged", async () => {
  const checked: unknown[] = [];
  const warnings: string[] = [];
  let throwing = false;
  const drift = {
    check(channel: "lite" | "full", event: unknown) {
      checked.push([channel, (event as { type?: unknown }).type]);
      if (throwing) throw new Error("checker bug");
      return (event as { type?: unknown }).type === "agent.future_event"
        ? [
            {
              operation: "lite agent.future_event",
              kind: "unknown_event" as const,
              pointer: "/type",
              expected: "a known type",
              received: "string",
            },
          ]
        : [];
    },
  };
  const logger = { debug: () => {}, warn: (m: string) => warnings.push(m) };
  const { conn, peer: p } = await open({ drift, logger });
  const drifts: unknown[] = [];
  conn.on("drift", (e) => drifts.push(e));
  let warnings2026 = 0;
  conn.on("agent.idle_started", () => warnings2026++);
  p.sendEvent({ type: "agent.future_event" });
  p.sendEvent({ type: "agent.idle_started", event_id: "srv-1", source_event_id: null });
  await until(() => warnings2026 === 1);
  throwing = true;
  p.sendEvent({ type: "warning", warning: { message: "w" } });
  await until(() => warnings.some((w) => w.includes("the drift check threw")));
  expect(drifts).toEqual([
    {
      type: "drift",
      operation: "lite agent.future_event",
      kind: "unknown_event",
      pointer: "/type",
      expected: "a known type",
      received: "string",
    },
  ]);
  // Frames up to and including "connected" belong to the handshake and are not checked.
  expect(checked).toEqual([
    ["lite", "agent.future_event"],
    ["lite", "agent.idle_started"],
    ["lite", "warning"],
  ]);
  expect(conn.state).toBe("open");
  await conn.close();
});

test("a session that ends right behind 'connected' ends as session_closed: the close waits for the held frames", async () => {
  // Frames arriving with "connected" are held for one macrotask so the caller can subscribe; under
  // fake timers that macrotask never runs by itself, and the close must not overtake them.
  vi.useFakeTimers(FAKE);
  const pending = LiteConnection.connect(peer.url, { connectTimeout: 5000 });
  const connection = await peer.next();
  await connection.accept();
  connection.sendEvent(CONNECTED);
  connection.sendEvent({ type: "session.state_updated", state: "closed" });
  connection.close(1000, "session ended");
  const conn = await pending;
  await until(() => conn.state === "closed");
  expect(await conn.ended).toMatchObject({ reason: "session_closed", sessionState: "closed" });
});
