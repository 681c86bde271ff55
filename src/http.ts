// One call's HTTP exchange: attempts with a per-attempt timeout, the caller's abort signal,
// retries with backoff, redirects that never carry credentials to another origin, and
// bounded reading of bodies. openapi-fetch builds the Request; everything after is here.
import { CREDENTIAL_HEADERS } from "./auth.js";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  LiveAvatarError,
  type APIErrorInit,
} from "./errors.js";
import type { LogSinks } from "./log.js";
import { isRetryableStatus, retryDelayMs, sleep } from "./retry.js";

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface ExchangeOptions {
  fetch: FetchLike;
  /** "METHOD /path" template, for errors and logs. */
  operation: string;
  timeout: number;
  maxRetries: number;
  /** Whether the request may be sent again after the server could have processed it. */
  repeatable: boolean;
  signal: AbortSignal | undefined;
  redact: (text: string) => string;
  log: LogSinks;
}

export interface Exchange {
  response: Response;
  /** The body as text: whole for JSON successes, at most ERROR_BODY_LIMIT bytes otherwise. */
  text: string;
  attempts: number;
}

/** Error bodies (and non-JSON successes) are read up to this many bytes; the rest is discarded. */
const ERROR_BODY_LIMIT = 64 * 1024;
const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** Failures that happen before any byte of the request reaches a server: always safe to retry. */
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** Node and browsers fire a timer longer than this (2^31 - 1 ms, about 24.8 days) at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Rejects limits that would make the exchange misbehave: a NaN `maxRetries` would retry
 * forever, and a zero, negative or NaN `timeout` would fire at once on every attempt.
 */
export function checkLimits(timeout: unknown, maxRetries: unknown): void {
  if (typeof timeout !== "number" || !(timeout > 0)) {
    throw new LiveAvatarError(`timeout must be a positive number of milliseconds, got ${describeValue(timeout)}`);
  }
  if (typeof maxRetries !== "number" || !Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new LiveAvatarError(`maxRetries must be a whole number, 0 or more, got ${describeValue(maxRetries)}`);
  }
}

function describeValue(value: unknown): string {
  return typeof value === "number" ? String(value) : typeof value;
}

/**
 * What openapi-fetch hands the transport (given as its `Request` option): the URL, method,
 * headers and serialised body it built. A fetch `Request` here would be built only to be taken
 * apart again, and constructing one (URL parsing, header copying, an AbortController) costs
 * more than all the rest of the call's own work.
 */
export class PreparedRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: HeadersInit | undefined;
  /** openapi-fetch's serialised body: a JSON or form string, or FormData; each can be sent again. */
  readonly body: BodyInit | undefined;

  constructor(url: string, init: RequestInit) {
    this.url = url;
    this.method = init.method ?? "GET";
    this.headers = init.headers;
    this.body = init.body ?? undefined;
  }
}

/** `options.timeout` and `options.maxRetries` must have passed `checkLimits`. */
export async function exchange(request: PreparedRequest, options: ExchangeOptions): Promise<Exchange> {
  // Checked before reading anything so that an aborted call reports 0 attempts and sends nothing.
  if (options.signal?.aborted) throw new APIUserAbortError({ cause: options.signal.reason });
  const { method, headers, body } = request;
  const init: RequestInit = { method, headers, body, redirect: "manual" };
  for (let attempt = 1; ; attempt++) {
    const started = Date.now();
    let failure: LiveAvatarError;
    let retryable: boolean;
    try {
      const { response, text } = await attemptOnce(request.url, init, options);
      options.log.debug?.(
        options.redact(attemptLine(options.operation, attempt, started, String(response.status), response.headers)),
      );
      if (response.ok) return { response, text, attempts: attempt };
      failure = errorFromResponse(response, text, options);
      retryable = isRetryableStatus(response.status, options.repeatable);
    } catch (error) {
      failure = error as LiveAvatarError; // attemptOnce turns every failure into one of ours
      options.log.debug?.(attemptLine(options.operation, attempt, started, failure.name, undefined));
      retryable = failure instanceof APIConnectionError && (options.repeatable || NOT_SENT.has(failure));
    }
    if (!retryable || attempt > options.maxRetries) {
      failure.attempts = attempt;
      throw failure;
    }
    const delay = retryDelayMs(attempt, failure instanceof APIError ? failure.headers : undefined);
    options.log.warn?.(
      `${options.operation}: ${failure.message}; retry ${attempt}/${options.maxRetries} in ${delay} ms`,
    );
    await sleep(delay, options.signal, () => Object.assign(new APIUserAbortError(), { attempts: attempt }));
  }
}

