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
    elevenlabs_event_type: value,
    data: fc.oneof(value, fc.constant({ agent_response: "hi" }), fc.constant([])),
    extra: value,
  },
  { requiredKeys: ["event_type"] },
);

// Connector spellings arrive under the documented name.
const SPELLINGS: Record<string, string> = {
  "user.transcription_chunk": "user.transcription.chunk",
  "avatar.transcription_chunk": "avatar.transcription.chunk",
  session_stopped: "session.stopped",
};

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
        const expected: Record<string, unknown> = { ...data, type: SPELLINGS[data.event_type] ?? data.event_type };
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
    // connector sessions (realtime.md, "Added 2026-12")
    "user.transcription_chunk",
    "avatar.transcription_chunk",
    "session_stopped",
    "elevenlabs_agent_event",
  ];
  const required: Record<string, object> = {
    "session.stopped": { end_reason: "X" },
    session_stopped: { stop_reason: "X" },
    "user.transcription": { text: "t" },
    "avatar.transcription": { text: "t" },
    elevenlabs_agent_event: { elevenlabs_event_type: "agent_response", data: { agent_response: "hi" } },
  };
  for (const eventType of listed) {
    const event = parseFullEvent(encode({ event_type: eventType, ...required[eventType] }));
    expect(event.type).toBe(SPELLINGS[eventType] ?? eventType);
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
