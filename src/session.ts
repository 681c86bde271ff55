// A started session, kept alive in the background until it is stopped.
import type { components } from "../generated/schema.js";
import { APIUserAbortError, LiveAvatarError } from "./errors.js";
import type { RequestOptions } from "./types.js";

export type StartedSession = components["schemas"]["StartSessionResponseSchema"];
export type SessionEndReason = components["schemas"]["SessionEndReasonEnum"];

export interface SessionOptions {
  /** Milliseconds between keep-alive calls (default 60 000); `false` disables them. */
  keepAliveInterval?: number | false;
  /** Called with every keep-alive failure. Without it, failures are logged with console.warn. */
  onKeepAliveError?: (error: LiveAvatarError) => void;
  /** Cancels the start call. */
  signal?: AbortSignal;
}

/** The calls a session needs, bound to the session token. */
export interface SessionCalls {
  start(options: RequestOptions): Promise<StartedSession>;
  keepAlive(options: RequestOptions): Promise<unknown>;
  stop(reason: SessionEndReason | undefined, options: RequestOptions): Promise<unknown>;
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
  #ended = false;
  #stopping: Promise<void> | undefined;

  private constructor(calls: SessionCalls, info: StartedSession, options: SessionOptions) {
    this.#calls = calls;
    this.info = info;
    this.#interval = options.keepAliveInterval ?? DEFAULT_KEEP_ALIVE_MS;
    this.#onError =
      options.onKeepAliveError ?? ((error) => console.warn(`[liveavatar] keep-alive failed: ${error.message}`));
    this.#schedule();
  }

  static async start(calls: SessionCalls, options: SessionOptions = {}): Promise<LiveAvatarSession> {
    const info = await calls.start({ signal: options.signal });
    return new LiveAvatarSession(calls, info, options);
  }

  get sessionId(): string {
    return this.info.session_id;
  }

  /** True once `stop()` has been called. */
  get stopped(): boolean {
    return this.#ended;
  }

  /** Sends one keep-alive now (the background ones continue on their schedule). */
  async keepAlive(): Promise<void> {
    if (this.stopped) throw new LiveAvatarError(`session ${this.sessionId} is stopped`);
    await this.#calls.keepAlive({ signal: this.#lifetime.signal });
  }

  /** Stops the session. Calling it again returns the same result; after a failure it tries again. */
  stop(reason?: SessionEndReason): Promise<void> {
    if (!this.#stopping) {
      this.#ended = true;
      clearTimeout(this.#timer);
      this.#lifetime.abort();
      this.#stopping = this.#calls.stop(reason, {}).then(
        () => undefined,
        (error: unknown) => {
          this.#stopping = undefined;
          throw error;
        },
      );
    }
    return this.#stopping;
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
      try {
        this.#onError(error instanceof LiveAvatarError ? error : new LiveAvatarError(String(error), { cause: error }));
      } catch {
        // a throwing callback must not become an unhandled rejection either
      }
    }
    this.#schedule();
  }
}
