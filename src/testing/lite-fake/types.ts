// The LITE fake's public shapes: its options (the protocol variants it plays), what it records of
// the client's messages, and the handle a test drives it with.
import type { LiteCommand, LiteEvent } from "../../../generated/events.js";

/** How one session behaves; each field selects a variant of the protocol (docs/realtime.md). */
export interface LiteVariant {
  /** Speaking signals: `agent.speak_*` ("speak"), `agent.state_updated` only ("state"), or both. Default "speak". */
  signals?: "speak" | "state" | "both" | undefined;
  /** Never send `session.state_updated` "connected" (some sessions never do). Default false. */
  neverConnected?: boolean | undefined;
  /** Milliseconds before "connected" is sent. Default 0. */
  connectDelayMs?: number | undefined;
  /** State words: the docs' (`connecting`/`connected`/`closed`) or a third party's (`new`/`connected`/`disconnected`). */
  vocabulary?: "docs" | "alternate" | undefined;
  /** Buffer acks (`agent.audio_buffer_*`): none, with `source_event_id`, or without. Default "none". */
  acks?: "none" | "with_source" | "without_source" | undefined;
  /** `event_id` on `agent.speak_started`/`_ended`: the speech's, or the server's own. Default "utterance". */
  speakEventId?: "utterance" | "server" | undefined;
  /** Milliseconds the avatar "plays" per second of audio. Default 20. */
  playMsPerSecond?: number | undefined;
  /** Close the socket (this code) while the first speech is playing. */
  closeMidUtterance?: number | undefined;
  /** Send junk frames (not JSON, no `type`, an unknown type, binary) right after connecting. */
  junk?: boolean | undefined;
  /** Answer `session.keep_alive` with an `error` saying the session does not exist. */
  keepAliveNoSession?: boolean | undefined;
}

export interface LiteFakeOptions extends LiteVariant {
  /** Port to listen on (default 0: a free one). */
  port?: number | undefined;
}

/** One client message as the fake received it. */
export interface LiteReceived {
  sessionId: string;
  /** The parsed message, or the raw text when it was not JSON. */
  message: LiteCommand | Record<string, unknown> | string;
  /** Schema violations and protocol errors (e.g. "sent before connected"); empty when valid. */
  violations: string[];
  at: number;
}

/** Options of `endSession`. */
export interface LiteEndSessionOptions {
  /** Close code. Default 1000. */
  code?: number | undefined;
  /** Send `session.state_updated` "closed" (or "disconnected") first. Default true. */
  stateEvent?: boolean | undefined;
}

export interface LiteFake {
  /** `ws://127.0.0.1:<port>` */
  readonly url: string;
  /** The `ws_url` for a session, optionally with its own variant (overrides the fake's options). */
  wsUrlFor(sessionId: string, variant?: LiteVariant): string;
  /** Every client message, in order of arrival. */
  readonly received: LiteReceived[];
  /** Received messages that broke the spec or the protocol. */
  violations(): LiteReceived[];
  /** Sockets currently open. */
  readonly openSockets: number;
  /** Sends an event (validated against the spec first) to every socket of a session. */
  send(sessionId: string, event: LiteEvent): void;
  /** Ends a session as the server would: a final state event, then the socket closes. Later connects are refused (4004). */
  endSession(sessionId: string, options?: LiteEndSessionOptions): void;
  close(): Promise<void>;
}
