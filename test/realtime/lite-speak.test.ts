// A conversation turn (speak, be interrupted, speak again, keep alive, stop) against the mock in
// every protocol variant of realtime.md, and how speech audio is framed and refused.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  InvalidAudioError,
  RealtimeConnectionError,
  RealtimeServerError,
  SpeechInterruptedError,
  type LiteConnectionEvent,
} from "../../src/realtime/index.ts";
import type { LiteFake, LiteVariant } from "../../src/testing/index.ts";
import { connect, messagesOf, mock, tone, until } from "./helpers.ts";
import { rejectionOf } from "../support/client.ts";

let server: LiteFake;
beforeAll(async () => {
  server = await mock();
});
afterAll(() => server.close());

const VARIANTS: LiteVariant[] = [];
for (const signals of ["speak", "state", "both"] as const) {
  for (const speakEventId of ["utterance", "server"] as const) {
    VARIANTS.push({ signals, speakEventId, acks: "none" });
  }
  VARIANTS.push({ signals, acks: "with_source", vocabulary: "alternate" });
  VARIANTS.push({ signals, acks: "without_source" });
}

describe.each(VARIANTS)("variant %o", (variant) => {
  test("speak, be interrupted, speak again, keep alive, stop", async () => {
    const { conn, id } = await connect(server, variant);
    const seen: string[] = [];
    conn.on("agent.speak_ended", (e) => seen.push(`ended ${e.type}`));
    conn.on("agent.state_updated", (e) => seen.push(`state ${e.new_state}`));

    const first = conn.speak(tone(300));
    const second = conn.speak(tone(200));
    await first;
    await second;

    const long = conn.speak(tone(3000));
    await long.sent;
    await until(() => conn.talking);
    conn.interrupt();
    await expect(long).rejects.toBeInstanceOf(SpeechInterruptedError);

    const again = conn.speak(tone(100));
    await expect(again).resolves.toBeUndefined();
    const keepAliveId = conn.keepAlive();
    await until(() => messagesOf(server, id).some((m) => m.event_id === keepAliveId));
    await conn.close();

    const messages = messagesOf(server, id);
    const types = messages.map((m) => m.type);
    const ends = types.flatMap((t, i) => (t === "agent.speak_end" ? [i] : []));
    expect(ends).toHaveLength(4);
    const interrupt = types.indexOf("agent.interrupt");
    expect(interrupt).toBeGreaterThan(ends[2]!);
    expect(interrupt).toBeLessThan(ends[3]!);
    expect(types.at(-1)).toBe("session.keep_alive");
    // one event_id per utterance, on every packet and on its speak_end, and it is the Speech's
    for (const speech of [first, second, long, again]) {
      const mine = messages.filter((m) => m.event_id === speech.eventId).map((m) => m.type);
      expect(mine.at(-1)).toBe("agent.speak_end");
      expect(mine.slice(0, -1).every((t) => t === "agent.speak")).toBe(true);
    }
    expect(server.violations()).toEqual([]);
    expect(seen.length).toBeGreaterThan(0);
  });
});

test("packets: ~600 ms first, then 1 s, the remainder last; a stream that splits samples is reassembled", async () => {
  const { conn, id } = await connect(server);
  await conn.speak(tone(2900));
  const sizes = () =>
    messagesOf(server, id)
      .filter((m) => m.type === "agent.speak")
      .map((m) => (String(m.audio).length / 4) * 3);
  expect(sizes()).toEqual([28_800, 48_000, 48_000, 14_400]);

  const bytes = new Uint8Array(tone(1000).buffer);
  async function* tts(): AsyncGenerator<Uint8Array | ArrayBuffer> {
    // odd-sized pieces: samples straddle chunk boundaries, as TTS streams do
    for (let i = 0; i < bytes.length; i += 4_801) {
      const piece = bytes.slice(i, i + 4_801);
      yield i % 2 === 0 ? piece : piece.buffer;
    }
  }
  const before = sizes().length;
  await conn.speak(tts(), { eventId: "stream-1" });
  expect(sizes().slice(before)).toEqual([28_800, 19_200]);
  const sent = messagesOf(server, id).filter((m) => m.event_id === "stream-1" && m.type === "agent.speak");
  const joined = sent.map((m) => Uint8Array.from(atob(String(m.audio)), (c) => c.charCodeAt(0)));
  expect(Buffer.concat(joined).equals(Buffer.from(bytes))).toBe(true);
  await conn.close();
});

test("framing is configurable, and ArrayBuffer and Uint8Array inputs are accepted", async () => {
  const { conn, id } = await connect(server, {}, { firstPacketMs: 100, packetMs: 200 });
  await conn.speak(new Uint8Array(tone(500).buffer));
  await conn.speak(tone(100).buffer as ArrayBuffer);
  const sizes = messagesOf(server, id)
    .filter((m) => m.type === "agent.speak")
    .map((m) => (String(m.audio).length / 4) * 3);
  expect(sizes).toEqual([4_800, 9_600, 9_600, 4_800]);
  await conn.close();
});

