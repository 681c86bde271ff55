// A started session, kept alive in the background until it is stopped. Sessions bill by the
// minute, so every path ends in a stop: an aborted start stops what it started, a LITE socket the
// server drops stops the session, and `stopOnPageHide` stops it when the page goes away.
import type { components } from "../generated/schema.js";
import { APIUserAbortError, EnvelopeError, LiveAvatarError, NotFoundError } from "./errors.js";
import { messageOf } from "./guards.js";
import type { LogSinks } from "./log.js";
import type { RequestOptions } from "./types.js";

export type StartedSession = components["schemas"]["StartSessionResponseSchema"];
export type SessionEndReason = components["schemas"]["SessionEndReasonEnum"];

export interface SessionOptions {
  /** Milliseconds between keep-alive calls (default 60 000); `false` disables them. */
  keepAliveInterval?: number | false | undefined;
  /** Called with every keep-alive failure. Without it, failures go to the client's logger (warn). */
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
  log?: LogSinks;
}

/** A realtime connection the session owns: closed by `stop()`, and it tells the session when it ends. */
export interface SessionLink {
  close(): Promise<unknown>;
  on(type: "ended", listener: (event: { reason: string }) => void): () => void;
}

/** What `LiteConnection` from `liveavatar-api/realtime` provides (kept structural so the core entry does not bundle it). */
export interface LiteConnector<C extends SessionLink, O> {
  connect(wsUrl: string, options?: O): Promise<C>;
}

export interface SessionEndedEvent {
  type: "ended";
  /**
   * "stopped": `stop()` was called. "not_found": a keep-alive said the session no longer exists.
   * "connection_ended": its LITE connection ended without `stop()` (the session was stopped too).
   */
  reason: "stopped" | "not_found" | "connection_ended";
  /** The connection's own reason, for "connection_ended". */
  detail?: string;
  error?: LiveAvatarError;
}

const DEFAULT_KEEP_ALIVE_MS = 60_000;

// Symbol.asyncDispose is missing in older browsers; TypeScript's `await using` falls back to this key.
const asyncDispose: typeof Symbol.asyncDispose =
  Symbol.asyncDispose ?? (Symbol.for("Symbol.asyncDispose") as typeof Symbol.asyncDispose);