function attemptLine(
  operation: string,
  attempt: number,
  started: number,
  outcome: string,
  headers: Headers | undefined,
): string {
  const requestId = headers?.get("x-request-id") ?? headers?.get("request-id");
  return `${operation} -> ${outcome} (attempt ${attempt}, ${Date.now() - started} ms${requestId ? `, request-id ${requestId}` : ""})`;
}

/** Connection failures known to have happened before the request left this machine. */
const NOT_SENT = new WeakSet<Error>();

/** One attempt, redirects included, bounded by the timeout and the caller's signal. */
async function attemptOnce(
  url: string,
  init: RequestInit,
  options: ExchangeOptions,
): Promise<{ response: Response; text: string }> {
  const { signal: callerSignal, timeout } = options;
  if (callerSignal?.aborted) throw new APIUserAbortError({ cause: callerSignal.reason });
  const controller = new AbortController();
  let timedOut = false;
  // A timeout too long for a timer is no timeout at all (Infinity included), not an immediate one.
  const timer =
    timeout > MAX_TIMER_MS
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, timeout);
  const onCallerAbort = () => controller.abort();
  callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
  let response: Response | undefined;
  try {
    response = await fetchFollowingRedirects(url, { ...init, signal: controller.signal }, options);
    const json = response.ok && isJsonOrUnlabelled(response.headers.get("content-type"));
    const text = await readText(response, json ? Infinity : ERROR_BODY_LIMIT);
    return { response, text };
  } catch (error) {
    if (error instanceof LiveAvatarError) throw error;
    if (callerSignal?.aborted) throw new APIUserAbortError({ cause: callerSignal.reason });
    if (timedOut) throw new APIConnectionTimeoutError(timeout);
    throw connectionError(error, response, options);
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener("abort", onCallerAbort);
  }
}

async function fetchFollowingRedirects(url: string, init: RequestInit, options: ExchangeOptions): Promise<Response> {
  let origin: string | undefined; // parsed only when there is a redirect to compare it with
  for (let hops = 0; ; hops++) {
    const response = await options.fetch(url, init);
    if (response.type === "opaqueredirect") {
      throw new APIConnectionError(
        `${options.operation} was redirected and this runtime hides where to; point baseUrl at the final address`,
      );
    }
    const location = REDIRECT_STATUSES.has(response.status) ? response.headers.get("location") : null;
    if (location === null) return response;
    await response.body?.cancel().catch(() => {});
    if (hops === MAX_REDIRECTS)
      throw new APIConnectionError(`${options.operation}: more than ${MAX_REDIRECTS} redirects`);
    const next = parseUrl(location, url);
    if (!next) throw new APIConnectionError(`${options.operation} was redirected to an address that is not a URL`);
    if (next.protocol !== "https:" && next.protocol !== "http:") {
      throw new APIConnectionError(`${options.operation} was redirected to an unsupported ${next.protocol} URL`);
    }
    const headers = new Headers(init.headers);
    // fetch would carry custom headers (X-API-KEY) to any origin; credentials stay with the configured one.
    origin ??= new URL(url).origin;
    if (next.origin !== origin) for (const name of CREDENTIAL_HEADERS) headers.delete(name);
    const becomesGet =
      response.status === 303 || ((response.status === 301 || response.status === 302) && init.method === "POST");
    if (becomesGet) headers.delete("content-type");
    init = { ...init, headers, ...(becomesGet ? { method: "GET", body: undefined } : {}) };
    url = next.href;
  }
}

function parseUrl(text: string, base: string): URL | undefined {
  try {
    return new URL(text, base);
  } catch {
    return undefined;
  }
}

