// Hooks (`client.use({ onRequest, onResponse, onError })`): run for each request sent, every
// attempt included, with a real Request and Response, and credentials shown redacted.
import { describe, expect, test } from "vitest";
import { LiveAvatarError, type Middleware } from "../src/index.ts";
import { CALLS } from "./support/calls.ts";
import { clientFor, rejectionOf } from "./support/client.ts";
import { API_KEY } from "./support/credentials.ts";
import { envelope, scriptedServers, unusedPort } from "./support/scripted-server.ts";

const serve = scriptedServers();
const retryNow = { status: 503, headers: { "retry-after": "0" } };

describe.concurrent("hooks", () => {
  test("run once per attempt with a real Request and Response; the key reads [redacted] there and arrives intact", async () => {
    const server = await serve(retryNow, CALLS.listAvatars.ok);
    const seen: string[] = [];
    const client = clientFor(server.url);
    client.use({
      onRequest({ request, operation, attempt }) {
        expect(request).toBeInstanceOf(Request);
        seen.push(
          `${attempt} ${operation} ${request.method} ${new URL(request.url).pathname} ${request.headers.get("x-api-key")}`,
        );
      },
      onResponse({ response, attempt }) {
        expect(response).toBeInstanceOf(Response);
        seen.push(`${attempt} -> ${response.status}`);
      },
    });
    await CALLS.listAvatars.call(client);
    expect(seen).toEqual([
      "1 GET /v1/avatars GET /v1/avatars [redacted]",
      "1 -> 503",
      "2 GET /v1/avatars GET /v1/avatars [redacted]",
      "2 -> 200",
    ]);
    expect(server.requests.map((r) => r.headers["x-api-key"])).toEqual([API_KEY, API_KEY]);
    expect(JSON.stringify(seen)).not.toContain(API_KEY);
  });

  test("onRequest may return a new Request; onResponse a new Response", async () => {
    const server = await serve(CALLS.createToken.ok);
    const client = clientFor(server.url);
    client.use({
      onRequest: ({ request }) =>
        new Request(request, { headers: { ...Object.fromEntries(request.headers), "x-trace": "t-1" } }),
      onResponse: ({ response }) =>
        new Response(JSON.stringify(envelope({ session_id: "replaced", session_token: "x" })), {
          status: response.status,
          headers: response.headers,
        }),
    });
    expect(await CALLS.createToken.call(client)).toMatchObject({ session_id: "replaced" });
    expect(server.requests[0]!.headers).toMatchObject({ "x-trace": "t-1", "x-api-key": API_KEY });
    expect(JSON.parse(server.requests[0]!.body)).toMatchObject({ mode: "LITE" });
  });

  test("onError sees a failed fetch and may answer in its place", async () => {
    const port = await unusedPort();
    const errors: unknown[] = [];
    const client = clientFor(`http://127.0.0.1:${port}`, { maxRetries: 0 });
    client.use({
      onError({ error }) {
        errors.push(error);
        return Response.json(envelope({ credits_left: "offline" }));
      },
    });
    expect(await client.GET("/v1/users/credits")).toEqual({ credits_left: "offline" });
    expect(errors).toHaveLength(1);
  });

  test("a hook that throws fails the call with a LiveAvatarError naming the hook, without retrying", async () => {
    const server = await serve(CALLS.listAvatars.ok);
    const client = clientFor(server.url);
    const boom = new Error("hook bug");
    client.use({
      onResponse() {
        throw boom;
      },
    });
    const error = await rejectionOf(CALLS.listAvatars.call(client));
    expect(error).toBeInstanceOf(LiveAvatarError);
    expect(error.message).toBe("GET /v1/avatars: the onResponse hook threw");
    expect(error.cause).toBe(boom);
    expect(server.requests).toHaveLength(1);
  });

  test("as in openapi-fetch: onRequest in the order added, onResponse in reverse, like layers around fetch", async () => {
    const server = await serve(CALLS.listAvatars.ok);
    const order: string[] = [];
    const layer = (name: string): Middleware => ({
      onRequest: () => void order.push(`${name}.onRequest`),
      onResponse: () => void order.push(`${name}.onResponse`),
    });
    const client = clientFor(server.url);
    client.use(layer("outer"), layer("inner"));
    await CALLS.listAvatars.call(client);
    expect(order).toEqual(["outer.onRequest", "inner.onRequest", "inner.onResponse", "outer.onResponse"]);
  });

  test("onRequest may answer with a Response: nothing is sent, later hooks and onResponse are skipped", async () => {
    const server = await serve(CALLS.listAvatars.ok);
    const order: string[] = [];
    const client = clientFor(server.url);
    client.use(
      {
        onRequest: () => void order.push("first.onRequest"),
        onResponse: () => void order.push("first.onResponse"),
      },
      { onRequest: () => Response.json(envelope({ count: 0, results: [] })) },
      { onRequest: () => void order.push("third.onRequest") },
    );
    expect(await CALLS.listAvatars.call(client)).toEqual({ count: 0, results: [] });
    expect(order).toEqual(["first.onRequest"]);
    expect(server.requests).toHaveLength(0);
  });

  test("onError runs in reverse order; an Error it returns replaces the failure for the hooks before it", async () => {
    const port = await unusedPort();
    const seen: string[] = [];
    const client = clientFor(`http://127.0.0.1:${port}`, { maxRetries: 0 });
    client.use(
      {
        onError({ error }) {
          seen.push(`outer saw ${(error as Error).message}`);
          return Response.json(envelope({ credits_left: "offline" }));
        },
      },
      {
        onError() {
          seen.push("inner");
          return new Error("relabelled");
        },
      },
    );
    expect(await client.GET("/v1/users/credits")).toEqual({ credits_left: "offline" });
    expect(seen).toEqual(["inner", "outer saw relabelled"]);
  });

  test("eject removes a hook; other clients never had it", async () => {
    const server = await serve(CALLS.listAvatars.ok);
    let calls = 0;
    const hook: Middleware = { onRequest: () => void calls++ };
    const client = clientFor(server.url);
    client.use(hook);
    await CALLS.listAvatars.call(client);
    await CALLS.listAvatars.call(client.withOptions({}));
    client.eject(hook);
    await CALLS.listAvatars.call(client);
    expect(calls).toBe(1);
  });
});
