// One client socket of the LITE fake: the connect sequence, the commands, and the avatar's playback
// of each speech as the session's variant says.
import type { AgentState, LiteCommand } from "../../../generated/events.js";
import { base64Bytes, emit, frameText, parseFrame, type FakeSocket } from "./frames.js";
import type { LiteFakeWarning, LiteReceived, LiteVariant } from "./types.js";

/** What a connection shares with its server. */
export interface ConnectionHost {
  record(entry: LiteReceived, chars: number): void;
  warn(kind: LiteFakeWarning["kind"], message: string, sessionId?: string): void;
  serverId(): string;
}

export interface Connection {
  readonly sessionId: string;
  /** Clears every timer of the connection: nothing more is sent. */
  stop(): void;
}

interface Speech {
  eventId: string;
  bytes: number;
}

const ALTERNATE: Record<string, string> = { connecting: "new", closed: "disconnected" };

/** The state word of `state` in the variant's vocabulary. */
export function stateWord(v: LiteVariant, state: "connecting" | "connected" | "closed"): string {
  return v.vocabulary === "alternate" ? (ALTERNATE[state] ?? state) : state;
}

export function serveConnection(
  socket: FakeSocket,
  sessionId: string,
  v: LiteVariant,
  host: ConnectionHost,
): Connection {
  let connected = false;
  let agent: AgentState = "idle";
  let building: Speech | undefined;
  const queue: Speech[] = [];
  let playing: { speech: Speech; timer: ReturnType<typeof setTimeout> } | undefined;
  let closedMid = false;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  /** Runs `fn`; an exception of the fake's own closes this socket (1011) instead of reaching the host. */
  const guard = (fn: () => void) => {
    try {
      fn();
    } catch (error) {
      host.warn("internal_error", `fake error: ${error instanceof Error ? error.message : String(error)}`, sessionId);
      stop();
      socket.close(1011, "fake error");
    }
  };
  const stop = () => {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
  };
  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      guard(fn);
    }, ms);
    timers.add(timer);
    return timer;
  };
  const signals = v.signals ?? "speak";
  const setAgent = (next: AgentState) => {
    if (next === agent) return;
    if (signals !== "speak") emit(socket, { type: "agent.state_updated", previous_state: agent, new_state: next });
    agent = next;
  };
  const ack = (
    type: "agent.audio_buffer_appended" | "agent.audio_buffer_committed" | "agent.audio_buffer_cleared",
    source?: string,
  ) => {
    if (!v.acks || v.acks === "none") return;
    const event_id = host.serverId();
    emit(socket, v.acks === "with_source" && source ? { type, event_id, source_event_id: source } : { type, event_id });
  };
  const speakId = (s: Speech) => (v.speakEventId === "server" ? host.serverId() : s.eventId);
  const playNext = () => {
    if (playing) return;
    const next = queue.shift();
    if (!next) return;
    if (signals !== "state")
      emit(socket, { type: "agent.speak_started", event_id: speakId(next), task: { id: `task-${next.eventId}` } });
    setAgent("talking");
    const ms = Math.max(5, ((v.playMsPerSecond ?? 20) * next.bytes) / 48_000);
    if (v.closeMidUtterance && !closedMid) {
      closedMid = true;
      later(ms / 2, () => socket.close(v.closeMidUtterance, "session ended"));
    }
    playing = {
      speech: next,
      timer: later(ms, () => {
        playing = undefined;
        if (signals !== "state")
          emit(socket, { type: "agent.speak_ended", event_id: speakId(next), task: { id: `task-${next.eventId}` } });
        setAgent(queue.length > 0 ? "talking" : "idle");
        playNext();
      }),
    };
  };
  const refuse = (message: string, eventId?: string) =>
    emit(socket, {
      type: "error",
      error: { type: "invalid_request_error", message, ...(eventId ? { event_id: eventId } : {}) },
    });

  const handle = (message: LiteCommand) => {
    switch (message.type) {
      case "agent.speak": {
        const bytes = base64Bytes(message.audio);
        if (bytes % 2 !== 0) return refuse("invalid audio: odd number of PCM16 bytes", message.event_id);
        const id = message.event_id ?? host.serverId();
        if (!building || building.eventId !== id) building = { eventId: id, bytes: 0 };
        building.bytes += bytes;
        ack("agent.audio_buffer_appended", message.event_id);
        return;
      }
      case "agent.speak_end":
        ack("agent.audio_buffer_committed", message.event_id);
        if (building?.eventId === message.event_id) {
          queue.push(building);
          building = undefined;
          playNext();
        }
        return;
      case "agent.interrupt":
        building = undefined;
        queue.length = 0;
        if (playing) {
          clearTimeout(playing.timer);
          timers.delete(playing.timer);
          if (signals !== "state") emit(socket, { type: "agent.speak_interrupted", event_id: speakId(playing.speech) });
          playing = undefined;
        }
        setAgent("idle");
        ack("agent.audio_buffer_cleared", message.event_id);
        return;
      case "agent.start_listening":
        if (!playing) setAgent("listening");
        return;
      case "agent.stop_listening":
        if (!playing) setAgent("idle");
        return;
      case "session.keep_alive":
        if (v.keepAliveNoSession) refuse("no such session", message.event_id);
        return;
    }
  };

  const onMessage = (data: Uint8Array, isBinary: boolean) => {
    const text = frameText(data, isBinary);
    const record: LiteReceived = { sessionId, message: text, violations: [], at: Date.now() };
    host.record(record, isBinary ? data.byteLength : text.length);
    const { command, violations } = parseFrame(text, isBinary);
    record.violations.push(...violations);
    if (!command) return refuse(record.violations[0]!);
    record.message = command;
    // The real server drops commands sent before "connected" silently (realtime.md).
    if (!connected) return void record.violations.push("sent before connected");
    if (record.violations.length > 0) {
      const audioBad = command.type === "agent.speak" && record.violations.some((p) => p.startsWith("/audio"));
      const eventId = typeof command.event_id === "string" ? command.event_id : undefined;
      return refuse(audioBad ? "invalid base64 audio data" : record.violations.join("; "), eventId);
    }
    handle(command as unknown as LiteCommand);
  };
  socket.on("message", (data, isBinary) => guard(() => onMessage(data, isBinary)));

  emit(socket, { type: "session.state_updated", state: stateWord(v, "connecting") as "connecting" });
  if (!v.neverConnected) {
    later(v.connectDelayMs ?? 0, () => {
      if (v.junk) {
        socket.send("not json {");
        socket.send(JSON.stringify({ no_type: true }));
        socket.send(JSON.stringify({ type: "agent.future_event", detail: 1 }));
        socket.send(new Uint8Array([1, 2, 3]));
      }
      connected = true;
      emit(socket, { type: "session.state_updated", state: "connected" });
    });
  }
  return { sessionId, stop };
}
