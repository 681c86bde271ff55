// The LITE client's public types: its options, the events it adds to the protocol's (`ended`,
// `unknown`, `keep_alive_failed`, `drift`) and its states. The protocol's own messages are
// generated from asyncapi.yaml.
import type { LiteEventMap } from "../../generated/events.js";
import type { SpecDrift, EventDriftCheck } from "../drift/types.js";
import type { LogLevel, Logger } from "../log.js";
import type { FramingOptions } from "./audio.js";
import type { WebSocketConstructor } from "./socket.js";

export interface LiteConnectOptions extends FramingOptions {
  /** A WebSocket class to use instead of the runtime's (on Node: `ws` when installed, else the global one). */
  WebSocket?: WebSocketConstructor | undefined;
  /** Milliseconds to wait for `session.state_updated` "connected" (default 10 000). */
  connectTimeout?: number | undefined;
  /**
   * Milliseconds without an outgoing message after which a `session.keep_alive` is sent (default
   * 60 000); every message sent restarts the wait. `false` disables keep-alives.
   */
  keepAliveIdle?: number | false | undefined;
  /** @deprecated use `keepAliveIdle` (the same meaning: an idle time, not a fixed period). */
  keepAliveInterval?: number | false | undefined;
  /**
   * Milliseconds `close()` waits for the peer to finish the close handshake before it drops the
   * connection (default 2 000). `close()` resolves within this bound.
   */
  closeTimeout?: number | undefined;
  /**
   * Largest inbound frame in bytes (default 1 MiB). A larger one ends the connection with reason
   * "frame_too_large" (close code 1009). With `ws` it is refused before it is buffered.
   */
  maxFrameBytes?: number | undefined;
  /**
   * Bytes of events (counted by frame size) one `events()` iterator holds for a reader that has
   * not taken them (default 4 MiB). Past it the iterator fails with EventBufferOverflowError.
   */
  maxUnreadEventBytes?: number | undefined;
  /** Cancels the connect. */
  signal?: AbortSignal | undefined;
  /** Where log lines go (unknown frames at debug, refused keep-alives and listener failures at warn). */
  logger?: Logger | undefined;
  logLevel?: LogLevel | undefined;
  /** Bytes queued on the socket above which the send loop waits (default 1 MB). */
  highWaterMark?: number | undefined;
  /** Checks each inbound event against asyncapi.yaml; each drift it returns is emitted as a "drift" event. */
  drift?: EventDriftCheck | undefined;
}

/** Why the connection ended. */
export type LiteEndReason =
  /** `close()` was called. */
  | "client_closed"
  /** The socket closed without the client asking (server stop, idle timeout, network loss). */
  | "socket_closed"
  /** The server reported the session `closed`/`disconnected`. */
  | "session_closed"
  /** The server said the session does not exist any more (an `error` frame or close reason saying so). */
  | "session_not_found"
  /** The peer sent a frame over `maxFrameBytes`; the connection was closed with code 1009. */
  | "frame_too_large";

export interface LiteEndedEvent {
  type: "ended";
  reason: LiteEndReason;
  closeCode?: number | undefined;
  closeReason?: string | undefined;
  /** The last `session.state_updated` state. */
  sessionState?: string | undefined;
  /** The server's words, for `session_not_found`. */
  message?: string | undefined;
}

/** A frame the client does not know: unparsable, without a string `type`, or a newer event type. */
export interface LiteUnknownEvent {
  type: "unknown";
  /** The frame's `type`, when it had one. */
  eventType?: string | undefined;
  /** The parsed frame, or the raw text when it was not JSON. */
  data: unknown;
}

/**
 * Keep-alives were refused several times in a row (from the second on, once per refusal) with an
 * answer that does not say the session is gone, e.g. "too many requests, try again". Keep-alives
 * go on; the connection stays open.
 */
export interface LiteKeepAliveFailedEvent {
  type: "keep_alive_failed";
  /** Refused keep-alives in a row. */
  failures: number;
  errorType?: string | undefined;
  /** The server's message. */
  message: string;
}

/** An inbound event differed from asyncapi.yaml (see the `drift` option). Never carries a value. */
export type LiteDriftEvent = SpecDrift & { type: "drift" };

export type LiteConnectionEventMap = LiteEventMap & {
  ended: LiteEndedEvent;
  unknown: LiteUnknownEvent;
  keep_alive_failed: LiteKeepAliveFailedEvent;
  drift: LiteDriftEvent;
};
export type LiteConnectionEvent = LiteConnectionEventMap[keyof LiteConnectionEventMap];
/** "open" until the connection ends (either side closed it, or the session ended), then "closed". */
export type LiteConnectionState = "open" | "closed";

export interface SpeakOptions {
  /** The `event_id` for every packet and the `speak_end` (default: a random UUID). */
  eventId?: string | undefined;
}
