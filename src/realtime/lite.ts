// The LITE-mode client: one WebSocket at the session's `ws_url`, typed from asyncapi.yaml. This is
// the socket shell: it reads frames, runs the send loop and the timers, and carries out what the
// pure state machine (lite-machine.ts) decides about speeches, keep-alives and the session's end.
import type { EventDriftCheck } from "../drift/types.js";
import { logSinks, type LogSinks } from "../log.js";
import type { AudioInput } from "./audio.js";
import { Emitter, type Listener } from "./emitter.js";
import { redactUrl } from "./errors.js";
import { closedError, speechError } from "./lite-errors.js";
import { newEventId } from "./event-id.js";
import { messageOf } from "../guards.js";
import { checkDrift, readFrame } from "./lite-frame.js";
import { checkWsUrl, liteSettings, openLiteSocket, type LiteSettings } from "./lite-handshake.js";
import { LiteMachine, type MachineCommand, type MachineInput } from "./lite-machine.js";
import { sendSpeech, speechInput } from "./lite-send.js";
import type {
  LiteConnectOptions,
  LiteConnectionEvent,
  LiteConnectionEventMap,
  LiteConnectionState,
  LiteEndedEvent,
  SpeakOptions,
} from "./lite-types.js";
import { closeSocket, OPEN, unrefTimer, watchSocket, type WebSocketLike } from "./socket.js";
import { Speech } from "./speech.js";

export class LiteConnection {
  readonly #socket: WebSocketLike;
  readonly #url: string;
  readonly #log: LogSinks;
  readonly #settings: LiteSettings;
  readonly #drift: EventDriftCheck | undefined;
  readonly #emitter: Emitter<LiteConnectionEventMap>;
  readonly #machine: LiteMachine;
  /** The handles `speak()` returned, by the machine's serial, until they settle. */
  readonly #speeches = new Map<number, Speech>();
  #serial = 0;
  /** Speeches are sent one after another, never interleaved. */
  #sendChain: Promise<void> = Promise.resolve();
  #ended: LiteEndedEvent | undefined;
  #closing: Promise<void> = Promise.resolve();
  readonly #endedPromise: Promise<LiteEndedEvent>;
  #resolveEnded!: (event: LiteEndedEvent) => void;
  #keepAliveTimer: ReturnType<typeof setTimeout> | undefined;
  /** `ws` refused a frame over maxPayload: the close that follows ends with "frame_too_large". */
  #tooLarge = false;

