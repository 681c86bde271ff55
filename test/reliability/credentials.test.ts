// The API key and session token stay secret and stay with the configured origin: not in
// errors, not in what an error or client prints, not in logs, not sent after a redirect to
// another origin; and no path parameter can steer a request to another route.
import { inspect } from "node:util";
import { describe, expect, test } from "vitest";
import { LiveAvatar, LiveAvatarError, type Logger } from "../../src/index.ts";
import { envelope, type RecordedRequest, type Reply } from "../support/scripted-server.ts";
import { API_KEY, CALLS, SESSION_TOKEN, TOKEN_BODY, clientFor, rejectionOf, scriptedServers } from "./helpers.ts";

const serve = scriptedServers();

/** Everything a developer might print or ship to an error tracker about `value`. */
function everyRendering(value: unknown): string {
  const parts = [inspect(value, { depth: null, showHidden: true }), JSON.stringify(value) ?? "", String(value)];
  for (let cause = (value as Error)?.cause; cause; cause = (cause as Error).cause) {
    parts.push(inspect(cause, { depth: null, showHidden: true }), String((cause as Error).stack));
  }
  if (value instanceof Error) parts.push(String(value.stack), value.message);
  return parts.join("\n");
}

function expectNoSecret(text: string): void {
  expect(text).not.toContain(API_KEY);
  expect(text).not.toContain(SESSION_TOKEN);
}

/** What a careless server says back: the credentials it was sent, and the ones it knows. */
const echo = (request: RecordedRequest) =>
  `received key=${request.headers["x-api-key"]} auth=${request.headers.authorization} known ${API_KEY} ${SESSION_TOKEN}`;
const echoHeaders = (request: RecordedRequest) => ({
  "x-echo-key": String(request.headers["x-api-key"] ?? API_KEY),
  "www-authenticate": `Bearer error="invalid_token", token="${SESSION_TOKEN}"`,
  "x-request-id": `req-${API_KEY}`,
});

