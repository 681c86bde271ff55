// The client's checks on `agent-response` packets against ajv on the schemas generated from
// asyncapi.yaml, over random packets: what the schema accepts becomes a typed event, and a typed
// event is one the schema accepts, save the documented differences on session.stopped's reason
// fields (see src/realtime/full-parse.ts). So a listener's types hold and valid events are not lost.
import Ajv2020 from "ajv/dist/2020.js";
import fc from "fast-check";
import { expect, test } from "vitest";
import { fullEventSchemas } from "../../generated/event-schemas.ts";
import { fullEventTypes } from "../../generated/events.ts";
import { parseFullEvent } from "../../src/realtime/full-parse.ts";

const ajv = new Ajv2020({ strict: false });
const validators = new Map(fullEventTypes.map((type) => [type, ajv.compile(fullEventSchemas[type]!)]));

// Mostly strings (valid for every declared field), sometimes what no field accepts.
const value = fc.oneof(
  { arbitrary: fc.string({ maxLength: 6 }), weight: 8 },
  { arbitrary: fc.constantFrom(null, 0, true, {}), weight: 1 },
);
const packet = fc.record(
  {
    event_type: fc.oneof(fc.constantFrom(...fullEventTypes), fc.constant("avatar.future_event"), fc.integer()),
    event_id: value,
    session_id: value,
    source_event_id: value,
    text: value,
    error: value,
    end_reason: value,
    stop_reason: value,
    extra: value,
  },
  { requiredKeys: ["event_type"] },
);

const encode = (data: unknown) => new TextEncoder().encode(JSON.stringify(data));

test("parseFullEvent accepts exactly what the generated schemas accept", () => {
  let typed = 0;
  fc.assert(
    fc.property(packet, (data) => {
      const event = parseFullEvent(encode(data));
      const validate = typeof data.event_type === "string" ? validators.get(data.event_type as never) : undefined;
      const schemaValid = validate ? validate(data) : false;
      expect(event.type !== "unknown").toBe(schemaValid);
      if (event.type !== "unknown") {
        typed++;
        const expected: Record<string, unknown> = { ...data, type: data.event_type };
        // session.stopped: a null reason next to the string one is left out of the event.
        if (data.event_type === "session.stopped")
          for (const field of ["end_reason", "stop_reason"]) if (expected[field] === null) delete expected[field];
        expect(event).toEqual(expected);
      } else {
        expect(event.problem).toEqual(expect.any(String));
      }
    }),
    { numRuns: 3000, seed: 20261127 },
  );
  expect(typed).toBeGreaterThan(100); // the generator reaches valid events, not only junk
});

test("every FULL event the protocol notes list is known to the client", () => {
  const listed = [
    "user.speak_started",
    "user.speak_ended",
    "avatar.speak_started",
    "avatar.speak_ended",
    "user.transcription",
    "avatar.transcription",
    "user.transcription.chunk",
    "avatar.transcription.chunk",
    "user.push_to_talk_started",
    "user.push_to_talk_start_failed",
    "user.push_to_talk_stopped",
    "user.push_to_talk_stop_failed",
    "session.stopped",
  ];
  for (const eventType of listed) {
    const data =
      eventType === "session.stopped" ? { event_type: eventType, end_reason: "X" } : { event_type: eventType };
    const withText = eventType.endsWith(".transcription") ? { ...data, text: "t" } : data;
    expect(parseFullEvent(encode(withText)).type).toBe(eventType);
  }
  expect([...fullEventTypes].sort()).toEqual([...listed].sort());
});

test("payloads that are not bytes, or are ArrayBuffers, never throw", () => {
  expect(parseFullEvent("a string")).toMatchObject({ type: "unknown", problem: "the payload is not bytes" });
  expect(parseFullEvent(undefined)).toMatchObject({ type: "unknown" });
  const buffer = encode({ event_type: "user.speak_ended" }).buffer;
  expect(parseFullEvent(buffer).type).toBe("user.speak_ended");
  expect(parseFullEvent(new DataView(buffer)).type).toBe("user.speak_ended");
});
