// FULL mode: LiveAvatar runs STT/LLM/TTS itself, and the page talks to the avatar through the
// LiveKit room's data channel. Commands go out with `publishData(..., { reliable: true, topic:
// "agent-control" })`; events arrive on `dataReceived` with topic "agent-response". Every other
// topic is left alone. The room is typed structurally (full-room.ts): no livekit-client dependency.
import type { FullCommand, FullEventMap } from "../../generated/events.js";
import { APIUserAbortError } from "liveavatar-api";
import { messageOf } from "../guards.js";
import { logSinks, type LogLevel, type LogSinks, type Logger } from "../log.js";
import { Emitter, type Listener } from "./emitter.js";
import { RealtimeArgumentError } from "./errors.js";
import {
  FullModeEndedError,
  FullModePublishError,
  PushToTalkError,
  PushToTalkTimeoutError,
  type FullModeEndReason,
} from "./full-errors.js";
import { parseFullEvent, type FullModeMessage, type FullModeUnknownEvent } from "./full-parse.js";
import {
  CONTROL_TOPIC,
  MAX_PACKET_BYTES,
  RESPONSE_TOPIC,
  type FullModeDataListener,
  type FullModeDisconnectListener,
  type FullModeRoom,
} from "./full-room.js";
import { newEventId } from "./event-id.js";

export interface FullModeAttachOptions {
  /** Sent as `session_id` on every command; events naming another session are then ignored. */
  sessionId?: string;
  /** Milliseconds `startPushToTalk`/`stopPushToTalk` wait for the server's answer (default 5 000). */
  pushToTalkTimeout?: number;
  /** Where log lines go (unknown packets at debug, listener failures at warn). */
  logger?: Logger;
  logLevel?: LogLevel;
}

export interface PushToTalkOptions {
  /** Milliseconds to wait for the answer; overrides `pushToTalkTimeout`. */
  timeout?: number;
  /** Stops waiting (rejects with APIUserAbortError); the command may already have been sent. */
  signal?: AbortSignal;
}

export interface FullModeEndedEvent {
  type: "ended";
  reason: FullModeEndReason;
  /** `end_reason` (docs) or `stop_reason` (web SDK) of `session.stopped`. */
  endReason?: string;
}

export type FullModeEventMap = { [K in keyof FullEventMap]: FullModeMessage<K> } & {
  unknown: FullModeUnknownEvent;
  ended: FullModeEndedEvent;
};
export type FullModeEvent = FullModeEventMap[keyof FullModeEventMap];
export type FullModeState = "attached" | "ended";

type Operation = "start" | "stop";
interface Waiter {
  operation: Operation;
  eventId: string;
  resolve(event: FullModeMessage): void;
  reject(error: unknown): void;
}

const DEFAULT_PUSH_TO_TALK_TIMEOUT = 5_000;
/** Answers to push-to-talk commands: event type -> [operation, failed]. */
const ANSWERS: Partial<Record<string, [Operation, boolean]>> = {
  "user.push_to_talk_started": ["start", false],
  "user.push_to_talk_start_failed": ["start", true],
  "user.push_to_talk_stopped": ["stop", false],
  "user.push_to_talk_stop_failed": ["stop", true],
};

function checkTimeout(value: unknown, name: string): void {
  if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value) || value <= 0)) {
    throw new RealtimeArgumentError(`${name} must be a positive number of milliseconds`);
  }
}

function isRoom(room: unknown): room is FullModeRoom {
  const r = room as Partial<FullModeRoom> | null;
  return (
    typeof r === "object" &&
    r !== null &&
    typeof r.on === "function" &&
    typeof r.off === "function" &&
    typeof r.localParticipant?.publishData === "function"
  );
}

export class FullModeEvents {
  readonly #room: FullModeRoom;
  readonly #sessionId: string | undefined;
  readonly #timeoutMs: number;
  readonly #log: LogSinks;
  readonly #emitter: Emitter<FullModeEventMap>;
  readonly #encoder = new TextEncoder();
  readonly #onData: FullModeDataListener;
  readonly #onDisconnected: FullModeDisconnectListener;
  #waiters: Waiter[] = [];
  /** Ids of recent push-to-talk commands: an answer naming one that is no longer waited for is stale. */
  readonly #recentIds: string[] = [];
  #ended: FullModeEndedEvent | undefined;
  readonly #endedPromise: Promise<FullModeEndedEvent>;
  #resolveEnded!: (event: FullModeEndedEvent) => void;

