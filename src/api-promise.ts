// What every call returns: a promise of the unwrapped `data` that can also give the raw exchange.

export interface WithResponse<T> {
  data: T;
  /** The envelope's `code` (undefined when the body has none). */
  code: number | undefined;
  /** The envelope's `message`. */
  message: string | undefined;
  /** The HTTP response (status, headers); its body has already been read. */
  response: Response;
}

/**
 * A thenable over one request. Awaiting it gives `data`; `withResponse()` gives the envelope's
 * `code`/`message` and the `Response` as well. Unwrapping is lazy, so using only
 * `withResponse()` never leaves a second, unobserved rejection behind.
 */
export class APIPromise<T> implements Promise<T> {
  readonly #result: Promise<WithResponse<T>>;
  #data: Promise<T> | undefined;

  constructor(result: Promise<WithResponse<T>>) {
    this.#result = result;
  }

  withResponse(): Promise<WithResponse<T>> {
    return this.#result;
  }

  #unwrapped(): Promise<T> {
    return (this.#data ??= this.#result.then((r) => r.data));
  }

  then<A = T, B = never>(
    onfulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#unwrapped().then(onfulfilled, onrejected);
  }

  catch<B = never>(onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<T | B> {
    return this.#unwrapped().catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#unwrapped().finally(onfinally);
  }

  get [Symbol.toStringTag](): string {
    return "APIPromise";
  }
}
