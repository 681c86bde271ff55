// Hooks with openapi-fetch's semantics (`onRequest`, `onResponse`, `onError`), run for every
// request the client sends: each attempt, and each redirect hop within it. `onRequest` runs in
// the order the hooks were added and may return a Request to send instead, or a Response that
// answers in place of fetch (the hooks after it, fetch and `onResponse` are skipped);
// `onError` and `onResponse` run in reverse order, as layers around fetch. Hooks see a real
// `Request` whose credential headers read "[redacted]", so a hook that logs requests cannot leak
// them; the values are put back after the hooks, unless a hook replaced them.
import { CREDENTIAL_HEADERS } from "./auth.js";
import { LiveAvatarError } from "./errors.js";
import type { FetchLike } from "./request.js";
import type { Send } from "./redirects.js";

export interface HookContext {
  /** "METHOD /path" template of the operation. */
  operation: string;
  /** 1 for the first attempt, 2 for the first retry, ... */
  attempt: number;
}

export interface Middleware {
  /** May return a new `Request` to send instead, or a `Response` that answers without sending. */
  onRequest?(
    params: HookContext & { request: Request },
  ): Request | Response | undefined | void | Promise<Request | Response | undefined | void>;
  /** May return a new `Response` to use instead. It runs before the client reads the status. */
  onResponse?(
    params: HookContext & { request: Request; response: Response },
  ): Response | undefined | void | Promise<Response | undefined | void>;
  /**
   * Called when fetch itself failed (no response). May return a `Response` to use instead (the
   * hooks before it are then skipped), or an `Error` that replaces the failure for them.
   */
  onError?(
    params: HookContext & { request: Request; error: unknown },
  ): Response | Error | undefined | void | Promise<Response | Error | undefined | void>;
}

const REDACTED = "[redacted]";

/** `fetch` wrapped in the hooks; used only when there are any, so calls without hooks build no `Request`. */
export function withHooks(fetch: FetchLike, middleware: readonly Middleware[], context: HookContext): Send {
  const hook = async <T>(name: keyof Middleware, run: () => T): Promise<Awaited<T>> => {
    try {
      return await run();
    } catch (error) {
      throw new LiveAvatarError(`${context.operation}: the ${name} hook threw`, {
        cause: error,
        attempts: context.attempt,
      });
    }
  };
  const reversed = [...middleware].reverse();
  return async (url, init) => {
    const secrets = new Headers(init.headers);
    const shown = new Headers(secrets);
    for (const name of CREDENTIAL_HEADERS) if (shown.has(name)) shown.set(name, REDACTED);
    let request = new Request(url, { ...init, headers: shown });
    for (const m of middleware) {
      const replaced = await hook("onRequest", () => m.onRequest?.({ ...context, request }));
      if (replaced instanceof Response) return replaced;
      if (replaced instanceof Request) request = replaced;
    }
    const headers = new Headers(request.headers);
    for (const name of CREDENTIAL_HEADERS) {
      if (headers.get(name) === REDACTED && secrets.has(name)) headers.set(name, secrets.get(name)!);
    }
    let response: Response | undefined;
    try {
      response = await fetch(new Request(request, { headers }));
    } catch (thrown) {
      let error = thrown;
      for (const m of reversed) {
        const recovered = await hook("onError", () => m.onError?.({ ...context, request, error }));
        if (recovered instanceof Error) error = recovered;
        if (recovered instanceof Response) {
          response = recovered;
          break;
        }
      }
      if (!response) throw error;
    }
    for (const m of reversed) {
      const replaced = await hook("onResponse", () => m.onResponse?.({ ...context, request, response: response! }));
      if (replaced instanceof Response) response = replaced;
    }
    return response;
  };
}
