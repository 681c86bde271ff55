// Construction and configuration: environment defaults, opting out of them, bad options, withOptions.
import { afterAll, afterEach, beforeAll, expect, test, vi } from "vitest";
import { EnvelopeError, LiveAvatar, LiveAvatarError, MissingCredentialError } from "../src/index.ts";
import { envelope, startScriptedServer, type ScriptedServer } from "./support/scripted-server.ts";

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer({ body: envelope({ credits_left: "12.5" }, 100) });
});
afterAll(() => server.close());
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

test("explicit options win over the environment; apiKey: null opts out of it", async () => {
  vi.stubEnv("LIVEAVATAR_API_KEY", "key-from-env-1234");
  vi.stubEnv("LIVEAVATAR_BASE_URL", "http://127.0.0.1:9");
  await new LiveAvatar({ baseUrl: server.url, apiKey: "explicit-key-5678" }).GET("/v1/users/credits");
  expect(lastHeaders()["x-api-key"]).toBe("explicit-key-5678");
  const withoutKey = new LiveAvatar({ baseUrl: server.url, apiKey: null });
  expect(withoutKey.hasCredential("apiKey")).toBe(false);
  await expect(withoutKey.GET("/v1/users/credits")).rejects.toBeInstanceOf(MissingCredentialError);
});

test("withOptions returns a new client with the same settings and some changed", async () => {
  const backend = new LiveAvatar({
    baseUrl: server.url,
    apiKey: "backend-key-0001",
    defaultHeaders: { "x-app": "demo" },
  });
  const browserSide = backend.withOptions({ apiKey: null, sessionToken: "token-0002" });
  expect(browserSide).not.toBe(backend);
  await browserSide.POST("/v1/sessions/keep-alive");
  expect(lastHeaders()).toMatchObject({ authorization: "Bearer token-0002", "x-app": "demo" });
  expect(lastHeaders()["x-api-key"]).toBeUndefined();
  await backend.POST("/v1/sessions/keep-alive");
  expect(lastHeaders()["x-api-key"]).toBe("backend-key-0001");
});

test("successCodes decides which envelope codes are success", async () => {
  const strict = new LiveAvatar({ baseUrl: server.url, apiKey: "k-0003", successCodes: [1000] });
  const error = await strict.GET("/v1/users/credits").catch((e: unknown) => e);
  expect(error).toBeInstanceOf(EnvelopeError);
  expect(error).toMatchObject({ status: 200, code: 100 });
});

test("a base URL that is not an absolute http(s) URL is refused at construction", () => {
  for (const baseUrl of ["api.liveavatar.com", "ftp://example.com", "not a url", "/relative"]) {
    expect(() => new LiveAvatar({ baseUrl, apiKey: "k" }), baseUrl).toThrow(LiveAvatarError);
  }
});

test("an operation that is not in the spec is refused by name", async () => {
  const client = new LiveAvatar({ baseUrl: server.url, apiKey: "k-0004" });
  const before = server.requests.length;
  const error = await (client.GET as unknown as (path: string) => Promise<unknown>)("/v1/avatar").catch(
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LiveAvatarError);
  expect((error as Error).message).toContain("GET /v1/avatar is not an operation");
  expect(server.requests.length).toBe(before);
});
