// FULL-mode commands. No LiveKit server runs here: the tests use the in-memory room of
// createFullModeFake (a page side implementing the structural room interface, a scripted avatar on
// the other), which checks every published command against asyncapi.yaml. One test drives a real
// livekit-client Room object (not connected) to show that its events and publishData fit.
import { DisconnectReason, Room, RoomEvent } from "livekit-client";
import { expect, expectTypeOf, test } from "vitest";
import { LiveAvatarError } from "../../src/errors.ts";
import {
  FullModeEndedError,
  FullModeConnection,
  FullModeEvents,
  FullModePublishError,
  RealtimeArgumentError,
  RealtimeConnectionError,
  type FullModeRoom,
} from "../../src/realtime/index.ts";
import { createFullModeFake } from "../../src/testing/index.ts";
import { advance, attach, collectUntil, fakeClock } from "./full-helpers.ts";
import { rejectionOf } from "../support/client.ts";

test("every command is published once, reliably, on agent-control, with an event_id and the session_id", async () => {
  const mock = createFullModeFake({ pushToTalk: "answer" });
  const events = attach(mock.room, { sessionId: "sess-1" });
  const ids = [
    await events.speakText("Hello there"),
    await events.speakResponse("What can you do?"),
    await events.interrupt(),
    await events.startListening(),
    await events.stopListening(),
  ];
  await events.startPushToTalk();
  await events.stopPushToTalk();
  expect(mock.violations()).toEqual([]);
  expect(mock.received.map((c) => c.event_type)).toEqual([
    "avatar.speak_text",
    "avatar.speak_response",
    "avatar.interrupt",
    "avatar.start_listening",
    "avatar.stop_listening",
    "user.start_push_to_talk",
    "user.stop_push_to_talk",
  ]);
  expect(mock.received.slice(0, 5).map((c) => c.event_id)).toEqual(ids);
  expect(new Set(mock.received.map((c) => c.event_id)).size).toBe(7);
  for (const command of mock.received) expect(command.session_id).toBe("sess-1");
  expect(mock.received[0]).toMatchObject({ text: "Hello there" });
  expect(mock.received[1]).toMatchObject({ text: "What can you do?" });
});

test("without a sessionId, commands carry no session_id (as the web SDK sends them)", async () => {
  const mock = createFullModeFake();
  const events = attach(mock.room);
  await events.interrupt();
  expect(mock.received[0]).not.toHaveProperty("session_id");
  expect(mock.violations()).toEqual([]);
});

test("speakText and speakResponse: the avatar's speech events arrive in order on the iterator", async () => {
  const mock = createFullModeFake({ reply: (text) => `You asked: ${text}` });
  const events = attach(mock.room);
  const spoken = collectUntil(events, "avatar.speak_ended");
  const id = await events.speakResponse("the weather");
  const seen = await spoken;
  expect(seen.map((e) => e.type)).toEqual(["avatar.speak_started", "avatar.transcription", "avatar.speak_ended"]);
  expect(seen[0]).toMatchObject({ event_type: "avatar.speak_started", source_event_id: id });
  expect(seen[1]).toMatchObject({ text: "You asked: the weather" });
});

test("interrupt cuts the avatar's speech short", async () => {
  fakeClock();
  const mock = createFullModeFake({ speakMs: 10_000 });
  const events = attach(mock.room);
  const types: string[] = [];
  events.on("avatar.speak_started", (e) => types.push(e.type));
  events.on("avatar.speak_ended", (e) => types.push(e.type));
  await events.speakText("a very long story");
  await advance(5_000);
  expect(types).toEqual(["avatar.speak_started"]); // still speaking halfway through
  await events.interrupt();
  await advance();
  expect(types).toEqual(["avatar.speak_started", "avatar.speak_ended"]); // at once, not 5 s later
  expect(mock.received.map((c) => c.event_type)).toEqual(["avatar.speak_text", "avatar.interrupt"]);
});

test("bad text and text over LiveKit's 15 KiB packet limit are refused before anything is published", async () => {
  const mock = createFullModeFake();
  const events = attach(mock.room);
  for (const text of ["", "   ", 42, undefined, null]) {
    await expect(events.speakText(text as string)).rejects.toThrow(RealtimeArgumentError);
  }
  await expect(events.speakResponse("")).rejects.toThrow("text must be a non-empty string");
  const tooLong = events.speakText("é".repeat(8_000)); // 16 000 bytes of UTF-8
  await expect(tooLong).rejects.toThrow(RealtimeArgumentError);
  await expect(tooLong).rejects.toThrow(/at most 15360/);
  await events.speakText("a".repeat(15_000)); // fits
  expect(mock.received).toHaveLength(1);
});

test("attach refuses what is not a room, and bad options", () => {
  for (const room of [undefined, null, {}, { on() {}, off() {} }, "room"]) {
    expect(() => FullModeConnection.attach(room as unknown as FullModeRoom)).toThrow(RealtimeArgumentError);
  }
  const { room } = createFullModeFake();
  expect(() => FullModeConnection.attach(room, { sessionId: "" })).toThrow(/sessionId/);
  expect(() => FullModeConnection.attach(room, { pushToTalkTimeout: 0 })).toThrow(/pushToTalkTimeout/);
  expect(() => FullModeConnection.attach(room, { pushToTalkTimeout: Number.NaN })).toThrow(RealtimeArgumentError);
});

