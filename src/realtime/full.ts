// FULL mode: LiveAvatar runs STT/LLM/TTS itself, and the page talks to the avatar through the
// LiveKit room's data channel. Commands go out with `publishData(..., { reliable: true, topic:
// "agent-control" })`; events arrive on `dataReceived` with topic "agent-response". Every other
// topic is left alone. The room is typed structurally (full-room.ts): no livekit-client dependency.
import type { FullCommand } from "../../generated/events.js";
import { APIUserAbortError } from "liveavatar-api";
import { messageOf } from "../guards.js";
import { logSinks, type LogSinks } from "../log.js";
import { Emitter, type Listener } from "./emitter.js";
import { checkAttach, checkFields, checkText, checkTimeout } from "./full-args.js";
import { BoundedIterators, DEFAULT_MAX_BUFFERED_EVENTS } from "./full-buffer.js";
import { FullModeEndedError } from "./full-errors.js";
import { FullModePublisher } from "./full-publish.js";
import { decodeFullPacket, typeFullEvent, type FullModeMessage } from "./full-parse.js";
import { PushToTalkWaits, type PushToTalkOperation } from "./full-push-to-talk.js";
import {
  RESPONSE_TOPIC,
  type FullModeDataListener,
  type FullModeDisconnectListener,
  type FullModeRoom,
} from "./full-room.js";
import type {
  FullModeAttachOptions,
  FullModeEndedEvent,
  FullModeEvent,
  FullModeEventMap,
  FullModeState,
  PushToTalkOptions,
} from "./full-types.js";
import { newEventId } from "./event-id.js";

const DEFAULT_PUSH_TO_TALK_TIMEOUT = 5_000;
const DEFAULT_PUBLISH_TIMEOUT = 10_000;

/** The avatar's events and the commands to it, over one LiveKit room (pairs with `LiteConnection`). */
export class FullModeConnection {
  readonly #room: FullModeRoom;
  readonly #sessionId: string | undefined;
  readonly #timeoutMs: number;
  readonly #publisher: FullModePublisher;
  readonly #drift: FullModeAttachOptions["drift"];
  readonly #iterators: BoundedIterators;
  readonly #log: LogSinks;
  readonly #emitter: Emitter<FullModeEventMap>;
  readonly #onData: FullModeDataListener;
  readonly #onDisconnected: FullModeDisconnectListener;
  readonly #pushToTalk = new PushToTalkWaits();
  #ended: FullModeEndedEvent | undefined;
  readonly #endedPromise: Promise<FullModeEndedEvent>;
  #resolveEnded!: (event: FullModeEndedEvent) => void;

