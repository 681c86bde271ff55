// Errors of FULL mode, raised only where the caller can act: a push-to-talk the server refused or
// did not answer, and a command on a handle that has ended. Each extends the realtime classes, so
// `instanceof RealtimeServerError` / `RealtimeConnectionError` / `LiveAvatarError` cover them.
import { APIConnectionTimeoutError } from "liveavatar-api";
import { messageOf } from "../guards.js";
import { RealtimeConnectionError, RealtimeServerError } from "./errors.js";

/** Why a FULL-mode handle stopped delivering events and sending commands. */
export type FullModeEndReason =
  /** `detach()` was called. */
  | "detached"
  /** The avatar reported `session.stopped`. */
  | "session_stopped"
  /** The LiveKit room disconnected (`RoomEvent.Disconnected`). */
  | "room_disconnected";

/** The server answered `user.push_to_talk_start_failed` or `user.push_to_talk_stop_failed`. */
export class PushToTalkError extends RealtimeServerError {
  override name = "PushToTalkError";
  constructor(
    /** Which command failed. */
    readonly operation: "start" | "stop",
    /** The failure event's `error`, when it carried one. */
    reason: string | undefined,
    /** The `event_id` of the command that failed. */
    eventId: string,
  ) {
    super(`push_to_talk_${operation}_failed`, reason ?? "(no reason given)", eventId);
    this.message = `push-to-talk ${operation} failed: ${reason ?? "the server gave no reason"} (sessions need interactivity_type "PUSH_TO_TALK")`;
  }
}

/** No `user.push_to_talk_*` answer arrived within the timeout. */
export class PushToTalkTimeoutError extends APIConnectionTimeoutError {
  override name = "PushToTalkTimeoutError";
  constructor(
    readonly operation: "start" | "stop",
    timeoutMs: number,
    /** The `event_id` of the command that got no answer. */
    readonly eventId: string,
  ) {
    super(`push-to-talk ${operation}`, timeoutMs);
    this.message = `no answer to push-to-talk ${operation} within ${timeoutMs} ms`;
  }
}

/** A command on a handle that has ended, or a push-to-talk wait cut short by the end. */
export class FullModeEndedError extends RealtimeConnectionError {
  override name = "FullModeEndedError";
  constructor(readonly reason: FullModeEndReason) {
    super(`the FULL-mode connection has ended (${reason}): nothing more can be sent through it`);
  }
}

/** `publishData` failed (the room is not connected, or LiveKit refused the packet). */
export class FullModePublishError extends RealtimeConnectionError {
  override name = "FullModePublishError";
  constructor(
    /** The `event_type` of the command that was not sent. */
    readonly eventType: string,
    cause: unknown,
  ) {
    super(`could not publish ${eventType} on agent-control: ${messageOf(cause)}`);
    this.cause = cause;
  }
}