test("every command after detach() rejects with FullModeEndedError and publishes nothing", async () => {
  const mock = createFullModeFake();
  const events = attach(mock.room);
  events.detach();
  events.detach(); // twice is harmless
  expect(events.state).toBe("ended");
  expect(await events.ended).toEqual({ type: "ended", reason: "detached" });
  const calls = [
    events.speakText("hi"),
    events.speakResponse("hi"),
    events.interrupt(),
    events.startListening(),
    events.stopListening(),
    events.startPushToTalk(),
    events.stopPushToTalk(),
  ];
  for (const call of calls) {
    const error = await rejectionOf(call);
    expect(error).toBeInstanceOf(FullModeEndedError);
    expect(error).toBeInstanceOf(RealtimeConnectionError);
    expect(error).toBeInstanceOf(LiveAvatarError);
    expect((error as FullModeEndedError).reason).toBe("detached");
  }
  expect(mock.received).toEqual([]);
});

test("a publishData failure becomes FullModePublishError with the room's error as cause", async () => {
  const cause = new Error("UnexpectedConnectionState: PC manager is closed");
  const room: FullModeRoom = {
    localParticipant: { publishData: () => Promise.reject(cause) },
    on: () => undefined,
    off: () => undefined,
  };
  const events = attach(room);
  const error = await rejectionOf(events.interrupt());
  expect(error).toBeInstanceOf(FullModePublishError);
  expect(error).toBeInstanceOf(RealtimeConnectionError);
  expect((error as FullModePublishError).cause).toBe(cause);
  expect((error as Error).message).toBe(
    "could not publish avatar.interrupt on agent-control: UnexpectedConnectionState: PC manager is closed",
  );
  // A push-to-talk whose command could not be sent rejects with that error, not a timeout later.
  await expect(events.startPushToTalk({ timeout: 60_000 })).rejects.toThrow(FullModePublishError);
});

test("a real livekit-client Room fits without a cast: its dataReceived/disconnected events and publishData", async () => {
  const room = new Room(); // never connected: no server here
  expectTypeOf(room).toMatchTypeOf<FullModeRoom>();
  const before = [room.listenerCount(RoomEvent.DataReceived), room.listenerCount(RoomEvent.Disconnected)];
  const events = attach(room, { sessionId: "s-real" });
  expect(room.listenerCount(RoomEvent.DataReceived)).toBe(before[0]! + 1);
  const texts: string[] = [];
  events.on("user.transcription", (event) => texts.push(event.text));
  const payload = new TextEncoder().encode(JSON.stringify({ event_type: "user.transcription", text: "hello" }));
  room.emit(RoomEvent.DataReceived, payload, undefined, undefined, "agent-response");
  room.emit(RoomEvent.DataReceived, payload, undefined, undefined, "lk-chat-topic"); // someone else's data
  expect(texts).toEqual(["hello"]);
  // publishData on a room that is not connected rejects inside livekit-client: a typed error here.
  await expect(events.speakText("hi")).rejects.toThrow(FullModePublishError);
  room.emit(RoomEvent.Disconnected, DisconnectReason.CLIENT_INITIATED);
  expect(await events.ended).toEqual({ type: "ended", reason: "room_disconnected" });
  // detached from the room: the listeners it added are gone
  expect([room.listenerCount(RoomEvent.DataReceived), room.listenerCount(RoomEvent.Disconnected)]).toEqual(before);
});

test("FullModeEvents, the former name, is the same class (deprecated alias)", () => {
  expect(FullModeEvents).toBe(FullModeConnection);
  const handle: FullModeEvents = attach(createFullModeFake().room);
  expect(handle).toBeInstanceOf(FullModeEvents);
});

test("options accept an explicit undefined for every optional field (exactOptionalPropertyTypes)", async () => {
  const maybe = <T>(value: T): T | undefined => value;
  const fake = createFullModeFake({ sessionId: maybe("s"), speakMs: undefined, reply: undefined });
  const events = attach(fake.room, { sessionId: maybe("s"), pushToTalkTimeout: undefined, logger: undefined });
  const started = await events.startPushToTalk({ timeout: undefined, signal: maybe(new AbortController().signal) });
  expect(started.type).toBe("user.push_to_talk_started");
});

test("elevenLabsCommand sends elevenlabs_agent_command with the caller's fields as given", async () => {
  const mock = createFullModeFake({ sessionId: "s-11" });
  const events = attach(mock.room, { sessionId: "s-11" });
  const id = await events.elevenLabsCommand({ text: "hello", nested: { a: 1 } });
  expect(mock.received).toEqual([
    { text: "hello", nested: { a: 1 }, event_type: "elevenlabs_agent_command", event_id: id, session_id: "s-11" },
  ]);
  expect(mock.violations()).toEqual([]);
  for (const bad of [null, [], "x", { event_type: "avatar.interrupt" }, { event_id: "mine" }, { big: 10n }]) {
    await expect(events.elevenLabsCommand(bad as Record<string, unknown>)).rejects.toThrow(RealtimeArgumentError);
  }
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  await expect(events.elevenLabsCommand(cyclic)).rejects.toThrow(/cannot be sent as JSON/);
  expect(mock.received).toHaveLength(1);
});
