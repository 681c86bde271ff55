// What the LITE fake keeps of a run: the client's messages and its own warnings, each bounded so a
// client that sends without end cannot grow the fake's memory without end.
import { LITE_FAKE_DEFAULTS, type LiteFakeLimits } from "./limits.js";
import type { LiteFakeOptions, LiteFakeWarning, LiteReceived } from "./types.js";

export class FakeRecord {
  readonly received: LiteReceived[] = [];
  readonly warnings: LiteFakeWarning[] = [];
  dropped = 0;
  /** The counted size of each kept entry, in step with `received`. */
  readonly #sizes: number[] = [];
  #chars = 0;
  readonly #limits: LiteFakeLimits;
  readonly #report: (warning: LiteFakeWarning) => void;

  constructor(limits: LiteFakeLimits, options: Pick<LiteFakeOptions, "onWarning" | "logger">) {
    this.#limits = limits;
    const logger = options.logger ?? console;
    this.#report = options.onWarning ?? ((w) => logger.warn(`[liveavatar lite fake] ${w.message}`));
  }

  /** Keeps `entry` (its text counted at `chars`), dropping the oldest entries past the limits. */
  receive(entry: LiteReceived, chars: number): void {
    const { maxReceived, maxReceivedChars } = this.#limits;
    if (maxReceived === 0 || chars > maxReceivedChars) {
      this.dropped++;
      return;
    }
    this.received.push(entry);
    this.#sizes.push(chars);
    this.#chars += chars;
    // A tenth at a time, so a full record costs one splice per many messages, not one per message.
    if (this.received.length > maxReceived) this.#drop(Math.ceil(maxReceived / 10));
    if (this.#chars > maxReceivedChars) {
      let count = 0;
      for (let freed = 0; this.#chars - freed > maxReceivedChars * 0.9; count++) freed += this.#sizes[count]!;
      this.#drop(count);
    }
  }

  #drop(count: number): void {
    this.received.splice(0, count);
    for (const size of this.#sizes.splice(0, count)) this.#chars -= size;
    this.dropped += count;
  }

  /** Records a warning and reports it; a reporter that throws loses the line, never the fake. */
  warn(kind: LiteFakeWarning["kind"], message: string, sessionId?: string): void {
    const warning: LiteFakeWarning = { kind, message, at: Date.now(), ...(sessionId ? { sessionId } : {}) };
    this.warnings.push(warning);
    if (this.warnings.length > LITE_FAKE_DEFAULTS.maxWarnings) this.warnings.splice(0, this.warnings.length / 10);
    try {
      this.#report(warning);
    } catch {
      // The test's own reporter failed: the warning stays in `warnings`.
    }
  }

  clear(): void {
    this.received.length = 0;
    this.warnings.length = 0;
    this.#sizes.length = 0;
    this.dropped = 0;
    this.#chars = 0;
  }
}