  private constructor(room: FullModeRoom, options: FullModeAttachOptions) {
    this.#room = room;
    this.#sessionId = options.sessionId;
    this.#timeoutMs = options.pushToTalkTimeout ?? DEFAULT_PUSH_TO_TALK_TIMEOUT;
    this.#log = logSinks(options.logger, options.logLevel);
    this.#emitter = new Emitter((error, type) => this.#log.warn?.(`a "${type}" listener threw: ${messageOf(error)}`));
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
  static attach(room: FullModeRoom, options: FullModeAttachOptions = {}): FullModeEvents {
    if (!isRoom(room)) {
      throw new RealtimeArgumentError(
        "FullModeEvents.attach needs a LiveKit Room (on, off and localParticipant.publishData)",
      );
    }
    const { sessionId } = options;
    if (sessionId !== undefined && (typeof sessionId !== "string" || sessionId.length === 0)) {
      throw new RealtimeArgumentError("sessionId must be a non-empty string");
    }
    checkTimeout(options.pushToTalkTimeout, "pushToTalkTimeout");
    return new FullModeEvents(room, options);
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
   * Sends `user.start_push_to_talk` and resolves with `user.push_to_talk_started`. Rejects with
   * PushToTalkError on `user.push_to_talk_start_failed` (e.g. the session is not a push-to-talk
   * one), PushToTalkTimeoutError without an answer, FullModeEndedError when the handle ends first.
   */
  startPushToTalk(options?: PushToTalkOptions): Promise<FullModeMessage<"user.push_to_talk_started">> {
    return this.#pushToTalk("start", options) as Promise<FullModeMessage<"user.push_to_talk_started">>;
  }

  /** Sends `user.stop_push_to_talk` and resolves with `user.push_to_talk_stopped` (see startPushToTalk). */
  stopPushToTalk(options?: PushToTalkOptions): Promise<FullModeMessage<"user.push_to_talk_stopped">> {
    return this.#pushToTalk("stop", options) as Promise<FullModeMessage<"user.push_to_talk_stopped">>;
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
    const bytes = this.#encoder.encode(JSON.stringify(message));
    if (bytes.byteLength > MAX_PACKET_BYTES) {
      throw new RealtimeArgumentError(
        `${eventType} is ${bytes.byteLength} bytes of JSON; a LiveKit data packet holds at most ${MAX_PACKET_BYTES}: send shorter text`,
      );
    }
    try {
      await this.#room.localParticipant.publishData(bytes, { reliable: true, topic: CONTROL_TOPIC });
    } catch (error) {
      throw new FullModePublishError(eventType, error);
    }
    return eventId;
  }

  async #pushToTalk(operation: Operation, options: PushToTalkOptions = {}): Promise<FullModeMessage> {
    checkTimeout(options.timeout, "timeout");
    const { signal } = options;
    if (signal?.aborted) throw new APIUserAbortError({ cause: signal.reason });
    if (this.#ended) throw new FullModeEndedError(this.#ended.reason);
    const timeoutMs = options.timeout ?? this.#timeoutMs;
    const eventId = newEventId();
    this.#recentIds.push(eventId);
    if (this.#recentIds.length > 16) this.#recentIds.shift();
    // Registered before publishing: the answer may arrive before publishData resolves.
    const answer = new Promise<FullModeMessage>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
      };
      const waiter: Waiter = {
        operation,
        eventId,
        resolve: (event) => (done(), resolve(event)),
        reject: (error) => (done(), reject(error)),
      };
      const timer = setTimeout(
        () => waiter.reject(new PushToTalkTimeoutError(operation, timeoutMs, eventId)),
        timeoutMs,
      );
      const onAbort = () => waiter.reject(new APIUserAbortError({ cause: signal?.reason }));
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiters.push(waiter);
    });
    // A failed publish settles the caller's promise from here; the answer promise must not go unhandled.
    answer.catch(() => {});
    try {
      await this.#publish(
        { event_type: operation === "start" ? "user.start_push_to_talk" : "user.stop_push_to_talk" },
        eventId,
      );
    } catch (error) {
      this.#waiters.find((w) => w.eventId === eventId)?.reject(error);
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
      if (event.eventType === "session.stopped") this.#end({ type: "ended", reason: "session_stopped" });
      return;
    }
    const answer = ANSWERS[event.type];
    if (answer) this.#settleWaiter(answer[0], answer[1], event);
    this.#emitter.emit(event.type, event as never);
    if (event.type === "session.stopped") {
      const { end_reason, stop_reason } = event as { end_reason?: string; stop_reason?: string };
      this.#end({ type: "ended", reason: "session_stopped", endReason: end_reason ?? stop_reason });
    }
  }

  /** Settles the push-to-talk wait an answer belongs to: the one it names, else the oldest of its kind. */
  #settleWaiter(operation: Operation, failed: boolean, event: FullModeMessage): void {
    const source = event.source_event_id;
    let waiter = this.#waiters.find((w) => w.operation === operation && w.eventId === source);
    if (!waiter) {
      // An answer naming an earlier command that timed out or was aborted is stale.
      if (typeof source === "string" && this.#recentIds.includes(source)) return;
      waiter = this.#waiters.find((w) => w.operation === operation);
    }
    if (!waiter) return;
    if (!failed) waiter.resolve(event);
    else waiter.reject(new PushToTalkError(operation, (event as { error?: string }).error, waiter.eventId));
  }

  #end(event: FullModeEndedEvent): void {
    if (this.#ended) return;
    this.#ended = event;
    this.#room.off("dataReceived", this.#onData);
    this.#room.off("disconnected", this.#onDisconnected);
    const error = new FullModeEndedError(event.reason);
    for (const waiter of Array.from(this.#waiters)) waiter.reject(error);
    this.#log.debug?.(`FULL-mode events ended: ${event.reason}`);
    this.#emitter.emit("ended", event);
    this.#emitter.finish();
    this.#resolveEnded(event);
  }
}

function checkText(text: unknown): string {
  if (typeof text !== "string" || text.trim().length === 0) {
    throw new RealtimeArgumentError("text must be a non-empty string");
  }
  return text;
}
