// The package's error classes. Every failure a call can produce is one of these, so callers
// can rely on `instanceof` and never see a raw TypeError or SyntaxError.
import type { components } from "../generated/schema.js";
import { isRecord } from "./guards.js";

export type ValidationIssue = components["schemas"]["ValidationError"];

export interface LiveAvatarErrorOptions {
  cause?: unknown;
  /** HTTP attempts made before the error was thrown (default 0: nothing was sent). */
  attempts?: number | undefined;
}

const LINE_BREAKS = /\s*[\r\n\u2028\u2029]+\s*/g;

export class LiveAvatarError extends Error {
  // Minifiers rename classes, so each class names itself with a literal.
  override name = "LiveAvatarError";
  /** HTTP attempts made before this error was thrown (0 when nothing was sent). */
  readonly attempts: number;
  constructor(message: string, options: LiveAvatarErrorOptions = {}) {
    // One line whatever went into it (a server's message, a runtime's error): logs stay one entry per error.
    super(message.replace(LINE_BREAKS, " "), "cause" in options ? { cause: options.cause } : undefined);
    this.attempts = options.attempts ?? 0;
  }
}

/** The client holds no credential that the operation accepts. Raised before any network I/O. */
export class MissingCredentialError extends LiveAvatarError {
  override name = "MissingCredentialError";
  constructor(
    /** "METHOD /path" of the operation. */
    readonly operation: string,
    readonly operationId: string,
    /** Client options that would satisfy the operation, in the spec's order of preference. */
    readonly accepted: readonly string[],
    /** The credential the call asked for with its `auth` option, if any. */
    readonly requested?: string,
  ) {
    const list = accepted.map((a) => `\`${a}\``).join(" or ");
    const wanted = requested ? [requested] : accepted;
    const hint = wanted.includes("apiKey") ? " (pass `apiKey`, or set LIVEAVATAR_API_KEY on a server)" : "";
    super(
      requested && !accepted.includes(requested)
        ? `${operation} (${operationId}) does not accept \`${requested}\`; it takes ${list}`
        : `${operation} (${operationId}) needs ${requested ? `\`${requested}\`` : list}, and the client has none${hint}`,
    );
  }
}

export interface ConnectionErrorOptions extends LiveAvatarErrorOptions {
  /** Set when the failure came after the response headers, e.g. a reset mid-body. */
  status?: number | undefined;
  /** The failure is known to have happened before any byte of the request left: always safe to retry. */
  notSent?: boolean | undefined;
}

/** The request never produced a complete response: DNS, refused or reset connection, body cut off. */
export class APIConnectionError extends LiveAvatarError {
  override name = "APIConnectionError";
  /** Set when the failure came after the response headers, e.g. a reset mid-body. */
  readonly status: number | undefined;
  /** True when the request is known not to have reached any server (refused, DNS), so a retry is harmless. */
  readonly notSent: boolean;
  constructor(message: string, options: ConnectionErrorOptions = {}) {
    super(message, options);
    this.status = options.status;
    this.notSent = options.notSent ?? false;
  }
}

export class APIConnectionTimeoutError extends APIConnectionError {
  override name = "APIConnectionTimeoutError";
  constructor(operation: string, timeoutMs: number, options: LiveAvatarErrorOptions = {}) {
    super(`${operation} timed out after ${timeoutMs} ms (the \`timeout\` option; Infinity disables it)`, options);
  }
}

export interface AbortErrorOptions extends LiveAvatarErrorOptions {
  /** What was cancelled ("GET /v1/avatars"), named first in the message. */
  operation?: string | undefined;
}

/** The caller's AbortSignal fired. */
export class APIUserAbortError extends LiveAvatarError {
  override name = "APIUserAbortError";
  /** What was cancelled: "METHOD /path" of the operation for a call. */
  readonly operation: string | undefined;
  constructor(options: AbortErrorOptions = {}) {
    super(`${options.operation ? `${options.operation}: ` : ""}request aborted by the caller`, options);
    this.operation = options.operation;
  }
}

export interface APIErrorInit {
  status: number;
  /** "METHOD /path" template of the operation. */
  operation: string;
  headers: Headers;
  /** The parsed JSON body, or the (bounded) text when it was not JSON. */
  body: unknown;
  /** A short, credential-free excerpt of the body for messages. */
  snippet: string;
  attempts: number;
}

