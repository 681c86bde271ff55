// The same request made three ways: raw fetch (the floor), bare openapi-fetch, and the facade.
// Each caller returns the envelope's `data`, so the work compared is "send, read, parse, unwrap".
import createClient from "openapi-fetch";
import type { paths } from "../../generated/schema.ts";
import { LiveAvatar } from "../../src/index.ts";
import { AVATAR_ID } from "./bodies.ts";

export const BENCH_API_KEY = "bench-api-key-0000";

export type Call = () => Promise<unknown>;
export type Way = "fetch" | "openapi-fetch" | "LiveAvatar";
export type BodySize = "small" | "large";

export const WAYS: readonly Way[] = ["fetch", "openapi-fetch", "LiveAvatar"];

/** Which operation each body size is measured on. */
export const OPERATIONS: Record<BodySize, string> = {
  small: "GET /v1/avatars/{avatar_id}",
  large: "GET /v1/avatars",
};

export interface Callers {
  facade: LiveAvatar;
  calls: Record<BodySize, Record<Way, Call>>;
}

export function makeCallers(baseUrl: string): Callers {
  const headers = { "X-API-KEY": BENCH_API_KEY };
  const smallUrl = `${baseUrl}/v1/avatars/${encodeURIComponent(AVATAR_ID)}`;
  const largeUrl = `${baseUrl}/v1/avatars`;
  const raw = async (url: string) => {
    const response = await fetch(url, { headers });
    const body = (await response.json()) as { data: unknown };
    return body.data;
  };

  const bare = createClient<paths>({ baseUrl, headers });
  // Defaults throughout: auth chosen from the spec, 60 s timeout armed, 2 retries armed (unused).
  // Logging "off" is the default too; said here so that LIVEAVATAR_LOG in the environment cannot change it.
  const facade = new LiveAvatar({ baseUrl, apiKey: BENCH_API_KEY, logLevel: "off" });
  const smallParams = { params: { path: { avatar_id: AVATAR_ID } } };

  return {
    facade,
    calls: {
      small: {
        fetch: () => raw(smallUrl),
        "openapi-fetch": async () => (await bare.GET("/v1/avatars/{avatar_id}", smallParams)).data?.data,
        LiveAvatar: () => facade.GET("/v1/avatars/{avatar_id}", smallParams),
      },
      large: {
        fetch: () => raw(largeUrl),
        "openapi-fetch": async () => (await bare.GET("/v1/avatars")).data?.data,
        LiveAvatar: () => facade.GET("/v1/avatars"),
      },
    },
  };
}
