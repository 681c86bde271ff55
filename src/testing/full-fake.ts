// An in-memory LiveKit room with a scripted avatar on the other side, for tests of FULL-mode code
// where no LiveKit server runs. `fake.room` has the shape of a livekit-client `Room` as FULL mode
// uses it; every command published on it is checked against asyncapi.yaml, and the avatar answers
// the way the protocol notes describe (speech events, transcriptions, push-to-talk answers).
// Packets are delivered asynchronously and in order, as a data channel would.
import { fullCommandSchemas, fullEventSchemas } from "../../generated/event-schemas.js";
import type { FullCommand, FullEvent } from "../../generated/events.js";
import {
  CONTROL_TOPIC,
  RESPONSE_TOPIC,
  type FullModeDataListener,
  type FullModeDisconnectListener,
  type FullModePublishOptions,
  type FullModeRoom,
} from "../realtime/full-room.js";
import { FakeConfigError } from "./errors.js";
import { validateEvent } from "./lite-validate.js";

export interface FullModeFakeOptions {
  /** Stamped on every event as `session_id`. */
  sessionId?: string | undefined;
  /** How push-to-talk commands are answered: `answer` (default), `fail`, or `silent` (never). */
  pushToTalk?: "answer" | "fail" | "silent" | undefined;
  /** Whether answers carry `source_event_id` naming the command (default true). */
  sourceEventId?: boolean | undefined;
  /** Which field `session.stopped` carries its reason in: `end_reason` (docs, default) or `stop_reason` (web SDK). */
  stopReasonField?: "end_reason" | "stop_reason" | undefined;
  /**
   * `connector` plays a connector session (ElevenLabs / Cartesia agent): chunks spelled
   * `avatar.transcription_chunk`, the end as `session_stopped` with `stop_reason`. Default `docs`.
   */
  spelling?: "docs" | "connector" | undefined;
  /** Send `avatar.transcription.chunk` events (one per word) before each transcription, as the web SDK sees. */
  transcriptionChunks?: boolean | undefined;
  /** Milliseconds the avatar speaks before `avatar.speak_ended` (default 20). */
  speakMs?: number | undefined;
  /** What the session's LLM answers to `avatar.speak_response` (default: echoes the text). */
  reply?: ((text: string) => string) | undefined;
}

export interface FullModeFake {
  /** The page's side of the room: pass it to `FullModeConnection.attach`. */
  readonly room: FullModeRoom;
  /** Every command published on `agent-control`, parsed, in order. */
  readonly received: readonly FullCommand[];
  /** Commands that broke the protocol (schema, not reliable, wrong topic); empty when all were right. */
  violations(): string[];
  /** Publishes an event on `agent-response`; throws if it does not match asyncapi.yaml. */
  send(event: FullEvent): void;
  /** Publishes any bytes on any topic (junk, other applications' data). */
  sendRaw(payload: Uint8Array, topic?: string): void;
  /** The server ends the session: `session.stopped` with `reason`. */
  stopSession(reason?: string): void;
  /** The room disconnects: `disconnected` fires and publishing fails from then on. */
  disconnect(): void;
}

const PUSH_TO_TALK_ANSWERS = {
  start: ["user.push_to_talk_started", "user.push_to_talk_start_failed"],
  stop: ["user.push_to_talk_stopped", "user.push_to_talk_stop_failed"],
} as const;

