// The client's options: what each means, their defaults (some from the environment), and the
// checks that turn a bad value into a clear error at construction rather than odd behaviour later.
import { Credentials } from "./auth.js";
import { isBrowserRuntime, readEnv } from "./env.js";
import { kindOf } from "./error-details.js";
import { LiveAvatarError } from "./errors.js";
import { logSinks, type LogLevel, type LogSinks, type Logger } from "./log.js";
import type { FetchLike, FetchOptions } from "./request.js";

export const DEFAULT_BASE_URL = "https://api.liveavatar.com";

// Every option also accepts `undefined`, meaning "the default", so that
// `{ apiKey: process.env.LIVEAVATAR_API_KEY }` compiles under `exactOptionalPropertyTypes`.
export interface ClientOptions {
  /**
   * Sent as `X-API-KEY` to operations that accept it. Default: `LIVEAVATAR_API_KEY` (not read in
   * a browser, unless `dangerouslyAllowBrowser`); `null` opts out of it.
   */
  apiKey?: string | null | undefined;
  /** Sent as `Authorization: Bearer` to operations that accept it (the short-lived session token). */
  sessionToken?: string | null | undefined;
  /** Default: `LIVEAVATAR_BASE_URL`, else https://api.liveavatar.com */
  baseUrl?: string | undefined;
  /** A fetch implementation to use instead of the global one. */
  fetch?: FetchLike | undefined;
  /** Passed to every fetch, e.g. `{ cache: "no-store" }`; a call's own `fetchOptions` add to these. */
  fetchOptions?: FetchOptions | undefined;
  /** Envelope codes that mean success on a 2xx (default `[100, 1000]`). */
  successCodes?: readonly number[] | undefined;
  /** Per-attempt timeout in milliseconds (default 60 000); `Infinity` disables it. */
  timeout?: number | undefined;
  /** Retries after the first attempt (default 2); 0 disables them. */
  maxRetries?: number | undefined;
  /**
   * The largest successful (2xx JSON) body read, in bytes (default 16 MiB). A longer one fails
   * the call with `BodyTooLargeError`, unretried; error bodies are cut at 64 KiB instead.
   */
  maxBodyBytes?: number | undefined;
  /** Where log lines go (default console). */
  logger?: Logger | undefined;
  /** Default: `LIVEAVATAR_LOG`, else "warn" with a logger and "off" without. */
  logLevel?: LogLevel | undefined;
  /** Allow an API key in a browser, where every visitor can read it. */
  dangerouslyAllowBrowser?: boolean | undefined;
  /** Headers sent with every request. */
  defaultHeaders?: Record<string, string> | undefined;
}

/** The options with defaults applied and values checked. */
export interface ClientConfig {
  baseUrl: string;
  credentials: Credentials;
  fetch: FetchLike;
  fetchOptions: FetchOptions | undefined;
  successCodes: ReadonlySet<number>;
  timeout: number;
  maxRetries: number;
  maxBodyBytes: number;
  log: LogSinks;
  defaultHeaders: Record<string, string> | undefined;
}

export function resolveOptions(options: ClientOptions): ClientConfig {
  const browser = isBrowserRuntime();
  // In a page, an environment variable is the test runner's or the bundler's, not the caller's choice.
  const fromEnv = browser && !options.dangerouslyAllowBrowser ? undefined : readEnv("LIVEAVATAR_API_KEY");
  const apiKey = options.apiKey === undefined ? fromEnv : (options.apiKey ?? undefined);
  if (apiKey && browser && !options.dangerouslyAllowBrowser) {
    throw new LiveAvatarError(
      "An API key in a browser is readable by every visitor. Mint a session token on your server " +
        "(POST /v1/sessions/token) and pass it as `sessionToken`; set `dangerouslyAllowBrowser: true` only if you accept the risk.",
    );
  }
  const baseUrl = (options.baseUrl ?? readEnv("LIVEAVATAR_BASE_URL") ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
  if (!isHttpUrl(baseUrl)) {
    throw new LiveAvatarError(`baseUrl must be an absolute http(s) URL, got ${JSON.stringify(baseUrl)}`);
  }
  const limits: Limits = {
    timeout: options.timeout ?? 60_000,
    maxRetries: options.maxRetries ?? 2,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
  };
  checkLimits(limits);
  const fetchImpl = options.fetch;
  return {
    baseUrl,
    credentials: new Credentials(apiKey, options.sessionToken ?? undefined),
    fetch: fetchImpl ?? ((input, init) => fetch(input, init)),
    fetchOptions: options.fetchOptions,
    successCodes: new Set(options.successCodes ?? [100, 1000]),
    ...limits,
    log: logSinks(options.logger, options.logLevel),
    defaultHeaders: options.defaultHeaders,
  };
}

/** The limits a call runs under: the client's, or a call's own. */
export interface Limits {
  timeout: number;
  maxRetries: number;
  maxBodyBytes: number;
}

export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
/** V8's longest string (2^29 - 24 UTF-16 units); a body decoded past it would crash the process. */
const MAX_BODY_BYTES_CEILING = 2 ** 29 - 24;

/**
 * Rejects limits that would make the exchange misbehave: a NaN `maxRetries` would retry
 * forever, a zero, negative or NaN `timeout` would fire at once on every attempt, and a
 * `maxBodyBytes` that is not a whole number within what a string can hold bounds nothing.
 */
export function checkLimits(
  { timeout, maxRetries, maxBodyBytes }: Record<keyof Limits, unknown>,
  operation?: string,
): void {
  const got = (value: unknown) => (typeof value === "number" ? String(value) : kindOf(value));
  const refuse = (message: string) => new LiveAvatarError(operation ? `${operation}: ${message}` : message);
  if (typeof timeout !== "number" || !(timeout > 0)) {
    throw refuse(`timeout must be a positive number of milliseconds, got ${got(timeout)}`);
  }
  if (typeof maxRetries !== "number" || !Number.isInteger(maxRetries) || maxRetries < 0) {
    throw refuse(`maxRetries must be a whole number, 0 or more, got ${got(maxRetries)}`);
  }
  if (
    typeof maxBodyBytes !== "number" ||
    !Number.isInteger(maxBodyBytes) ||
    maxBodyBytes < 1 ||
    maxBodyBytes > MAX_BODY_BYTES_CEILING
  ) {
    throw refuse(
      `maxBodyBytes must be a whole number of bytes from 1 to ${MAX_BODY_BYTES_CEILING}, got ${got(maxBodyBytes)}`,
    );
  }
}

function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === "https:" || protocol === "http:";
  } catch {
    return false;
  }
}
