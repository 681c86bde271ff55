// Building errors from what arrived: which class a status gets, what an error keeps of a
// response (redacted, bounded) and how a failed fetch is described. Beside the error classes
// so that both the exchange and the envelope depend on these, not on each other.
import {
  APIConnectionError,
  BodyTooLargeError,
  errorClassFor,
  snippet,
  type APIError,
  type APIErrorInit,
} from "./errors.js";

export { snippet };

export type Redact = (text: string) => string;

/** What an error keeps of a response: status, headers and body with every credential redacted, the body bounded. */
export function errorInit(
  operation: string,
  response: Response,
  text: string,
  redact: Redact,
  attempts: number,
): APIErrorInit {
  const safe = redact(text);
  return {
    status: response.status,
    operation,
    headers: redactHeaders(response.headers, redact),
    body: parseLenient(safe),
    snippet: snippet(safe),
    attempts,
  };
}

/** The error for a non-2xx answer: the class its status calls for. */
export function errorForStatus(
  operation: string,
  response: Response,
  text: string,
  redact: Redact,
  attempts: number,
): APIError {
  const Class = errorClassFor(response.status);
  return new Class(errorInit(operation, response, text, redact, attempts));
}

/** The error for a 2xx body over the limit: what arrived of it is not kept. */
export function bodyTooLarge(
  operation: string,
  response: Response,
  limit: number,
  redact: Redact,
  attempts: number,
): BodyTooLargeError {
  return new BodyTooLargeError(errorInit(operation, response, "", redact, attempts), limit);
}

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

/**
 * The error for a fetch (or body read) that failed. `received` is what had arrived of the body
 * when a read broke off: it goes into the message redacted, never onto the cause.
 */
export function connectionError(
  operation: string,
  error: unknown,
  response: Response | undefined,
  received: string,
  redact: Redact,
  attempts: number,
): APIConnectionError {
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  const code = cause?.code;
  const detail = redact(String(cause?.message ?? (error as Error)?.message ?? error));
  if (response) {
    const excerpt = received ? `; received so far: ${snippet(redact(received))}` : "";
    return new APIConnectionError(
      `connection lost while reading the ${response.status} response to ${operation} (${detail})${excerpt}`,
      { cause: error, status: response.status, attempts },
    );
  }
  return new APIConnectionError(
    `could not complete ${operation}: ${detail}${code && !detail.includes(code) ? ` (${code})` : ""}`,
    { cause: error, attempts, notSent: code !== undefined && NOT_SENT_CODES.has(code) },
  );
}

/** The same headers, or a copy with secrets replaced when a value holds one. */
export function redactHeaders(headers: Headers, redact: Redact): Headers {
  let copy: Headers | undefined;
  for (const [name, value] of headers) {
    const safe = redact(value);
    if (safe !== value) (copy ??= new Headers(headers)).set(name, safe);
  }
  return copy ?? headers;
}

/** Parsed JSON when the text is JSON; otherwise the text itself, cut to a size worth keeping. */
export function parseLenient(text: string): unknown {
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

/** How a value reads in a message: its kind, never its content (which may be a secret). */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
