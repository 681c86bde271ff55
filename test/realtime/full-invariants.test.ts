// The reliability invariants (docs/reliability.md) for FULL mode, against a room the test drives:
// the iterator's buffer is bounded, nothing a room delivers can crash the host or touch a
// prototype, every command and push-to-talk promise settles within its bound, and an ended
// connection leaves no timer or room listener behind. Fake timers: no test waits on the clock.
import { beforeEach, expect, test, vi } from "vitest";
import type { Logger } from "../../src/log.ts";
import {
  EventBufferOverflowError,
  FullModeEndedError,
  FullModePublishError,
  PushToTalkTimeoutError,
  type FullModeEvent,
  type FullModeUnknownEvent,
} from "../../src/realtime/index.ts";
import { MAX_INBOUND_PACKET_BYTES } from "../../src/realtime/full-parse.ts";
import { SettleTracker, assertPrototypesClean, seeded, withHostWatch } from "../support/invariants.ts";
import { attach, bytes, fakeClock, handRoom } from "./full-helpers.ts";
import { rejectionOf } from "../support/client.ts";

beforeEach(fakeClock);

const speech = (i: number) => bytes({ event_type: "avatar.transcription", text: `word ${i}` });

test("an iterator nobody reads holds at most maxBufferedEvents, then ends with EventBufferOverflowError", async () => {
  const { room, deliver } = handRoom();
  const events = attach(room, { maxBufferedEvents: 8 });
  const iterator = events.events();
  let heard = 0;
  events.on("avatar.transcription", () => heard++);
  for (let i = 0; i < 10_000; i++) deliver(speech(i));
  expect(heard).toBe(10_000); // listeners lose nothing
  const error = await rejectionOf(iterator.next());
  expect(error).toBeInstanceOf(EventBufferOverflowError);
  expect((error as EventBufferOverflowError).limit).toBe(8);
  expect((error as Error).message).toMatch(/more than 8 unread events.*maxBufferedEvents/);
  expect(await iterator.next()).toEqual({ done: true, value: undefined });
});

test("the default bound is 256; an iterator that keeps up is never cut, however many events pass", async () => {
  const { room, deliver } = handRoom();
  const events = attach(room);
  const reader = events.events();
  const idle = events.events();
  for (let i = 0; i < 2_000; i++) {
    deliver(speech(i));
    const { value } = await reader.next();
    expect((value as FullModeEvent & { text: string }).text).toBe(`word ${i}`);
  }
  await expect(idle.next()).rejects.toMatchObject({ name: "EventBufferOverflowError", limit: 256 });
  events.detach();
  expect((await reader.next()).value).toMatchObject({ type: "ended" });
  expect((await reader.next()).done).toBe(true);
});

test("maxBufferedEvents must be a positive integer", () => {
  for (const bad of [0, -1, 1.5, Number.NaN, "8"]) {
    expect(() => attach(handRoom().room, { maxBufferedEvents: bad as number })).toThrow(/maxBufferedEvents/);
  }
});

