// How tests talk to a server, one way each: `clientFor` builds every client, `rawRequest` sends
// what the client would not (or what a test compares its answers with) with plain fetch, and
// `rejectionOf` captures a rejection. Also where the contract server is (test/support/global-setup.ts
// provides it to the contract project; elsewhere `contractUrl` is undefined).
import { inject } from "vitest";
import { LiveAvatar, type ClientOptions } from "../../src/index.ts";
import { API_KEY, SESSION_TOKEN } from "./credentials.ts";

export const contractUrl = inject("contractUrl");
export const contractTarget = inject("contractTarget");

/** The test credentials (./credentials.ts), under the names the suites use. */
export const TEST_API_KEY = API_KEY;
export const TEST_SESSION_TOKEN = SESSION_TOKEN;

/**
 * A client for `baseUrl` holding both test credentials, logging off; anything else the test says
 * in `options` (e.g. `{ maxRetries: 0 }` to see a failure at once, `{ sessionToken: null }` for a
 * backend that holds only the API key).
 */
export function clientFor(baseUrl: string, options: ClientOptions = {}): LiveAvatar {
  return new LiveAvatar({ baseUrl, apiKey: API_KEY, sessionToken: SESSION_TOKEN, logLevel: "off", ...options });
}

/** The rejection of `promise`; fails the test if it resolves. */
export async function rejectionOf(promise: PromiseLike<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection, and the promise resolved");
}

/** Both test credentials as request headers, for a raw request the server should accept. */
export const CREDENTIAL_HEADERS: Readonly<Record<string, string>> = {
  "X-API-KEY": API_KEY,
  Authorization: `Bearer ${SESSION_TOKEN}`,
};

export interface RawRequest {
  /** `{name}` placeholders in the path, and the query string. */
  params?: { path?: Record<string, unknown>; query?: Record<string, unknown> } | undefined;
  headers?: Record<string, string> | undefined;
  /** Sent as JSON (with `content-type: application/json`). */
  body?: unknown;
  /** Sent as it is, with `content-type: application/json`: for bodies JSON.stringify cannot make. */
  raw?: string | undefined;
}

export interface RawResponse {
  status: number;
  /** The parsed JSON; text that is not JSON stays a string; no body is undefined. */
  body: any;
  headers: Headers;
}

/** One request with plain fetch: no client, no credentials unless `headers` has them. */
export async function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  request: RawRequest = {},
): Promise<RawResponse> {
  const { params = {}, headers, body, raw } = request;
  let url =
    baseUrl + path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(String(params.path?.[name])));
  const query = new URLSearchParams(Object.entries(params.query ?? {}).map(([k, v]) => [k, String(v)]));
  if (query.size > 0) url += `?${query}`;
  const hasBody = body !== undefined || raw !== undefined;
  const response = await fetch(url, {
    method,
    headers: { ...(hasBody ? { "content-type": "application/json" } : {}), ...headers },
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await response.text();
  let parsed: unknown = text || undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // HTML or other text stays a string.
  }
  return { status: response.status, body: parsed, headers: response.headers };
}
