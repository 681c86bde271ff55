// Redirects, followed by the client itself: credentials stay with the configured origin,
// methods and bodies change as HTTP says, and loops or unusable targets become typed errors.
import { describe, expect, test } from "vitest";
import { APIConnectionError, APIError, LiveAvatarError } from "../src/index.ts";
import { CALLS, TOKEN_BODY } from "./support/calls.ts";
import { clientFor, rejectionOf } from "./support/client.ts";
import { failures } from "./support/failures.ts";
import { API_KEY, SESSION_TOKEN } from "./support/credentials.ts";
import { envelope, scriptedServers } from "./support/scripted-server.ts";

const serve = scriptedServers();

const failureFor = failures(serve);

describe.concurrent("credentials never leave the configured origin", () => {
  test("a redirect to another origin arrives without X-API-KEY, and the call completes there", async () => {
    const other = await serve(CALLS.listAvatars.ok);
    const home = await serve({ status: 307, redirect: `${other.url}/v1/avatars` });
    await CALLS.listAvatars.call(clientFor(home.url));
    expect(home.requests[0]!.headers["x-api-key"]).toBe(API_KEY);
    expect(other.requests).toHaveLength(1);
    expect(other.requests[0]!.headers["x-api-key"]).toBeUndefined();
    expect(other.requests[0]!.headers.authorization).toBeUndefined();
  });

  test("a redirect to another origin arrives without the bearer token", async () => {
    const other = await serve({ status: 201, body: envelope({ session_id: "s-1" }) });
    const home = await serve({ status: 308, redirect: `${other.url}/v1/sessions/start` });
    await clientFor(home.url).POST("/v1/sessions/start", { auth: "sessionToken" });
    expect(home.requests[0]!.headers.authorization).toBe(`Bearer ${SESSION_TOKEN}`);
    expect(other.requests[0]).toMatchObject({ method: "POST", url: "/v1/sessions/start" });
    expect(other.requests[0]!.headers.authorization).toBeUndefined();
  });

  test("a 307 of POST /v1/sessions/token to another origin keeps the body and drops the key", async () => {
    const other = await serve(CALLS.createToken.ok);
    const home = await serve({ status: 307, redirect: `${other.url}/v1/sessions/token` });
    await CALLS.createToken.call(clientFor(home.url));
    expect(other.requests[0]).toMatchObject({ method: "POST" });
    expect(JSON.parse(other.requests[0]!.body)).toEqual(TOKEN_BODY);
    expect(other.requests[0]!.headers["x-api-key"]).toBeUndefined();
  });

  test("a 303 to another origin becomes a GET without body or credentials", async () => {
    const other = await serve(CALLS.createToken.ok);
    const home = await serve({ status: 303, redirect: `${other.url}/result` });
    await CALLS.createToken.call(clientFor(home.url));
    expect(other.requests[0]).toMatchObject({ method: "GET", url: "/result", body: "" });
    expect(other.requests[0]!.headers["x-api-key"]).toBeUndefined();
    expect(other.requests[0]!.headers["content-type"]).toBeUndefined();
  });

  test("a same-origin redirect keeps the credentials", async () => {
    const home = await serve({ status: 302, redirect: "/v1/avatars?page=2" }, CALLS.listAvatars.ok);
    await CALLS.listAvatars.call(clientFor(home.url));
    expect(home.requests.map((r) => r.url)).toEqual(["/v1/avatars", "/v1/avatars?page=2"]);
    expect(home.requests[1]!.headers["x-api-key"]).toBe(API_KEY);
  });

  test("credentials dropped on the way out do not come back on a redirect home", async () => {
    let homeUrl = "";
    const other = await serve(() => ({ status: 302, redirect: `${homeUrl}/v1/avatars` }));
    const home = await serve({ status: 302, redirect: `${other.url}/bounce` }, CALLS.listAvatars.ok);
    homeUrl = home.url;
    await CALLS.listAvatars.call(clientFor(home.url));
    expect(other.requests[0]!.headers["x-api-key"]).toBeUndefined();
    expect(home.requests).toHaveLength(2);
    expect(home.requests[1]!.headers["x-api-key"]).toBeUndefined();
  });
});

describe.concurrent("redirects that lead nowhere", () => {
  test("a redirect loop stops after 5 hops", async () => {
    const server = await serve({ status: 307, redirect: "/v1/avatars" });
    const error = await rejectionOf(CALLS.listAvatars.call(clientFor(server.url, { maxRetries: 0 })));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error.message).toContain("more than 5 redirects");
    expect(server.requests).toHaveLength(6);
  });

  test.each([
    ["a file: URL", "file:///etc/passwd", "unsupported file: URL"],
    ["a data: URL", "data:text/plain,hi", "unsupported data: URL"],
    ["a malformed URL", "http://[::1", "redirected to an address that is not a URL"],
  ])("a redirect to %s is refused", async (_, location, expected) => {
    const error = await failureFor({ status: 302, redirect: location });
    expect(error).toBeInstanceOf(LiveAvatarError);
    expect(error.message).toContain(expected);
  });

  test("a 3xx without a Location is an APIError with its status", async () => {
    const error = await failureFor({ status: 301 });
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: 301 });
  });
});
