// Step one of a call: the URL (path filled and encoded, query serialised), the headers (the
// credential included) and the JSON body, with openapi-fetch's own serialisers, so that the
// request is the one openapi-fetch would have built from the same arguments.
import { createQuerySerializer, defaultBodySerializer, mergeHeaders } from "openapi-fetch";
import { encodePath } from "./path.js";

/** What fetch is given: the whole request, before any attempt. */
export interface PreparedRequest {
  readonly url: string;
  readonly init: RequestInit;
}

/**
 * Options passed through to `fetch` as they are, e.g. `{ cache: "no-store" }`, Next.js's
 * `{ next: { revalidate: 60 } }` or `{ keepalive: true }` for a call made while a page unloads.
 * What the client itself sets (method, headers, body, signal, redirect) is not among them.
 */
export type FetchOptions = Omit<RequestInit, "method" | "headers" | "body" | "signal" | "redirect" | "window"> & {
  /** Next.js's data cache settings, passed through to its `fetch`. */
  next?: { revalidate?: number | false; tags?: string[] };
};

export type HeaderValues = Record<string, string | undefined>;

export interface RequestParts {
  params?: { path?: Record<string, unknown>; query?: Record<string, unknown>; header?: Record<string, unknown> };
  body?: unknown;
  /** Lowest to highest precedence: the client's default headers, the credential, the call's headers. */
  headers: readonly (HeaderValues | undefined)[];
  fetchOptions: FetchOptions | undefined;
}

const serializeQuery = createQuerySerializer();

export function buildRequest(baseUrl: string, method: string, path: string, parts: RequestParts): PreparedRequest {
  const search = serializeQuery(parts.params?.query ?? {});
  const url = baseUrl + encodePath(path, parts.params?.path) + (search ? `?${search}` : "");
  const headers = mergeHeaders(...parts.headers, parts.params?.header as HeaderValues | undefined);
  // Every request body in the spec is JSON; defaultBodySerializer also passes FormData through as it is.
  const body: BodyInit | undefined = parts.body === undefined ? undefined : defaultBodySerializer(parts.body);
  if (typeof body === "string" && !headers.has("content-type")) headers.set("content-type", "application/json");
  // Redirects are followed by hand, so that credentials never travel to another origin.
  return { url, init: { ...parts.fetchOptions, method, headers, body, redirect: "manual" } };
}
