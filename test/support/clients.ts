import { inject } from "vitest";
import type { ClientOptions, LiveAvatar } from "../../src/index.ts";
import { clientFor } from "./client.ts";
import { API_KEY, SESSION_TOKEN } from "./credentials.ts";

export const contractUrl = inject("contractUrl");
export const contractTarget = inject("contractTarget");

/** The test credentials (../support/credentials.ts), under the names the contract suites use. */
export const TEST_API_KEY = API_KEY;
export const TEST_SESSION_TOKEN = SESSION_TOKEN;

/** A client for the contract server holding both credentials, with retries off so failures show at once. */
export function contractClient(options: ClientOptions = {}): LiveAvatar {
  return clientFor(contractUrl, { maxRetries: 0, ...options });
}

/** The same request as the client would send, made with plain fetch, for comparing answers. */
export async function rawCall(
  method: string,
  path: string,
  request: { params: Record<string, Record<string, unknown>>; body?: unknown },
  baseUrl: string = contractUrl,
): Promise<{ status: number; body: unknown }> {
  let url =
    baseUrl +
    path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(String(request.params.path?.[name])));
  const query = new URLSearchParams(Object.entries(request.params.query ?? {}).map(([k, v]) => [k, String(v)]));
  if (query.size > 0) url += `?${query}`;
  const response = await fetch(url, {
    method,
    headers: {
      "X-API-KEY": TEST_API_KEY,
      Authorization: `Bearer ${TEST_SESSION_TOKEN}`,
      ...(request.body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