describe.concurrent("a server that echoes the credentials back", () => {
  test.each<[string, (request: RecordedRequest) => Reply]>([
    ["a 401 JSON detail", (r) => ({ status: 401, headers: echoHeaders(r), body: { detail: echo(r) } })],
    [
      "an HTML 500 page",
      (r) => ({ status: 500, headers: { "content-type": "text/html" }, body: `<h1>${echo(r)}</h1>` }),
    ],
    [
      "a 200 envelope with a failure code",
      (r) => ({ headers: echoHeaders(r), body: envelope({ echo: echo(r) }, 4001, echo(r)) }),
    ],
    ["a 200 envelope with the wrong data", (r) => ({ body: envelope(echo(r)) })],
    ["a 200 HTML page", (r) => ({ headers: { "content-type": "text/html" }, body: echo(r) })],
    ["a 200 body that is not JSON", (r) => ({ headers: { "content-type": "application/json" }, body: `{${echo(r)}` })],
    [
      "a 422 validation error",
      (r) => ({ status: 422, body: { detail: [{ loc: ["header", echo(r)], msg: echo(r), type: "x" }] } }),
    ],
    ["a body cut off mid-way", (r) => ({ body: envelope({ echo: echo(r) }), reset: "mid-body" })],
    [
      "a 503 after every retry",
      (r) => ({ status: 503, headers: { ...echoHeaders(r), "retry-after": "0" }, body: echo(r) }),
    ],
  ])("in %s: not in the error's message, JSON, inspect output or stack", async (_, reply) => {
    const server = await serve(reply);
    const error = await rejectionOf(CALLS.listAvatars.call(clientFor(server.url)));
    expect(error).toBeInstanceOf(LiveAvatarError);
    // The server did receive the key, so the echo did contain it.
    expect(server.requests[0]!.headers["x-api-key"]).toBe(API_KEY);
    const printed = everyRendering(error);
    expectNoSecret(printed);
    expect(printed).toContain("[redacted]");
  });

  test("the session token, sent as a bearer, is redacted the same way", async () => {
    const server = await serve((r) => ({ status: 403, headers: echoHeaders(r), body: { detail: echo(r) } }));
    const error = await rejectionOf(clientFor(server.url).POST("/v1/sessions/start", { auth: "sessionToken" }));
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${SESSION_TOKEN}`);
    expectNoSecret(everyRendering(error));
  });

  test("no log line at any level carries a credential, even when the server echoes them", async () => {
    const lines: string[] = [];
    const record = (message: string, ...rest: unknown[]) => void lines.push([message, ...rest.map(String)].join(" "));
    const logger: Logger = { debug: record, info: record, warn: record, error: record };
    const server = await serve(
      (r) => ({ status: 503, headers: { ...echoHeaders(r), "retry-after": "0" }, body: { message: echo(r) } }),
      (r) => ({ headers: echoHeaders(r), body: envelope({ count: 0, results: [] }) }),
    );
    await CALLS.listAvatars.call(clientFor(server.url, { logger, logLevel: "debug" }));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) expectNoSecret(line);
  });

  test("a credential that cannot be sent in a header is not quoted by the error either", async () => {
    const server = await serve(CALLS.listAvatars.ok);
    const key = "la_key_first_half\nsecond_half_9f2";
    const error = await rejectionOf(CALLS.listAvatars.call(new LiveAvatar({ baseUrl: server.url, apiKey: key })));
    expect(error).toBeInstanceOf(LiveAvatarError);
    const printed = everyRendering(error);
    expect(printed).not.toContain("first_half");
    expect(printed).not.toContain("second_half");
    expect(server.requests).toHaveLength(0);
  });
});

describe.concurrent("the client itself", () => {
  test("neither JSON.stringify nor util.inspect of a client shows a credential", () => {
    const client = clientFor("http://127.0.0.1:9");
    for (const value of [client, client.withOptions({ timeout: 1_000 }), { client }]) {
      expectNoSecret(everyRendering(value));
      expectNoSecret(Object.entries(value).join(" "));
    }
    expect(client.hasCredential("apiKey")).toBe(true);
    expect(client.hasCredential("sessionToken")).toBe(true);
  });
});

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

describe.concurrent("path parameters cannot reach another route", () => {
  const sessionReply: Reply = { body: envelope({ session_id: "s-1" }) };

  test.each([
    ["../avatars", "/v1/sessions/..%2Favatars"],
    ["../../v1/secrets", "/v1/sessions/..%2F..%2Fv1%2Fsecrets"],
    ["a?b=c", "/v1/sessions/a%3Fb%3Dc"],
    ["a#b", "/v1/sessions/a%23b"],
    ["a/b", "/v1/sessions/a%2Fb"],
    ["a\\..\\b", "/v1/sessions/a%5C..%5Cb"],
    ["%2e%2e", "/v1/sessions/%252e%252e"],
    ["...", "/v1/sessions/..."],
    ["a b", "/v1/sessions/a%20b"],
    ["sessão", "/v1/sessions/sess%C3%A3o"],
    [42, "/v1/sessions/42"],
  ] as [string | number, string][])("session_id %j reaches %s and nothing else", async (id, expected) => {
    const server = await serve(sessionReply);
    await clientFor(server.url).GET("/v1/sessions/{session_id}", { params: { path: { session_id: id as string } } });
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([`GET ${expected}`]);
  });

  test("memory_id ../avatars deletes a memory named so, never the avatars", async () => {
    const server = await serve(CALLS.deleteMemory.ok);
    await clientFor(server.url).DELETE("/v1/memory/{memory_id}", { params: { path: { memory_id: "../avatars" } } });
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(["DELETE /v1/memory/..%2Favatars"]);
  });

  test.each([
    [".", "would address another route"],
    ["..", "would address another route"],
    ["", "an empty string"],
    [undefined, "got undefined"],
    [null, "got object"],
    [{ id: 1 }, "got object"],
    ["\uD800", "not well-formed Unicode"],
  ])("session_id %j is refused before anything is sent", async (id, expected) => {
    const server = await serve(sessionReply);
    const error = await rejectionOf(
      clientFor(server.url).GET("/v1/sessions/{session_id}", { params: { path: { session_id: id as string } } }),
    );
    expect(error).toBeInstanceOf(LiveAvatarError);
    expect(error.message).toContain("session_id");
    expect(error.message).toContain(expected);
    expect(server.requests).toHaveLength(0);
  });

  test("a call that leaves out the path parameters entirely is refused", async () => {
    const server = await serve(sessionReply);
    const client = clientFor(server.url) as unknown as { GET(path: string, init?: object): Promise<unknown> };
    for (const init of [undefined, {}, { params: {} }, { params: { query: {} } }]) {
      const error = await rejectionOf(client.GET("/v1/sessions/{session_id}", init));
      expect(error).toBeInstanceOf(LiveAvatarError);
      expect(error.message).toContain("session_id");
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe("an API key in a browser", () => {
  const BROWSER_GLOBALS = ["window", "document", "importScripts"] as const;

  /** Runs `body` with the globals a page (or a worker) has, and removes them afterwards. */
  async function inBrowser<T>(kind: "page" | "worker", body: () => T | Promise<T>): Promise<T> {
    const g = globalThis as Record<string, unknown>;
    for (const name of BROWSER_GLOBALS) expect(name in g).toBe(false);
    if (kind === "page") Object.assign(g, { window: g, document: {} });
    else g.importScripts = () => {};
    try {
      return await body();
    } finally {
      for (const name of BROWSER_GLOBALS) delete g[name];
    }
  }

  test.each(["page", "worker"] as const)(
    "in a %s, a client with an API key is refused, pointing to the session token",
    async (kind) => {
      const error = await inBrowser(kind, () =>
        rejectionOf(Promise.resolve().then(() => clientFor("http://127.0.0.1:9"))),
      );
      expect(error).toBeInstanceOf(LiveAvatarError);
      expect(error.message).toContain("sessionToken");
      expect(error.message).toContain("POST /v1/sessions/token");
      expect(error.message).toContain("dangerouslyAllowBrowser");
      expectNoSecret(everyRendering(error));
    },
  );

  test("dangerouslyAllowBrowser: true lets it through, and the key is sent", async () => {
    const server = await serve(CALLS.listAvatars.ok);
    await inBrowser("page", () => CALLS.listAvatars.call(clientFor(server.url, { dangerouslyAllowBrowser: true })));
    expect(server.requests[0]!.headers["x-api-key"]).toBe(API_KEY);
  });

  test("a session token alone is fine in a browser", async () => {
    const server = await serve({ status: 201, body: envelope({ session_id: "s-1" }) });
    await inBrowser("page", () =>
      new LiveAvatar({ baseUrl: server.url, sessionToken: SESSION_TOKEN, apiKey: null }).POST("/v1/sessions/start"),
    );
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${SESSION_TOKEN}`);
  });
});
