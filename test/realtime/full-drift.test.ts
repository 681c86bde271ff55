// The drift seam in FULL mode: every inbound agent-response packet decoded as JSON goes, as
// received, to the `drift` checker (liveavatar-api/drift builds the real one; here a recording
// checker stands in for it), and each drift it returns arrives as a `drift` event.
import { expect, test } from "vitest";
import type { EventDriftCheck, SpecDrift } from "../../src/drift/types.ts";
import type { Logger } from "../../src/log.ts";
import type { FullModeDriftEvent, FullModeEvent } from "../../src/realtime/index.ts";
import { attach, bytes, handRoom } from "./full-helpers.ts";

const undeclared: SpecDrift = {
  operation: "full avatar.transcription",
  kind: "undeclared_field",
  pointer: "/confidence",
  expected: "absent",
  received: "number",
};

function recorder(answer: (event: unknown) => readonly SpecDrift[] = () => []) {
  const checked: [string, unknown][] = [];
  const drift: EventDriftCheck = {
    check: (channel, event) => {
      checked.push([channel, event]);
      return answer(event);
    },
  };
  return { drift, checked };
}

test("each inbound event is checked as received, and each drift arrives as a `drift` event", () => {
  const { drift, checked } = recorder((event) =>
    (event as { confidence?: number }).confidence !== undefined ? [undeclared] : [],
  );
  const { room, deliver } = handRoom();
  const events = attach(room, { drift, sessionId: "s1" });
  const seen: FullModeEvent[] = [];
  for (const type of ["drift", "avatar.transcription", "unknown"] as const) events.on(type, (e) => seen.push(e));
  deliver(bytes({ event_type: "avatar.transcription", text: "hi", confidence: 0.9 }));
  deliver(bytes({ event_type: "avatar.future_event", x: 1 }));
  deliver(bytes({ event_type: "avatar.transcription", text: "other", session_id: "s2" })); // another session's
  deliver(bytes({ event_type: "avatar.transcription", text: "hi" }), "lk-chat-topic"); // another topic
  deliver(bytes("not json"));
  expect(checked).toEqual([
    ["full", { event_type: "avatar.transcription", text: "hi", confidence: 0.9 }], // no `type` added
    ["full", { event_type: "avatar.future_event", x: 1 }],
  ]);
  const drifts = seen.filter((e): e is FullModeDriftEvent => e.type === "drift");
  expect(drifts).toEqual([{ type: "drift", ...undeclared }]);
  expect(seen.map((e) => e.type)).toEqual(["drift", "avatar.transcription", "unknown", "unknown"]);
});

test("drift events reach the iterator too", async () => {
  const { drift } = recorder(() => [undeclared]);
  const { room, deliver } = handRoom();
  const iterator = attach(room, { drift }).events();
  deliver(bytes({ event_type: "user.speak_started" }));
  expect((await iterator.next()).value).toEqual({ type: "drift", ...undeclared });
  expect((await iterator.next()).value).toMatchObject({ type: "user.speak_started" });
});

test("a checker that throws costs a warning, never the event", () => {
  const warned: string[] = [];
  const logger: Logger = { debug: () => {}, warn: (message) => warned.push(message) };
  const drift: EventDriftCheck = {
    check: () => {
      throw new Error("checker bug");
    },
  };
  const { room, deliver } = handRoom();
  const events = attach(room, { drift, logger });
  const texts: string[] = [];
  events.on("user.transcription", (event) => texts.push(event.text));
  deliver(bytes({ event_type: "user.transcription", text: "kept" }));
  expect(texts).toEqual(["kept"]);
  expect(warned).toEqual(["[liveavatar] the drift check failed: checker bug"]);
});

test("without the option nothing is checked; a drift option without check() is refused", () => {
  expect(() => attach(handRoom().room, { drift: {} as EventDriftCheck })).toThrow(/drift must have a check/);
  expect(() => attach(handRoom().room, { drift: undefined })).not.toThrow();
});
