// Reading one WebSocket frame: a JSON object, or nothing (binary, not JSON, not an object).
// Frames are never trusted to be events: the caller checks `type` against the known ones.
import { liteEventTypes, type LiteEvent } from "../../generated/events.js";
import type { EventDriftCheck, SpecDrift } from "../drift/types.js";
import { isRecord, messageOf } from "../guards.js";
import type { LogSinks } from "../log.js";
import type { LiteUnknownEvent } from "./lite-types.js";

const KNOWN = new Set<string>(liteEventTypes);

/** One inbound frame, classified: over the size limit, a known event, or an `unknown` one. */
export type Inbound =
  | { kind: "too_large" }
  | { kind: "unknown"; frame: Record<string, unknown> | undefined; event: LiteUnknownEvent; size: number }
  | { kind: "event"; frame: Record<string, unknown>; event: LiteEvent; size: number };

export function readFrame(data: unknown, maxBytes: number): Inbound {
  const size = frameSize(data);
  if (size > maxBytes) return { kind: "too_large" };
  const frame = parseFrame(data);
  if (frame && typeof frame.type === "string" && KNOWN.has(frame.type))
    return { kind: "event", frame, event: frame as unknown as LiteEvent, size };
  const eventType = typeof frame?.type === "string" ? frame.type : undefined;
  return { kind: "unknown", frame, event: { type: "unknown", eventType, data: frame ?? data }, size };
}

/** A frame's size in bytes as far as it can be told without copying it (strings: UTF-16 units). */
export function frameSize(data: unknown): number {
  if (typeof data === "string") return data.length;
  const sized = data as { byteLength?: unknown; size?: unknown } | null;
  return typeof sized?.byteLength === "number" ? sized.byteLength : typeof sized?.size === "number" ? sized.size : 0;
}

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
