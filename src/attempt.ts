// One attempt: the request sent (redirects followed), the body read, all bounded by the
// per-attempt timeout and the caller's signal. Every failure leaves as one of our errors.
import { BodyCutOff, BodyOverLimit, declaredOver, readText } from "./body.js";
import { bodyTooLarge, connectionError, type Redact } from "./error-details.js";
import { APIConnectionTimeoutError, APIUserAbortError, LiveAvatarError } from "./errors.js";
import { followRedirects, type Send } from "./redirects.js";

export interface AttemptOptions {
  send: Send;
  operation: string;
  timeout: number;
  /** The largest 2xx JSON body read, in bytes. */
  maxBodyBytes: number;
  signal: AbortSignal | undefined;
  redact: Redact;
}

/** Error bodies (and non-JSON successes) are read up to this many bytes; the rest is discarded. */
const ERROR_BODY_LIMIT = 64 * 1024;
/** Node and browsers fire a timer longer than this (2^31 - 1 ms, about 24.8 days) at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Sends attempt number `attempt` (1-based), which is also the count of attempts its errors report. */
export async function sendAttempt(
  url: string,
  init: RequestInit,
  options: AttemptOptions,
  attempt: number,
): Promise<{ response: Response; text: string }> {
  const attempts = attempt;
  const { signal: callerSignal, timeout, operation } = options;
  if (callerSignal?.aborted) throw new APIUserAbortError({ cause: callerSignal.reason, attempts, operation });
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
    response = await followRedirects(options.send, url, { ...init, signal: controller.signal }, operation, attempts);
    // A success is read whole (up to its limit) to be parsed; anything else only for its message.
    const json = response.ok && isJsonOrUnlabelled(response.headers.get("content-type"));
    if (json && declaredOver(response, options.maxBodyBytes)) {
      await response.body?.cancel().catch(() => {});
      throw new BodyOverLimit();
    }
    const text = json
      ? await readText(response, options.maxBodyBytes, "refuse")
      : await readText(response, ERROR_BODY_LIMIT, "truncate");
    return { response, text };
  } catch (error) {
    if (error instanceof LiveAvatarError) throw error;
    if (error instanceof BodyOverLimit) {
      throw bodyTooLarge(operation, response!, options.maxBodyBytes, options.redact, attempts);
    }
    if (callerSignal?.aborted) throw new APIUserAbortError({ cause: callerSignal.reason, attempts, operation });
    if (timedOut) throw new APIConnectionTimeoutError(operation, timeout, { attempts });
    const cutOff = error instanceof BodyCutOff ? error : undefined;
    throw connectionError(
      operation,
      cutOff ? cutOff.error : error,
      response,
      cutOff?.received ?? "",
      options.redact,
      attempts,
    );
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener("abort", onCallerAbort);
  }
}

function isJsonOrUnlabelled(contentType: string | null): boolean {
  return contentType === null || contentType.includes("json");
}
