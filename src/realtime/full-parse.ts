// Turns one `agent-response` data packet into a typed event, or into an `unknown` event when it
// is not UTF-8 JSON, has no `event_type`, names a type this version does not know, or lacks a field
// the type promises (so a listener typed `text: string` never receives a number). Never throws.
// Connector sessions spell three events differently (`user.transcription_chunk`,
// `avatar.transcription_chunk`, `session_stopped`): each is checked against its own schema, then
// delivered under the one name of its concept (`type`), its `event_type` left as received.
// It follows the schema except on `session.stopped`, where a reason field must be a string or null
// (null counts as absent) and one string reason is enough, even next to another (the schema's
// oneOf refuses both; it lets the other field be anything). FullModeConnection ends on any
// `session.stopped`, typed or not: the session has stopped either way.
// test/realtime/full-parse.test.ts checks these rules against the schemas generated from asyncapi.yaml.
import { fullEventTypes, type FullEventMap } from "../../generated/events.js";
import { isRecord } from "../guards.js";

/** Connector spellings -> the name they are delivered under. */
const SPELLINGS = {
  "user.transcription_chunk": "user.transcription.chunk",
  "avatar.transcription_chunk": "avatar.transcription.chunk",
  session_stopped: "session.stopped",
} as const satisfies Partial<Record<keyof FullEventMap, keyof FullEventMap>>;
type Spelling = typeof SPELLINGS;
/** The connector spellings of event type `K`. */
type SpellingsOf<K> = { [A in keyof Spelling]: Spelling[A] extends K ? A : never }[keyof Spelling];

/** The `type` of every typed `agent-response` event (connector spellings arrive under these). */
export type FullModeEventType = Exclude<keyof FullEventMap, keyof Spelling>;

/**
 * An `agent-response` event as delivered: the message as received, plus `type`, its name (the
 * `event_type`, or for a connector spelling the name it shares with the documented one).
 */
export type FullModeMessage<K extends FullModeEventType = FullModeEventType> = K extends FullModeEventType
  ? Readable<FullEventMap[K] | FullEventMap[SpellingsOf<K>]> & { type: K }
  : never;

type KeysOf<T> = T extends unknown ? keyof T : never;
/** Each member of a union with the others' fields as optional `undefined`: any field can be read. */
type Readable<T, All = T> = T extends unknown ? T & { [P in Exclude<KeysOf<All>, keyof T>]?: undefined } : never;

/** A packet on `agent-response` the client could not deliver as a typed event. */
export interface FullModeUnknownEvent {
  type: "unknown";
  /** The packet's `event_type`, when it had one. */
  eventType?: string;
  /** The parsed JSON, or the decoded text when it was not JSON. */
  data: unknown;
  /** Why it is not a typed event. */
  problem: string;
}

const KNOWN = new Set<string>(fullEventTypes);
const TEXT = new Set(
  ["", ".chunk", "_chunk"].flatMap((suffix) => [`user.transcription${suffix}`, `avatar.transcription${suffix}`]),
);
const FAILED = new Set(["user.push_to_talk_start_failed", "user.push_to_talk_stop_failed"]);
/** Fields an event type requires beside `event_type` (as in asyncapi.yaml). */
const REQUIRED: Partial<Record<string, string>> = {
  "user.transcription": "text",
  "avatar.transcription": "text",
  session_stopped: "stop_reason",
  elevenlabs_agent_event: "elevenlabs_event_type",
};

/** The string fields an event type declares (each optional unless in REQUIRED), as in asyncapi.yaml. */
function stringFields(eventType: string): string[] {
  const fields = ["event_id", "session_id"];
  if (TEXT.has(eventType)) fields.push("text");
  if (FAILED.has(eventType)) fields.push("error");
  if (eventType === "session.stopped") fields.push("end_reason", "stop_reason");
  if (eventType === "session_stopped") fields.push("stop_reason");
  if (eventType === "elevenlabs_agent_event") fields.push("elevenlabs_event_type");
  return fields;
}

