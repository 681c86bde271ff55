// Turns a 2xx body into the caller's `data`. The API wraps results as `{code, data, message}`;
// a 2xx is only a success when `code` is absent or one of the success codes, and when the
// `data` the operation promises is there.
import type { OperationInfo } from "../generated/operations.js";
import { EnvelopeError, isRecord } from "./errors.js";
import { errorInit, snippet, type Exchange } from "./http.js";

export interface Unwrapped {
  data: unknown;
  /** The envelope's `code` (undefined when absent or when the operation has no envelope). */
  code: number | undefined;
  message: string | undefined;
}

export function unwrapEnvelope(
  key: string,
  op: OperationInfo,
  { response, text, attempts }: Exchange,
  successCodes: ReadonlySet<number>,
  redact: (text: string) => string,
): Unwrapped {
  const fail = (summary: string): never => {
    throw Object.assign(new EnvelopeError(errorInit(key, response, text, redact), summary), { attempts });
  };
  if (op.data === "none" && text.trim() === "") return { data: undefined, code: undefined, message: undefined };
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
  if (!op.envelope) return { data: body, code: undefined, message: undefined };
  if (!isRecord(body)) fail(`expected the {code, data, message} envelope, got ${describe(body)}`);
  const { code, message, data } = body as Record<string, unknown>;
  if (code !== undefined && !Number.isInteger(code)) fail(`envelope code is ${describe(code)}, not an integer`);
  if (message !== undefined && message !== null && typeof message !== "string")
    fail(`envelope message is ${describe(message)}, not a string`);
  if (code !== undefined && !successCodes.has(code as number)) {
    fail(`envelope reports code ${code}${typeof message === "string" && message ? `: ${redact(message)}` : ""}`);
  }
  if (op.data === "object" && !isRecord(data)) fail(`envelope data should be an object, got ${describe(data)}`);
  if (op.data === "array" && !Array.isArray(data)) fail(`envelope data should be an array, got ${describe(data)}`);
  return {
    data: op.data === "null" ? (data ?? null) : data,
    code: code as number | undefined,
    message: (message ?? undefined) as string | undefined,
  };
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
