// Each 2026-12 LITE variant, played by the fake on a fake clock: fresh server ids with the
// speech's in `source_event_id`, `agent.idle_*` between sentences, `error` with a top-level
// `event_id`, `video_starvation` when playback outruns the audio, `server_error`, `warning`.
// Every frame the fake sends is checked against asyncapi.yaml here too.
import { afterAll, afterEach, beforeAll, beforeEach, expect, test, vi } from "vitest";
import { liteEventSchemas } from "../../generated/event-schemas.ts";
import { LiteConnection, RealtimeServerError } from "../../src/realtime/index.ts";
import { validateEvent } from "../../src/testing/lite-validate.ts";
import { startLiteFake, type LiteFake, type LiteVariant } from "../../src/testing/index.ts";
import { advance, audio, connectedPeer, drive, speakingTypes, type Peer } from "./lite-fake-helpers.ts";

let fake: LiteFake;
const clients: Peer[] = [];
beforeAll(async () => {
  fake = await startLiteFake({ onWarning: () => {} });
});
afterAll(() => fake.close());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
});
afterEach(() => {
  vi.useRealTimers();
  // Whatever the variant, the fake said only what the spec allows, and nothing of its own failed.
  for (const client of clients.splice(0)) {
    for (const frame of client.frames) {
      const schema = liteEventSchemas[String(frame.type)];
      if (!String(frame.type).startsWith("barrier"))
        expect(schema && validateEvent(schema, frame), JSON.stringify(frame)).toEqual([]);
    }
    client.socket.close();
  }
  expect(fake.warnings.filter((w) => w.kind === "internal_error")).toEqual([]);
});

let sessions = 0;
async function session(variant: LiteVariant): Promise<Peer> {
  const client = await connectedPeer(fake.wsUrlFor(`variant-${++sessions}`, variant));
  clients.push(client);
  return client;
}

const of = (client: Peer, type: string) => client.frames.filter((f) => f.type === type);
const errors = (client: Peer) => of(client, "error").filter((f) => !JSON.stringify(f).includes("barrier"));

test('speakEventId "server_with_source": a fresh server event_id per event, the speech\'s id in source_event_id', async () => {
  const client = await session({ speakEventId: "server_with_source", signals: "both", playMsPerSecond: 100 });
  client.send({ type: "agent.speak", event_id: "s1", audio: audio(1000) });
  client.send({ type: "agent.speak_end", event_id: "s1" });
  await advance(client, 100);
  const [started, ended] = [of(client, "agent.speak_started")[0]!, of(client, "agent.speak_ended")[0]!];
  expect(started).toMatchObject({ source_event_id: "s1", event_id: expect.stringMatching(/^srv-/) });
  expect(ended).toMatchObject({ source_event_id: "s1", event_id: expect.stringMatching(/^srv-/) });
  expect(started.event_id).not.toBe(ended.event_id);
  expect(of(client, "agent.state_updated")[0]).toMatchObject({ source_event_id: null, event_id: expect.any(String) });
});

test("idleEvents: idle starts and ends between the sentences (packets) of a speech and after it", async () => {
  const client = await session({ idleEvents: true, playMsPerSecond: 100 });
  for (let i = 0; i < 3; i++) client.send({ type: "agent.speak", event_id: "s1", audio: audio(1000) });
  client.send({ type: "agent.speak_end", event_id: "s1" });
  await advance(client, 300);
  const idle = ["agent.idle_started", "agent.idle_ended"];
  expect(speakingTypes(client)).toEqual([
    "agent.speak_started",
    ...idle,
    ...idle,
    "agent.speak_ended",
    "agent.idle_started",
  ]);
  expect(of(client, "agent.idle_started")[0]).toMatchObject({ source_event_id: "s1" });
});

