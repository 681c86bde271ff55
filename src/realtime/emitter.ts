// Typed listeners and an async iterator over the same events. A throwing listener is reported
// to `onListenerError` and never breaks delivery to the others or the socket's message loop.
// An iterator holds what its reader has not taken yet, up to a limit in bytes: past it the
// iterator fails with EventBufferOverflowError (its events are dropped), so a reader that stopped
// reading cannot make memory grow without bound whatever the peer sends.
import { EventBufferOverflowError } from "./errors.js";

export type Listener<E> = (event: E) => void;

/** Default for `maxUnreadEventBytes`: what one `events()` iterator may hold unread. */
export const DEFAULT_MAX_UNREAD_EVENT_BYTES = 4 * 1024 * 1024;
/** The least an event counts, whatever its frame's size: a flood of tiny events is bounded too. */
const MIN_EVENT_BYTES = 64;

interface Queue<E> {
  push(event: E | undefined, bytes: number): void;
}

export class Emitter<Map extends { [K in keyof Map]: { type: string } }> {
  readonly #listeners = new Map<string, Set<Listener<never>>>();
  readonly #queues = new Set<Queue<Map[keyof Map]>>();
  #done = false;

  constructor(
    private readonly onListenerError: (error: unknown, type: string) => void,
    private readonly maxUnreadBytes = DEFAULT_MAX_UNREAD_EVENT_BYTES,
  ) {}

  on<K extends keyof Map & string>(type: K, listener: Listener<Map[K]>): () => void {
    let set = this.#listeners.get(type);
    if (!set) this.#listeners.set(type, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => void set.delete(listener as Listener<never>);
  }

  /** `bytes`: the size of the frame the event came from (what an unread copy costs). */
  emit<K extends keyof Map & string>(type: K, event: Map[K], bytes = 0): void {
    for (const listener of this.#listeners.get(type) ?? []) {
      try {
        (listener as Listener<Map[K]>)(event);
      } catch (error) {
        this.onListenerError(error, type);
      }
    }
    for (const queue of this.#queues) queue.push(event, Math.max(MIN_EVENT_BYTES, bytes));
  }

  /** Ends every iterator once what it holds has been read; later events are not queued. */
  finish(): void {
    this.#done = true;
    for (const queue of this.#queues) queue.push(undefined, 0);
    this.#queues.clear();
  }

  /** Every event from now on, in order, until `finish()`. Unread events are buffered (bounded). */
  iterate(): AsyncIterableIterator<Map[keyof Map]> {
    const buffered: { event: Map[keyof Map]; bytes: number }[] = [];
    let unread = 0;
    let ended = this.#done;
    let failure: EventBufferOverflowError | undefined;
    let wake: (() => void) | undefined;
    const queue: Queue<Map[keyof Map]> = {
      push: (event, bytes) => {
        if (ended) return;
        if (event === undefined) ended = true;
        else if (unread + bytes > this.maxUnreadBytes) {
          failure = new EventBufferOverflowError(
            this.maxUnreadBytes,
            "bytes",
            "maxUnreadEventBytes",
            buffered.length + 1,
          );
          buffered.length = 0;
          ended = true;
          this.#queues.delete(queue);
        } else {
          buffered.push({ event, bytes });
          unread += bytes;
        }
        wake?.();
      },
    };
    if (!ended) this.#queues.add(queue);
    const iterator: AsyncIterableIterator<Map[keyof Map]> = {
      next: async () => {
        while (buffered.length === 0 && !ended) await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        const item = buffered.shift();
        if (item) {
          unread -= item.bytes;
          return { done: false, value: item.event };
        }
        const error = failure;
        failure = undefined;
        if (error) throw error;
        return { done: true, value: undefined };
      },
      return: async () => {
        this.#queues.delete(queue);
        ended = true;
        buffered.length = 0;
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }
}
