// FULL-mode events: typed listeners and the iterator, the web SDK's variants, tolerance for junk and
// unknown event types, other topics and other sessions, and every way the handle ends. No LiveKit
// server runs here: the in-memory room of createFullModeFake stands in for the LiveKit room.
import { expect, expectTypeOf, test } from "vitest";
import type { Logger } from "../../src/log.ts";
import type { FullModeEvent, FullModeUnknownEvent } from "../../src/realtime/index.ts";
import { advance, bytes, collectUntil, fakeClock, setup } from "./full-helpers.ts";

test("on(type) is typed per event and returns an unsubscribe function", async () => {
  const { mock, events } = setup();
  const texts: string[] = [];
  const off = events.on("avatar.transcription", (event) => {
    expectTypeOf(event.text).toEqualTypeOf<string>();
    expectTypeOf(event.type).toEqualTypeOf<"avatar.transcription">();
    texts.push(event.text);
  });
  events.on("session.stopped", (event) => {
    expectTypeOf(event.event_type).toEqualTypeOf<"session.stopped" | "session_stopped">();
    // either spelling's reason can be read without narrowing first
    expectTypeOf(event.end_reason).toEqualTypeOf<string | null | undefined>();
    expectTypeOf(event.stop_reason).toEqualTypeOf<string | null | undefined>();
  });
  const done = collectUntil(events, "avatar.speak_ended");
  await events.speakText("one");
  await done;
  off();
  const again = collectUntil(events, "avatar.speak_ended");
  await events.speakText("two");
  await again;
  expect(texts).toEqual(["one"]);
  expect(mock.violations()).toEqual([]);
});

test("every user/avatar event of the protocol reaches its listener, in order", async () => {
  const { mock, events } = setup({ sessionId: "s1" });
  mock.send({ event_type: "user.speak_started" });
  mock.send({ event_type: "user.transcription.chunk", text: "what is" });
  mock.send({ event_type: "user.speak_ended" });
  mock.send({ event_type: "user.transcription", text: "what is the time", session_id: "s1" });
  mock.send({ event_type: "avatar.speak_started", source_event_id: null });
  mock.send({ event_type: "avatar.transcription.chunk" });
  mock.send({ event_type: "avatar.transcription", text: "noon" });
  mock.send({ event_type: "avatar.speak_ended" });
  const seen = await collectUntil(events, "avatar.speak_ended");
  expect(seen.map((e) => e.type)).toEqual([
    "user.speak_started",
    "user.transcription.chunk",
    "user.speak_ended",
    "user.transcription",
    "avatar.speak_started",
    "avatar.transcription.chunk",
    "avatar.transcription",
    "avatar.speak_ended",
  ]);
  expect(seen[3]).toEqual({
    type: "user.transcription",
    event_type: "user.transcription",
    text: "what is the time",
    session_id: "s1",
  });
});

test("web SDK variants: transcription chunks, and session.stopped with stop_reason or end_reason", async () => {
  for (const field of ["stop_reason", "end_reason"] as const) {
    const { mock, events } = setup({ transcriptionChunks: true, stopReasonField: field });
    const chunks: string[] = [];
    events.on("avatar.transcription.chunk", (event) => chunks.push(event.text ?? ""));
    const said = collectUntil(events, "avatar.transcription");
    await events.speakText("hello big world");
    await said;
    expect(chunks).toEqual(["hello ", "big ", "world"]);
    const stopped = new Promise<FullModeEvent>((resolve) => events.on("session.stopped", resolve));
    mock.stopSession("MAX_DURATION_REACHED");
    expect(await stopped).toMatchObject({ [field]: "MAX_DURATION_REACHED" });
    expect(await events.ended).toEqual({ type: "ended", reason: "session_stopped", endReason: "MAX_DURATION_REACHED" });
    expect(events.state).toBe("ended");
  }
});