test("idle between sentences settles nothing: the client's speech settles on its speak_ended only", async () => {
  const url = fake.wsUrlFor(`variant-${++sessions}`, {
    idleEvents: true,
    speakEventId: "server_with_source",
    playMsPerSecond: 100,
  });
  const conn = await drive(LiteConnection.connect(url, { connectTimeout: 2000 }));
  const first = conn.speak(new Int16Array(24_000 * 3));
  const second = conn.speak(new Int16Array(24_000));
  let firstDone = false;
  void first.then(() => (firstDone = true));
  await drive(first.sent);
  await vi.advanceTimersByTimeAsync(250); // two sentence boundaries of the first speech have passed
  await new Promise((resolve) => setImmediate(resolve));
  expect(firstDone).toBe(false);
  await drive(Promise.all([first, second]), 50);
  await drive(conn.close());
});

test('errorEventId "both": a refused command is named at the top level of `error` as well as inside it', async () => {
  const client = await session({ errorEventId: "both" });
  client.send({ type: "agent.speak", event_id: "bad", audio: "not base64!" });
  await advance(client, 0);
  expect(errors(client)).toEqual([
    {
      type: "error",
      event_id: "bad",
      error: { type: "invalid_request_error", message: expect.any(String), event_id: "bad" },
    },
  ]);
});

test("starvation: video_starvation each time playback runs out of audio before the speak_end, none otherwise", async () => {
  const client = await session({ starvation: true });
  client.send({ type: "agent.speak", event_id: "s1", audio: audio(500) });
  await advance(client, 499);
  expect(errors(client)).toEqual([]);
  await advance(client, 1);
  expect(errors(client)).toEqual([
    {
      type: "error",
      error: { type: "video_starvation", message: expect.stringMatching(/slower than real time/), event_id: "s1" },
    },
  ]);
  client.send({ type: "agent.speak", event_id: "s1", audio: audio(500) });
  client.send({ type: "agent.speak_end", event_id: "s1" });
  await advance(client, 500);
  expect(errors(client)).toHaveLength(1); // audio was there this time: no second starvation
  expect(speakingTypes(client)).toEqual(["agent.speak_started", "agent.speak_ended"]);
});

test("serverErrorOnSpeech: that speech is refused with server_error and never plays; the others do", async () => {
  const client = await session({ serverErrorOnSpeech: 2, playMsPerSecond: 100 });
  for (const id of ["s1", "s2", "s3"]) {
    client.send({ type: "agent.speak", event_id: id, audio: audio(1000) });
    client.send({ type: "agent.speak", event_id: id, audio: audio(1000) });
    client.send({ type: "agent.speak_end", event_id: id });
  }
  await advance(client, 400);
  expect(errors(client)).toEqual([
    { type: "error", error: { type: "server_error", message: expect.any(String), event_id: "s2" } },
  ]);
  expect(of(client, "agent.speak_ended").map((f) => f.event_id)).toEqual(["s1", "s3"]);
});

test("the client's speech refused with server_error rejects with RealtimeServerError", async () => {
  const url = fake.wsUrlFor(`variant-${++sessions}`, { serverErrorOnSpeech: 1, playMsPerSecond: 20 });
  const conn = await drive(LiteConnection.connect(url, { connectTimeout: 2000 }));
  const speech = conn.speak(new Int16Array(2400));
  const outcome = await drive(
    speech.then(
      () => "resolved",
      (e: unknown) => e,
    ),
    10,
  );
  expect(outcome).toBeInstanceOf(RealtimeServerError);
  await drive(conn.close());
});

test("warnings: a packet longer than 1 s gets a `warning` frame naming it", async () => {
  const client = await session({ warnings: true, playMsPerSecond: 100 });
  client.send({ type: "agent.speak", event_id: "s1", audio: audio(1000) });
  client.send({ type: "agent.speak", event_id: "s1", audio: audio(1500) });
  await advance(client, 0);
  expect(of(client, "warning")).toEqual([
    {
      type: "warning",
      event_id: "s1",
      warning: { type: "packet_too_long", message: expect.any(String), event_id: "s1" },
    },
  ]);
});
