// When a failed attempt is tried again, and how long to wait first.

/**
 * Operations that are idempotent although their method is not: keeping a session alive or
 * stopping it twice has the same effect as once. Everything else sent with POST (minting a
 * token, creating resources) may cost credits when duplicated.
 */
const IDEMPOTENT_OPERATIONS: ReadonlySet<string> = new Set(["POST /v1/sessions/keep-alive", "POST /v1/sessions/stop"]);

const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

/** Whether repeating the operation after the server may have processed it is harmless. */
export function isIdempotent(operation: string, method: string): boolean {
  return IDEMPOTENT_METHODS.has(method) || IDEMPOTENT_OPERATIONS.has(operation);
}

/**
 * 408 and 429 mean the server did not act on the request, so any call may be retried.
 * 5xx answers may come after the work was done: only idempotent calls are retried.
 */
export function isRetryableStatus(status: number, idempotent: boolean): boolean {
  if (status === 408 || status === 429) return true;
  return idempotent && (status === 500 || status === 502 || status === 503 || status === 504);
}

const INITIAL_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;
const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Wait before retry number `retry` (1-based): the server's `retry-after-ms` / `Retry-After`
 * when it is between 0 and 60 s, otherwise exponential backoff with up to 25% jitter. A longer
 * hint is ignored rather than clamped (why: docs/reliability.md, "How long between attempts").
 */
export function retryDelayMs(retry: number, headers: Headers | undefined, now = Date.now()): number {
  const hinted = headers ? retryAfterMs(headers, now) : undefined;
  if (hinted !== undefined) return hinted;
  const base = Math.min(INITIAL_DELAY_MS * 2 ** (retry - 1), MAX_DELAY_MS);
  return Math.round(base * (1 - Math.random() * 0.25));
}

/** A count as HTTP writes one: digits, perhaps a fraction. Not "0x10", "1e3" or "Infinity", which Number reads. */
const DECIMAL = /^\d+(\.\d+)?$/;

function retryAfterMs(headers: Headers, now: number): number | undefined {
  let ms: number | undefined;
  const precise = headers.get("retry-after-ms")?.trim();
  if (precise !== undefined && DECIMAL.test(precise)) ms = Number(precise);
  const header = ms === undefined ? headers.get("retry-after")?.trim() : undefined;
  // Delay-seconds or an HTTP date; anything else parses to NaN and is ignored.
  if (header) ms = DECIMAL.test(header) ? Number(header) * 1000 : Date.parse(header) - now;
  return ms !== undefined && ms >= 0 && ms <= MAX_RETRY_AFTER_MS ? Math.round(ms) : undefined;
}

/** Resolves after `ms`, or rejects with `onAbort()` as soon as `signal` fires; leaves no timer behind. */
export function sleep(ms: number, signal: AbortSignal | undefined, onAbort: () => Error): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(onAbort());
    const abort = () => {
      clearTimeout(timer);
      reject(onAbort());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", abort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", abort, { once: true });
  });
}
