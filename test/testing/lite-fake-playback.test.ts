// The LITE fake's playback on a fake clock: real time by default, speech starting as its audio
// arrives (or after its speak_end, or one pair per packet), and a warning when an interrupt comes
// after the speech it meant had already ended. No wall-clock waits: the clock moves only when told.
import { afterAll, afterEach, beforeAll, beforeEach, expect, test, vi } from "vitest";
import { LiteConnection, SpeechInterruptedError } from "../../src/realtime/index.ts";
import { startLiteFake, type LiteFake, type LiteFakeWarning, type LiteVariant } from "../../src/testing/index.ts";
import { advance, audio, barrier, connectedPeer, drive, speakingTypes as types } from "./lite-fake-helpers.ts";

let fake: LiteFake;
const reported: LiteFakeWarning[] = [];
beforeAll(async () => {
  fake = await startLiteFake({ onWarning: (w) => reported.push(w) });
});
afterAll(() => fake.close());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
});
afterEach(() => vi.useRealTimers());

let sessions = 0;
const session = (variant?: LiteVariant) => connectedPeer(fake.wsUrlFor(`play-${++sessions}`, variant));

test("by default speech plays in real time: 2 s of audio ends 2 s after it started", async () => {
  const client = await session();
  client.send({ type: "agent.speak", event_id: "s1", audio: audio(1000) });
  client.send({ type: "agent.speak", event_id: "s1", audio: audio(1000) });
  client.send({ type: "agent.speak_end", event_id: "s1" });
  await advance(client, 0);
  expect(types(client)).toEqual(["agent.speak_started"]);
  await advance(client, 1999);
  expect(types(client)).toEqual(["agent.speak_started"]);
  await advance(client, 1);
  expect(types(client)).toEqual(["agent.speak_started", "agent.speak_ended"]);
  client.socket.close();
});

test("speech starts as its first packet arrives and ends once the last audio played, not a speech later", async () => {
  const client = await session();
  client.send({ type: "agent.speak", event_id: "s1", audio: audio(1000) });
  await advance(client, 0);
  expect(client.frames.find((f) => f.type === "agent.speak_started")).toMatchObject({ event_id: "s1" });
  await advance(client, 600); // the producer streams: the second second arrives while the first plays
  client.send({ type: "agent.speak", event_id: "s1", audio: audio(1000) });
  client.send({ type: "agent.speak_end", event_id: "s1" });
  await advance(client, 1399);
  expect(types(client)).toEqual(["agent.speak_started"]);
  await advance(client, 1);
  expect(types(client)).toEqual(["agent.speak_started", "agent.speak_ended"]);
  client.socket.close();
});

test("a stall (audio slower than real time) waits for more audio; the speech ends only after its speak_end", async () => {
  const client = await session();
  client.send({ type: "agent.speak", event_id: "s1", audio: audio(500) });
  await advance(client, 2000);
  expect(types(client)).toEqual(["agent.speak_started"]);
  client.send({ type: "agent.speak", event_id: "s1", audio: audio(500) });
  client.send({ type: "agent.speak_end", event_id: "s1" });
  await advance(client, 499);
  expect(types(client)).toEqual(["agent.speak_started"]);
  await advance(client, 1);
  expect(types(client)).toEqual(["agent.speak_started", "agent.speak_ended"]);
  client.socket.close();
});

test('playback "after_speak_end": nothing plays until the speak_end, then the whole speech', async () => {
  const client = await session({ playback: "after_speak_end" });
  client.send({ type: "agent.speak", event_id: "s1", audio: audio(1000) });
  await advance(client, 5000);
  expect(types(client)).toEqual([]);
  client.send({ type: "agent.speak_end", event_id: "s1" });
  await advance(client, 999);
  expect(types(client)).toEqual(["agent.speak_started"]);
  await advance(client, 1);
  expect(types(client)).toEqual(["agent.speak_started", "agent.speak_ended"]);
  client.socket.close();
});

test('playback "per_chunk": one speak_started/speak_ended pair per packet (20 ms chunks)', async () => {
  const client = await session({ playback: "per_chunk" });
  for (let i = 0; i < 3; i++) client.send({ type: "agent.speak", event_id: "s1", audio: audio(20) });
  client.send({ type: "agent.speak_end", event_id: "s1" });
  await advance(client, 60);
  const pair = ["agent.speak_started", "agent.speak_ended"];
  expect(types(client)).toEqual([...pair, ...pair, ...pair]);
  client.socket.close();
});

test("playMsPerSecond speeds playback up when a test asks for it: 20 plays 1 s of audio in 20 ms", async () => {
  const client = await session({ playMsPerSecond: 20 });
  client.send({ type: "agent.speak", event_id: "s1", audio: audio(1000) });
  client.send({ type: "agent.speak_end", event_id: "s1" });
  await advance(client, 20);
  expect(types(client)).toEqual(["agent.speak_started", "agent.speak_ended"]);
  client.socket.close();
});

test("an interrupt after the speech ended is recorded and reported; one mid-speech interrupts it", async () => {
  const client = await session();
  reported.length = 0;
  client.send({ type: "agent.speak", event_id: "s1", audio: audio(100) });
  client.send({ type: "agent.speak_end", event_id: "s1" });
  await advance(client, 300);
  client.send({ type: "agent.interrupt", event_id: "i1" });
  await advance(client, 0);
  expect(reported).toEqual([expect.objectContaining({ kind: "interrupt_after_speech_ended" })]);
  expect(reported[0]!.message).toMatch(/200 ms after speech s1 had ended/);
  expect(fake.warnings.at(-1)).toEqual(reported[0]);

  client.send({ type: "agent.speak", event_id: "s2", audio: audio(1000) });
  client.send({ type: "agent.speak_end", event_id: "s2" });
  await advance(client, 500);
  client.send({ type: "agent.interrupt", event_id: "i2" });
  await advance(client, 1000);
  expect(types(client).slice(-2)).toEqual(["agent.speak_started", "agent.speak_interrupted"]);
  expect(reported).toHaveLength(1);
  client.socket.close();
});

test("the client's interrupt meets a 10 s speech still playing at the default speed (issue 19)", async () => {
  const conn = await drive(LiteConnection.connect(fake.wsUrlFor(`client-${++sessions}`), { connectTimeout: 2000 }));
  reported.length = 0;
  const long = conn.speak(new Int16Array(24_000 * 10));
  await drive(long.sent);
  await vi.advanceTimersByTimeAsync(3000);
  conn.interrupt();
  expect(
    await drive(
      long.then(
        () => "resolved",
        (e: unknown) => e,
      ),
    ),
  ).toBeInstanceOf(SpeechInterruptedError);
  expect(reported).toEqual([]);
  await drive(conn.close());
});

test("more than 10 000 packets waiting to play are refused with an error", async () => {
  const client = await session();
  // One packet plays at once; 10 000 more wait; the next two are refused.
  for (let i = 0; i < 10_003; i++) client.send({ type: "agent.speak", event_id: "s1", audio: "AAAAAAAA" });
  await barrier(client);
  const errors = client.frames.filter((f) => f.type === "error" && JSON.stringify(f).includes("too many packets"));
  expect(errors).toHaveLength(2);
  client.socket.close();
});
