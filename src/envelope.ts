// Step three of a call: a 2xx body becomes the caller's `data`. The API wraps results as
// `{code, data, message}`; a 2xx is only a success when `code` is absent or one of the success
// codes, and when the `data` the operation promises is there.
import type { OperationInfo } from "../generated/operations.js";
import { kindOf, errorInit, snippet, type Redact } from "./error-details.js";
import { EnvelopeError } from "./errors.js";
import { isRecord } from "./guards.js";

/** A 2xx response with its body read (what the exchange returns). */
export interface Received {
  response: Response;
  text: string;
  attempts: number;
}

export interface Unwrapped {
  data: unknown;
  /** The envelope's `code` (undefined when absent or when the operation has no envelope). */
  code: number | undefined;
  message: string | undefined;
}

const NOTHING: Unwrapped = { data: undefined, code: undefined, message: undefined };

export function unwrapEnvelope(
  operation: string,
  info: OperationInfo,
  { response, text, attempts }: Received,
  successCodes: ReadonlySet<number>,
  redact: Redact,
): Unwrapped {
  const fail = (summary: string): never => {
    throw new EnvelopeError(errorInit(operation, response, text, redact, attempts), summary);
  };
  if (info.data === "none" && text.trim() === "") return NOTHING;
  const contentType = response.headers.get("content-type");
  if (contentType !== null && !contentType.includes("json")) {
    fail(`expected a JSON body, got ${contentType.split(";")[0]}: ${snippet(redact(text)) || "(empty body)"}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    fail(
      text.trim() === ""
        ? "expected a JSON body, got an empty one"
        : `body is not valid JSON: ${snippet(redact(text))}`,
    );
  }
  if (!info.envelope) {
    // An operation documented without a body (DELETE /v1/memory/{memory_id}: 204) may still get
    // the envelope, and a 2xx envelope can carry a failure code: it is checked like any other.
    if (!looksLikeEnvelope(body)) {
      if (info.data === "none") fail(`expected no body, got ${kindOf(body)}: ${snippet(redact(text))}`);
      return { data: body, code: undefined, message: undefined };
    }
  } else if (!isRecord(body)) fail(`expected the {code, data, message} envelope, got ${kindOf(body)}`);
  const { code, message, data } = body as Record<string, unknown>;
  if (code !== undefined && !Number.isInteger(code)) fail(`envelope code is ${kindOf(code)}, not an integer`);
  if (message !== undefined && message !== null && typeof message !== "string")
    fail(`envelope message is ${kindOf(message)}, not a string`);
  if (code !== undefined && !successCodes.has(code as number)) {
    fail(
      `envelope reports code ${code}${typeof message === "string" && message ? `: ${snippet(redact(message))}` : ""}`,
    );
  }
  if (info.data === "object" && !isRecord(data)) fail(`envelope data should be an object, got ${kindOf(data)}`);
  if (info.data === "array" && !Array.isArray(data)) fail(`envelope data should be an array, got ${kindOf(data)}`);
  return {
    data: info.data === "none" ? undefined : info.data === "null" ? (data ?? null) : data,
    code: code as number | undefined,
    message: (message ?? undefined) as string | undefined,
  };
}

/** An object with a `code` and a `message` or `data`: the API's envelope, whatever the spec declared. */
function looksLikeEnvelope(body: unknown): boolean {
  return isRecord(body) && "code" in body && ("message" in body || "data" in body);
}