  private constructor(room: FullModeRoom, options: FullModeAttachOptions) {
    this.#room = room;
    this.#sessionId = options.sessionId;
    this.#timeoutMs = options.pushToTalkTimeout ?? DEFAULT_PUSH_TO_TALK_TIMEOUT;
    this.#publisher = new FullModePublisher(room, options.publishTimeout ?? DEFAULT_PUBLISH_TIMEOUT);
    this.#drift = options.drift;
    this.#iterators = new BoundedIterators(options.maxBufferedEvents ?? DEFAULT_MAX_BUFFERED_EVENTS);
    this.#log = logSinks(options.logger, options.logLevel);
    this.#emitter = new Emitter((error, type) => this.#log.warn?.(`a "${type}" listener threw: ${messageOf(error)}`));
    this.#endedPromise = new Promise((resolve) => (this.#resolveEnded = resolve));
    this.#onData = (payload, _participant, _kind, topic) => {
      if (topic !== RESPONSE_TOPIC) return;
      // The room's own emitter calls this: nothing may escape into it (and so into the host).
      try {
        this.#onPacket(payload);
      } catch (error) {
        this.#log.warn?.(`an agent-response packet was dropped: ${messageOf(error)}`);
      }
    };
    this.#onDisconnected = () => this.#end({ type: "ended", reason: "room_disconnected" });
    room.on("dataReceived", this.#onData);
    room.on("disconnected", this.#onDisconnected);
  }

  /**
   * Listens to the avatar's events on `room` (a livekit-client `Room`, connected or not yet) and
   * sends commands through it. Throws RealtimeArgumentError for something that is not a room or a
   * bad option.
   */
  static attach(room: FullModeRoom, options: FullModeAttachOptions = {}): FullModeConnection {
    checkAttach(room, options);
    return new FullModeConnection(room, options);
  }

  get sessionId(): string | undefined {
    return this.#sessionId;
  }

  get state(): FullModeState {
    return this.#ended ? "ended" : "attached";
  }

  /** Settles with the `ended` event (never rejects). */
  get ended(): Promise<FullModeEndedEvent> {
    return this.#endedPromise;
  }

  on<K extends keyof FullModeEventMap & string>(type: K, listener: Listener<FullModeEventMap[K]>): () => void {
    return this.#emitter.on(type, listener);
  }

  /**
   * Every event from now on (typed, `unknown`, `drift` and finally `ended`), until the handle ends.
   * Unread events are held up to `maxBufferedEvents`; past it the iterator throws EventBufferOverflowError.
   */
  events(): AsyncIterableIterator<FullModeEvent> {
    return this.#iterators.wrap(this.#emitter.iterate());
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<FullModeEvent> {
    return this.events();
  }

  /** The avatar says `text` as given. Resolves with the command's `event_id` once published. */
  async speakText(text: string): Promise<string> {
    return this.#publish({ event_type: "avatar.speak_text", text: checkText(text) });
  }

  /** The session's LLM answers `text` and the avatar speaks the answer. */
  async speakResponse(text: string): Promise<string> {
    return this.#publish({ event_type: "avatar.speak_response", text: checkText(text) });
  }

  /** Stops the avatar's current speech. */
  interrupt(): Promise<string> {
    return this.#publish({ event_type: "avatar.interrupt" });
  }

  startListening(): Promise<string> {
    return this.#publish({ event_type: "avatar.start_listening" });
  }

  stopListening(): Promise<string> {
    return this.#publish({ event_type: "avatar.stop_listening" });
  }

  /**
   * Connector sessions with an ElevenLabs agent: sends `elevenlabs_agent_command` carrying `fields`
   * as given (the vendor names the command but no source shows its fields). Resolves with its id.
   */
  async elevenLabsCommand(fields: Record<string, unknown>): Promise<string> {
    return this.#publish({ ...checkFields(fields), event_type: "elevenlabs_agent_command" });
  }

  /**
   * Sends `user.start_push_to_talk` and resolves with `user.push_to_talk_started`. Rejects with
   * PushToTalkError on `user.push_to_talk_start_failed` (e.g. the session is not a push-to-talk
   * one), PushToTalkTimeoutError without an answer, FullModeEndedError when the handle ends first.
   */
  startPushToTalk(options?: PushToTalkOptions): Promise<FullModeMessage<"user.push_to_talk_started">> {
    return this.#pushToTalkCommand("start", options) as Promise<FullModeMessage<"user.push_to_talk_started">>;
  }

  /** Sends `user.stop_push_to_talk` and resolves with `user.push_to_talk_stopped` (see startPushToTalk). */
  stopPushToTalk(options?: PushToTalkOptions): Promise<FullModeMessage<"user.push_to_talk_stopped">> {
    return this.#pushToTalkCommand("stop", options) as Promise<FullModeMessage<"user.push_to_talk_stopped">>;
  }

  /** Stops listening to the room (which stays connected); pending push-to-talk waits reject. */
  detach(): void {
    this.#end({ type: "ended", reason: "detached" });
  }

  /** Publishes `command` with a fresh `event_id` (and `session_id` when known); resolves with the id. */
  async #publish(command: FullCommand, eventId = newEventId()): Promise<string> {
    if (this.#ended) throw new FullModeEndedError(this.#ended.reason);
    await this.#publisher.publish({ ...command, event_id: eventId, session_id: this.#sessionId });
    return eventId;
  }

  async #pushToTalkCommand(operation: PushToTalkOperation, options: PushToTalkOptions = {}): Promise<FullModeMessage> {
    checkTimeout(options.timeout, "timeout");
    const { signal } = options;
    if (signal?.aborted) throw new APIUserAbortError({ cause: signal.reason });
    if (this.#ended) throw new FullModeEndedError(this.#ended.reason);
    const eventId = newEventId();
    const answer = this.#pushToTalk.wait(operation, eventId, options.timeout ?? this.#timeoutMs, signal);
    const eventType = operation === "start" ? "user.start_push_to_talk" : "user.stop_push_to_talk";
    try {
      await this.#publish({ event_type: eventType }, eventId);
    } catch (error) {
      this.#pushToTalk.fail(eventId, error);
      throw error;
    }
    return answer;
  }

  #emit<K extends keyof FullModeEventMap & string>(type: K, event: FullModeEventMap[K]): void {
    this.#emitter.emit(type, event);
    this.#iterators.counted();
  }

  #onPacket(payload: Uint8Array): void {
    if (this.#ended) return;
    const decoded = decodeFullPacket(payload);
    const data = decoded.data;
    const sessionId = typeof data === "object" && data !== null ? Object(data).session_id : undefined;
    if (this.#sessionId && typeof sessionId === "string" && sessionId !== this.#sessionId) {
      this.#log.debug?.(`ignored an agent-response packet for another session`);
      return;
    }
    if (decoded.type === "json") this.#checkDrift(data);
    const event = decoded.type === "json" ? typeFullEvent(data) : decoded;
    if (event.type === "unknown") {
      this.#log.debug?.(`agent-response packet delivered as "unknown": ${event.problem}`);
      this.#emit("unknown", event);
      if (event.eventType === "session.stopped" || event.eventType === "session_stopped")
        this.#end({ type: "ended", reason: "session_stopped" });
      return;
    }
    this.#pushToTalk.answer(event);
    this.#emit(event.type, event as never);
    if (event.type === "session.stopped") {
      const { end_reason, stop_reason } = event as { end_reason?: string; stop_reason?: string };
      this.#end({ type: "ended", reason: "session_stopped", endReason: end_reason ?? stop_reason });
    }
  }

  /** Reports how `data` differs from asyncapi.yaml; a failing checker costs a log line, never the event. */
  #checkDrift(data: unknown): void {
    if (!this.#drift) return;
    try {
      for (const drift of this.#drift.check("full", data)) this.#emit("drift", { ...drift, type: "drift" });
    } catch (error) {
      this.#log.warn?.(`the drift check failed: ${messageOf(error)}`);
    }
  }

  #end(event: FullModeEndedEvent): void {
    if (this.#ended) return;
    this.#ended = event;
    this.#room.off("dataReceived", this.#onData);
    this.#room.off("disconnected", this.#onDisconnected);
    const error = new FullModeEndedError(event.reason);
    this.#pushToTalk.failAll(error);
    this.#publisher.endAll(error);
    this.#log.debug?.(`FULL-mode connection ended: ${event.reason}`);
    this.#emit("ended", event);
    this.#emitter.finish();
    this.#resolveEnded(event);
  }
}

/** @deprecated use FullModeConnection (it also sends commands; the name pairs with LiteConnection) */
export const FullModeEvents = FullModeConnection;
/** @deprecated use FullModeConnection */
export type FullModeEvents = FullModeConnection;