test("bad audio is refused, typed, before anything is sent", async () => {
  const { conn, id } = await connect(server);
  expect(() => conn.speak(new Uint8Array(3))).toThrow(InvalidAudioError);
  expect(() => conn.speak(new Float32Array(4) as never)).toThrow(/convert float samples/);
  expect(() => conn.speak("AAAA" as never)).toThrow(InvalidAudioError);
  expect(() => conn.speak(null as never)).toThrow(InvalidAudioError);
  expect(() => conn.speak(new Uint8Array(0))).toThrow(/empty/);
  expect(() => conn.speak(tone(10), { eventId: "" })).toThrow(/eventId/);
  await new Promise((resolve) => setTimeout(resolve, 30));
  expect(messagesOf(server, id)).toEqual([]);

  // in a stream, a bad chunk stops the utterance: what was sent is ended, the speech rejects
  function* stream(): Generator<unknown> {
    yield tone(700);
    yield "oops";
  }
  const speech = conn.speak(stream() as never);
  await expect(speech).rejects.toBeInstanceOf(InvalidAudioError);
  await until(() => messagesOf(server, id).length === 2);
  const types = messagesOf(server, id).map((m) => m.type);
  expect(types).toEqual(["agent.speak", "agent.speak_end"]);
  await expect(conn.speak([new Uint8Array(3)])).rejects.toThrow(/odd number of bytes/);
  await expect(conn.speak([])).rejects.toThrow(/empty/);
  await conn.close();
});

test("an error frame naming a speech rejects it, typed; the event still arrives and the socket stays open", async () => {
  const { conn, id } = await connect(server, { playMsPerSecond: 2000 });
  const errors: LiteConnectionEvent[] = [];
  conn.on("error", (e) => errors.push(e));
  conn.on("warning", (e) => errors.push(e));
  const speech = conn.speak(tone(200));
  await speech.sent;
  server.send(id, {
    type: "error",
    error: { type: "invalid_request_error", message: "invalid base64 audio data", event_id: speech.eventId },
  });
  server.send(id, { type: "warning", warning: { type: "rate", message: "slow down" } });
  const error = await rejectionOf(speech);
  expect(error).toBeInstanceOf(RealtimeServerError);
  expect(error).toMatchObject({ errorType: "invalid_request_error", eventId: speech.eventId });
  await until(() => errors.length === 2);
  expect(errors.map((e) => e.type)).toEqual(["error", "warning"]);
  expect(conn.state).toBe("open");
  conn.interrupt();
  await conn.close();
});

test("the server interrupting a speech (agent.speak_interrupted) rejects it", async () => {
  const { conn, id } = await connect(server, { playMsPerSecond: 5000 });
  const speech = conn.speak(tone(100));
  await until(() => conn.talking);
  server.send(id, { type: "agent.speak_interrupted", event_id: speech.eventId });
  await expect(speech).rejects.toThrow(/interrupted by the server/);
  await conn.close();
});

test("interrupt stops the local send loop first: no packet of an interrupted utterance follows agent.interrupt", async () => {
  const { conn, id } = await connect(server);
  async function* slow(): AsyncGenerator<Int16Array> {
    for (let i = 0; i < 50; i++) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      yield tone(100);
    }
  }
  const speech = conn.speak(slow());
  await until(() => messagesOf(server, id).length >= 1);
  conn.interrupt();
  await expect(speech).rejects.toBeInstanceOf(SpeechInterruptedError);
  await new Promise((resolve) => setTimeout(resolve, 60));
  const types = messagesOf(server, id).map((m) => m.type);
  expect(types.at(-1)).toBe("agent.interrupt");
  expect(types.filter((t) => t === "agent.speak_end")).toEqual([]);
  await conn.close();
});

test("sending waits while the socket's bufferedAmount is above the high-water mark", async () => {
  const { WebSocket: Ws } = await import("ws");
  let backlog = true;
  // A real ws socket that reports a backlog until the test lifts it.
  class Backlogged extends Ws {}
  const real = Object.getOwnPropertyDescriptor(Ws.prototype, "bufferedAmount")!.get!;
  Object.defineProperty(Backlogged.prototype, "bufferedAmount", {
    get(this: InstanceType<typeof Ws>) {
      return backlog ? 10_000_000 : (real.call(this) as number);
    },
  });
  const { conn, id } = await connect(server, {}, { WebSocket: Backlogged as never, highWaterMark: 1000 });
  const speech = conn.speak(tone(300));
  await new Promise((resolve) => setTimeout(resolve, 60));
  expect(messagesOf(server, id)).toEqual([]);
  backlog = false;
  await speech;
  expect(messagesOf(server, id).map((m) => m.type)).toEqual(["agent.speak", "agent.speak_end"]);
  await conn.close();
});

test("speaking on a closed connection rejects with RealtimeConnectionError", async () => {
  const { conn } = await connect(server);
  await conn.close();
  await expect(conn.speak(tone(10))).rejects.toBeInstanceOf(RealtimeConnectionError);
  expect(() => conn.startListening()).toThrow(RealtimeConnectionError);
  expect(() => conn.interrupt()).not.toThrow();
});

test.each(["speak", "state", "both"] as const)(
  "%s signals: interrupting before the avatar starts, late events about the interrupted speech do not touch the next",
  async (signals) => {
    const { conn } = await connect(server, { signals, playMsPerSecond: 100 });
    for (let round = 0; round < 3; round++) {
      const long = conn.speak(tone(1000));
      await long.sent;
      conn.interrupt(); // the server may already have sent speak_started for it
      await expect(long).rejects.toBeInstanceOf(SpeechInterruptedError);
      await expect(conn.speak(tone(200))).resolves.toBeUndefined();
    }
    expect(server.violations()).toEqual([]);
    await conn.close();
  },
);