  private constructor(socket: WebSocketLike, url: string, options: LiteConnectOptions, settings: LiteSettings) {
    this.#socket = socket;
    this.#url = url;
    this.#settings = settings;
    this.#drift = options.drift;
    const log = (this.#log = logSinks(options.logger, options.logLevel));
    this.#machine = new LiteMachine(settings.keepAliveIdle);
    this.#emitter = new Emitter(
      (error, type) => log.warn?.(`a "${type}" listener threw: ${messageOf(error)}`),
      settings.maxUnreadEventBytes,
    );
    this.#endedPromise = new Promise((resolve) => (this.#resolveEnded = resolve));
    watchSocket(socket, {
      frame: (data) => this.#onFrame(data),
      close: (code, closeReason) =>
        this.#end({
          type: "ended",
          reason: this.#tooLarge ? "frame_too_large" : "socket_closed",
          closeCode: code,
          closeReason,
        }),
      error: (tooLarge) => {
        this.#tooLarge ||= tooLarge;
        log.debug?.(`socket error on ${redactUrl(url)}`);
      },
    });
    this.#apply({ on: "open" });
  }

  /**
   * Opens `wsUrl` and resolves once the server reports `session.state_updated` "connected".
   * Nothing is sent before. Rejects with RealtimeConnectTimeoutError, APIUserAbortError or
   * RealtimeConnectionError (refused, dropped, or the session reported closed); none of their
   * messages contain `wsUrl`.
   */
  static async connect(wsUrl: string, options: LiteConnectOptions = {}): Promise<LiteConnection> {
    checkWsUrl(wsUrl);
    const settings = liteSettings(options);
    const log = logSinks(options.logger, options.logLevel);
    return openLiteSocket(wsUrl, options, settings, log, (s) => new LiteConnection(s, wsUrl, options, settings));
  }

  get state(): LiteConnectionState {
    return this.#ended ? "closed" : "open";
  }

  /** Settles with the `ended` event (never rejects). */
  get ended(): Promise<LiteEndedEvent> {
    return this.#endedPromise;
  }

  /** Whether the avatar is speaking, as far as its events say. */
  get talking(): boolean {
    return this.#machine.talking;
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
    const { eventId, frames } = speechInput(audio, options.eventId, this.#settings.sizes);
    const speech = new Speech(eventId);
    if (this.#ended) {
      speech.settle(closedError(this.#ended));
      return speech;
    }
    const serial = ++this.#serial;
    this.#speeches.set(serial, speech);
    this.#apply({ on: "speak", serial, id: eventId });
    this.#sendChain = this.#sendChain.then(() =>
      sendSpeech({
        frames,
        eventId,
        active: () => this.#machine.isSending(serial),
        backlogged: () => this.#socket.bufferedAmount > this.#settings.highWaterMark,
        write: (text) => this.#write(text),
        sent: () => this.#apply({ on: "sent" }),
        endSent: () => {
          speech.markEndSent();
          this.#apply({ on: "speakEndSent", serial });
        },
        failed: (error) => this.#apply({ on: "sendFailed", serial, error }),
      }),
    );
    return speech;
  }

  /** Stops the local send loop, rejects pending speeches, then sends `agent.interrupt`. */
  interrupt(): void {
    if (this.#ended) return;
    // Speeches queued from now on do not wait behind the cancelled loop.
    this.#sendChain = Promise.resolve();
    this.#apply({ on: "interrupt", id: newEventId() });
  }

  /** Sends `agent.start_listening`; returns its `event_id`. */
  startListening(): string {
    return this.#command("agent.start_listening");
  }

  /** Sends `agent.stop_listening`; returns its `event_id`. */
  stopListening(): string {
    return this.#command("agent.stop_listening");
  }

  /** Sends `session.keep_alive` now; returns its `event_id`. */
  keepAlive(): string {
    if (this.#ended || this.#socket.readyState !== OPEN) throw closedError(this.#ended);
    const id = newEventId();
    this.#apply({ on: "keepAlive", id });
    return id;
  }

  /**
   * Closes the connection: pending speeches reject and `ended` fires (reason "client_closed") at
   * once; the returned promise resolves once the socket is closed, within `closeTimeout` (a peer
   * that does not finish the close handshake is dropped then).
   */
  async close(code = 1000, reason = "client closed"): Promise<LiteEndedEvent> {
    this.#end({ type: "ended", reason: "client_closed", closeCode: code }, code, reason);
    await this.#closing;
    return this.#endedPromise;
  }

  #command(type: "agent.start_listening" | "agent.stop_listening"): string {
    const id = newEventId();
    this.#write(JSON.stringify({ type, event_id: id }));
    this.#apply({ on: "sent" });
    return id;
  }

  #write(text: string): void {
    if (this.#ended || this.#socket.readyState !== OPEN) throw closedError(this.#ended);
    this.#socket.send(text);
  }

  /** Feeds the machine and carries out its commands; an `end` is carried out last. */
  #apply(input: MachineInput, beforeEnd?: () => void): void {
    let end: Extract<MachineCommand, { do: "end" }> | undefined;
    for (const command of this.#machine.handle(input)) {
      switch (command.do) {
        case "send":
          try {
            this.#write(JSON.stringify(command.message));
          } catch (error) {
            this.#log.debug?.(`${command.message.type} not sent: ${messageOf(error)}`);
          }
          break;
        case "settle": {
          const speech = this.#speeches.get(command.serial);
          this.#speeches.delete(command.serial);
          speech?.settle(command.failure && speechError(command.failure, speech.eventId, this.#ended));
          break;
        }
        case "arm":
        case "disarm":
          clearTimeout(this.#keepAliveTimer);
          // The keep-alive timer must never keep a Node process running on its own.
          this.#keepAliveTimer = command.do === "arm" ? unrefTimer(() => this.#keepAliveDue(), command.ms) : undefined;
          break;
        case "log":
          this.#log[command.level]?.(command.message);
          break;
        case "keepAliveFailed": {
          const { failures, errorType, message } = command;
          this.#emitter.emit("keep_alive_failed", { type: "keep_alive_failed", failures, errorType, message });
          break;
        }
        case "end":
          end = command;
          break;
      }
    }
    beforeEnd?.();
    if (end) this.#end({ type: "ended", reason: end.reason, message: end.message }, 1000, "session ended");
  }

  #keepAliveDue(): void {
    try {
      this.keepAlive();
    } catch (error) {
      this.#log.debug?.(`keep-alive not sent: ${messageOf(error)}`);
    }
  }

  #onFrame(data: unknown): void {
    // `ended` is the last event: frames the socket still delivers after it are dropped.
    if (this.#ended) return void this.#log.debug?.("ignored a frame that arrived after the connection ended");
    const inbound = readFrame(data, this.#settings.maxFrameBytes);
    // Runtimes without `maxPayload` (browsers) get here with an oversize frame already read.
    if (inbound.kind === "too_large")
      return this.#end({ type: "ended", reason: "frame_too_large", closeCode: 1009 }, 1009, "frame too large");
    if (inbound.frame && this.#drift) {
      for (const drift of checkDrift(this.#drift, inbound.frame, this.#log))
        this.#emitter.emit("drift", { ...drift, type: "drift" });
    }
    if (inbound.kind === "unknown") {
      const what = inbound.event.eventType ? "an event of unknown type" : "a frame that is not a JSON event";
      this.#log.debug?.(`ignored ${what}`);
      return this.#emitter.emit("unknown", inbound.event, inbound.size);
    }
    const { event, size } = inbound;
    this.#apply({ on: "event", event }, () => this.#emitter.emit(event.type, event as never, size));
  }

  #end(event: LiteEndedEvent, code = 1000, reason = "session ended"): void {
    if (this.#ended) return;
    event.sessionState ??= this.#machine.sessionState;
    this.#ended = event;
    this.#apply({ on: "end" });
    this.#closing = closeSocket(this.#socket, code, reason, this.#settings.closeTimeout);
    this.#log.debug?.(`LITE connection to ${redactUrl(this.#url)} ended: ${event.reason}`);
    this.#emitter.emit("ended", event);
    this.#emitter.finish();
    this.#resolveEnded(event);
  }
}
