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
  /**
   * Ids on the speaking events (`agent.speak_*`, and `agent.idle_*`): the speech's own `event_id`
   * ("speech", the docs), a fresh server id per event ("server"), or a fresh server id with the
   * speech's id in `source_event_id` ("server_with_source", seen from 2026-12). Default "speech".
   * ("utterance" is a deprecated name of "speech".)
   */
  speakEventId?: "speech" | "server" | "server_with_source" | "utterance" | undefined;
  /**
   * Milliseconds the avatar plays per second of audio. Default 1000: real time, so an interrupt
   * in a test meets a speech still playing. Pass a smaller number for faster tests.
   */
  playMsPerSecond?: number | undefined;
  /**
   * When a speech starts playing: as its first packet arrives ("as_audio_arrives", what streaming
   * clients rely on), once its `agent.speak_end` arrived ("after_speak_end", one report says so),
   * or as audio arrives with one `speak_started`/`speak_ended` pair per packet ("per_chunk", web
   * SDK issue 92). Default "as_audio_arrives".
   */
  playback?: "as_audio_arrives" | "after_speak_end" | "per_chunk" | undefined;
  /** Send `agent.idle_started`/`agent.idle_ended` between sentences (packets) and speeches. Default false. */
  idleEvents?: boolean | undefined;
  /** `error` frames name the failed command inside `error` only ("nested"), or at the top level too ("both"). Default "nested". */
  errorEventId?: "nested" | "both" | undefined;
  /** Send a `video_starvation` error each time playback runs out of audio before the speech's speak_end. Default false. */
  starvation?: boolean | undefined;
  /** Refuse the n-th speech (1 for the first) with a `server_error` on its first packet, and drop it. */
  serverErrorOnSpeech?: number | undefined;
  /** Send a `warning` for each packet longer than the recommended 1 s (the real triggers are undocumented). Default false. */
  warnings?: boolean | undefined;
  /** Close the socket (this code) halfway through the first speech's audio received when it starts. */
  closeMidSpeech?: number | undefined;
  /** @deprecated use `closeMidSpeech` */
  closeMidUtterance?: number | undefined;
  /** Send junk frames (not JSON, no `type`, an unknown type, binary) right after connecting. */
  junk?: boolean | undefined;
  /** Answer `session.keep_alive` with an `error` saying the session does not exist. */
  keepAliveNoSession?: boolean | undefined;
}

export interface LiteFakeOptions extends LiteVariant {
  /** Port to listen on (default 0: a free one). */
  port?: number | undefined;
  /** Largest inbound frame in bytes (`ws` `maxPayload`); a bigger one closes that socket with 1009. Default 2 MiB. */
  maxFrameBytes?: number | undefined;
  /** Sockets open at once; an upgrade beyond it is answered 503. Default 10 000. */
  maxConnections?: number | undefined;
  /** Bytes queued for a client that does not read; past it that socket is cut. Default 4 MiB. */
  maxUnsentBytes?: number | undefined;
  /** Client messages kept in `received` (0 keeps none); past it the oldest tenth is dropped. Default 10 000. */
  maxReceived?: number | undefined;
  /** Characters of message text kept in `received` in total; past it the oldest are dropped. Default 64 Mi. */
  maxReceivedChars?: number | undefined;
  /** Called with every warning (late interrupts, refused upgrades, contained errors). Default: `logger.warn`. */
  onWarning?: ((warning: LiteFakeWarning) => void) | undefined;
  /** Where warnings are written when there is no `onWarning`. Default `console`. */
  logger?: { warn(message: string): void } | undefined;
}

/** Something a test should know about, recorded in `warnings` and reported to `onWarning`. */
export interface LiteFakeWarning {
  /** `interrupt_after_speech_ended`: an `agent.interrupt` came when nothing was playing, after a speech had ended. */
  kind:
    | "interrupt_after_speech_ended"
    | "upgrade_refused"
    | "frame_too_large"
    | "too_many_connections"
    | "slow_reader"
    | "socket_error"
    | "internal_error";
  /** The session concerned, when there is one. */
  sessionId?: string | undefined;
  message: string;
  at: number;
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
  /** Messages dropped from `received` by its limits (`maxReceived`, `maxReceivedChars`). */
  readonly droppedReceived: number;
  /** Warnings so far, oldest first (the last 1 000). */
  readonly warnings: readonly LiteFakeWarning[];
  /** Sockets currently open. */
  readonly openSockets: number;
  /** Sends an event (validated against the spec first) to every socket of a session. */
  send(sessionId: string, event: LiteEvent): void;
  /** Ends a session as the server would: a final state event, then the socket closes. Later connects are refused (4004). */
  endSession(sessionId: string, options?: LiteEndSessionOptions): void;
  /**
   * Back to the start: open sockets are closed (1012), ended sessions, per-session variants,
   * `received` and `warnings` are forgotten, server ids start again. Settings stay.
   */
  reset(): void;
  /** Stops the server; open sockets are cut and every timer is cleared. */
  close(): Promise<void>;
  /** `await using fake = await startLiteFake()` closes it at the end of the block. */
  [Symbol.asyncDispose](): Promise<void>;
}
