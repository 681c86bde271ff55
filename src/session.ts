// A started session, kept alive in the background until it is stopped. Sessions bill by the
// minute, so every path ends in a stop: an aborted start stops what it started, a LITE socket the
// server drops stops the session, and `stopOnPageHide` stops it when the page goes away.
import { APIConnectionError, APIUserAbortError, EnvelopeError, LiveAvatarError, NotFoundError } from "./errors.js";
import { messageOf } from "./guards.js";
import { isSessionGoneMessage } from "./session-gone.js";
import type {
  LiteConnector,
  SessionCalls,
  SessionEndReason,
  SessionEndedEvent,
  SessionLink,
  SessionOptions,
  StartedSession,
} from "./session-types.js";

export type {
  LiteConnector,
  SessionCalls,
  SessionEndReason,
  SessionEndedEvent,
  SessionLink,
  SessionOptions,
  StartedSession,
} from "./session-types.js";

/** LITE end reasons that mean the server said the session is over: nothing left to stop. */
const GONE_REASONS = new Set(["session_not_found", "session_closed"]);

const DEFAULT_KEEP_ALIVE_MS = 60_000;
/** Retries of the stop sent for a start that got no answer (it is safe to repeat). */
const UNANSWERED_STOP_RETRIES = 3;

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
      // A start that got no answer (timed out, connection lost) may still have started the
      // session on the server: the token names it, so it is stopped, best effort.
      // Nobody holds a handle to stop it later, so this stop gets retries of its own.
      const stopIfUnanswered = (e: unknown) => {
        if (e instanceof APIConnectionError) return calls.stop(undefined, { maxRetries: UNANSWERED_STOP_RETRIES });
        throw e;
      };
      const warn = (what: string) => (e: unknown) => calls.log?.warn?.(`${what}: ${messageOf(e)}`);
      if (signal?.aborted) {
        starting.then(() => calls.stop(undefined, {}), stopIfUnanswered).catch(warn("aborted start"));
      } else if (error instanceof APIConnectionError) {
        stopIfUnanswered(error).catch(warn("unanswered start, stopping it"));
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
    link.on("ended", ({ reason, message }) => {
      if (this.stopped || reason === "client_closed") return;
      if (GONE_REASONS.has(reason)) {
        const serverMessage = message ?? `the LITE connection reported the session ${reason.replace("session_", "")}`;
        return this.#finish({ type: "ended", reason: "session_not_found", detail: reason, serverMessage });
      }
      // The socket went away, but the session may still run (and bill): stop it, once.
      this.#finish({ type: "ended", reason: "connection_ended", detail: reason });
      this.#stopNow(undefined, false).catch((e: unknown) => this.#report(e));
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
    // The server said it is gone: there is nothing to stop (and `ended` says so, in its words).
    if (this.#endedEvent?.reason === "session_not_found") return Promise.resolve(this.#link?.close()).then(() => {});
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
        const serverMessage = (error as { apiMessage?: string }).apiMessage ?? (error as Error).message;
        this.#finish({ type: "ended", reason: "session_not_found", error: error as LiveAvatarError, serverMessage });
        this.#link?.close().catch(() => {});
        return;
      }
      this.#report(error);
    }
    this.#schedule();
  }

  #report(error: unknown): void {
    try {
      this.#onError(toError(error));
    } catch {
      // a throwing callback must not become an unhandled rejection either
    }
  }
}

/**
 * A keep-alive answer meaning the session no longer exists: 404, or an envelope error whose
 * message says so in full (isSessionGoneMessage). A failure that merely mentions a closed
 * session ("too many requests ... session closed") is retried, never taken as the end.
 */
function isSessionGone(error: unknown): boolean {
  if (error instanceof NotFoundError) return true;
  return error instanceof EnvelopeError && isSessionGoneMessage(error.apiMessage);
}

function toError(error: unknown): LiveAvatarError {
  return error instanceof LiveAvatarError ? error : new LiveAvatarError(String(error), { cause: error });
}
