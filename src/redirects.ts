// Following redirects by hand (fetch is told `redirect: "manual"`): fetch would carry custom
// headers such as X-API-KEY to any origin, so credentials are dropped when a hop leaves the
// configured one, and a loop or an unusable Location becomes a typed error.
import { CREDENTIAL_HEADERS } from "./auth.js";
import { APIConnectionError } from "./errors.js";

export type Send = (url: string, init: RequestInit) => Promise<Response>;

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

export async function followRedirects(
  send: Send,
  url: string,
  init: RequestInit,
  operation: string,
  attempts: number,
): Promise<Response> {
  const fail = (message: string) => new APIConnectionError(`${operation}${message}`, { attempts });
  let origin: string | undefined; // parsed only when there is a redirect to compare it with
  for (let hops = 0; ; hops++) {
    const response = await send(url, init);
    if (response.type === "opaqueredirect") {
      throw fail(" was redirected and this runtime hides where to; point baseUrl at the final address");
    }
    const location = REDIRECT_STATUSES.has(response.status) ? response.headers.get("location") : null;
    if (location === null) return response;
    await response.body?.cancel().catch(() => {});
    if (hops === MAX_REDIRECTS) throw fail(`: more than ${MAX_REDIRECTS} redirects`);
    const next = parseUrl(location, url);
    if (!next) throw fail(" was redirected to an address that is not a URL");
    if (next.protocol !== "https:" && next.protocol !== "http:") {
      throw fail(` was redirected to an unsupported ${next.protocol} URL`);
    }
    const headers = new Headers(init.headers);
    origin ??= new URL(url).origin;
    if (next.origin !== origin) for (const name of CREDENTIAL_HEADERS) headers.delete(name);
    const becomesGet =
      response.status === 303 || ((response.status === 301 || response.status === 302) && init.method === "POST");
    if (becomesGet) headers.delete("content-type");
    init = { ...init, headers, ...(becomesGet ? { method: "GET", body: null } : {}) };
    url = next.href;
  }
}

function parseUrl(text: string, base: string): URL | undefined {
  try {
    return new URL(text, base);
  } catch {
    return undefined;
  }
}
