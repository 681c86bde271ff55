// The API key and session token: which one each call sends, and that they stay secret (not in
// errors, not in what an error or client prints, not in logs, not usable in a browser page).
// Where they may travel on a redirect is in redirects.test.ts.
import { inspect } from "node:util";
import { describe, expect, test } from "vitest";
import { operations } from "../generated/operations.ts";
import { Credentials } from "../src/auth.ts";
import { LiveAvatar, LiveAvatarError, MissingCredentialError, type Logger } from "../src/index.ts";
import { CALLS } from "./support/calls.ts";
import { clientFor, rejectionOf } from "./support/client.ts";
import { API_KEY, SESSION_TOKEN } from "./support/credentials.ts";
import { envelope, scriptedServers, type RecordedRequest, type Reply } from "./support/scripted-server.ts";

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

describe("an API key in a web worker (pages: browser-guard.test.ts, under jsdom)", () => {
  test("is refused, pointing to the session token", async () => {
    const g = globalThis as Record<string, unknown>;
    expect("importScripts" in g).toBe(false);
    g.importScripts = () => {};
    try {
      const error = await rejectionOf(Promise.resolve().then(() => clientFor("http://127.0.0.1:9")));
      expect(error).toBeInstanceOf(LiveAvatarError);
      expect(error.message).toContain("sessionToken");
      expectNoSecret(everyRendering(error));
    } finally {
      delete g.importScripts;
    }
  });
});

describe("which credential an operation gets", () => {
  const both = new Credentials("key-0001", "token-0001");
  const keyOnly = new Credentials("key-0001", undefined);
  const tokenOnly = new Credentials(undefined, "token-0001");
  const op = (operation: keyof typeof operations) => operations[operation];

  test("the first alternative in the spec's order that the client can satisfy", () => {
    expect(both.choose(op("POST /v1/sessions/token"), undefined)).toEqual({
      kind: "headers",
      headers: { "X-API-KEY": "key-0001" },
    });
    expect(tokenOnly.choose(op("POST /v1/sessions/token"), undefined)).toEqual({
      kind: "headers",
      headers: { Authorization: "Bearer token-0001" },
    });
  });

  test("the caller's pick, when the operation takes it", () => {
    expect(both.choose(op("POST /v1/sessions/stop"), "sessionToken")).toMatchObject({
      headers: { Authorization: "Bearer token-0001" },
    });
    expect(both.choose(op("GET /v1/avatars"), "sessionToken")).toEqual({ kind: "missing" });
  });

  test("none for a public operation, missing when the client holds nothing it accepts", () => {
    expect(both.choose(op("GET /v1/languages"), undefined)).toEqual({ kind: "none" });
    expect(keyOnly.choose(op("POST /v1/sessions/start"), undefined)).toEqual({ kind: "missing" });
  });

  test("a missing credential fails before sending, naming what would do and where the key comes from", async () => {
    const server = await serve(CALLS.listAvatars.ok);
    const client = new LiveAvatar({ baseUrl: server.url, apiKey: null, sessionToken: SESSION_TOKEN });
    const error = await rejectionOf(CALLS.listAvatars.call(client));
    expect(error).toBeInstanceOf(MissingCredentialError);
    expect(error.message).toBe(
      "GET /v1/avatars (list_user_avatars_v1_avatars_get) needs `apiKey`, and the client has none (pass `apiKey`, or set LIVEAVATAR_API_KEY on a server)",
    );
    expect(server.requests).toHaveLength(0);
  });
});
