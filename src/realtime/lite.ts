// The LITE-mode client: one WebSocket at the session's `ws_url`, typed from asyncapi.yaml.
// It sends nothing before the server reports `connected`, streams speech as framed base64
// PCM16, matches the avatar's speaking signals (`agent.speak_*`, `agent.state_updated`, or
// both) to the `Speech` handles it returned, and ends cleanly however the socket goes away.
import { liteEventTypes, type LiteCommand, type LiteEvent } from "../../generated/events.js";
import { logSinks, type LogSinks } from "../log.js";
import { framesOf, framesOfStream, packetSizes, wholeAudio, type AudioInput, type PacketSizes } from "./audio.js";
import { encodeBase64 } from "./base64.js";
import { Emitter, type Listener } from "./emitter.js";
import {
  InvalidAudioError,
  RealtimeArgumentError,
  RealtimeConnectionError,
  RealtimeServerError,
  SpeechInterruptedError,
  redactUrl,
} from "./errors.js";
import { newEventId } from "./event-id.js";
import { isRecord, messageOf } from "../guards.js";
import { parseFrame } from "./lite-frame.js";
import { ENDED_STATES, openLiteSocket } from "./lite-handshake.js";
import type {
  LiteConnectOptions,
  LiteConnectionEvent,
  LiteConnectionEventMap,
  LiteConnectionState,
  LiteEndedEvent,
  SpeakOptions,
} from "./lite-types.js";
import { OPEN, type WebSocketLike } from "./socket.js";
import { Speech } from "./speech.js";

const KNOWN = new Set<string>(liteEventTypes);
const DEFAULT_KEEP_ALIVE = 60_000;
const DEFAULT_HIGH_WATER_MARK = 1024 * 1024;
const NO_SESSION = /no such session|session (?:is )?(?:not found|closed|ended|expired|does not exist)|unknown session/i;

export class LiteConnection {
  readonly #socket: WebSocketLike;
  readonly #url: string;
  readonly #log: LogSinks;
  readonly #emitter: Emitter<LiteConnectionEventMap>;
  readonly #sizes: PacketSizes;
  readonly #keepAliveMs: number | false;
  readonly #highWaterMark: number;
  /** Speeches not yet settled, oldest first. */
  #speeches: Speech[] = [];
  /** Utterances are sent one after another, never interleaved. */
  #sendChain: Promise<void> = Promise.resolve();
  /** Bumped by interrupt and end: every send loop of an older generation stops. */
  #generation = 0;
  #talking = false;
  /** Set by a local interrupt: the server's `agent.speak_interrupted` for it must not hit a newer speech. */
  #interruptPending = false;
  #sessionState = "connected";
  #state: LiteConnectionState = "open";
  #ended: LiteEndedEvent | undefined;
  readonly #endedPromise: Promise<LiteEndedEvent>;
  #resolveEnded!: (event: LiteEndedEvent) => void;
  #keepAliveTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #keepAliveIds: string[] = [];
  /** Recent utterance ids: a speaking event naming one that is no longer pending is stale (e.g. after an interrupt). */
  readonly #utteranceIds: string[] = [];