export function createFullModeFake(options: FullModeFakeOptions = {}): FullModeFake {
  const dataListeners = new Set<FullModeDataListener>();
  const disconnectListeners = new Set<FullModeDisconnectListener>();
  const received: FullCommand[] = [];
  const violations: string[] = [];
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  let connected = true;
  let speaking: ReturnType<typeof setTimeout> | undefined;
  let ids = 0;
  const connector = options.spelling === "connector";

  const deliver = (payload: Uint8Array, topic: string) =>
    setTimeout(() => {
      if (connected) for (const listener of Array.from(dataListeners)) listener(payload, undefined, undefined, topic);
    }, 0);

  const send = (event: FullEvent) => {
    const problems = validateEvent(fullEventSchemas[event.event_type] ?? {}, event);
    if (problems.length > 0)
      throw new FakeConfigError(
        `the fake sends only valid events; invalid ${event.event_type}: ${problems.join("; ")}`,
      );
    deliver(encoder.encode(JSON.stringify(event)), RESPONSE_TOPIC);
  };

  /** An event from the avatar with the envelope the real server puts on it. */
  const emit = (fields: { event_type: FullEvent["event_type"]; [field: string]: string }, source?: string) =>
    send({
      event_id: `fake-${++ids}`,
      ...(options.sessionId ? { session_id: options.sessionId } : {}),
      ...(source && options.sourceEventId !== false ? { source_event_id: source } : {}),
      ...fields,
    } as FullEvent);

  const speak = (text: string, source: string | undefined) => {
    if (speaking) finishSpeaking();
    emit({ event_type: "avatar.speak_started" }, source);
    if (options.transcriptionChunks) {
      for (const word of text.split(/(?<= )/))
        emit(
          { event_type: connector ? "avatar.transcription_chunk" : "avatar.transcription.chunk", text: word },
          source,
        );
    }
    emit({ event_type: "avatar.transcription", text }, source);
    speaking = setTimeout(finishSpeaking, options.speakMs ?? 20);
  };
  const finishSpeaking = () => {
    clearTimeout(speaking);
    speaking = undefined;
    emit({ event_type: "avatar.speak_ended" });
  };

  const answerPushToTalk = (operation: "start" | "stop", source: string | undefined) => {
    if (options.pushToTalk === "silent") return;
    const [answered, failed] = PUSH_TO_TALK_ANSWERS[operation];
    if (options.pushToTalk === "fail") {
      emit({ event_type: failed, error: "push-to-talk is not enabled for this session" }, source);
    } else emit({ event_type: answered }, source);
  };

  const onCommand = (command: FullCommand) => {
    switch (command.event_type) {
      case "avatar.speak_text":
        return speak(command.text, command.event_id);
      case "avatar.speak_response":
        return speak((options.reply ?? ((text) => text))(command.text), command.event_id);
      case "avatar.interrupt":
        if (speaking) finishSpeaking();
        return;
      case "user.start_push_to_talk":
        return answerPushToTalk("start", command.event_id);
      case "user.stop_push_to_talk":
        return answerPushToTalk("stop", command.event_id);
    }
  };

  const room: FullModeRoom = {
    localParticipant: {
      async publishData(data: Uint8Array, publish: FullModePublishOptions) {
        if (!connected) throw new Error("cannot publish data: the room is not connected");
        let command: FullCommand;
        try {
          command = JSON.parse(decoder.decode(data)) as FullCommand;
        } catch {
          violations.push("a command that is not UTF-8 JSON");
          return;
        }
        if (publish?.reliable !== true) violations.push(`${command.event_type} was not published reliably`);
        if (publish?.topic !== CONTROL_TOPIC) {
          violations.push(`${command.event_type} was published on topic ${String(publish?.topic)}`);
          return;
        }
        const schema = fullCommandSchemas[command.event_type];
        const problems = schema ? validateEvent(schema, command) : [`unknown command ${String(command.event_type)}`];
        violations.push(...problems.map((problem) => `${command.event_type}: ${problem}`));
        received.push(command);
        if (problems.length === 0) setTimeout(() => connected && onCommand(command), 0);
      },
    },
    on(event: "dataReceived" | "disconnected", listener: FullModeDataListener | FullModeDisconnectListener) {
      if (event === "dataReceived") dataListeners.add(listener as FullModeDataListener);
      else disconnectListeners.add(listener as FullModeDisconnectListener);
      return room;
    },
    off(event: "dataReceived" | "disconnected", listener: FullModeDataListener | FullModeDisconnectListener) {
      if (event === "dataReceived") dataListeners.delete(listener as FullModeDataListener);
      else disconnectListeners.delete(listener as FullModeDisconnectListener);
      return room;
    },
  };

  return {
    room,
    received,
    violations: () => [...violations],
    send,
    sendRaw: (payload, topic = RESPONSE_TOPIC) => deliver(payload, topic),
    stopSession(reason = "USER_CLOSED") {
      clearTimeout(speaking);
      speaking = undefined;
      if (connector) emit({ event_type: "session_stopped", stop_reason: reason });
      else emit({ event_type: "session.stopped", [options.stopReasonField ?? "end_reason"]: reason });
    },
    disconnect() {
      if (!connected) return;
      connected = false;
      clearTimeout(speaking);
      for (const listener of Array.from(disconnectListeners)) listener("CLIENT_INITIATED");
    },
  };
}
