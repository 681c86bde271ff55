// The push-to-talk waits of one FULL-mode connection: each command waits for its answer
// (`user.push_to_talk_started` / `_start_failed` / `_stopped` / `_stop_failed`), its timeout, the
// caller's signal or the end of the connection, whichever comes first; each settles exactly once
// and takes its timer and abort listener with it.
import { APIUserAbortError } from "liveavatar-api";
import { PushToTalkError, PushToTalkTimeoutError } from "./full-errors.js";
import type { FullModeMessage } from "./full-parse.js";

export type PushToTalkOperation = "start" | "stop";

/** Answers to push-to-talk commands: event type -> [operation, failed]. */
const ANSWERS: Partial<Record<string, readonly [PushToTalkOperation, boolean]>> = {
  "user.push_to_talk_started": ["start", false],
  "user.push_to_talk_start_failed": ["start", true],
  "user.push_to_talk_stopped": ["stop", false],
  "user.push_to_talk_stop_failed": ["stop", true],
};
/** How many recent command ids are remembered to recognise a late answer (memory stays bounded). */
const RECENT_IDS = 16;

interface Waiter {
  operation: PushToTalkOperation;
  eventId: string;
  resolve(event: FullModeMessage): void;
  reject(error: unknown): void;
}

export class PushToTalkWaits {
  #waiters: Waiter[] = [];
  /** Ids of recent commands: an answer naming one that is no longer waited for is stale. */
  readonly #recentIds: string[] = [];

  /** Starts waiting for the answer to the command `eventId` (before it is published: answers can be quick). */
  wait(
    operation: PushToTalkOperation,
    eventId: string,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<FullModeMessage> {
    this.#recentIds.push(eventId);
    if (this.#recentIds.length > RECENT_IDS) this.#recentIds.shift();
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
    // A failed publish settles the caller's promise elsewhere; this one must not go unhandled.
    answer.catch(() => {});
    return answer;
  }

  /** Rejects the wait for command `eventId`, if it still waits (its command could not be sent). */
  fail(eventId: string, error: unknown): void {
    this.#waiters.find((w) => w.eventId === eventId)?.reject(error);
  }

  /** Rejects every open wait (the connection ended). */
  failAll(error: unknown): void {
    for (const waiter of Array.from(this.#waiters)) waiter.reject(error);
  }

  /** Settles the wait an answer belongs to: the one it names, else the oldest of its kind. */
  answer(event: FullModeMessage): void {
    const kind = ANSWERS[event.type];
    if (!kind) return;
    const [operation, failed] = kind;
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
}
