// Argument checks of FULL mode: a bad argument is a RealtimeArgumentError raised where the caller
// passed it, before anything is published.
import { isRecord } from "../guards.js";
import { RealtimeArgumentError } from "./errors.js";
import type { FullModeRoom } from "./full-room.js";
import type { FullModeAttachOptions } from "./full-types.js";

export function checkTimeout(value: unknown, name: string): void {
  if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value) || value <= 0)) {
    throw new RealtimeArgumentError(`${name} must be a positive number of milliseconds`);
  }
}

function isRoom(room: unknown): room is FullModeRoom {
  const r = room as Partial<FullModeRoom> | null;
  return (
    typeof r === "object" &&
    r !== null &&
    typeof r.on === "function" &&
    typeof r.off === "function" &&
    typeof r.localParticipant?.publishData === "function"
  );
}

export function checkText(text: unknown): string {
  if (typeof text !== "string" || text.trim().length === 0) {
    throw new RealtimeArgumentError("text must be a non-empty string");
  }
  return text;
}

/** Fields of a passthrough command: a plain object without the envelope's own fields. */
export function checkFields(fields: unknown): Record<string, unknown> {
  if (!isRecord(fields)) {
    throw new RealtimeArgumentError("the command's fields must be a plain object");
  }
  for (const key of ["event_type", "event_id", "session_id"]) {
    if (Object.hasOwn(fields, key)) throw new RealtimeArgumentError(`${key} is set by the client; leave it out`);
  }
  return fields as Record<string, unknown>;
}

/** Throws RealtimeArgumentError for something that is not a room, or a bad option. */
export function checkAttach(room: unknown, options: FullModeAttachOptions): void {
  if (!isRoom(room)) {
    throw new RealtimeArgumentError(
      "FullModeConnection.attach needs a LiveKit Room (on, off and localParticipant.publishData)",
    );
  }
  const { sessionId, maxBufferedEvents: max, drift } = options;
  if (sessionId !== undefined && (typeof sessionId !== "string" || sessionId.length === 0)) {
    throw new RealtimeArgumentError("sessionId must be a non-empty string");
  }
  checkTimeout(options.pushToTalkTimeout, "pushToTalkTimeout");
  checkTimeout(options.publishTimeout, "publishTimeout");
  if (max !== undefined && !(Number.isInteger(max) && max > 0)) {
    throw new RealtimeArgumentError("maxBufferedEvents must be a positive integer");
  }
  if (drift !== undefined && typeof drift?.check !== "function") {
    throw new RealtimeArgumentError("drift must have a check(channel, event) method (see liveavatar-api/drift)");
  }
}