export class LiveAvatarSession implements AsyncDisposable {
  /** What the start call returned: session id, LiveKit URL and tokens. */
  readonly info: StartedSession;
  readonly #calls: SessionCalls;
  readonly #interval: number | false;
  readonly #onError: (error: LiveAvatarError) => void;
  /** Aborted on stop, so an in-flight keep-alive does not outlive the session. */
  readonly #lifetime = new AbortController();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopping: Promise<void> | undefined;
  #link: SessionLink | undefined;
  #endedEvent: SessionEndedEvent | undefined;
  #resolveEnded!: (event: SessionEndedEvent) => void;
  /** Settles once, when the session ends: stopped, gone (keep-alive said so), or its LITE connection ended. */
  readonly ended = new Promise<SessionEndedEvent>((resolve) => (this.#resolveEnded = resolve));
  #removePageHide: (() => void) | undefined;

  private constructor(calls: SessionCalls, info: StartedSession, options: SessionOptions) {
    this.#calls = calls;
    this.info = info;
    this.#interval = options.keepAliveInterval ?? DEFAULT_KEEP_ALIVE_MS;
    this.#onError = options.onKeepAliveError ?? ((error) => calls.log?.warn?.(`keep-alive failed: ${error.message}`));
    if (options.stopOnPageHide) this.#watchPageHide();
    this.#schedule();
  }

  static async start(calls: SessionCalls, options: SessionOptions = {}): Promise<LiveAvatarSession> {
    const { signal } = options;
    const aborted = () => new APIUserAbortError({ cause: signal?.reason });
    if (signal?.aborted) throw aborted();
    // One macrotask first: a start aborted in the same tick (React StrictMode mounts, unmounts
    // and mounts again synchronously) sends nothing and so costs nothing.
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (signal?.aborted) throw aborted();
    // No signal on the request itself: once it is out, the server may start a session, and only
    // its answer says which one to stop. An abort rejects now and stops the session later.
    const starting = calls.start({});
    const abort = new Promise<never>((_, reject) =>
      signal?.addEventListener("abort", () => reject(aborted()), { once: true }),
    );
    abort.catch(() => {});
    try {
      return new LiveAvatarSession(calls, await Promise.race([starting, abort]), options);
    } catch (error) {
      if (signal?.aborted) {
        starting
          .then(() => calls.stop(undefined, {}))
          .catch((e: unknown) => calls.log?.warn?.(`aborted start: ${messageOf(e)}`));
      }
      throw error;
    }
  }

  /**
   * Connects the LITE WebSocket at this session's `ws_url`, owned by the session: `stop()` closes
   * it; if the server drops it, the session is stopped (so it does not bill on) and ends.
   *
   *     import { LiteConnection } from "liveavatar-api/realtime";
   *     const lite = await session.connectLite(LiteConnection, { connectTimeout: 10_000 });
   */
  async connectLite<C extends SessionLink, O>(connector: LiteConnector<C, O>, options?: O): Promise<C> {
    const wsUrl = this.info.ws_url;
    if (!wsUrl) throw new LiveAvatarError("no ws_url: only LITE sessions with a custom agent have one");
    this.#check();
    const link = await connector.connect(wsUrl, options);
    this.#link = link;
    if (this.stopped) await link.close();
    this.#check();
    link.on("ended", ({ reason }) => {
      if (this.stopped || reason === "client_closed") return;
      this.#finish({ type: "ended", reason: "connection_ended", detail: reason });
      if (reason === "socket_closed") this.#stopNow(undefined, false).catch((e: unknown) => this.#onError(toError(e)));
    });
    return link;
  }

  #check(): void {
    if (this.stopped) throw new LiveAvatarError(`session ${this.sessionId} is stopped`);
  }

  get sessionId(): string {
    return this.info.session_id;
  }

  /** True once the session has ended: `stop()` was called, or it ended by itself (see `ended`). */
  get stopped(): boolean {
    return this.#endedEvent !== undefined;
  }

  /** Sends one keep-alive now (the background ones continue on their schedule). */
  async keepAlive(): Promise<void> {
    this.#check();
    await this.#calls.keepAlive({ signal: this.#lifetime.signal });
  }

  /** Closes its LITE connection and stops the session. Calling it again returns the same result; after a failure it tries again. */
  stop(reason?: SessionEndReason): Promise<void> {
    this.#finish({ type: "ended", reason: "stopped" });
    return this.#stopNow(reason, false);
  }

  #stopNow(reason: SessionEndReason | undefined, keepalive: boolean): Promise<void> {
    if (!this.#stopping) {
      this.#stopping = Promise.resolve(this.#link?.close())
        .catch(() => {})
        .then(() => this.#calls.stop(reason, keepalive ? { keepalive } : {}))
        .then(
          () => undefined,
          (error: unknown) => {
            this.#stopping = undefined;
            throw error;
          },
        );
    }
    return this.#stopping;
  }

  /** Marks the session ended once: timers, page listener and pending keep-alive go; listeners hear it. */
  #finish(event: SessionEndedEvent): void {
    clearTimeout(this.#timer);
    this.#lifetime.abort();
    this.#removePageHide?.();
    this.#removePageHide = undefined;
    if (this.#endedEvent) return;
    this.#endedEvent = event;
    this.#resolveEnded(event);
  }

  #watchPageHide(): void {
    const target = globalThis as {
      addEventListener?: EventTarget["addEventListener"];
      removeEventListener?: EventTarget["removeEventListener"];
    };
    if (typeof target.addEventListener !== "function") return;
    const onPageHide = () => {
      this.#finish({ type: "ended", reason: "stopped" });
      // keepalive: the browser sends the stop even as the page unloads.
      this.#stopNow(undefined, true).catch(() => {});
    };
    target.addEventListener("pagehide", onPageHide);
    this.#removePageHide = () => target.removeEventListener?.("pagehide", onPageHide);
  }

  [asyncDispose](): Promise<void> {
    return this.stop();
  }

  #schedule(): void {
    if (this.#interval === false || this.stopped) return;
    this.#timer = setTimeout(() => void this.#tick(), this.#interval);
    // A background keep-alive must not keep a Node process running on its own.
    (this.#timer as { unref?: () => void }).unref?.();
  }

  async #tick(): Promise<void> {
    try {
      await this.keepAlive();
    } catch (error) {
      if (this.stopped && error instanceof APIUserAbortError) return;
      if (isSessionGone(error)) {
        // No such session: retrying forever would only log; end it and close its connection.
        this.#finish({ type: "ended", reason: "not_found", error: error as LiveAvatarError });
        this.#link?.close().catch(() => {});
        return;
      }
      try {
        this.#onError(toError(error));
      } catch {
        // a throwing callback must not become an unhandled rejection either
      }
    }
    this.#schedule();
  }
}

const GONE = /session[^.]*\b(?:not found|closed|ended|expired|does not exist|no longer)|no such session/i;

/** A keep-alive answer meaning the session no longer exists: 404, or an envelope error saying so. */
function isSessionGone(error: unknown): boolean {
  if (error instanceof NotFoundError) return true;
  return error instanceof EnvelopeError && GONE.test(error.apiMessage ?? error.message);
}

function toError(error: unknown): LiveAvatarError {
  return error instanceof LiveAvatarError ? error : new LiveAvatarError(String(error), { cause: error });
}