/**
 * Largest `agent-response` packet decoded. LiveKit caps a data packet at 16 KiB; this leaves room
 * for a future larger one while bounding what a hostile room can make the client parse and hold.
 */
export const MAX_INBOUND_PACKET_BYTES = 64 * 1024;

// One decoder for every packet; `fatal` so that bytes that are not UTF-8 are reported, not mangled.
let decoder: TextDecoder | undefined;

/** A packet decoded as JSON (any JSON value), or why it could not be. */
export function decodeFullPacket(payload: unknown): { type: "json"; data: unknown } | FullModeUnknownEvent {
  if (!ArrayBuffer.isView(payload) && !(payload instanceof ArrayBuffer))
    return unknown(payload, "the payload is not bytes");
  if (payload.byteLength > MAX_INBOUND_PACKET_BYTES) {
    return unknown(
      undefined,
      `${payload.byteLength} bytes, over the ${MAX_INBOUND_PACKET_BYTES}-byte limit: not decoded`,
    );
  }
  let text: string;
  try {
    text = (decoder ??= new TextDecoder("utf-8", { fatal: true })).decode(payload);
  } catch {
    return unknown(payload, "the payload is not UTF-8");
  }
  try {
    return { type: "json", data: JSON.parse(text) };
  } catch {
    return unknown(text, "the payload is not JSON");
  }
}

export function parseFullEvent(payload: unknown): FullModeMessage | FullModeUnknownEvent {
  const decoded = decodeFullPacket(payload);
  return decoded.type === "json" ? typeFullEvent(decoded.data) : decoded;
}

/** A decoded packet as a typed event, or as `unknown` saying why it is not one. */
export function typeFullEvent(data: unknown): FullModeMessage | FullModeUnknownEvent {
  if (!isRecord(data)) return unknown(data, "not a JSON object");
  const record = data as Record<string, unknown>;
  const eventType = record.event_type;
  if (typeof eventType !== "string") return unknown(data, "no string event_type");
  if (!KNOWN.has(eventType)) return unknown(data, `unknown event_type "${eventType}"`, eventType);
  for (const field of stringFields(eventType)) {
    if (
      Object.hasOwn(record, field) &&
      typeof record[field] !== "string" &&
      !(record[field] === null && eventType === "session.stopped" && field.endsWith("_reason"))
    ) {
      return unknown(data, `${field} is not a string`, eventType);
    }
  }
  if (
    Object.hasOwn(record, "source_event_id") &&
    record.source_event_id !== null &&
    typeof record.source_event_id !== "string"
  ) {
    return unknown(data, "source_event_id is neither a string nor null", eventType);
  }
  const required = REQUIRED[eventType];
  if (required !== undefined && !Object.hasOwn(record, required))
    return unknown(data, `${required} is missing`, eventType);
  if (eventType === "elevenlabs_agent_event" && Object.hasOwn(record, "data") && !isRecord(record.data)) {
    return unknown(data, "data is not an object", eventType);
  }
  const event: Record<string, unknown> = { ...record, type: SPELLINGS[eventType as keyof Spelling] ?? eventType };
  if (eventType === "session.stopped") {
    // A null reason is an absent one (a serialiser's None), so that a typed reason is always a string.
    for (const field of ["end_reason", "stop_reason"]) if (event[field] === null) delete event[field];
    if (!Object.hasOwn(event, "end_reason") && !Object.hasOwn(event, "stop_reason")) {
      return unknown(data, "neither end_reason nor stop_reason", eventType);
    }
  }
  return event as unknown as FullModeMessage;
}

function unknown(data: unknown, problem: string, eventType?: string): FullModeUnknownEvent {
  return eventType === undefined ? { type: "unknown", data, problem } : { type: "unknown", eventType, data, problem };
}
