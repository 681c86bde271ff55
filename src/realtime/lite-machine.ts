// The LITE speech and keep-alive logic as a pure state machine: inputs in, commands out. It has
// no socket and no clock: the shell (lite.ts) tells it what happened (a speech queued, a message
// sent, an event received, the keep-alive timer fired, the connection gone) and carries out what
// it returns (send, settle a speech, arm or cancel the timer, end). Being deterministic, it is
// tested directly, model-based (test/realtime/lite-machine.test.ts).
import type { LiteCommand, LiteEvent } from "../../generated/events.js";
import { isSessionGoneMessage } from "../session-gone.js";

/** Why a speech did not finish; the shell turns it into the public error. */
export type SpeechFailure =
  | { kind: "interrupted"; by: "client" | "server" }
  | { kind: "server"; errorType: string | undefined; message: string; eventId: string }
  | { kind: "closed" }
  | { kind: "failed"; error: unknown };

export type MachineInput =
  /** The connection is open: the keep-alive timer starts. */
  | { on: "open" }
  /** A speech was queued; `serial` is the shell's handle for it, `id` its `event_id`. */
  | { on: "speak"; serial: number; id: string }
  /** Something the shell sent itself (an audio packet, a listening command). */
  | { on: "sent" }
  | { on: "speakEndSent"; serial: number }
  | { on: "sendFailed"; serial: number; error: unknown }
  | { on: "interrupt"; id: string }
  /** A keep-alive is due: the caller asked, or the timer fired. */
  | { on: "keepAlive"; id: string }
  | { on: "event"; event: LiteEvent }
  /** The connection is gone (closed by either side). */
  | { on: "end" };

export type MachineCommand =
  | { do: "send"; message: LiteCommand }
  | { do: "settle"; serial: number; failure?: SpeechFailure }
  | { do: "arm"; ms: number }
  | { do: "disarm" }
  | { do: "end"; reason: "session_closed" | "session_not_found"; message?: string }
  | { do: "log"; level: "debug" | "warn"; message: string }
  | { do: "keepAliveFailed"; failures: number; errorType?: string; message: string };

/** Session states after which nothing more will happen on the socket. */
export const ENDED_STATES = new Set(["closed", "disconnected"]);
/** Consecutive refused keep-alives after which each further one is reported as an event. */
export const KEEP_ALIVE_REPORT_AFTER = 2;
/** Speech ids remembered after they settle, so late events about them are recognised as stale. */
const RECENT_IDS = 64;
const KEEP_ALIVE_IDS = 8;

interface Pending {
  serial: number;
  id: string;
  /** `agent.speak_end` has gone out: the server has the whole speech. */
  endSent: boolean;
}

export class LiteMachine {
  /** Speeches not yet settled, oldest first. */
  #pending: Pending[] = [];
  readonly #recent: string[] = [];
  readonly #keepAliveIds: string[] = [];
  #keepAliveFailures = 0;
  #lastKeepAliveFailed = false;
  #talking = false;
  /** Set by a local interrupt: the server's `agent.speak_interrupted` echo must not hit a newer speech. */
  #interruptPending = false;
  /** The speech the last `agent.speak_started` was about. */
  #playing: number | undefined;
  #sessionState = "connected";
  #ended = false;

  /** `keepAliveIdle`: milliseconds without an outgoing message before a keep-alive; false: never. */
  constructor(readonly keepAliveIdle: number | false) {}

  get talking(): boolean {
    return this.#talking;
  }

