// Events and endings of a LITE connection against the mock: unknown and junk frames never throw,
// the async iterator, listeners that throw, keep-alive timing, and every way a connection ends
// (closed mid-utterance, session reported closed, keep-alive answered "no such session").
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import {
  LiteConnection,
  RealtimeConnectionError,
  type LiteConnectionEvent,
  type LiteEndedEvent,
} from "../../src/realtime/index.ts";
import type { LiteFake } from "../../src/testing/index.ts";
import { FAKE_TIMERS, connect, messagesOf, mock, tone, until } from "./helpers.ts";
import { CONNECTED, startLitePeer } from "./lite-peer.ts";
import { rejectionOf } from "../support/client.ts";

let server: LiteFake;
beforeAll(async () => {
  server = await mock();
});
afterAll(() => server.close());

test("junk frames before `connected` are ignored; the mock refuses to send events outside the spec", async () => {
  // The mock's junk variant sends its frames between "connecting" and "connected".
  const { conn, id } = await connect(server, { junk: true });
  const unknown: LiteConnectionEvent[] = [];
  conn.on("unknown", (e) => unknown.push(e));
  const raw = (server as unknown as { send(id: string, e: unknown): void }).send;
  expect(() => raw.call(server, id, { type: "agent.future_event" })).toThrow(/invalid/); // the mock sends only spec-valid events
  await conn.speak(tone(50));
  expect(unknown).toEqual([]);
  await conn.close();
});

test("unknown event types, frames without a type and unparsable text become typed `unknown` events", async () => {
  const { WebSocketServer } = await import("ws");
  const junk = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise((resolve) => junk.once("listening", resolve));
  junk.on("connection", (socket) => {
    socket.send(JSON.stringify({ type: "session.state_updated", state: "connected" }));
    socket.send("not json {");
    socket.send(JSON.stringify({ no_type: true }));
    socket.send(JSON.stringify(["array"]));
    socket.send(JSON.stringify({ type: "agent.thinking", detail: 1 }));
    socket.send(new Uint8Array([1, 2, 3]));
    socket.send(JSON.stringify({ type: "warning", warning: { message: "still here" } }));
  });
  const { LiteConnection } = await import("../../src/realtime/index.ts");
  const conn = await LiteConnection.connect(`ws://127.0.0.1:${(junk.address() as { port: number }).port}/s`);
  const events: LiteConnectionEvent[] = [];
  const iterator = conn.events();
  conn.on("unknown", () => {
    throw new Error("a listener that throws");
  });
  for await (const event of iterator) {
    events.push(event);
    if (event.type === "warning") break;
  }
  expect(events.map((e) => (e.type === "unknown" ? `unknown:${e.eventType ?? "-"}` : e.type))).toEqual([
    "unknown:-",
    "unknown:-",
    "unknown:-",
    "unknown:agent.thinking",
    "unknown:-",
    "warning",
  ]);
  expect(events[0]).toMatchObject({ data: "not json {" });
  expect(conn.state).toBe("open");
  await conn.close();
  await new Promise((resolve) => junk.close(resolve));
});

test("the server closing mid-utterance: the speech rejects, `ended` says so, the iterator completes", async () => {
  const { conn } = await connect(server, { closeMidUtterance: 4001, playMsPerSecond: 400 });
  const ended: LiteEndedEvent[] = [];
  conn.on("ended", (e) => ended.push(e));
  const iterated: string[] = [];
  const done = (async () => {
    for await (const event of conn) iterated.push(event.type);
  })();
  const speech = conn.speak(tone(500));
  const error = await rejectionOf(speech);
  expect(error).toBeInstanceOf(RealtimeConnectionError);
  expect(error).toMatchObject({ closeCode: 4001 });
  await done;
  expect(iterated.at(-1)).toBe("ended");
  expect(ended).toEqual([
    {
      type: "ended",
      reason: "socket_closed",
      closeCode: 4001,
      closeReason: "session ended",
      sessionState: "connected",
    },
  ]);
  expect(conn.state).toBe("closed");
  expect(await conn.ended).toBe(ended[0]);
});

test("the session reported closed (either vocabulary) ends the connection and closes the socket", async () => {
  for (const vocabulary of ["docs", "alternate"] as const) {
    const { conn, id } = await connect(server, { vocabulary, playMsPerSecond: 10_000 });
    const pending = conn.speak(tone(100));
    await pending.sent;
    server.endSession(id, { code: 1000 });
    const ended = await conn.ended;
    expect(ended).toMatchObject({
      reason: "session_closed",
      sessionState: vocabulary === "docs" ? "closed" : "disconnected",
    });
    await expect(pending).rejects.toBeInstanceOf(RealtimeConnectionError);
  }
  await until(() => server.openSockets === 0);
});

