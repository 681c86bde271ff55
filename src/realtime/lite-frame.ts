// Reading one WebSocket frame: a JSON object, or nothing (binary, not JSON, not an object).
// Frames are never trusted to be events: the caller checks `type` against the known ones.
import type { EventDriftCheck, SpecDrift } from "../drift/types.js";
import { isRecord, messageOf } from "../guards.js";
import type { LogSinks } from "../log.js";

/** The checker's drifts for one frame; a checker that throws is logged, never the caller's problem. */
export function checkDrift(drift: EventDriftCheck, frame: unknown, log: LogSinks): readonly SpecDrift[] {
  try {
    return drift.check("lite", frame);
  } catch (error) {
    log.warn?.(`the drift check threw: ${messageOf(error)}`);
    return [];
  }
}

export function parseFrame(data: unknown): Record<string, unknown> | undefined {
  if (typeof data !== "string") return undefined;
  try {
    const parsed: unknown = JSON.parse(data);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
