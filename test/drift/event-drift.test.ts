// eventDrift(): the checker the realtime clients take as `drift`. Each inbound event against
// asyncapi.yaml: unknown event type, undeclared field, missing required field, wrong type; each
// distinct drift once per checker, and never a value in a report.
import { expect, test } from "vitest";
import { eventDrift, MAX_DISTINCT_DRIFTS } from "../../src/drift/index.ts";
import { assertNoSecrets } from "../support/invariants.ts";

const SECRET = "eyJhbGciOiJIUzI1NiJ9.c2Vzc2lvbi10b2tlbg.sig";

test("a LITE event that matches asyncapi.yaml reports nothing", () => {
  const drift = eventDrift();
  expect(drift.check("lite", { type: "agent.speak_started", event_id: "e1", task: { id: "t1" } })).toEqual([]);
  expect(drift.check("full", { event_type: "user.transcription", text: "hello", event_id: "e2" })).toEqual([]);
});

test("unknown type, undeclared field, missing required field and wrong type: one drift each, once", () => {
  const drift = eventDrift();
  const events: ["lite" | "full", unknown][] = [
    ["lite", { type: "agent.dance", moves: SECRET }],
    ["lite", { type: "agent.speak_started", event_id: "e1", session_token: SECRET }],
    ["full", { event_type: "user.transcription", event_id: 7 }],
  ];
  const first = events.flatMap(([channel, event]) => drift.check(channel, event));
  const again = events.flatMap(([channel, event]) => drift.check(channel, event));
  expect(
    first.map((d) => ({ operation: d.operation, kind: d.kind, pointer: d.pointer, received: d.received })),
  ).toEqual([
    { operation: "lite agent.dance", kind: "unknown_event", pointer: "/type", received: "string" },
    { operation: "lite agent.speak_started", kind: "undeclared_field", pointer: "/session_token", received: "string" },
    { operation: "full user.transcription", kind: "wrong_type", pointer: "/event_id", received: "integer" },
    { operation: "full user.transcription", kind: "missing_field", pointer: "/text", received: "absent" },
  ]);
  expect(first[0]!.expected).toContain("agent.speak_started");
  expect(again).toEqual([]);
  assertNoSecrets(first, [SECRET], "drifts");
});

test("events that are not objects, or carry no readable type, are drifts too; a type that is not a name is not repeated", () => {
  const drift = eventDrift();
  expect(drift.check("lite", "text")).toEqual([
    { operation: "lite ?", kind: "wrong_type", pointer: "", expected: "object", received: "string" },
  ]);
  expect(drift.check("full", { text: "hi" })).toEqual([
    { operation: "full ?", kind: "missing_field", pointer: "/event_type", expected: "present", received: "absent" },
  ]);
  const [unknown] = drift.check("lite", { type: SECRET });
  expect(unknown).toMatchObject({ operation: "lite (unreadable type)", kind: "unknown_event" });
  assertNoSecrets(unknown, [SECRET], "drift");
});

test(`a checker remembers at most ${MAX_DISTINCT_DRIFTS} distinct drifts (bounded memory)`, () => {
  const drift = eventDrift();
  let reported = 0;
  for (let i = 0; i < MAX_DISTINCT_DRIFTS + 50; i++) reported += drift.check("lite", { type: `agent.new_${i}` }).length;
  expect(reported).toBe(MAX_DISTINCT_DRIFTS);
});
