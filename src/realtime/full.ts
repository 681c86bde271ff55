// FULL mode: LiveAvatar runs STT/LLM/TTS itself, and the page talks to the avatar through the
// LiveKit room's data channel. Commands go out with `publishData(..., { reliable: true, topic:
// "agent-control" })`; events arrive on `dataReceived` with topic "agent-response". Every other
// topic is left alone. The room is typed structurally (full-room.ts): no livekit-client dependency.
import type { FullCommand } from "../../generated/events.js";
import { APIUserAbortError } from "../errors.js";
import { logSinks, type LogSinks } from "../log.js";
import { Emitter, type Listener } from "./emitter.js";
import { RealtimeArgumentError } from "./errors.js";
import { checkFields, checkText, checkTimeout, isRoom } from "./full-args.js";
import { FullModeEndedError, FullModePublishError } from "./full-errors.js";
import { parseFullEvent, type FullModeMessage } from "./full-parse.js";
import { PushToTalkWaits, type PushToTalkOperation } from "./full-push-to-talk.js";
import {
  CONTROL_TOPIC,
  MAX_LIVEKIT_DATA_BYTES,
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

/** The avatar's events and the commands to it, over one LiveKit room (pairs with `LiteConnection`). */
export class FullModeConnection {
  readonly #room: FullModeRoom;
  readonly #sessionId: string | undefined;
  readonly #timeoutMs: number;
  readonly #log: LogSinks;
  readonly #emitter: Emitter<FullModeEventMap>;
  readonly #encoder = new TextEncoder();
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
    this.#log = logSinks(options.logger, options.logLevel);
    this.#emitter = new Emitter((error, type) =>
      this.#log.warn?.(`a "${type}" listener threw: ${error instanceof Error ? error.message : String(error)}`),
    );
    this.#endedPromise = new Promise((resolve) => (this.#resolveEnded = resolve));
    this.#onData = (payload, _participant, _kind, topic) => {
      if (topic === RESPONSE_TOPIC) this.#onPacket(payload);
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
    if (!isRoom(room)) {
      throw new RealtimeArgumentError(
        "FullModeConnection.attach needs a LiveKit Room (on, off and localParticipant.publishData)",
      );
    }
    const { sessionId } = options;
    if (sessionId !== undefined && (typeof sessionId !== "string" || sessionId.length === 0)) {
      throw new RealtimeArgumentError("sessionId must be a non-empty string");
    }
    checkTimeout(options.pushToTalkTimeout, "pushToTalkTimeout");
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

  /** Every event from now on (typed, `unknown` and finally `ended`), until the handle ends. */
  events(): AsyncIterableIterator<FullModeEvent> {
    return this.#emitter.iterate();
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
    const eventType = command.event_type;
    const message: FullCommand = { ...command, event_id: eventId, session_id: this.#sessionId };
    let json: string;
    try {
      json = JSON.stringify(message);
    } catch (error) {
      throw new RealtimeArgumentError(`${eventType} cannot be sent as JSON: ${(error as Error).message}`);
    }
    const bytes = this.#encoder.encode(json);
    if (bytes.byteLength > MAX_LIVEKIT_DATA_BYTES) {
      throw new RealtimeArgumentError(
        `${eventType} is ${bytes.byteLength} bytes of JSON; a LiveKit data packet holds at most ${MAX_LIVEKIT_DATA_BYTES}: send shorter text`,
      );
    }
    try {
      await this.#room.localParticipant.publishData(bytes, { reliable: true, topic: CONTROL_TOPIC });
    } catch (error) {
      throw new FullModePublishError(eventType, error);
    }
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

  #onPacket(payload: Uint8Array): void {
    if (this.#ended) return;
    const event = parseFullEvent(payload);
    const data = event.type === "unknown" ? event.data : event;
    const sessionId = (data as { session_id?: unknown } | null)?.session_id;
    if (this.#sessionId && typeof sessionId === "string" && sessionId !== this.#sessionId) {
      this.#log.debug?.(`ignored an agent-response packet for another session`);
      return;
    }
    if (event.type === "unknown") {
      this.#log.debug?.(`agent-response packet delivered as "unknown": ${event.problem}`);
      this.#emitter.emit("unknown", event);
      if (event.eventType === "session.stopped" || event.eventType === "session_stopped")
        this.#end({ type: "ended", reason: "session_stopped" });
      return;
    }
    this.#pushToTalk.answer(event);
    this.#emitter.emit(event.type, event as never);
    if (event.type === "session.stopped") {
      const { end_reason, stop_reason } = event as { end_reason?: string; stop_reason?: string };
      this.#end({ type: "ended", reason: "session_stopped", endReason: end_reason ?? stop_reason });
    }
  }

  #end(event: FullModeEndedEvent): void {
    if (this.#ended) return;
    this.#ended = event;
    this.#room.off("dataReceived", this.#onData);
    this.#room.off("disconnected", this.#onDisconnected);
    this.#pushToTalk.failAll(new FullModeEndedError(event.reason));
    this.#log.debug?.(`FULL-mode connection ended: ${event.reason}`);
    this.#emitter.emit("ended", event);
    this.#emitter.finish();
    this.#resolveEnded(event);
  }
}

/** @deprecated use FullModeConnection (it also sends commands; the name pairs with LiteConnection) */
export const FullModeEvents = FullModeConnection;
/** @deprecated use FullModeConnection */
export type FullModeEvents = FullModeConnection;
