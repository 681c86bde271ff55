// The response shapes the fake sends: the success envelope and the error bodies.
import type { Issue } from "./validate.js";

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** Errors the API describes but does not declare (400, 401, 404): the envelope with the status as `code`. */
export function failure(status: number, message: string): Response {
  return json(status, { code: status, data: null, message });
}

/** The spec's `HTTPValidationError`. */
export function unprocessable(detail: Issue[]): Response {
  return json(422, { detail });
}

/** Thrown by a handler to answer with an error status. */
export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string, id: string): HttpFailure => new HttpFailure(404, `${what} ${id} not found`);
