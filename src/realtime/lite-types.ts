// The LITE client's public types: its options, the events it adds to the protocol's (`ended`,
// `unknown`) and its states. The protocol's own messages are generated from asyncapi.yaml.
import type { LiteEventMap } from "../../generated/events.js";
import type { LogLevel, Logger } from "../log.js";
import type { FramingOptions } from "./audio.js";
import type { WebSocketConstructor } from "./socket.js";

export interface LiteConnectOptions extends FramingOptions {
  /** A WebSocket class to use instead of the global one (or `ws` on Node 20). */
  WebSocket?: WebSocketConstructor;
  /** Milliseconds to wait for `session.state_updated` "connected" (default 10 000). */
  connectTimeout?: number;
  /** Milliseconds without an outgoing message before a `session.keep_alive` (default 60 000); `false` disables. */
  keepAliveInterval?: number | false;
  /** Cancels the connect. */
  signal?: AbortSignal;
  /** Where log lines go (unknown frames at debug, listener failures at warn). */
  logger?: Logger;
  logLevel?: LogLevel;
  /** Bytes queued on the socket above which the send loop waits (default 1 MB). */
  highWaterMark?: number;
}

/** Why the connection ended. */
export type LiteEndReason =
  /** `close()` was called. */
  | "client_closed"
  /** The socket closed without the client asking (server stop, idle timeout, network loss). */
  | "socket_closed"
  /** The server reported the session `closed`/`disconnected`. */
  | "session_closed"
  /** A keep-alive was answered with an error saying the session does not exist any more. */
  | "session_not_found";

export interface LiteEndedEvent {
  type: "ended";
  reason: LiteEndReason;
  closeCode?: number;
  closeReason?: string;
  /** The last `session.state_updated` state. */
  sessionState?: string;
  /** The server's message, for `session_not_found`. */
  message?: string;
}

/** A frame the client does not know: unparsable, without a string `type`, or a newer event type. */
export interface LiteUnknownEvent {
  type: "unknown";
  /** The frame's `type`, when it had one. */
  eventType?: string;
  /** The parsed frame, or the raw text when it was not JSON. */
  data: unknown;
}

export type LiteConnectionEventMap = LiteEventMap & { ended: LiteEndedEvent; unknown: LiteUnknownEvent };
export type LiteConnectionEvent = LiteConnectionEventMap[keyof LiteConnectionEventMap];
export type LiteConnectionState = "open" | "closing" | "closed";

export interface SpeakOptions {
  /** The `event_id` for every packet and the `speak_end` (default: a random UUID). */
  eventId?: string;
}
