// Construction and configuration: environment defaults, opting out of them, bad options,
// withOptions, options passed through to fetch, and a path that is not an operation.
import { afterEach, beforeAll, expect, test, vi } from "vitest";
import { LiveAvatar, LiveAvatarError, MissingCredentialError } from "../src/index.ts";
import { clientFor, rejectionOf } from "./support/client.ts";
import { envelope, scriptedServers, type ScriptedServer } from "./support/scripted-server.ts";

const serve = scriptedServers();
let server: ScriptedServer;
beforeAll(async () => {
  server = await serve({ body: envelope({ credits_left: "12.5" }, 100) });
});
afterEach(() => vi.unstubAllEnvs());

const lastHeaders = () => server.requests.at(-1)!.headers;

test("LIVEAVATAR_API_KEY and LIVEAVATAR_BASE_URL are the defaults in Node", async () => {
  vi.stubEnv("LIVEAVATAR_API_KEY", "key-from-env-1234");
  vi.stubEnv("LIVEAVATAR_BASE_URL", `${server.url}/`);
  const client = new LiveAvatar();
  expect(client.baseUrl).toBe(server.url);
  expect(await client.GET("/v1/users/credits")).toEqual({ credits_left: "12.5" });
  expect(lastHeaders()["x-api-key"]).toBe("key-from-env-1234");
});

test("explicit options win over the environment; apiKey: null opts out of it, undefined keeps it", async () => {
  vi.stubEnv("LIVEAVATAR_API_KEY", "key-from-env-1234");
  vi.stubEnv("LIVEAVATAR_BASE_URL", "http://127.0.0.1:9");
  await clientFor(server.url, { apiKey: "explicit-key-5678" }).GET("/v1/users/credits");
  expect(lastHeaders()["x-api-key"]).toBe("explicit-key-5678");
  await clientFor(server.url, { apiKey: undefined }).GET("/v1/users/credits");
  expect(lastHeaders()["x-api-key"]).toBe("key-from-env-1234");
  const withoutKey = clientFor(server.url, { apiKey: null });
  expect(withoutKey.hasCredential("apiKey")).toBe(false);
  const error = await rejectionOf(withoutKey.GET("/v1/users/credits"));
  expect(error).toBeInstanceOf(MissingCredentialError);
  expect(error.message).toContain("LIVEAVATAR_API_KEY");
});

test("withOptions returns a new client with the same settings and some changed", async () => {
  const backend = clientFor(server.url, { sessionToken: null, defaultHeaders: { "x-app": "demo" } });
  const browserSide = backend.withOptions({ apiKey: null, sessionToken: "token-0002" });
  expect(browserSide).not.toBe(backend);
  await browserSide.POST("/v1/sessions/keep-alive");
  expect(lastHeaders()).toMatchObject({ authorization: "Bearer token-0002", "x-app": "demo" });
  expect(lastHeaders()["x-api-key"]).toBeUndefined();
  await backend.POST("/v1/sessions/keep-alive");
  expect(lastHeaders()["x-api-key"]).toBeDefined();
});

test("fetchOptions, the client's and a call's, reach fetch; the call's win", async () => {
  const seen: RequestInit[] = [];
  const client = clientFor(server.url, {
    fetchOptions: { cache: "no-store", keepalive: false },
    fetch: (input, init) => {
      seen.push(init!);
      return fetch(input, init);
    },
  });
  await client.GET("/v1/users/credits");
  await client.GET("/v1/users/credits", { fetchOptions: { keepalive: true, next: { revalidate: 60 } } });
  expect(seen[0]).toMatchObject({ cache: "no-store", keepalive: false, method: "GET", redirect: "manual" });
  expect(seen[1]).toMatchObject({ cache: "no-store", keepalive: true, next: { revalidate: 60 } });
});

test.each([
  ["maxRetries", -1, "maxRetries must be a whole number, 0 or more, got -1"],
  ["maxRetries", 1.5, "maxRetries must be a whole number"],
  ["maxRetries", Number.NaN, "maxRetries must be a whole number, 0 or more, got NaN"],
  ["maxRetries", Number.POSITIVE_INFINITY, "maxRetries must be a whole number"],
  ["maxRetries", "2", "maxRetries must be a whole number, 0 or more, got a string"],
  ["timeout", 0, "timeout must be a positive number of milliseconds, got 0"],
  ["timeout", -1, "timeout must be a positive number"],
  ["timeout", Number.NaN, "timeout must be a positive number"],
  ["timeout", "60", "timeout must be a positive number of milliseconds, got a string"],
] as const)(
  "%s: %s is refused, by the client and per call, before anything is sent",
  async (option, value, message) => {
    const before = server.requests.length;
    expect(() => clientFor(server.url, { [option]: value })).toThrow(message);
    const error = await rejectionOf(clientFor(server.url).GET("/v1/users/credits", { [option]: value }));
    expect(error).toBeInstanceOf(LiveAvatarError);
    expect(error.message).toContain(`GET /v1/users/credits: ${message}`);
    expect(server.requests.length).toBe(before);
  },
);

test("a base URL that is not an absolute http(s) URL is refused at construction", () => {
  for (const baseUrl of ["api.liveavatar.com", "ftp://example.com", "not a url", "/relative"]) {
    expect(() => clientFor(baseUrl), baseUrl).toThrow(LiveAvatarError);
  }
});

test("an operation that is not in the spec is refused by name", async () => {
  const client = clientFor(server.url);
  const before = server.requests.length;
  const error = await rejectionOf((client.GET as unknown as (path: string) => Promise<unknown>)("/v1/avatar"));
  expect(error).toBeInstanceOf(LiveAvatarError);
  expect(error.message).toContain("GET /v1/avatar is not an operation");
  expect(server.requests.length).toBe(before);
});