test("junk and unknown event types never throw: they arrive as `unknown` events saying why", async () => {
  const logged: string[] = [];
  const logger: Logger = {
    debug: (m) => logged.push(m),
    info: () => {},
    warn: (m) => logged.push(m),
    error: () => {},
  };
  const { mock, events } = setup({}, { logger, logLevel: "debug" });
  mock.sendRaw(new Uint8Array([0xff, 0xfe, 0x00])); // not UTF-8
  mock.sendRaw(bytes("not json {"));
  mock.sendRaw(bytes([1, 2]));
  mock.sendRaw(bytes({ text: "no event_type" }));
  mock.sendRaw(bytes({ event_type: "avatar.thinking", detail: 1 })); // a newer event type
  mock.sendRaw(bytes({ event_type: "user.transcription", text: 5 })); // a known type with a wrong field
  mock.sendRaw(bytes({ event_type: "user.transcription" }));
  mock.sendRaw(bytes({ event_type: "avatar.speak_started", source_event_id: 7 }));
  mock.sendRaw(bytes({ event_type: "user.speak_started" }));
  const seen = await collectUntil(events, "user.speak_started");
  const unknown = seen.filter((e): e is FullModeUnknownEvent => e.type === "unknown");
  expect(unknown.map((e) => [e.eventType, e.problem])).toEqual([
    [undefined, "the payload is not UTF-8"],
    [undefined, "the payload is not JSON"],
    [undefined, "not a JSON object"],
    [undefined, "no string event_type"],
    ["avatar.thinking", 'unknown event_type "avatar.thinking"'],
    ["user.transcription", "text is not a string"],
    ["user.transcription", "text is missing"],
    ["avatar.speak_started", "source_event_id is neither a string nor null"],
  ]);
  expect(unknown[1]!.data).toBe("not json {");
  expect(unknown[4]!.data).toEqual({ event_type: "avatar.thinking", detail: 1 });
  expect(seen.at(-1)!.type).toBe("user.speak_started");
  expect(events.state).toBe("attached");
  expect(logged.filter((line) => line.includes('delivered as "unknown"'))).toHaveLength(8);
});

test("packets on other topics are someone else's: ignored, not even reported as unknown", async () => {
  const { mock, events } = setup();
  const unknown: FullModeEvent[] = [];
  events.on("unknown", (e) => unknown.push(e));
  mock.sendRaw(bytes({ event_type: "user.transcription", text: "chat" }), "chat");
  mock.sendRaw(bytes("junk"), "lk.transcription");
  mock.sendRaw(bytes({ event_type: "user.speak_started" }), "agent-control"); // our own commands' topic
  mock.sendRaw(bytes({ event_type: "user.speak_ended" }));
  const seen = await collectUntil(events, "user.speak_ended");
  expect(seen.map((e) => e.type)).toEqual(["user.speak_ended"]);
  expect(unknown).toEqual([]);
});

test("with a sessionId, events naming another session are ignored; events naming none are kept", async () => {
  const { mock, events } = setup({}, { sessionId: "mine" });
  mock.send({ event_type: "user.transcription", text: "other", session_id: "theirs" });
  mock.send({ event_type: "session.stopped", end_reason: "USER_CLOSED", session_id: "theirs" });
  mock.sendRaw(bytes({ event_type: "avatar.future", session_id: "theirs" }));
  mock.send({ event_type: "user.transcription", text: "no id" });
  mock.send({ event_type: "user.transcription", text: "mine", session_id: "mine" });
  const seen: FullModeEvent[] = [];
  for await (const event of events) {
    seen.push(event);
    if (event.type === "user.transcription" && event.text === "mine") break;
  }
  expect(seen.map((e) => (e.type === "user.transcription" ? e.text : e.type))).toEqual(["no id", "mine"]);
  expect(events.state).toBe("attached");
});

test("a listener that throws is logged and does not stop delivery to the others", async () => {
  const warnings: string[] = [];
  const logger: Logger = { debug: () => {}, info: () => {}, warn: (m) => warnings.push(m), error: () => {} };
  const { mock, events } = setup({}, { logger });
  events.on("user.speak_started", () => {
    throw new Error("listener bug");
  });
  const reached = new Promise((resolve) => events.on("user.speak_started", resolve));
  mock.send({ event_type: "user.speak_started" });
  await reached;
  expect(warnings).toEqual(['[liveavatar] a "user.speak_started" listener threw: listener bug']);
});

test("the iterator ends after `ended`; nothing arrives after detach", async () => {
  fakeClock();
  const { mock, events } = setup();
  const heard: FullModeEvent[] = [];
  events.on("user.speak_started", (e) => heard.push(e));
  const all = (async () => {
    const seen: FullModeEvent[] = [];
    for await (const event of events) seen.push(event);
    return seen;
  })();
  mock.send({ event_type: "user.speak_started" });
  await advance();
  mock.disconnect();
  const seen = await all;
  expect(seen.map((e) => e.type)).toEqual(["user.speak_started", "ended"]);
  expect(seen[1]).toEqual({ type: "ended", reason: "room_disconnected" });

  const second = setup();
  second.events.detach();
  second.events.on("user.speak_started", (e) => heard.push(e));
  second.mock.send({ event_type: "user.speak_started" });
  await advance();
  expect(heard).toHaveLength(1);
  const iterator = second.events.events();
  expect(await iterator.next()).toEqual({ done: true, value: undefined });
});

