// What every call returns: a promise of the unwrapped `data` that can also give the envelope
// and the response.
import type { Received, Unwrapped } from "./envelope.js";

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
 * `code`/`message` and the `Response` as well; `asResponse()` the 2xx `Response` alone, with a
 * body that can be read again and no envelope check. Unwrapping is lazy, so using only one of them never leaves a second,
 * unobserved rejection behind.
 */
export class APIPromise<T> implements Promise<T> {
  readonly #received: Promise<Received>;
  readonly #unwrap: (received: Received) => Unwrapped;
  #withResponse: Promise<WithResponse<T>> | undefined;
  #data: Promise<T> | undefined;

  constructor(received: Promise<Received>, unwrap: (received: Received) => Unwrapped) {
    this.#received = received;
    this.#unwrap = unwrap;
  }

  withResponse(): Promise<WithResponse<T>> {
    return (this.#withResponse ??= this.#received.then((received) => {
      const { data, code, message } = this.#unwrap(received);
      return { data: data as T, code, message, response: received.response };
    }));
  }

  /**
   * The response once its status is a 2xx (other statuses still reject with their error),
   * without the envelope check. Its body is the one received (cut at 64 KiB when not JSON).
   */
  asResponse(): Promise<Response> {
    return this.#received.then(({ response, text }) => {
      const empty = response.status === 204 || response.status === 205 || response.status === 304;
      const { status, statusText, headers } = response;
      return new Response(empty ? null : text, { status, statusText, headers });
    });
  }

  #unwrapped(): Promise<T> {
    return (this.#data ??= this.withResponse().then((r) => r.data));
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
