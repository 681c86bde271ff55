// Step two of a call: the exchange. Attempts, each with its own timeout; retries with backoff
// when the policy allows; the caller's signal honoured throughout. It returns the 2xx response
// with its body read, or throws the last attempt's error.
import { attempt } from "./attempt.js";
import { errorForStatus, type Redact } from "./error-details.js";
import { APIConnectionError, APIError, APIUserAbortError, requestIdOf, type LiveAvatarError } from "./errors.js";
import type { LogSinks } from "./log.js";
import { withHooks, type Middleware } from "./middleware.js";
import type { Send } from "./redirects.js";
import type { PreparedRequest } from "./request.js";
import { isRetryableStatus, retryDelayMs, sleep } from "./retry.js";

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface ExchangeOptions {
  fetch: FetchLike;
  middleware: readonly Middleware[];
  /** "METHOD /path" template, for errors and logs. */
  operation: string;
  /** These three must have passed `checkLimits`. */
  timeout: number;
  maxRetries: number;
  maxBodyBytes: number;
  /** Whether the request may be sent again after the server could have processed it. */
  repeatable: boolean;
  signal: AbortSignal | undefined;
  redact: Redact;
  log: LogSinks;
}

/** A 2xx response and its body: whole for JSON, at most 64 KiB otherwise. */
export interface Received {
  response: Response;
  text: string;
  attempts: number;
}

export async function exchange(request: PreparedRequest, options: ExchangeOptions): Promise<Received> {
  const { operation, signal, log, redact } = options;
  // Checked before anything else so that an aborted call reports 0 attempts and sends nothing.
  if (signal?.aborted) throw new APIUserAbortError({ cause: signal.reason, operation });
  const fetch = options.fetch;
  const plain: Send = (url, init) => fetch(url, init);
  for (let attempts = 1; ; attempts++) {
    const started = Date.now();
    // Hooks see which attempt this is, so they are bound per attempt; without hooks one sender serves all.
    const send = options.middleware.length
      ? withHooks(fetch, options.middleware, { operation, attempt: attempts })
      : plain;
    let failure: LiveAvatarError;
    let retryable: boolean;
    try {
      const { response, text } = await attempt(request.url, request.init, { ...options, send }, attempts);
      log.debug?.(redact(attemptLine(operation, attempts, started, String(response.status), response.headers)));
      if (response.ok) return { response, text, attempts };
      failure = errorForStatus(operation, response, text, redact, attempts);
      retryable = isRetryableStatus(response.status, options.repeatable);
    } catch (error) {
      failure = error as LiveAvatarError; // `attempt` turns every failure into one of ours
      log.debug?.(attemptLine(operation, attempts, started, failure.name, undefined));
      retryable = failure instanceof APIConnectionError && (options.repeatable || failure.notSent);
    }
    if (!retryable || attempts > options.maxRetries) throw failure;
    const delay = retryDelayMs(attempts, failure instanceof APIError ? failure.headers : undefined);
    log.warn?.(`${operation}: ${failure.message}; retry ${attempts}/${options.maxRetries} in ${delay} ms`);
    await sleep(delay, signal, () => new APIUserAbortError({ cause: signal?.reason, attempts, operation }));
  }
}

function attemptLine(operation: string, n: number, started: number, outcome: string, headers?: Headers): string {
  const requestId = requestIdOf(headers);
  return `${operation} -> ${outcome} (attempt ${n}, ${Date.now() - started} ms${requestId ? `, request-id ${requestId}` : ""})`;
}
