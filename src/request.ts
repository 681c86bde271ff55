// Step one of a call: the URL (path filled and encoded, query serialised), the headers (the
// credential included) and the JSON body. It builds what openapi-fetch would build from the same
// arguments with its default serialisers (form-exploded arrays, deepObject objects), in a few
// lines of its own: openapi-fetch is used for its types only, so no runtime of it is bundled.
import { LiveAvatarError } from "./errors.js";
import { encodePath } from "./path.js";

/** The fetch the client calls: the global one, or the `fetch` option. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

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
    for (const name in set) {
      const value = set[name];
      if (value === undefined || value === null) continue;
      // fetch trims this whitespace itself; only a line break inside the value is refused.
      const text = String(value).replace(EDGE_WHITESPACE, "");
      checkHeader(name, text);
      headers.set(name, text);
    }
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

/**
 * `a=1&b=x&list=1&list=2&filter[k]=v`, skipping undefined, null and empty arrays. Names are
 * percent-encoded as well as values (openapi-fetch leaves names as they are), so an untyped key
 * such as `page&admin` or `a#b` stays one parameter and cannot cut the URL.
 */
export function serializeQuery(query: Record<string, unknown> | undefined): string {
  const pairs: string[] = [];
  const add = (name: string, value: unknown) => pairs.push(`${name}=${encode(name, String(value))}`);
  for (const name in query) {
    const value = query[name];
    if (value === undefined || value === null) continue;
    const key = encode(name, name);
    if (Array.isArray(value)) for (const item of value) add(key, item);
    else if (typeof value === "object")
      for (const sub in value) add(`${key}[${encode(name, sub)}]`, (value as Record<string, unknown>)[sub]);
    else add(key, value);
  }
  return pairs.join("&");
}

function encode(parameter: string, text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    // encodeURIComponent throws URIError on a lone surrogate
    throw new LiveAvatarError(`query parameter ${quoted(parameter)} is not well-formed Unicode`);
  }
}

const EDGE_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;
/** An HTTP token (RFC 9110), the only thing a header name may be. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** What fetch refuses in a header value: NUL, CR, LF, and characters beyond the byte range. */
const BAD_IN_VALUE = /[\0\r\n\u0100-\uffff]/;

/**
 * Refuses a header fetch would refuse, before anything is sent, in a message of one line that
 * names the header and never quotes its value (it may be a credential). fetch's own error would
 * quote it, line break and all.
 */
function checkHeader(name: string, value: string): void {
  if (!HEADER_NAME.test(name)) throw new LiveAvatarError(`header name ${quoted(name)} is not a valid HTTP header name`);
  if (!BAD_IN_VALUE.test(value)) return;
  const what = /[\r\n]/.test(value) ? "a line break (CR or LF)" : "a NUL or a character beyond U+00FF";
  throw new LiveAvatarError(`header \`${name}\` has ${what} in its value, which HTTP does not allow`);
}

/** A caller's name in a message: quoted, escaped onto one line, and short. */
function quoted(name: string): string {
  return JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name);
}
