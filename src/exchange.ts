// Step two of a call: the exchange. Attempts, each with its own timeout; retries with backoff
// when the policy allows; the caller's signal honoured throughout. It returns the 2xx response
// with its body read, or throws the last attempt's error.
import { sendAttempt } from "./attempt.js";
import { errorForStatus, type Redact } from "./error-details.js";
import { APIConnectionError, APIError, APIUserAbortError, requestIdOf, type LiveAvatarError } from "./errors.js";
import type { LogSinks } from "./log.js";
import { withHooks, type Middleware } from "./middleware.js";
import type { Send } from "./redirects.js";
import type { Received } from "./envelope.js";
import type { FetchLike, PreparedRequest } from "./request.js";
import { isRetryableStatus, retryDelayMs, sleep } from "./retry.js";

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
  idempotent: boolean;
  signal: AbortSignal | undefined;
  redact: Redact;
  log: LogSinks;
}

export async function exchange(request: PreparedRequest, options: ExchangeOptions): Promise<Received> {
  const { operation, signal, log, redact } = options;
  // Checked before anything else so that an aborted call reports 0 attempts and sends nothing.
  if (signal?.aborted) throw new APIUserAbortError({ cause: signal.reason, operation });
  const fetch = options.fetch;
  const plain: Send = (url, init) => fetch(url, init);
  for (let attempt = 1; ; attempt++) {
    const started = Date.now();
    // Hooks see which attempt this is, so they are bound per attempt; without hooks one sender serves all.
    const send = options.middleware.length ? withHooks(fetch, options.middleware, { operation, attempt }) : plain;
    let failure: LiveAvatarError;
    let retryable: boolean;
    try {
      const { response, text } = await sendAttempt(request.url, request.init, { ...options, send }, attempt);
      log.debug?.(redact(attemptLine(operation, attempt, started, String(response.status), response.headers)));
      if (response.ok) return { response, text, attempts: attempt };
      failure = errorForStatus(operation, response, text, redact, attempt);
      retryable = isRetryableStatus(response.status, options.idempotent);
    } catch (error) {
      failure = error as LiveAvatarError; // `sendAttempt` turns every failure into one of ours
      log.debug?.(attemptLine(operation, attempt, started, failure.name, undefined));
      retryable = failure instanceof APIConnectionError && (options.idempotent || failure.notSent);
    }
    if (!retryable || attempt > options.maxRetries) throw failure;
    const delay = retryDelayMs(attempt, failure instanceof APIError ? failure.headers : undefined);
    log.warn?.(`${operation}: ${failure.message}; retry ${attempt}/${options.maxRetries} in ${delay} ms`);
    await sleep(delay, signal, () => new APIUserAbortError({ cause: signal?.reason, attempts: attempt, operation }));
  }
}

function attemptLine(operation: string, n: number, started: number, outcome: string, headers?: Headers): string {
  const requestId = requestIdOf(headers);
  return `${operation} -> ${outcome} (attempt ${n}, ${Date.now() - started} ms${requestId ? `, request-id ${requestId}` : ""})`;
}
