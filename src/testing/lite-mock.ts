// A mock LITE-mode server: a real `ws` WebSocketServer on 127.0.0.1 that validates every client
// message against asyncapi.yaml (generated/event-schemas.ts), answers with spec-valid events, and
// plays the protocol variants of realtime.md: which speaking signals a session emits, whether
// `connected` ever arrives, acks with or without `source_event_id`, `error` for bad audio, junk
// frames, closing mid-utterance, and keep-alives answered with "no such session".
import { liteCommandSchemas, liteEventSchemas } from "../../generated/event-schemas.js";
import type { AgentState, LiteCommand, LiteEvent } from "../../generated/events.js";
import { isRecord } from "../guards.js";
import { validateEvent } from "./lite-validate.js";

export interface LiteVariant {
  /** Speaking signals: `agent.speak_*` ("speak"), `agent.state_updated` only ("state"), or both. Default "speak". */
  signals?: "speak" | "state" | "both";
  /** Never send `session.state_updated` "connected" (a vendor engineer saw this). Default false. */
  neverConnected?: boolean;
  /** Milliseconds before "connected" is sent. Default 0. */
  connectDelayMs?: number;
  /** State words: the docs' (`connecting`/`connected`/`closed`) or a third party's (`new`/`connected`/`disconnected`). */
  vocabulary?: "docs" | "alternate";
  /** Buffer acks (`agent.audio_buffer_*`, 2026-09): none, with `source_event_id`, or without. Default "none". */
  acks?: "none" | "with_source" | "without_source";
  /** `event_id` on `agent.speak_started`/`_ended`: the utterance's, or the server's own. Default "utterance". */
  speakEventId?: "utterance" | "server";
  /** Milliseconds the avatar "plays" per second of audio. Default 20 (fast tests). */
  playMsPerSecond?: number;
  /** Close the socket (this code) while the first utterance is playing. */
  closeMidUtterance?: number;
  /** Send junk frames (not JSON, no `type`, an unknown type, binary) right after connecting. */
  junk?: boolean;
  /** Answer `session.keep_alive` with an `error` saying the session does not exist. */
  keepAliveNoSession?: boolean;
}

export interface LiteMockOptions extends LiteVariant {
  /** Port to listen on (default 0: a free one). */
  port?: number;
}

/** One client message as the mock received it. */
export interface LiteReceived {
  sessionId: string;
  /** The parsed message, or the raw text when it was not JSON. */
  message: LiteCommand | Record<string, unknown> | string;
  /** Schema violations and protocol errors (e.g. "sent before connected"); empty when valid. */
  violations: string[];
  at: number;
}

export interface LiteMock {
  /** `ws://127.0.0.1:<port>` */
  readonly url: string;
  /** The `ws_url` for a session, optionally with its own variant (overrides the mock's options). */
  wsUrlFor(sessionId: string, variant?: LiteVariant): string;
  /** Every client message, in order of arrival. */
  readonly received: LiteReceived[];
  /** Received messages that broke the spec or the protocol. */
  violations(): LiteReceived[];
  /** Sockets currently open. */
  readonly openSockets: number;
  /** Sends an event (validated against the spec first) to every socket of a session. */
  send(sessionId: string, event: LiteEvent): void;
  /** Ends a session as the server would: a final state event, then the socket closes. Later connects get 404. */
  endSession(sessionId: string, options?: { code?: number; stateEvent?: boolean }): void;
  close(): Promise<void>;
}

interface Socket {
  readyState: number;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  on(event: "message", listener: (data: Uint8Array, isBinary: boolean) => void): void;
  on(event: "close", listener: () => void): void;
}

interface WsServer {
  once(event: "listening" | "error", listener: (error?: unknown) => void): void;
  on(event: "connection", listener: (socket: Socket, request: { url?: string }) => void): void;
  address(): { port: number };
  clients: Set<{ terminate(): void }>;
  close(callback: () => void): void;
}
type WsServerClass = new (options: { host: string; port: number }) => WsServer;

interface Utterance {
  eventId: string;
  bytes: number;
}

const ALT: Record<string, string> = { connecting: "new", closed: "disconnected" };

