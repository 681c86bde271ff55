// Frames in and out of the LITE fake: every event it sends is checked against asyncapi.yaml first,
// every client message is parsed and checked against its command's schema.
import { liteCommandSchemas, liteEventSchemas } from "../../../generated/event-schemas.js";
import type { LiteEvent } from "../../../generated/events.js";
import { isRecord } from "../../guards.js";
import { FakeConfigError } from "../errors.js";
import { validateEvent } from "../lite-validate.js";

/** What the fake needs of a `ws` socket (typed structurally: the declarations need no @types/ws). */
export interface FakeSocket {
  readyState: number;
  readonly bufferedAmount: number;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: "message", listener: (data: Uint8Array, isBinary: boolean) => void): void;
  on(event: "close", listener: (code: number) => void): void;
  on(event: "error", listener: (error: Error & { code?: string }) => void): void;
}

/** Throws a FakeConfigError when `event` is outside the spec: the fake only ever says what asyncapi.yaml allows. */
export function checkEvent(event: LiteEvent): void {
  const schema = Object.hasOwn(liteEventSchemas, event.type) ? liteEventSchemas[event.type] : undefined;
  const problems = schema ? validateEvent(schema, event) : [`unknown event type ${event.type}`];
  if (problems.length > 0) throw new FakeConfigError(`lite fake: invalid ${event.type}: ${problems.join("; ")}`);
}

/** Sends `event` on `socket` if it is still open, after checking it against the spec. */
export function emit(socket: FakeSocket, event: LiteEvent): void {
  checkEvent(event);
  if (socket.readyState === 1) socket.send(JSON.stringify(event));
}

export interface ParsedFrame {
  /** The command as parsed, when it was a JSON object with a known `type`. */
  command?: Record<string, unknown> & { type: string };
  /** Why the frame is not a command, or where it breaks its command's schema. */
  violations: string[];
}

const decoder = new TextDecoder();

export function frameText(data: Uint8Array, isBinary: boolean): string {
  return isBinary ? "" : decoder.decode(data);
}

/** Keys that name a prototype: a frame carrying one anywhere is refused, never kept as an object. */
const PROTOTYPE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** Parses a text frame and checks it against its command's schema. */
export function parseFrame(text: string, isBinary: boolean): ParsedFrame {
  if (isBinary) return { violations: ["binary frame"] };
  let parsed: unknown;
  let prototypeKey: string | undefined;
  try {
    parsed = JSON.parse(text, (key, value: unknown) => {
      if (PROTOTYPE_KEYS.has(key)) prototypeKey ??= key;
      return value;
    });
  } catch {
    return { violations: ["not a JSON object"] };
  }
  if (!isRecord(parsed)) return { violations: ["not a JSON object"] };
  if (prototypeKey !== undefined) return { violations: [`forbidden key ${JSON.stringify(prototypeKey)}`] };
  const type = parsed.type;
  const schema =
    typeof type === "string" && Object.hasOwn(liteCommandSchemas, type) ? liteCommandSchemas[type] : undefined;
  if (typeof type !== "string" || !schema) return { violations: [`unknown command ${JSON.stringify(type)}`] };
  return { command: { ...parsed, type }, violations: validateEvent(schema, parsed) };
}

/** Decoded length of (schema-checked) base64. */
export function base64Bytes(text: string): number {
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}
