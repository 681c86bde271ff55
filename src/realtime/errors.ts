// Errors of the realtime clients. Each extends the package's hierarchy so one `instanceof
// LiveAvatarError` (or APIConnectionError / APIUserAbortError) check covers REST and realtime alike.
// Messages never contain `ws_url`: it is a bearer capability (see redactUrl).
import { APIConnectionError, APIConnectionTimeoutError, LiveAvatarError } from "liveavatar-api";

/** A bad argument (URL, option, audio), refused before anything is sent. */
export class RealtimeArgumentError extends LiveAvatarError {
  override name = "RealtimeArgumentError";
}

/** Audio that is not PCM16 (odd byte count, wrong type, too large). Nothing of it was sent. */
export class InvalidAudioError extends RealtimeArgumentError {
  override name = "InvalidAudioError";
}

/** Neither a global `WebSocket` nor the `ws` package is available. */
export class WebSocketUnavailableError extends LiveAvatarError {
  override name = "WebSocketUnavailableError";
  constructor(options?: { cause?: unknown }) {
    super(
      "no WebSocket implementation: this runtime has no global WebSocket (Node < 22); run `npm i ws`, or pass the `WebSocket` option",
      options,
    );
  }
}

/** The socket was refused, dropped, or closed while something was pending on it. */
export class RealtimeConnectionError extends APIConnectionError {
  override name = "RealtimeConnectionError";
  constructor(
    message: string,
    /** WebSocket close code, when the socket closed. */
    readonly closeCode?: number,
    /** WebSocket close reason, when the server gave one. */
    readonly closeReason?: string,
  ) {
    super(message);
  }
}

/** The server did not report `connected` in time (it may never send it: realtime.md). */
export class RealtimeConnectTimeoutError extends APIConnectionTimeoutError {
  override name = "RealtimeConnectTimeoutError";
  constructor(timeoutMs: number, detail: string) {
    super("connect", timeoutMs);
    this.message = `no session.state_updated "connected" within ${timeoutMs} ms from ${detail}`;
  }
}

/** A speech was cut short by `interrupt()` (local) or by the server (`agent.speak_interrupted`). */
export class SpeechInterruptedError extends LiveAvatarError {
  override name = "SpeechInterruptedError";
  constructor(
    readonly eventId: string,
    by: "client" | "server",
  ) {
    super(`speech ${eventId} was interrupted by the ${by}`);
  }
}

/** The server answered a command with an `error` frame. */
export class RealtimeServerError extends LiveAvatarError {
  override name = "RealtimeServerError";
  constructor(
    /** `error.type`, e.g. "invalid_request_error". */
    readonly errorType: string | undefined,
    readonly serverMessage: string,
    /** The `event_id` the server named, if any. */
    readonly eventId: string | undefined,
  ) {
    super(`server error${errorType ? ` ${errorType}` : ""}${eventId ? ` for ${eventId}` : ""}: ${serverMessage}`);
  }
}

/**
 * An `events()` iterator fell further behind than its limit (LITE: `maxUnreadEventBytes` of unread
 * events; FULL: `maxBufferedEvents` events): what it held was dropped and the iterator ended.
 * Listeners registered with `on()` are not affected.
 */
export class EventBufferOverflowError extends RealtimeConnectionError {
  override name = "EventBufferOverflowError";
  constructor(
    /** The limit that was passed, in `unit`s. */
    readonly limit: number,
    readonly unit: "bytes" | "events",
    /** The option that sets it. */
    readonly option: "maxUnreadEventBytes" | "maxBufferedEvents",
    /** Events dropped, when counted. */
    readonly dropped?: number,
  ) {
    super(
      `the event iterator held more than ${unit === "bytes" ? `${limit} bytes of unread events` : `${limit} unread events`} (${option})${dropped === undefined ? "" : `; ${dropped} events were dropped`} and was ended: read it faster, use on(), or raise the option`,
    );
  }
}

/** `scheme://host/[redacted]`: what may appear in messages and logs instead of a `ws_url`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}/[redacted]`;
  } catch {
    return "[redacted url]";
  }
}

/** Removes `url` and its path+query from any text (e.g. a runtime's socket error message). */
export function scrub(text: string, url: string): string {
  let out = text.split(url).join("[redacted url]");
  try {
    const { pathname, search } = new URL(url);
    const secret = pathname + search;
    if (secret.length > 1) out = out.split(secret).join("/[redacted]");
  } catch {
    // not a URL: nothing more to remove
  }
  return out;
}
