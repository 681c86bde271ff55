// The handle `speak()` returns: awaitable, carrying the `event_id` sent on every packet of the
// speech and on its `agent.speak_end`.

export class Speech implements PromiseLike<void> {
  readonly #done: Promise<void>;
  readonly #sent: Promise<void>;
  #resolve!: () => void;
  #reject!: (error: unknown) => void;
  #resolveSent!: () => void;
  #settled = false;
  /** True once `agent.speak_end` has gone out: the server has the whole speech. */
  #endSent = false;

  constructor(readonly eventId: string) {
    this.#done = new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.#sent = new Promise<void>((resolve) => (this.#resolveSent = resolve));
    // A speech nobody awaits must not crash Node with an unhandled rejection on close.
    this.#done.catch(() => {});
  }

  /** Resolves when every packet and the `speak_end` are handed to the socket (or the speech failed). */
  get sent(): Promise<void> {
    return this.#sent;
  }

  get settled(): boolean {
    return this.#settled;
  }

  get endSent(): boolean {
    return this.#endSent;
  }

  then<A = void, B = never>(
    onfulfilled?: ((value: void) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#done.then(onfulfilled, onrejected);
  }

  catch<B = never>(onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<void | B> {
    return this.#done.catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<void> {
    return this.#done.finally(onfinally);
  }

  /** @internal */
  markEndSent(): void {
    this.#endSent = true;
    this.#resolveSent();
  }

  /** @internal */
  settle(error?: unknown): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    this.#resolveSent();
    if (error === undefined) this.#resolve();
    else this.#reject(error);
    return true;
  }
}