/** The server answered with a status or body the client cannot accept. */
export class APIError extends LiveAvatarError {
  override name = "APIError";
  readonly status: number;
  readonly operation: string;
  /** The envelope's `code`, when the body is the `{code, data, message}` envelope. */
  readonly code: number | undefined;
  /** The envelope's `message` (or a problem+json `detail`/`title`). */
  readonly apiMessage: string | undefined;
  readonly body: unknown;
  readonly headers: Headers;
  /** The response's `x-request-id` (or `request-id`), to quote to the API's support. */
  readonly requestId: string | undefined;

  constructor(init: APIErrorInit, summary?: string) {
    const envelope = isRecord(init.body) ? init.body : undefined;
    const code = typeof envelope?.code === "number" ? envelope.code : undefined;
    const apiMessage = firstString(envelope?.message, envelope?.detail, envelope?.title);
    // The server's own words are cut like a body excerpt: a message stays one short line.
    const what =
      summary ?? (apiMessage === undefined ? undefined : snippet(apiMessage)) ?? (init.snippet || "(empty body)");
    const requestId = requestIdOf(init.headers);
    super(
      `${init.status} from ${init.operation}${code === undefined ? "" : ` (code ${code})`}: ${what}` +
        (requestId ? ` [request id ${requestId}]` : ""),
      { attempts: init.attempts },
    );
    this.status = init.status;
    this.operation = init.operation;
    this.code = code;
    this.apiMessage = apiMessage;
    this.body = init.body;
    this.headers = init.headers;
    this.requestId = requestId;
  }
}

export class BadRequestError extends APIError {
  override name = "BadRequestError";
}
export class AuthenticationError extends APIError {
  override name = "AuthenticationError";
}
export class PermissionDeniedError extends APIError {
  override name = "PermissionDeniedError";
}
export class NotFoundError extends APIError {
  override name = "NotFoundError";
}
export class ConflictError extends APIError {
  override name = "ConflictError";
}
export class UnprocessableEntityError extends APIError {
  override name = "UnprocessableEntityError";
  /** FastAPI's validation issues (`detail[]`), empty when the body had none. */
  readonly detail: ValidationIssue[];
  constructor(init: APIErrorInit) {
    const detail =
      isRecord(init.body) && Array.isArray(init.body.detail) ? (init.body.detail as ValidationIssue[]) : [];
    const first = detail[0];
    const summary = first
      ? `${first.msg} at ${(first.loc ?? []).join(".")}${detail.length > 1 ? ` (+${detail.length - 1} more)` : ""}`
      : undefined;
    super(init, summary);
    this.detail = detail;
  }
}
export class RateLimitError extends APIError {
  override name = "RateLimitError";
}
export class InternalServerError extends APIError {
  override name = "InternalServerError";
}

/** A 2xx whose body is not a successful envelope: another `code`, not JSON, or missing the promised `data`. */
export class EnvelopeError extends APIError {
  override name = "EnvelopeError";
}

/**
 * A 2xx body longer than the `maxBodyBytes` limit (by its Content-Length, or counted as it
 * arrived): the read was cancelled and the call is not retried, since a retry would read it again.
 */
export class BodyTooLargeError extends APIError {
  override name = "BodyTooLargeError";
  /** The limit in bytes that the body went over. */
  readonly limit: number;
  constructor(init: APIErrorInit, limit: number) {
    super(init, `body over the ${bytes(limit)} limit (the \`maxBodyBytes\` option); the read was cancelled`);
    this.limit = limit;
  }
}

/** "16 MiB" for whole mebibytes, otherwise the count: "1500 bytes". */
function bytes(n: number): string {
  return n % 1_048_576 === 0 ? `${n / 1_048_576} MiB` : `${n} bytes`;
}

const STATUS_CLASSES: Record<number, new (init: APIErrorInit) => APIError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

/** The class for an HTTP error status: one per status clients handle, InternalServerError for 5xx. */
export function errorClassFor(status: number): new (init: APIErrorInit) => APIError {
  return STATUS_CLASSES[status] ?? (status >= 500 ? InternalServerError : APIError);
}

export function requestIdOf(headers: Headers | undefined): string | undefined {
  return headers?.get("x-request-id") ?? headers?.get("request-id") ?? undefined;
}

function firstString(...values: unknown[]): string | undefined {
  for (const value of values) if (typeof value === "string" && value) return value;
  return undefined;
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