test("hostile packets (huge, junk, __proto__ keys, deep nesting) never throw, never pollute, arrive as `unknown`", async () => {
  await withHostWatch(async () => {
    const { room, deliver } = handRoom();
    const throwing: Logger = {
      debug: () => {
        throw new Error("logger down");
      },
      warn: () => {
        throw new Error("logger down");
      },
    };
    const events = attach(room, { logger: throwing, logLevel: "debug" });
    const unknown: FullModeUnknownEvent[] = [];
    const texts: string[] = [];
    events.on("unknown", (event) => unknown.push(event));
    events.on("user.transcription", (event) => texts.push(event.text));
    events.on("user.transcription", () => {
      throw new Error("listener down");
    });

    deliver(new Uint8Array(MAX_INBOUND_PACKET_BYTES + 1).fill(0x7b));
    expect(unknown.at(-1)).toMatchObject({
      data: undefined,
      problem: expect.stringMatching(/over the 65536-byte limit/),
    });
    deliver(new Uint8Array(100 * 1024 * 1024)); // 100 MiB: refused by its length, never decoded
    deliver(bytes("[".repeat(200_000) + "]".repeat(200_000))); // deeper than JSON.parse's stack
    const polluting = '{"event_type":"user.transcription","text":"hi","__proto__":{"polluted":1,"isAdmin":true}}';
    deliver(bytes(polluting));
    deliver(bytes('{"event_type":"constructor","constructor":{"prototype":{"polluted":1}}}'));
    deliver(bytes('{"event_type":"toString"}'));
    deliver(bytes('{"event_type":"user.transcription","__proto__":{"text":"inherited"}}'));
    for (const odd of [null, undefined, "text", 42, {}, { byteLength: 1e12 }, new ArrayBuffer(3)]) deliver(odd);
    const random = seeded(16);
    for (let i = 0; i < 500; i++) {
      const junk = new Uint8Array(random.int(64));
      for (let j = 0; j < junk.length; j++) junk[j] = random.int(256);
      deliver(junk);
    }
    expect(texts).toEqual(["hi"]);
    const typed = unknown.find((e) => e.eventType === "user.transcription");
    expect(typed?.problem).toBe("text is missing"); // a text inherited through __proto__ is not a text
    expect(events.state).toBe("attached");
    assertPrototypesClean();
  });
});

test("a command whose publishData never settles rejects at publishTimeout; none outlives the connection", async () => {
  const tracker = new SettleTracker();
  const { room, listeners } = handRoom("hang");
  const events = attach(room, { publishTimeout: 2_000, pushToTalkTimeout: 60_000 });
  const said = tracker.track("speakText", events.speakText("hello"));
  said.catch(() => {});
  await vi.advanceTimersByTimeAsync(2_000);
  const error = await rejectionOf(said);
  expect(error).toBeInstanceOf(FullModePublishError);
  expect((error as Error).message).toBe(
    "could not publish avatar.speak_text on agent-control: publishData did not settle within 2000 ms",
  );
  // Still publishing (and a push-to-talk still waiting) when the connection ends: each rejects at once.
  const pending = [
    tracker.track("interrupt", events.interrupt()),
    tracker.track("startPushToTalk", events.startPushToTalk()),
    tracker.track("elevenLabsCommand", events.elevenLabsCommand({ text: "x" })),
  ];
  for (const promise of pending) promise.catch(() => {});
  await vi.advanceTimersByTimeAsync(10);
  expect(tracker.pending).toHaveLength(3);
  events.detach();
  await vi.advanceTimersByTimeAsync(0);
  tracker.assertAllSettled();
  for (const promise of pending) expect(await rejectionOf(promise)).toBeInstanceOf(FullModeEndedError);
  expect(vi.getTimerCount()).toBe(0); // no publish or push-to-talk timer left behind
  expect(listeners()).toBe(0); // and no listener on the room
});

test("a push-to-talk nobody answers settles at its timeout and takes its timer with it", async () => {
  const { room } = handRoom();
  const events = attach(room, { pushToTalkTimeout: 5_000 });
  const wait = events.startPushToTalk();
  wait.catch(() => {});
  await vi.advanceTimersByTimeAsync(4_999);
  expect(vi.getTimerCount()).toBe(1);
  await vi.advanceTimersByTimeAsync(1);
  expect(await rejectionOf(wait)).toBeInstanceOf(PushToTalkTimeoutError);
  expect(vi.getTimerCount()).toBe(0);
});

test("every way the connection ends leaves no timer and no room listener", async () => {
  for (const end of ["detach", "disconnect", "stopped"] as const) {
    const { room, listeners, deliver, disconnect } = handRoom();
    const events = attach(room);
    const waits = [events.startPushToTalk(), events.stopPushToTalk({ signal: new AbortController().signal })];
    for (const wait of waits) wait.catch(() => {});
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(2);
    if (end === "detach") events.detach();
    else if (end === "disconnect") disconnect();
    else deliver(bytes({ event_type: "session.stopped", end_reason: "USER_CLOSED" }));
    for (const wait of waits) expect(await rejectionOf(wait)).toBeInstanceOf(FullModeEndedError);
    expect(vi.getTimerCount()).toBe(0);
    expect(listeners()).toBe(0);
  }
});
