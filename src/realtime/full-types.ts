// The public shapes of a FULL-mode connection: its options and the events it delivers.
import type { EventDriftCheck, SpecDrift } from "../drift/types.js";
import type { LogLevel, Logger } from "../log.js";
import type { FullModeEndReason } from "./full-errors.js";
import type { FullModeEventType, FullModeMessage, FullModeUnknownEvent } from "./full-parse.js";

export interface FullModeAttachOptions {
  /** Sent as `session_id` on every command; events naming another session are then ignored. */
  sessionId?: string | undefined;
  /** Milliseconds `startPushToTalk`/`stopPushToTalk` wait for the server's answer (default 5 000). */
  pushToTalkTimeout?: number | undefined;
  /** Where log lines go (unknown packets at debug, listener failures at warn). */
  logger?: Logger | undefined;
  logLevel?: LogLevel | undefined;
  /**
   * Milliseconds a command waits for `publishData` to settle before rejecting with
   * FullModePublishError (default 10 000), so that no command promise hangs on a stalled room.
   */
  publishTimeout?: number | undefined;
  /**
   * Unread events one `events()` iterator holds before it is ended with EventBufferOverflowError
   * (default 256). Listeners registered with `on()` are not buffered and not limited.
   */
  maxBufferedEvents?: number | undefined;
  /**
   * Checks every inbound event against asyncapi.yaml (`specDrift` from `liveavatar-api/drift` builds
   * one); each difference it reports arrives as a `drift` event.
   */
  drift?: EventDriftCheck | undefined;
}

export interface PushToTalkOptions {
  /** Milliseconds to wait for the answer; overrides `pushToTalkTimeout`. */
  timeout?: number | undefined;
  /** Stops waiting (rejects with APIUserAbortError); the command may already have been sent. */
  signal?: AbortSignal | undefined;
}

export interface FullModeEndedEvent {
  type: "ended";
  reason: FullModeEndReason;
  /** `end_reason` (docs) or `stop_reason` (web SDK, connector sessions) of `session.stopped`. */
  endReason?: string;
}

/** The live service differed from asyncapi.yaml (only with the `drift` option). Names types, never values. */
export interface FullModeDriftEvent extends SpecDrift {
  type: "drift";
}

export type FullModeEventMap = { [K in FullModeEventType]: FullModeMessage<K> } & {
  unknown: FullModeUnknownEvent;
  drift: FullModeDriftEvent;
  ended: FullModeEndedEvent;
};
export type FullModeEvent = FullModeEventMap[keyof FullModeEventMap];
export type FullModeState = "attached" | "ended";
