import type { FetchLike } from "../../src/index.ts";

export interface SeenRequest {
  method: string;
  url: URL;
  headers: Headers;
}

/** A fetch that records what the client sends, then sends it for real with the global fetch. */
export function observingFetch(): { fetch: FetchLike; seen: SeenRequest[] } {
  const seen: SeenRequest[] = [];
  const observe: FetchLike = (input, init) => {
    const request = new Request(input, init);
    seen.push({ method: request.method, url: new URL(request.url), headers: request.headers });
    return fetch(input, init);
  };
  return { fetch: observe, seen };
}
