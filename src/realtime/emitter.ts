// Typed listeners and an async iterator over the same events. A throwing listener is reported
// to `onListenerError` and never breaks delivery to the others or the socket's message loop.

export type Listener<E> = (event: E) => void;

export class Emitter<Map extends { [K in keyof Map]: { type: string } }> {
  readonly #listeners = new Map<string, Set<Listener<never>>>();
  readonly #queues = new Set<{ push(event: Map[keyof Map] | undefined): void }>();
  #done = false;

  constructor(private readonly onListenerError: (error: unknown, type: string) => void) {}

  on<K extends keyof Map & string>(type: K, listener: Listener<Map[K]>): () => void {
    let set = this.#listeners.get(type);
    if (!set) this.#listeners.set(type, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => void set.delete(listener as Listener<never>);
  }

  emit<K extends keyof Map & string>(type: K, event: Map[K]): void {
    for (const listener of this.#listeners.get(type) ?? []) {
      try {
        (listener as Listener<Map[K]>)(event);
      } catch (error) {
        this.onListenerError(error, type);
      }
    }
    for (const queue of this.#queues) queue.push(event);
  }

  /** Ends every iterator once what it holds has been read; later events are not queued. */
  finish(): void {
    this.#done = true;
    for (const queue of this.#queues) queue.push(undefined);
    this.#queues.clear();
  }

  /** Every event from now on, in order, until `finish()`. Unread events are buffered. */
  iterate(): AsyncIterableIterator<Map[keyof Map]> {
    const buffered: Map[keyof Map][] = [];
    let ended = this.#done;
    let wake: (() => void) | undefined;
    const queue = {
      push: (event: Map[keyof Map] | undefined) => {
        if (event === undefined) ended = true;
        else buffered.push(event);
        wake?.();
      },
    };
    if (!ended) this.#queues.add(queue);
    const iterator: AsyncIterableIterator<Map[keyof Map]> = {
      next: async () => {
        while (buffered.length === 0 && !ended) await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        const value = buffered.shift();
        return value === undefined ? { done: true, value: undefined } : { done: false, value };
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
