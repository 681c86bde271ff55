// Step one of a call: the URL (path filled and encoded, query serialised), the headers (the
// credential included) and the JSON body. It builds what openapi-fetch would build from the same
// arguments with its default serialisers (form-exploded arrays, deepObject objects), in a few
// lines of its own: openapi-fetch is used for its types only, so no runtime of it is bundled.
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
export type FetchOptions = {
  // RequestInit's fields, each also taking an explicit `undefined` (exactOptionalPropertyTypes).
  [K in Exclude<keyof RequestInit, "method" | "headers" | "body" | "signal" | "redirect" | "window">]?:
    RequestInit[K] | undefined;
} & {
  /** Next.js's data cache settings, passed through to its `fetch`. */
  next?: { revalidate?: number | false | undefined; tags?: string[] | undefined } | undefined;
};

export type HeaderValues = Record<string, string | undefined>;

export interface RequestParts {
  params?:
    { path?: Record<string, unknown>; query?: Record<string, unknown>; header?: Record<string, unknown> } | undefined;
  body?: unknown;
  /** Lowest to highest precedence: the client's default headers, the credential, the call's headers. */
  headers: readonly (HeaderValues | undefined)[];
  fetchOptions: FetchOptions | undefined;
}

export function buildRequest(baseUrl: string, method: string, path: string, parts: RequestParts): PreparedRequest {
  const search = serializeQuery(parts.params?.query);
  const url = baseUrl + encodePath(path, parts.params?.path) + (search ? `?${search}` : "");
  const headers = new Headers();
  for (const set of [...parts.headers, parts.params?.header]) {
    for (const name in set) if (set[name] !== undefined && set[name] !== null) headers.set(name, String(set[name]));
  }
  // Every request body in the spec is JSON; FormData is passed through as openapi-fetch does.
  const body = parts.body === undefined || parts.body instanceof FormData ? parts.body : JSON.stringify(parts.body);
  if (typeof body === "string" && !headers.has("content-type")) headers.set("content-type", "application/json");
  // Redirects are followed by hand, so that credentials never travel to another origin.
  return {
    url,
    init: { ...parts.fetchOptions, method, headers, body: (body ?? null) as BodyInit | null, redirect: "manual" },
  };
}

/** `a=1&b=x&list=1&list=2&filter[k]=v`, skipping undefined, null and empty arrays. */
export function serializeQuery(query: Record<string, unknown> | undefined): string {
  const pairs: string[] = [];
  const add = (name: string, value: unknown) => pairs.push(`${name}=${encodeURIComponent(String(value))}`);
  for (const name in query) {
    const value = query[name];
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) add(name, item);
    else if (typeof value === "object")
      for (const key in value) add(`${name}[${key}]`, (value as Record<string, unknown>)[key]);
    else add(name, value);
  }
  return pairs.join("&");
}