export async function startLiteMock(options: LiteMockOptions = {}): Promise<LiteMock> {
  // `ws` (optional peer dependency) is loaded only when a mock starts; typed structurally so the
  // package's declarations need neither @types/ws nor Node's types.
  const specifier = "ws";
  const { WebSocketServer } = (await import(/* @vite-ignore */ specifier)) as { WebSocketServer: WsServerClass };
  const server = new WebSocketServer({ host: "127.0.0.1", port: options.port ?? 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", () => resolve());
    server.once("error", reject);
  });
  const url = `ws://127.0.0.1:${server.address().port}`;
  const variants = new Map<string, LiteVariant>();
  const ended = new Set<string>();
  const sockets = new Map<string, Set<Socket>>();
  const received: LiteReceived[] = [];
  let serverIds = 0;

  const emit = (socket: Socket, event: LiteEvent): void => {
    const schema = liteEventSchemas[event.type];
    const problems = schema ? validateEvent(schema, event) : [`unknown event type ${event.type}`];
    // The mock only ever says what the spec allows: a bug here must fail loudly.
    if (problems.length > 0) throw new Error(`lite mock: invalid ${event.type}: ${problems.join("; ")}`);
    if (socket.readyState === 1) socket.send(JSON.stringify(event));
  };

  server.on("connection", (socket, request) => {
    const match = /^\/v1\/lite\/([^/?]+)/.exec(request.url ?? "");
    const sessionId = match ? decodeURIComponent(match[1]!) : "";
    if (!sessionId || ended.has(sessionId)) {
      socket.close(4004, "no such session");
      return;
    }
    const v: LiteVariant = { ...options, ...variants.get(sessionId) };
    const word = (state: string) => (v.vocabulary === "alternate" ? (ALT[state] ?? state) : state);
    const set = sockets.get(sessionId) ?? new Set();
    sockets.set(sessionId, set.add(socket));
    let connected = false;
    let agent: AgentState = "idle";
    let building: Utterance | undefined;
    const queue: Utterance[] = [];
    let playing: { utterance: Utterance; timer: ReturnType<typeof setTimeout> } | undefined;
    let closedMid = false;
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const later = (ms: number, fn: () => void) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        fn();
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
      const event_id = `srv-${++serverIds}`;
      emit(
        socket,
        v.acks === "with_source" && source ? { type, event_id, source_event_id: source } : { type, event_id },
      );
    };
    const speakId = (u: Utterance) => (v.speakEventId === "server" ? `srv-${++serverIds}` : u.eventId);
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
        utterance: next,
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
          const decoded = { byteLength: base64Bytes(message.audio) };
          if (decoded.byteLength % 2 !== 0) return refuse("invalid audio: odd number of PCM16 bytes", message.event_id);
          const id = message.event_id ?? `srv-${++serverIds}`;
          if (!building || building.eventId !== id) building = { eventId: id, bytes: 0 };
          building.bytes += decoded.byteLength;
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
            if (signals !== "state")
              emit(socket, { type: "agent.speak_interrupted", event_id: speakId(playing.utterance) });
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

    socket.on("message", (data, isBinary) => {
      const text = isBinary ? "" : decoder.decode(data);
      const record: LiteReceived = { sessionId, message: text, violations: [], at: Date.now() };
      received.push(record);
      let parsed: unknown;
      try {
        parsed = isBinary ? undefined : JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      const type = isRecord(parsed) ? parsed.type : undefined;
      const schema = typeof type === "string" ? liteCommandSchemas[type] : undefined;
      if (!isRecord(parsed) || !schema) {
        record.violations.push(
          isBinary
            ? "binary frame"
            : !isRecord(parsed)
              ? "not a JSON object"
              : `unknown command ${JSON.stringify(type)}`,
        );
        return refuse(record.violations[0]!);
      }
      record.message = parsed;
      record.violations.push(...validateEvent(schema, parsed));
      // The real server drops commands sent before "connected" silently (realtime.md).
      if (!connected) return void record.violations.push("sent before connected");
      if (record.violations.length > 0) {
        const audioBad = type === "agent.speak" && record.violations.some((p) => p.startsWith("/audio"));
        const eventId = typeof parsed.event_id === "string" ? parsed.event_id : undefined;
        return refuse(audioBad ? "invalid base64 audio data" : record.violations.join("; "), eventId);
      }
      handle(parsed as unknown as LiteCommand);
    });
    socket.on("close", () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      set.delete(socket);
    });

    emit(socket, { type: "session.state_updated", state: word("connecting") as never });
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
  });

  return {
    url,
    received,
    wsUrlFor(sessionId, variant) {
      if (variant) variants.set(sessionId, variant);
      return `${url}/v1/lite/${encodeURIComponent(sessionId)}`;
    },
    violations: () => received.filter((r) => r.violations.length > 0),
    get openSockets() {
      let n = 0;
      for (const set of sockets.values()) n += set.size;
      return n;
    },
    send(sessionId, event) {
      for (const socket of sockets.get(sessionId) ?? []) emit(socket, event);
    },
    endSession(sessionId, { code = 1000, stateEvent = true } = {}) {
      ended.add(sessionId);
      const v = { ...options, ...variants.get(sessionId) };
      for (const socket of sockets.get(sessionId) ?? []) {
        if (stateEvent)
          emit(socket, {
            type: "session.state_updated",
            state: v.vocabulary === "alternate" ? "disconnected" : "closed",
          });
        socket.close(code, "session ended");
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

const decoder = new TextDecoder();

/** Decoded length of (schema-checked) base64. */
function base64Bytes(text: string): number {
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}