  private constructor(socket: WebSocketLike, url: string, options: LiteConnectOptions, log: LogSinks) {
    this.#socket = socket;
    this.#url = url;
    this.#log = log;
    this.#sizes = packetSizes(options);
    this.#keepAliveMs = options.keepAliveInterval ?? DEFAULT_KEEP_ALIVE;
    this.#highWaterMark = options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK;
    this.#emitter = new Emitter((error, type) => this.#log.warn?.(`a "${type}" listener threw: ${messageOf(error)}`));
    this.#endedPromise = new Promise((resolve) => (this.#resolveEnded = resolve));
    // Frames that arrive with "connected" (same packet) are held for one macrotask, so the caller's
    // code after `await connect()` can subscribe before they are delivered.
    let held: unknown[] | undefined = [];
    setTimeout(() => {
      const frames = held ?? [];
      held = undefined;
      for (const data of frames) this.#onFrame(data);
    }, 0);
    socket.addEventListener("message", ((event: { data: unknown }) =>
      held ? held.push(event.data) : this.#onFrame(event.data)) as never);
    socket.addEventListener("close", ((event: { code?: number; reason?: string }) =>
      this.#end({
        type: "ended",
        reason: "socket_closed",
        closeCode: event.code,
        closeReason: event.reason || undefined,
      })) as never);
    socket.addEventListener("error", (() => this.#log.debug?.(`socket error on ${redactUrl(url)}`)) as never);
    this.#armKeepAlive();
  }

  /**
   * Opens `wsUrl` and resolves once the server reports `session.state_updated` "connected".
   * Nothing is sent before. Rejects with RealtimeConnectTimeoutError, APIUserAbortError or
   * RealtimeConnectionError (refused, dropped, or the session reported closed); none of their
   * messages contain `wsUrl`.
   */
  static connect(wsUrl: string, options: LiteConnectOptions = {}): Promise<LiteConnection> {
    const log = logSinks(options.logger, options.logLevel);
    return openLiteSocket(wsUrl, options, log, (socket) => new LiteConnection(socket, wsUrl, options, log));
  }

  get state(): LiteConnectionState {
    return this.#state;
  }

  /** Settles with the `ended` event (never rejects). */
  get ended(): Promise<LiteEndedEvent> {
    return this.#endedPromise;
  }

  /** Whether the avatar is speaking, as far as its events say. */
  get talking(): boolean {
    return this.#talking;
  }

  on<K extends keyof LiteConnectionEventMap & string>(
    type: K,
    listener: Listener<LiteConnectionEventMap[K]>,
  ): () => void {
    return this.#emitter.on(type, listener);
  }

  /** Every event from now on (known, `unknown` and finally `ended`), until the connection ends. */
  events(): AsyncIterableIterator<LiteConnectionEvent> {
    return this.#emitter.iterate();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<LiteConnectionEvent> {
    return this.events();
  }

  /**
   * Speaks PCM16 24 kHz mono audio: one buffer or an (async) iterable of them. Bad audio throws
   * InvalidAudioError before anything is sent. The returned Speech resolves when the avatar has
   * finished it and rejects on interrupt, on an `error` frame naming it, or when the connection ends.
   */
  speak(audio: AudioInput, options: SpeakOptions = {}): Speech {
    const eventId = options.eventId ?? newEventId();
    if (typeof eventId !== "string" || eventId.length === 0 || eventId.length > 128) {
      throw new RealtimeArgumentError("eventId must be a string of 1 to 128 characters");
    }
    const whole = wholeAudio(audio);
    const speech = new Speech(eventId);
    if (this.#ended) {
      speech.settle(this.#closedError());
      return speech;
    }
    this.#speeches.push(speech);
    this.#utteranceIds.push(eventId);
    if (this.#utteranceIds.length > 64) this.#utteranceIds.shift();
    const frames = whole ? framesOf(whole, this.#sizes) : framesOfStream(audio as Iterable<unknown>, this.#sizes);
    const generation = this.#generation;
    this.#sendChain = this.#sendChain.then(() => this.#sendSpeech(speech, frames, generation));
    return speech;
  }

  /** Stops the local send loop, rejects pending speeches, then sends `agent.interrupt`. */
  interrupt(): void {
    if (this.#ended) return;
    this.#generation++;
    this.#sendChain = Promise.resolve();
    this.#talking = false;
    this.#interruptPending = true;
    for (const speech of this.#speeches.splice(0)) speech.settle(new SpeechInterruptedError(speech.eventId, "client"));
    this.#send({ type: "agent.interrupt", event_id: newEventId() });
  }

  /** Sends `agent.start_listening`; returns its `event_id`. */
  startListening(): string {
    const id = newEventId();
    this.#send({ type: "agent.start_listening", event_id: id });
    return id;
  }

  /** Sends `agent.stop_listening`; returns its `event_id`. */
  stopListening(): string {
    const id = newEventId();
    this.#send({ type: "agent.stop_listening", event_id: id });
    return id;
  }

  /** Sends `session.keep_alive` now; returns its `event_id`. */
  keepAlive(): string {
    const id = newEventId();
    this.#keepAliveIds.push(id);
    if (this.#keepAliveIds.length > 8) this.#keepAliveIds.shift();
    this.#send({ type: "session.keep_alive", event_id: id });
    return id;
  }

  /** Closes the socket; pending speeches reject and `ended` fires (reason "client_closed"). */
  close(code = 1000, reason = "client closed"): Promise<LiteEndedEvent> {
    if (!this.#ended) {
      this.#state = "closing";
      try {
        this.#socket.close(code, reason);
      } catch {
        // a socket that is already closing
      }
      this.#end({ type: "ended", reason: "client_closed", closeCode: code, sessionState: this.#sessionState });
    }
    return this.#endedPromise;
  }

  #send(message: LiteCommand): void {
    this.#sendText(JSON.stringify(message));
  }

  #sendText(text: string): void {
    if (this.#ended || this.#socket.readyState !== OPEN) throw this.#closedError();
    this.#socket.send(text);
    this.#armKeepAlive();
  }

  #closedError(): RealtimeConnectionError {
    const ended = this.#ended;
    return new RealtimeConnectionError(
      `the LITE connection is closed${ended ? ` (${ended.reason}${ended.closeCode ? `, code ${ended.closeCode}` : ""})` : ""}`,
      ended?.closeCode,
      ended?.closeReason,
    );
  }

  async #sendSpeech(speech: Speech, frames: Iterable<Uint8Array> | AsyncIterable<Uint8Array>, generation: number) {
    const cancelled = () => generation !== this.#generation || speech.settled || this.#ended !== undefined;
    const id = JSON.stringify(speech.eventId);
    let sent = 0;
    try {
      for await (const frame of frames) {
        // Back off while the socket holds more than highWaterMark bytes, instead of queueing without bound.
        while (this.#socket.bufferedAmount > this.#highWaterMark && !cancelled()) await sleep(5);
        if (cancelled()) return;
        // Built by hand: base64 needs no escaping, and JSON.stringify would copy the audio once more.
        this.#sendText(`{"type":"agent.speak","event_id":${id},"audio":"${encodeBase64(frame)}"}`);
        sent++;
      }
      if (cancelled()) return;
      if (sent === 0) throw new InvalidAudioError("the audio stream was empty");
      this.#send({ type: "agent.speak_end", event_id: speech.eventId });
      speech.markEndSent();
    } catch (error) {
      // A bad chunk mid-stream: end what was sent so the avatar returns to idle, then reject.
      if (sent > 0 && !cancelled()) {
        try {
          this.#send({ type: "agent.speak_end", event_id: speech.eventId });
        } catch {
          // closed meanwhile: the speech is rejected below either way
        }
      }
      this.#settle(speech, error);
    }
  }

  #settle(speech: Speech, error?: unknown): void {
    if (speech.settle(error)) this.#speeches = this.#speeches.filter((s) => s !== speech);
  }

  #byId(eventId: unknown): Speech | undefined {
    return typeof eventId === "string" ? this.#speeches.find((s) => s.eventId === eventId) : undefined;
  }

  /** The utterance the avatar is playing: the oldest one whose audio was sent in full. */
  #current(): Speech | undefined {
    return this.#speeches.find((s) => s.endSent);
  }

  #onFrame(data: unknown): void {
    // `ended` is the last event: frames the socket still delivers after it are dropped.
    if (this.#ended) return void this.#log.debug?.("ignored a frame that arrived after the connection ended");
    const frame = parseFrame(data);
    if (!frame || typeof frame.type !== "string" || !KNOWN.has(frame.type)) {
      const eventType = typeof frame?.type === "string" ? frame.type : undefined;
      this.#log.debug?.(`ignored ${eventType ? `unknown event "${eventType}"` : "a frame that is not a JSON event"}`);
      this.#emitter.emit("unknown", { type: "unknown", eventType, data: frame ?? data });
      return;
    }
    const event = frame as unknown as LiteEvent;
    let endAfter: LiteEndedEvent | undefined;
    // Speaking events about an utterance that already settled (interrupted, failed) change nothing.
    const stale =
      event.type.startsWith("agent.speak_") &&
      "event_id" in event &&
      typeof event.event_id === "string" &&
      this.#utteranceIds.includes(event.event_id) &&
      !this.#byId(event.event_id);
    if (!stale)
      switch (event.type) {
        case "session.state_updated":
          this.#sessionState = String(event.state);
          if (ENDED_STATES.has(this.#sessionState)) {
            endAfter = { type: "ended", reason: "session_closed", sessionState: this.#sessionState };
          }
          break;
        case "agent.speak_started":
          this.#talking = true;
          this.#interruptPending = false;
          break;
        case "agent.state_updated":
          if (event.new_state === "talking") {
            this.#talking = true;
            this.#interruptPending = false;
          } else if (this.#talking) {
            // One talking episode may cover several queued utterances (the state does not toggle
            // between them): leaving it finishes every speech the server had in full.
            this.#talking = false;
            for (const speech of this.#speeches.filter((s) => s.endSent)) this.#settle(speech);
          }
          break;
        case "agent.speak_ended": {
          const match = this.#byId(event.event_id);
          if (match) {
            this.#talking = false;
            this.#settle(match);
          } else if (this.#talking) {
            this.#talking = false;
            const current = this.#current();
            if (current) this.#settle(current);
          }
          break;
        }
        case "agent.speak_interrupted": {
          // After a local interrupt an unmatched one is its echo; otherwise it names the current speech.
          const match = this.#byId(event.event_id) ?? (this.#interruptPending ? undefined : this.#current());
          this.#interruptPending = false;
          this.#talking = false;
          if (match) this.#settle(match, new SpeechInterruptedError(match.eventId, "server"));
          break;
        }
        case "error": {
          const detail: Record<string, unknown> = isRecord(event.error) ? event.error : {};
          const message = typeof detail.message === "string" ? detail.message : "(no message)";
          const eventId = typeof detail.event_id === "string" ? detail.event_id : undefined;
          const type = typeof detail.type === "string" ? detail.type : undefined;
          const match = this.#byId(eventId);
          if (match) this.#settle(match, new RealtimeServerError(type, message, eventId));
          if ((eventId && this.#keepAliveIds.includes(eventId)) || NO_SESSION.test(message)) {
            endAfter = { type: "ended", reason: "session_not_found", message, sessionState: this.#sessionState };
          }
          break;
        }
      }
    this.#emitter.emit(event.type, event as never);
    if (endAfter) this.#end(endAfter);
  }

  #armKeepAlive(): void {
    if (this.#keepAliveMs === false || this.#ended) return;
    clearTimeout(this.#keepAliveTimer);
    this.#keepAliveTimer = setTimeout(() => {
      try {
        this.keepAlive();
      } catch (error) {
        this.#log.debug?.(`keep-alive not sent: ${messageOf(error)}`);
      }
    }, this.#keepAliveMs);
    // The keep-alive timer must never keep a Node process running on its own.
    (this.#keepAliveTimer as { unref?: () => void }).unref?.();
  }

  #end(event: LiteEndedEvent): void {
    if (this.#ended) return;
    event.sessionState ??= this.#sessionState;
    this.#ended = event;
    this.#state = "closed";
    this.#generation++;
    clearTimeout(this.#keepAliveTimer);
    this.#keepAliveTimer = undefined;
    if (this.#socket.readyState === OPEN) {
      try {
        this.#socket.close(1000, "session ended");
      } catch {
        // closing already
      }
    }
    const error = this.#closedError();
    for (const speech of this.#speeches.splice(0)) speech.settle(error);
    this.#log.debug?.(`LITE connection to ${redactUrl(this.#url)} ended: ${event.reason}`);
    this.#emitter.emit("ended", event);
    this.#emitter.finish();
    this.#resolveEnded(event);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