test("session.stopped ends the handle even when its reason is unreadable or null", async () => {
  const { mock, events } = setup();
  const unknown: FullModeEvent[] = [];
  events.on("unknown", (e) => unknown.push(e));
  mock.sendRaw(bytes({ event_type: "session.stopped", end_reason: 42 }));
  expect(await events.ended).toEqual({ type: "ended", reason: "session_stopped" });
  expect(unknown).toMatchObject([{ eventType: "session.stopped", problem: "end_reason is not a string" }]);

  const second = setup();
  const stopped = new Promise<FullModeEvent>((resolve) => second.events.on("session.stopped", resolve));
  second.mock.sendRaw(bytes({ event_type: "session.stopped", end_reason: null, stop_reason: "IDLE_TIMEOUT" }));
  expect(await stopped).toEqual({
    type: "session.stopped",
    event_type: "session.stopped",
    stop_reason: "IDLE_TIMEOUT",
  });
  expect((await second.events.ended).endReason).toBe("IDLE_TIMEOUT");
});

test("connector sessions: `_chunk` and `session_stopped` arrive under the documented names, as the fake plays them", async () => {
  const { mock, events } = setup({ spelling: "connector", transcriptionChunks: true });
  const chunks: string[] = [];
  events.on("avatar.transcription.chunk", (event) => {
    expectTypeOf(event.event_type).toEqualTypeOf<"avatar.transcription.chunk" | "avatar.transcription_chunk">();
    expect(event.event_type).toBe("avatar.transcription_chunk");
    chunks.push(event.text ?? "");
  });
  const said = collectUntil(events, "avatar.transcription");
  await events.speakText("hello there");
  await said;
  expect(chunks).toEqual(["hello ", "there"]);
  mock.send({ event_type: "user.transcription_chunk", text: "hi" });
  const user = await collectUntil(events, "user.transcription.chunk");
  expect(user.at(-1)).toMatchObject({ type: "user.transcription.chunk", event_type: "user.transcription_chunk" });
  const stopped = new Promise<FullModeEvent>((resolve) => events.on("session.stopped", resolve));
  mock.stopSession("MAX_DURATION_REACHED");
  expect(await stopped).toMatchObject({ event_type: "session_stopped", stop_reason: "MAX_DURATION_REACHED" });
  expect(await events.ended).toEqual({ type: "ended", reason: "session_stopped", endReason: "MAX_DURATION_REACHED" });
  expect(mock.violations()).toEqual([]);
});

test("a session_stopped the client cannot type (no stop_reason) still ends the connection", async () => {
  const { mock, events } = setup();
  const unknown = new Promise<FullModeUnknownEvent>((resolve) => events.on("unknown", resolve));
  mock.sendRaw(bytes({ event_type: "session_stopped" }));
  expect(await unknown).toMatchObject({ eventType: "session_stopped", problem: "stop_reason is missing" });
  expect(await events.ended).toEqual({ type: "ended", reason: "session_stopped" });
});

test("elevenlabs_agent_event passes the agent's event through, typed by its envelope", async () => {
  const { mock, events } = setup();
  const passed = new Promise<FullModeEvent>((resolve) =>
    events.on("elevenlabs_agent_event", (event) => {
      expectTypeOf(event.elevenlabs_event_type).toEqualTypeOf<string>();
      resolve(event);
    }),
  );
  const data = { agent_response_event: { agent_response: "Hello" } };
  mock.send({ event_type: "elevenlabs_agent_event", elevenlabs_event_type: "agent_response", data });
  expect(await passed).toEqual({
    type: "elevenlabs_agent_event",
    event_type: "elevenlabs_agent_event",
    elevenlabs_event_type: "agent_response",
    data,
  });
  const refused = new Promise<FullModeUnknownEvent>((resolve) => events.on("unknown", resolve));
  mock.sendRaw(bytes({ event_type: "elevenlabs_agent_event", elevenlabs_event_type: "x", data: "not an object" }));
  expect((await refused).problem).toBe("data is not an object");
});
