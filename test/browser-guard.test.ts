// @vitest-environment jsdom
// The API-key guard in a page (jsdom here; test/browser/ runs real Chromium): a key the caller
// passes is refused unless they accept the risk, and a key that only sits in the environment
// (the test runner's, a bundler's) is neither sent nor a reason to refuse a session-token client.
import { afterEach, expect, test, vi } from "vitest";
import { LiveAvatarError } from "../src/index.ts";
import { clientFor, rejectionOf } from "./support/client.ts";
import { API_KEY, SESSION_TOKEN } from "./support/credentials.ts";
import { envelope, scriptedServers } from "./support/scripted-server.ts";

const serve = scriptedServers();
afterEach(() => vi.unstubAllEnvs());

test("the environment is a page", () => {
  expect(typeof window).toBe("object");
  expect(typeof document).toBe("object");
});

test("a client given an API key is refused, pointing to the session token", async () => {
  const error = await rejectionOf(Promise.resolve().then(() => clientFor("http://127.0.0.1:9")));
  expect(error).toBeInstanceOf(LiveAvatarError);
  expect(error.message).toContain("sessionToken");
  expect(error.message).toContain("POST /v1/sessions/token");
  expect(error.message).toContain("dangerouslyAllowBrowser");
  expect(error.message).not.toContain(API_KEY);
});

test("with LIVEAVATAR_API_KEY in the environment, a client given only a session token works and sends no key", async () => {
  vi.stubEnv("LIVEAVATAR_API_KEY", "key-from-the-runner-env-1");
  const server = await serve({ status: 201, body: envelope({ session_id: "s-1" }) });
  const client = clientFor(server.url, { apiKey: undefined });
  expect(client.hasCredential("apiKey")).toBe(false);
  await client.POST("/v1/sessions/start");
  expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${SESSION_TOKEN}`);
  expect(server.requests[0]!.headers["x-api-key"]).toBeUndefined();
});

test("dangerouslyAllowBrowser: true lets an API key through, the environment's included, and it is sent", async () => {
  vi.stubEnv("LIVEAVATAR_API_KEY", "key-from-the-runner-env-2");
  const server = await serve({ body: envelope({ count: 0, next: null, previous: null, results: [] }) });
  await clientFor(server.url, { dangerouslyAllowBrowser: true }).GET("/v1/avatars");
  await clientFor(server.url, { dangerouslyAllowBrowser: true, apiKey: undefined }).GET("/v1/avatars");
  expect(server.requests.map((r) => r.headers["x-api-key"])).toEqual([API_KEY, "key-from-the-runner-env-2"]);
});
