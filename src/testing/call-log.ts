// The calls a fake received, for assertions: at most `limit` kept (default 1000), the oldest
// dropped first and counted, so a long-lived fake's memory stays bounded.
import type { RecordedCall } from "./types.js";

export const DEFAULT_MAX_RECORDED_CALLS = 1000;

export class CallLog {
  private items: RecordedCall[] = [];
  private head = 0;
  /** Calls dropped to stay within the limit since the last `clear()`. */
  dropped = 0;

  constructor(private readonly limit: number) {}

  add(call: RecordedCall): void {
    if (this.limit === 0) {
      this.dropped += 1;
      return;
    }
    this.items.push(call);
    if (this.items.length - this.head > this.limit) {
      this.head += 1;
      this.dropped += 1;
      // Compact now and then instead of shifting on every call.
      if (this.head >= this.limit) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
    }
  }

  list(operation?: string): RecordedCall[] {
    const kept = this.items.slice(this.head);
    return operation === undefined ? kept : kept.filter((call) => call.operation === operation);
  }

  clear(): void {
    this.items = [];
    this.head = 0;
    this.dropped = 0;
  }
}