/** Reads the body as UTF-8 up to `limit` bytes, cancelling the rest of the stream. */
async function readText(response: Response, limit: number): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (size + value.byteLength > limit) {
        chunks.push(value.subarray(0, limit - size));
        size = limit;
        await reader.cancel().catch(() => {});
        break;
      }
      chunks.push(value);
      size += value.byteLength;
    }
  } catch (error) {
    throw new BodyCutOff(decode(chunks, size), error);
  }
  return decode(chunks, size);
}

/**
 * A body read that failed part-way. What had arrived travels here rather than on the read
 * error, which becomes the `cause` of the error the caller sees: unredacted text must not.
 */
class BodyCutOff {
  constructor(
    readonly received: string,
    readonly error: unknown,
  ) {}
}

const decoder = new TextDecoder();

function decode(chunks: Uint8Array[], size: number): string {
  if (chunks.length === 1) return decoder.decode(chunks[0]);
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return decoder.decode(all);
}

function isJsonOrUnlabelled(contentType: string | null): boolean {
  return contentType === null || contentType.includes("json");
}

function connectionError(
  thrown: unknown,
  response: Response | undefined,
  options: ExchangeOptions,
): APIConnectionError {
  const error = thrown instanceof BodyCutOff ? thrown.error : thrown;
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  const code = cause?.code;
  const detail = options.redact(String(cause?.message ?? (error as Error)?.message ?? error));
  if (response) {
    const partial = thrown instanceof BodyCutOff ? thrown.received : "";
    const excerpt = partial ? `; received so far: ${snippet(options.redact(partial))}` : "";
    return new APIConnectionError(
      `connection lost while reading the ${response.status} response to ${options.operation} (${detail})${excerpt}`,
      { cause: error },
      response.status,
    );
  }
  const failure = new APIConnectionError(
    `could not complete ${options.operation}: ${detail}${code && !detail.includes(code) ? ` (${code})` : ""}`,
    { cause: error },
  );
  if (code !== undefined && NOT_SENT_CODES.has(code)) NOT_SENT.add(failure);
  return failure;
}

/** The error for a non-2xx answer, with its parsed body and a short safe excerpt. */
function errorFromResponse(response: Response, text: string, options: ExchangeOptions): APIError {
  return APIError.fromResponse(errorInit(options.operation, response, text, options.redact));
}

/**
 * What an error keeps of a response: status, headers and body with every credential redacted
 * (a server may echo the key back, in its body or a header), the body bounded.
 */
export function errorInit(
  operation: string,
  response: Response,
  text: string,
  redact: (text: string) => string,
): APIErrorInit {
  const safe = redact(text);
  return {
    status: response.status,
    operation,
    headers: redactHeaders(response.headers, redact),
    body: parseLenient(safe),
    snippet: snippet(safe),
  };
}

/** The same headers, or a copy with secrets replaced when a value holds one. */
function redactHeaders(headers: Headers, redact: (text: string) => string): Headers {
  let copy: Headers | undefined;
  for (const [name, value] of headers) {
    const safe = redact(value);
    if (safe !== value) (copy ??= new Headers(headers)).set(name, safe);
  }
  return copy ?? headers;
}

/** Parsed JSON when the text is JSON; otherwise the text itself, cut to a size worth keeping. */
function parseLenient(text: string): unknown {
  const first = text.trimStart()[0];
  if (first === "{" || first === "[" || first === '"') {
    try {
      return JSON.parse(text);
    } catch {
      // not JSON after all: keep the excerpt
    }
  }
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}

const SNIPPET_LENGTH = 200;
const WHITESPACE_RUNS = /\s+/g;

/** A one-line excerpt for error messages, from text that is already redacted. */
export function snippet(text: string): string {
  const line = (text.length > 4 * SNIPPET_LENGTH ? text.slice(0, 4 * SNIPPET_LENGTH) : text)
    .replace(WHITESPACE_RUNS, " ")
    .trim();
  return line.length > SNIPPET_LENGTH ? `${line.slice(0, SNIPPET_LENGTH)}…` : line;
}
