// The shapes around a session: its options, the calls it makes, the realtime link it owns, and
// how it ended. Kept apart from the lifecycle itself (session.ts).
import type { components } from "../generated/schema.js";
import type { LiveAvatarError } from "./errors.js";
import type { LogSinks } from "./log.js";
import type { RequestOptions } from "./types.js";

export type StartedSession = components["schemas"]["StartSessionResponseSchema"];
export type SessionEndReason = components["schemas"]["SessionEndReasonEnum"];

export interface SessionOptions {
  /** Milliseconds between keep-alive calls, a fixed period (default 60 000); `false` disables them. */
  keepAliveInterval?: number | false | undefined;
  /**
   * Called with every keep-alive failure. Without it, failures go to the client's logger (warn).
   * Only a clear "session gone" answer (404, or an error saying so) ends the session; after any
   * other failure the next keep-alive goes out on schedule.
   */
  onKeepAliveError?: ((error: LiveAvatarError) => void) | undefined;
  /**
   * Cancels the start. Aborted before the request leaves (e.g. React StrictMode's immediate
   * unmount), nothing is sent; aborted later, the promise rejects with APIUserAbortError at once
   * and the session is stopped as soon as the start answer arrives.
   */
  signal?: AbortSignal | undefined;
  /** Browser: stop the session with a `keepalive` request on `pagehide` (default false). */
  stopOnPageHide?: boolean | undefined;
}

/** The calls a session needs, bound to the session token. */
export interface SessionCalls {
  start(options: RequestOptions): Promise<StartedSession>;
  keepAlive(options: RequestOptions): Promise<unknown>;
  /** `keepalive`: the request must outlive the page (sent from `pagehide`). */
  stop(reason: SessionEndReason | undefined, options: RequestOptions & { keepalive?: boolean }): Promise<unknown>;
  /** The client's log sinks. */
  log?: LogSinks | undefined;
}

/** A realtime connection the session owns: closed by `stop()`, and it tells the session when it ends. */
export interface SessionLink {
  close(): Promise<unknown>;
  on(type: "ended", listener: (event: { reason: string; message?: string | undefined }) => void): () => void;
}

/** What `LiteConnection` from `liveavatar-api/realtime` provides (kept structural so the core entry does not bundle it). */
export interface LiteConnector<C extends SessionLink, O> {
  connect(wsUrl: string, options?: O): Promise<C>;
}

export interface SessionEndedEvent {
  type: "ended";
  /**
   * "stopped": `stop()` was called. "session_not_found": the server said the session no longer
   * exists (a keep-alive answer, or its LITE connection); no stop was sent. "connection_ended":
   * its LITE connection ended without `stop()` while the session may still run: one stop was sent.
   */
  reason: "stopped" | "session_not_found" | "connection_ended";
  /** The connection's own reason, when its LITE connection ended. */
  detail?: string | undefined;
  /** The server's words, when it said the session is gone. */
  serverMessage?: string | undefined;
  error?: LiveAvatarError | undefined;
}