test("keep-alive: sent after the idle time, pushed back by every outgoing message", async () => {
  vi.useFakeTimers(FAKE_TIMERS);
  const peer = await startLitePeer();
  try {
    const connecting = LiteConnection.connect(peer.url, { keepAliveIdle: 120 });
    const p = await peer.next();
    await p.accept();
    p.sendEvent(CONNECTED);
    const conn = await connecting;
    const types = () => p.received.map((m) => (m as { type: string }).type);
    for (let i = 1; i <= 8; i++) {
      await vi.advanceTimersByTimeAsync(30);
      conn.startListening();
      await until(() => types().length === i);
    }
    // 240 ms in, never 120 ms without a message: no keep-alive yet.
    await vi.advanceTimersByTimeAsync(119);
    expect(types()).not.toContain("session.keep_alive");
    await vi.advanceTimersByTimeAsync(1);
    await until(() => types().includes("session.keep_alive"));
    expect(p.received.at(-1)).toEqual({ type: "session.keep_alive", event_id: expect.any(String) });
    await conn.close();
  } finally {
    vi.useRealTimers();
    await peer.close();
  }
});

test("a keep-alive answered with 'no such session' ends the connection instead of retrying", async () => {
  const { conn, id } = await connect(server, { keepAliveNoSession: true }, { keepAliveInterval: 30 });
  const ended = await conn.ended;
  expect(ended).toMatchObject({ reason: "session_not_found", message: "no such session" });
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(messagesOf(server, id).filter((m) => m.type === "session.keep_alive")).toHaveLength(1);
  expect(conn.state).toBe("closed");
});

test("close() is idempotent and ends with reason client_closed; nothing is pending after it", async () => {
  const { conn } = await connect(server, { playMsPerSecond: 10_000 });
  const speech = conn.speak(tone(100));
  const first = conn.close();
  const second = conn.close();
  expect(await first).toBe(await second);
  expect(await first).toMatchObject({ reason: "client_closed", closeCode: 1000 });
  await expect(speech).rejects.toBeInstanceOf(RealtimeConnectionError);
  const after: LiteConnectionEvent[] = [];
  for await (const event of conn.events()) after.push(event);
  expect(after).toEqual([]);
});

test("acks with and without source_event_id arrive as typed events", async () => {
  for (const acks of ["with_source", "without_source"] as const) {
    const { conn } = await connect(server, { acks });
    const seen: { source?: string | null | undefined }[] = [];
    conn.on("agent.audio_buffer_appended", (e) => seen.push({ source: e.source_event_id }));
    const speech = conn.speak(tone(100));
    await speech;
    expect(seen).toEqual([{ source: acks === "with_source" ? speech.eventId : undefined }]);
    await conn.close();
  }
});

test("frames that arrive after the connection ended are not delivered: `ended` is the last event", async () => {
  // A raw ws server that, once asked to listen, reports the session closed and sends one more
  // event in the same burst, before the client's close frame can reach it.
  const { WebSocketServer } = await import("ws");
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise((resolve) => wss.once("listening", resolve));
  wss.on("connection", (socket) => {
    socket.send(JSON.stringify({ type: "session.state_updated", state: "connected" }));
    socket.on("message", () => {
      socket.send(JSON.stringify({ type: "session.state_updated", state: "closed" }));
      socket.send(JSON.stringify({ type: "agent.speak_started", event_id: "late" }));
    });
  });
  try {
    const { port } = wss.address() as { port: number };
    const conn = await LiteConnection.connect(`ws://127.0.0.1:${port}/v1/ws?session=late`, { connectTimeout: 2000 });
    const seen: string[] = [];
    const iterated = (async () => {
      for await (const event of conn) seen.push(`iterator:${event.type}`);
    })();
    conn.on("agent.speak_started", () => seen.push("listener:agent.speak_started"));
    conn.startListening();
    expect(await conn.ended).toMatchObject({ reason: "session_closed" });
    await iterated;
    // Time for the late frame to arrive and be dropped.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen).toEqual(["iterator:session.state_updated", "iterator:ended"]);
  } finally {
    for (const client of wss.clients) client.terminate();
    await new Promise((resolve) => wss.close(resolve));
  }
});
