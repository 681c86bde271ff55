// `eventDrift()`: the checker the realtime clients take as their `drift` option. Each inbound
// event is checked against asyncapi.yaml: an event type the spec does not have, a field it does
// not declare, a required field missing, a wrong type; each distinct drift once.
import { fullEventSchemas, liteEventSchemas } from "../../generated/event-schemas.js";
import { jsonTypeOf } from "../schema-check/check.js";
import { DriftLog, driftsOf } from "./record.js";
import type { EventDriftCheck, SpecDrift } from "./types.js";

/** Where each channel names an event's type (asyncapi.yaml's discriminating const). */
const CHANNELS = {
  lite: { key: "type", schemas: liteEventSchemas },
  full: { key: "event_type", schemas: fullEventSchemas },
} as const;

/**
 * An event type is a protocol name (lower-case words joined by `.` and `_`); anything else, such as
 * a token sent where the type belongs, is not repeated in the report.
 */
const EVENT_TYPE = /^(?=.{1,64}$)[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*$/;

export function eventDrift(): EventDriftCheck {
  const log = new DriftLog();
  return { check: (channel, event) => log.fresh(eventDrifts(channel, event)) };
}

function eventDrifts(channel: "lite" | "full", event: unknown): SpecDrift[] {
  const { key, schemas } = CHANNELS[channel];
  const drift = (kind: SpecDrift["kind"], pointer: string, expected: string, received: string, type = "?") => [
    { operation: `${channel} ${type}`, kind, pointer, expected, received },
  ];
  if (jsonTypeOf(event) !== "object") return drift("wrong_type", "", "object", jsonTypeOf(event));
  const type = (event as Record<string, unknown>)[key];
  if (type === undefined) return drift("missing_field", `/${key}`, "present", "absent");
  if (typeof type !== "string") return drift("wrong_type", `/${key}`, "string", jsonTypeOf(type));
  const schema = Object.hasOwn(schemas, type) ? schemas[type] : undefined;
  const name = EVENT_TYPE.test(type) ? type : "(unreadable type)";
  if (!schema) return drift("unknown_event", `/${key}`, Object.keys(schemas).join(", "), "string", name);
  return driftsOf(`${channel} ${type}`, schema, event);
}