  get sessionState(): string {
    return this.#sessionState;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Whether the send loop of speech `serial` should go on. */
  isSending(serial: number): boolean {
    return !this.#ended && this.#pending.some((p) => p.serial === serial);
  }

  handle(input: MachineInput): MachineCommand[] {
    if (this.#ended) return [];
    const out: MachineCommand[] = [];
    switch (input.on) {
      case "open":
      case "sent":
        this.#arm(out);
        break;
      case "speak":
        this.#pending.push({ serial: input.serial, id: input.id, endSent: false });
        this.#recent.push(input.id);
        if (this.#recent.length > RECENT_IDS) this.#recent.shift();
        break;
      case "speakEndSent": {
        const speech = this.#pending.find((p) => p.serial === input.serial);
        if (speech) speech.endSent = true;
        this.#arm(out);
        break;
      }
      case "sendFailed":
        this.#settle(out, input.serial, { kind: "failed", error: input.error });
        break;
      case "interrupt":
        for (const speech of this.#pending) this.#settle(out, speech.serial, { kind: "interrupted", by: "client" });
        this.#talking = false;
        this.#interruptPending = true;
        out.push({ do: "send", message: { type: "agent.interrupt", event_id: input.id } });
        this.#arm(out);
        break;
      case "keepAlive":
        this.#keepAliveIds.push(input.id);
        if (this.#keepAliveIds.length > KEEP_ALIVE_IDS) this.#keepAliveIds.shift();
        // The previous one drew no error: the run of failures is over.
        if (!this.#lastKeepAliveFailed) this.#keepAliveFailures = 0;
        this.#lastKeepAliveFailed = false;
        out.push({ do: "send", message: { type: "session.keep_alive", event_id: input.id } });
        this.#arm(out);
        break;
      case "event":
        this.#onEvent(out, input.event);
        break;
      case "end":
        this.#ended = true;
        for (const speech of this.#pending) this.#settle(out, speech.serial, { kind: "closed" });
        out.push({ do: "disarm" });
        break;
    }
    return out;
  }

  #arm(out: MachineCommand[]): void {
    if (this.keepAliveIdle !== false) out.push({ do: "arm", ms: this.keepAliveIdle });
  }

  /** Replaces `#pending` (never edits it in place), so a loop over the old array stays whole. */
  #settle(out: MachineCommand[], serial: number, failure?: SpeechFailure): void {
    const before = this.#pending.length;
    this.#pending = this.#pending.filter((p) => p.serial !== serial);
    if (this.#pending.length === before) return;
    if (this.#playing === serial) this.#playing = undefined;
    out.push(failure ? { do: "settle", serial, failure } : { do: "settle", serial });
  }

  /** By `source_event_id`, then `event_id`; `stale` when an id names a speech that already settled. */
  #match(event: { event_id?: unknown; source_event_id?: unknown }): { speech?: Pending; stale?: boolean } {
    for (const key of [event.source_event_id, event.event_id]) {
      if (typeof key !== "string") continue;
      const speech = this.#pending.find((p) => p.id === key);
      if (speech) return { speech };
      if (this.#recent.includes(key)) return { stale: true };
    }
    return {};
  }

  /** The speech in progress: the one last reported started, else the oldest the server has whole. */
  #inProgress(): Pending | undefined {
    return this.#pending.find((p) => p.serial === this.#playing) ?? this.#pending.find((p) => p.endSent);
  }

  #onEvent(out: MachineCommand[], event: LiteEvent): void {
    switch (event.type) {
      case "session.state_updated":
        this.#sessionState = String(event.state);
        if (ENDED_STATES.has(this.#sessionState)) out.push({ do: "end", reason: "session_closed" });
        return;
      case "agent.speak_started": {
        const { speech, stale } = this.#match(event);
        if (stale) return;
        this.#talking = true;
        this.#interruptPending = false;
        this.#playing = (speech ?? this.#pending[0])?.serial;
        return;
      }
      case "agent.speak_ended": {
        const { speech, stale } = this.#match(event);
        if (stale) return;
        const match = speech ?? (this.#talking ? this.#inProgress() : undefined);
        this.#talking = false;
        // An end before our `speak_end` went out (short chunks give a started/ended pair each)
        // covers only what the server had so far: the speech goes on.
        if (match?.endSent) this.#settle(out, match.serial);
        return;
      }
      case "agent.speak_interrupted": {
        const { speech, stale } = this.#match(event);
        if (stale) return;
        const match = speech ?? (this.#interruptPending ? undefined : this.#inProgress());
        this.#interruptPending = false;
        this.#talking = false;
        if (match) this.#settle(out, match.serial, { kind: "interrupted", by: "server" });
        return;
      }
      case "agent.state_updated":
        if (event.new_state === "talking") {
          this.#talking = true;
          this.#interruptPending = false;
        } else if (this.#talking) {
          // One talking episode may cover several queued speeches (the state does not toggle
          // between them): leaving it finishes every speech the server had in full.
          this.#talking = false;
          for (const p of this.#pending.filter((s) => s.endSent)) this.#settle(out, p.serial);
        }
        return;
      case "error":
        this.#onError(out, event);
        return;
      default:
        // agent.idle_*: idle can start between the sentences of one speech, so it settles nothing.
        return;
    }
  }

  #onError(out: MachineCommand[], event: Extract<LiteEvent, { type: "error" }>): void {
    const detail: Record<string, unknown> =
      typeof event.error === "object" && event.error !== null ? (event.error as never) : {};
    const message = typeof detail.message === "string" ? detail.message : "(no message)";
    const errorType = typeof detail.type === "string" ? detail.type : undefined;
    const ids = [detail.event_id, event.event_id].filter((id): id is string => typeof id === "string");
    // Starvation (audio slower than real time) is reported, but the speech plays on.
    const speech = this.#pending.find((p) => ids.includes(p.id));
    if (speech && errorType !== "video_starvation") {
      this.#settle(out, speech.serial, { kind: "server", errorType, message, eventId: speech.id });
    }
    if (isSessionGoneMessage(message)) {
      out.push({ do: "end", reason: "session_not_found", message });
      return;
    }
    if (!ids.some((id) => this.#keepAliveIds.includes(id))) return;
    // Anything else ("too many requests, try again") is not an answer about the session: the
    // next keep-alive goes out on schedule.
    this.#keepAliveFailures++;
    this.#lastKeepAliveFailed = true;
    const failures = this.#keepAliveFailures;
    out.push({
      do: "log",
      level: "warn",
      message: `keep-alive refused (${failures} in a row): ${message.slice(0, 200)}`,
    });
    if (failures >= KEEP_ALIVE_REPORT_AFTER) {
      out.push(
        errorType === undefined
          ? { do: "keepAliveFailed", failures, message }
          : { do: "keepAliveFailed", failures, errorType, message },
      );
    }
  }
}
