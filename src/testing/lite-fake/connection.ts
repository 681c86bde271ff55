// One client socket of the LITE fake: the connect sequence, the client's commands, and the
// avatar's playback of each speech as the session's variant says.
import type { LiteCommand, LiteEvent } from "../../../generated/events.js";
import { messageOf } from "../../guards.js";
import { base64Bytes, emit, frameText, parseFrame, type FakeSocket } from "./frames.js";
import { LITE_FAKE_DEFAULTS } from "./limits.js";
import { Playback, type PlaybackChange, type PlayedSpeech } from "./playback.js";
import { speaking } from "./speaking.js";
import { connectionTimers } from "./timers.js";
import type { LiteFakeWarning, LiteReceived, LiteVariant } from "./types.js";

/** What a connection shares with its server. */
export interface ConnectionHost {
  record(entry: LiteReceived, chars: number): void;
  /** Bytes a socket may have queued unsent before it is cut. */
  maxUnsentBytes: number;
  warn(kind: LiteFakeWarning["kind"], message: string, sessionId?: string): void;
  serverId(): string;
}

export interface Connection {
  readonly sessionId: string;
  /** Clears every timer of the connection: nothing more is sent. */
  stop(): void;
}

const ALTERNATE: Record<string, string> = { connecting: "new", closed: "disconnected" };

/** The state word of `state` in the variant's vocabulary. */
export function stateWord(v: LiteVariant, state: "connecting" | "connected" | "closed"): string {
  return v.vocabulary === "alternate" ? (ALTERNATE[state] ?? state) : state;
}

/** One second of PCM16 at 24 kHz: the packet size the vendor recommends at most. */
const SECOND = 48_000;

export function serveConnection(
  socket: FakeSocket,
  sessionId: string,
  v: LiteVariant,
  host: ConnectionHost,
): Connection {
  let connected = false;
  let stopped = false;
  /** Runs `fn`; an exception of the fake's own closes this socket (1011) instead of reaching the host. */
  const guard = (fn: () => void) => {
    try {
      fn();
    } catch (error) {
      host.warn("internal_error", `fake error: ${messageOf(error)}`, sessionId);
      stop();
      socket.close(1011, "fake error");
    }
  };
  const timers = connectionTimers(guard);
  const say = (event: LiteEvent) => {
    // A client that sends without reading would otherwise grow the fake's send buffer without end.
    if (socket.bufferedAmount > host.maxUnsentBytes) {
      if (socket.readyState !== 1) return;
      host.warn(
        "slow_reader",
        `the client read nothing while ${host.maxUnsentBytes} bytes waited; socket cut`,
        sessionId,
      );
      stop();
      return socket.terminate();
    }
    emit(socket, event);
  };
  const avatar = speaking(v, say, host.serverId);
  const closeMid = v.closeMidSpeech ?? v.closeMidUtterance;
  let closing = false;
  const onPlayback = (change: PlaybackChange, speech: PlayedSpeech, more: boolean) => {
    avatar.changed(change, speech, more);
    if (change === "started" && closeMid && !closing) {
      closing = true;
      const queued = speech.chunks.reduce((sum, ms) => sum + ms, 0);
      timers.later(queued / 2, () => socket.close(closeMid, "session ended"));
    }
  };
  const playback = new Playback(
    {
      msPerSecond: v.playMsPerSecond ?? LITE_FAKE_DEFAULTS.playMsPerSecond,
      start: v.playback === "after_speak_end" ? "after_speak_end" : "as_audio_arrives",
      maxQueuedPackets: LITE_FAKE_DEFAULTS.maxQueuedPackets,
    },
    timers,
    onPlayback,
  );
  const stop = () => {
    stopped = true;
    playback.stop();
    timers.clear();
  };
  const refuse = (message: string, eventId?: string) => avatar.error("invalid_request_error", message, eventId);
  let speeches = 0;
  /** Ids of the speech refused with `server_error`: its later packets and speak_end are dropped too. */
  let failed: string | undefined;

  const speak = (message: Extract<LiteCommand, { type: "agent.speak" }>) => {
    const bytes = base64Bytes(message.audio);
    if (bytes % 2 !== 0) return refuse("invalid audio: odd number of PCM16 bytes", message.event_id);
    const id = message.event_id;
    if (id !== undefined && id === failed) return;
    if (playback.opens(id) && ++speeches === v.serverErrorOnSpeech) {
      failed = id;
      return avatar.error("server_error", "the server failed to process this speech", id);
    }
    if (!playback.audio(id, bytes, host.serverId)) {
      return refuse(`too many packets waiting to play (${LITE_FAKE_DEFAULTS.maxQueuedPackets})`, id);
    }
    if (v.warnings && bytes > SECOND) {
      say({
        type: "warning",
        ...(id ? { event_id: id } : {}),
        warning: {
          type: "packet_too_long",
          message: "packets of about 1 s are recommended",
          ...(id ? { event_id: id } : {}),
        },
      });
    }
    ack("agent.audio_buffer_appended", id);
  };
  const ack = (
    type: "agent.audio_buffer_appended" | "agent.audio_buffer_committed" | "agent.audio_buffer_cleared",
    source?: string,
  ) => {
    if (!v.acks || v.acks === "none") return;
    const event_id = host.serverId();
    say(v.acks === "with_source" && source ? { type, event_id, source_event_id: source } : { type, event_id });
  };

  const handle = (message: LiteCommand) => {
    switch (message.type) {
      case "agent.speak":
        return speak(message);
      case "agent.speak_end":
        ack("agent.audio_buffer_committed", message.event_id);
        if (message.event_id === failed) failed = undefined;
        else playback.end(message.event_id);
        return;
      case "agent.interrupt": {
        const { late } = playback.interrupt();
        if (late) {
          host.warn(
            "interrupt_after_speech_ended",
            `agent.interrupt arrived ${Math.round(late.endedMsAgo)} ms after speech ${late.speechId} had ended; ` +
              "nothing was playing (is playMsPerSecond too fast for this test?)",
            sessionId,
          );
        }
        avatar.pose("idle");
        ack("agent.audio_buffer_cleared", message.event_id);
        return;
      }
      case "agent.start_listening":
        if (!playback.current) avatar.pose("listening");
        return;
      case "agent.stop_listening":
        if (!playback.current) avatar.pose("idle");
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
  // Frames still arriving while the socket closes (after a reset or endSession) are not answered.
  socket.on("message", (data, isBinary) => stopped || guard(() => onMessage(data, isBinary)));

  say({ type: "session.state_updated", state: stateWord(v, "connecting") as "connecting" });
  if (!v.neverConnected) {
    timers.later(v.connectDelayMs ?? 0, () => {
      if (v.junk) {
        socket.send("not json {");
        socket.send(JSON.stringify({ no_type: true }));
        socket.send(JSON.stringify({ type: "agent.future_event", detail: 1 }));
        socket.send(new Uint8Array([1, 2, 3]));
      }
      connected = true;
      say({ type: "session.state_updated", state: "connected" });
    });
  }
  return { sessionId, stop };
}
