// Bounds what the event iterators of one FULL-mode connection hold unread. An iterator that falls
// more than `limit` events behind its connection drops what it holds and ends with
// EventBufferOverflowError on its next read; listeners registered with `on()` lose nothing.
// The count is kept here, by the connection that emits, so a consumer that never reads is bounded too.
import { EventBufferOverflowError } from "./errors.js";

/** Default of `maxBufferedEvents`: unread events one iterator holds before it is ended. */
export const DEFAULT_MAX_BUFFERED_EVENTS = 256;

interface Tracked {
  /** Events emitted before the iterator started (not its to read). */
  readonly start: number;
  read: number;
  overflowed: boolean;
  readonly inner: AsyncIterableIterator<unknown>;
}

export class BoundedIterators {
  #emitted = 0;
  readonly #live = new Set<Tracked>();

  constructor(readonly limit: number) {}

  /** Wraps an iterator that receives every event counted from now on. */
  wrap<E>(inner: AsyncIterableIterator<E>): AsyncIterableIterator<E> {
    const tracked: Tracked = { start: this.#emitted, read: 0, overflowed: false, inner };
    this.#live.add(tracked);
    const iterator: AsyncIterableIterator<E> = {
      next: async () => {
        if (tracked.overflowed) {
          tracked.overflowed = false; // reported once; then done
          throw new EventBufferOverflowError(this.limit, "events", "maxBufferedEvents");
        }
        const result = await inner.next();
        if (result.done) this.#live.delete(tracked);
        else tracked.read++;
        return result;
      },
      return: async () => {
        this.#live.delete(tracked);
        await inner.return?.();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** Called after each event is emitted: ends the iterators that hold more than the limit. */
  counted(): void {
    this.#emitted++;
    for (const tracked of this.#live) {
      if (this.#emitted - tracked.start - tracked.read > this.limit) {
        this.#live.delete(tracked);
        tracked.overflowed = true;
        void tracked.inner.return?.(); // the emitter drops its buffer and stops queueing for it
      }
    }
  }
}
