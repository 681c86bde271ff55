// Reading one WebSocket frame: a JSON object, or nothing (binary, not JSON, not an object).
// Frames are never trusted to be events: the caller checks `type` against the known ones.
import { isRecord } from "../guards.js";

export function parseFrame(data: unknown): Record<string, unknown> | undefined {
  if (typeof data !== "string") return undefined;
  try {
    const parsed: unknown = JSON.parse(data);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
