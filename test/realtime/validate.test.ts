// The mock's small validator (src/testing/lite-validate.ts) against ajv on every generated schema,
// with valid messages and mutations of them, so the shipped mock judges messages as the spec does.
import Ajv2020 from "ajv/dist/2020.js";
import { expect, test } from "vitest";
import {
  fullCommandSchemas,
  fullEventSchemas,
  liteCommandSchemas,
  liteEventSchemas,
  type EventSchema,
} from "../../generated/event-schemas.ts";
import { validateEvent } from "../../src/testing/lite-validate.ts";

const ajv = new Ajv2020({ strict: false, allErrors: true });

const SAMPLES: Record<string, unknown[]> = {
  "agent.speak": [
    { type: "agent.speak", event_id: "e1", audio: "AAAA" },
    { type: "agent.speak", audio: "AAE=" },
    { type: "agent.speak", event_id: "e1", audio: "not base64!" },
    { type: "agent.speak", event_id: "e1", audio: "AAA" },
    { type: "agent.speak", event_id: "e1", audio: "A".repeat(1_000_004) },
    { type: "agent.speak", event_id: "", audio: "AAAA" },
    { type: "agent.speak", event_id: "e1", audio: "AAAA", extra: 1 },
    { type: "agent.speak", event_id: 5, audio: "AAAA" },
  ],
  "agent.interrupt": [{ type: "agent.interrupt" }, { type: "agent.interrupt", event_id: "x" }, { type: "agent.speak" }],
  "session.keep_alive": [{ type: "session.keep_alive", event_id: "k" }, { type: "session.keep_alive" }],
  "session.state_updated": [
    { type: "session.state_updated", state: "connected" },
    { type: "session.state_updated", state: "disconnected" },
    { type: "session.state_updated", state: "sleeping" },
  ],
  "agent.state_updated": [
    { type: "agent.state_updated", previous_state: "idle", new_state: "talking" },
    { type: "agent.state_updated", new_state: "dancing" },
  ],
  error: [
    { type: "error", error: { type: "invalid_request_error", message: "bad", event_id: "e" } },
    { type: "error", error: { type: "x" } },
    { type: "error", error: "flat" },
  ],
  "session.stopped": [
    { event_type: "session.stopped", end_reason: "IDLE_TIMEOUT" },
    { event_type: "session.stopped", stop_reason: "USER_CLOSED", session_id: "s" },
    { event_type: "session.stopped" },
    { event_type: "session.stopped", end_reason: "A", stop_reason: "B" },
    { event_type: "session.stopped", end_reason: 5 },
  ],
  "avatar.speak_text": [
    { event_type: "avatar.speak_text", text: "hi", event_id: "e", source_event_id: null },
    { event_type: "avatar.speak_text" },
    { event_type: "avatar.speak_response", text: "hi" },
  ],
};

test("lite-validate agrees with ajv on every schema's verdicts", () => {
  const tables = { ...liteCommandSchemas, ...liteEventSchemas, ...fullCommandSchemas, ...fullEventSchemas };
  let compared = 0;
  for (const [type, schema] of Object.entries(tables) as [string, EventSchema][]) {
    const check = ajv.compile(schema);
    const valid = {
      [type.startsWith("avatar.") || type.startsWith("user.") || type === "session.stopped" ? "event_type" : "type"]:
        type,
    };
    for (const sample of [valid, ...(SAMPLES[type] ?? []), null, [], "text", {}]) {
      const ours = validateEvent(schema, sample);
      expect(ours.length === 0, `${type} ${JSON.stringify(sample)?.slice(0, 80)}: ${ours.join("; ")}`).toBe(
        check(sample) as boolean,
      );
      compared++;
    }
  }
  expect(compared).toBeGreaterThan(150);
});

test("violations name the field and the rule", () => {
  expect(validateEvent(liteCommandSchemas["agent.speak"]!, { type: "agent.speak", audio: "AAA", x: 1 })).toEqual([
    "/audio: shorter than 4",
    "/audio: does not match ^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$",
    '/: unexpected property "x"',
  ]);
  expect(validateEvent(liteCommandSchemas["session.keep_alive"]!, { type: "session.keep_alive" })).toEqual([
    '/: missing "event_id"',
  ]);
});
