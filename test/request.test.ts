// Building the request: the query string openapi-fetch's default serialiser would build (it is
// the oracle here, for any query), headers in their order of precedence, and the JSON body.
import fc from "fast-check";
import { createQuerySerializer } from "openapi-fetch";
import { describe, expect, test } from "vitest";
import { LiveAvatarError } from "../src/index.ts";
import { buildRequest, serializeQuery } from "../src/request.ts";
import { CALLS } from "./support/calls.ts";
import { clientFor, rejectionOf } from "./support/client.ts";
import { scriptedServers } from "./support/scripted-server.ts";

const serve = scriptedServers();

describe("serializeQuery", () => {
  const oracle = createQuerySerializer();
  const primitive = fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true }), fc.boolean());
  const value = fc.oneof(
    primitive,
    fc.constantFrom(undefined, null),
    fc.array(primitive, { maxLength: 3 }),
    // An empty object is left out: openapi-fetch leaves a stray "&" for it, this serialiser nothing.
    fc.dictionary(fc.stringMatching(/^[a-z]{1,5}$/), primitive, { minKeys: 1, maxKeys: 3 }),
  );

  test("matches openapi-fetch's default query serialiser for any query", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[a-z_]{1,8}$/), value, { maxKeys: 5 }), (query) => {
        expect(serializeQuery(query)).toBe(oracle(query));
      }),
      { numRuns: 500 },
    );
  });

  test("names are percent-encoded too: an untyped key stays one parameter and cannot cut the URL", () => {
    expect(serializeQuery({ "page&admin": 1 })).toBe("page%26admin=1");
    expect(serializeQuery({ "a#b": "c#d", "x y": "1 2", sessão: "ü", "k=v": 1 })).toBe(
      "a%23b=c%23d&x%20y=1%202&sess%C3%A3o=%C3%BC&k%3Dv=1",
    );
    expect(serializeQuery({ "f&x": { "k#": "v" } })).toBe("f%26x[k%23]=v");
  });

  test("any names and values come back as the same pairs when the server parses the query", () => {
    const text = fc.string({ unit: "grapheme", maxLength: 8 });
    fc.assert(
      fc.property(fc.dictionary(text.filter(Boolean), fc.oneof(text, fc.integer()), { maxKeys: 5 }), (query) => {
        const parsed = [...new URLSearchParams(serializeQuery(query))];
        expect(parsed).toEqual(Object.entries(query).map(([k, v]) => [k, String(v)]));
      }),
      { numRuns: 300 },
    );
  });

  test("a name or value that is not well-formed Unicode is refused by name", () => {
    expect(() => serializeQuery({ q: "\uD800" })).toThrow(
      new LiveAvatarError('query parameter "q" is not well-formed Unicode'),
    );
    expect(() => serializeQuery({ "\uDC00": 1 })).toThrow(LiveAvatarError);
  });

  test("keeps the caller's order and skips what is unset", () => {
    expect(serializeQuery({ page_size: 2, type: undefined, q: "a b&c", page: 1, x: null })).toBe(
      "page_size=2&q=a%20b%26c&page=1",
    );
  });
});

describe("buildRequest", () => {
  const build = (parts: Partial<Parameters<typeof buildRequest>[3]>) =>
    buildRequest("http://h", "POST", "/v1/x/{id}", {
      headers: [],
      fetchOptions: undefined,
      params: { path: { id: "a/b" } },
      ...parts,
    });

  test("a JSON body gets its content type unless the caller set one", () => {
    const json = build({ body: { a: 1 } });
    expect(json.url).toBe("http://h/v1/x/a%2Fb");
    expect(json.init).toMatchObject({ method: "POST", body: '{"a":1}', redirect: "manual" });
    expect(new Headers(json.init.headers).get("content-type")).toBe("application/json");
    const own = build({ body: { a: 1 }, headers: [{ "Content-Type": "application/vnd.x+json" }] });
    expect(new Headers(own.init.headers).get("content-type")).toBe("application/vnd.x+json");
    expect(new Headers(build({}).init.headers).has("content-type")).toBe(false);
  });

  test("later header sets win: defaults, then the credential, then the call's own", () => {
    const { init } = build({
      headers: [{ "x-a": "default", "x-b": "default" }, { "X-API-KEY": "k" }, { "x-b": "call" }],
    });
    expect(Object.fromEntries(new Headers(init.headers))).toEqual({
      "x-a": "default",
      "x-b": "call",
      "x-api-key": "k",
    });
  });

  test.each([
    ["a line break", "t-1\r\nx-admin: 1", "header `x-trace` has a line break (CR or LF) in its value"],
    ["a lone LF", "a\nb", "header `x-trace` has a line break (CR or LF) in its value"],
    ["a NUL", "a\u0000b", "header `x-trace` has a NUL or a character beyond U+00FF in its value"],
    ["an emoji", "🙂", "header `x-trace` has a NUL or a character beyond U+00FF in its value"],
  ])("a header value with %s is refused, in one line that does not quote it", (_, value, message) => {
    expect(() => build({ headers: [{ "x-trace": value }] })).toThrow(
      new LiveAvatarError(`${message}, which HTTP does not allow`),
    );
  });

  test("a header name that is not a token is refused, quoted on one line", () => {
    expect(() => build({ headers: [{ "x-a\r\nb": "1" }] })).toThrow(
      new LiveAvatarError('header name "x-a\\r\\nb" is not a valid HTTP header name'),
    );
  });

  test("whitespace at either end of a value is trimmed as fetch does; Latin-1 is sent", () => {
    const { init } = build({ headers: [{ "x-a": " v\r\n", "x-b": "évian" }] });
    expect(new Headers(init.headers).get("x-a")).toBe("v");
  });

  test("fetch options are passed through, and cannot override what the client sets", () => {
    const { init } = build({ fetchOptions: { cache: "no-store", keepalive: true } });
    expect(init).toMatchObject({ cache: "no-store", keepalive: true, method: "POST", redirect: "manual" });
  });
});

describe.concurrent("over a socket", () => {
  test("untyped query keys arrive percent-encoded, each one parameter", async () => {
    const server = await serve(CALLS.listAvatars.ok);
    const query = { page: 2, "page&admin": 1, "a#b": "c", "x y": "1 2", sessão: "ü" };
    await CALLS.listAvatars.call(clientFor(server.url), { params: { query } } as never);
    const [request] = server.requests;
    expect(request!.url).toBe("/v1/avatars?page=2&page%26admin=1&a%23b=c&x%20y=1%202&sess%C3%A3o=%C3%BC");
    expect(Object.fromEntries(new URL(request!.url, server.url).searchParams)).toEqual(
      Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])),
    );
  });

  test("a header value with CRLF is refused before sending, in one line naming the call and the header", async () => {
    const server = await serve(CALLS.listAvatars.ok);
    const error = await rejectionOf(
      CALLS.listAvatars.call(clientFor(server.url), { headers: { "x-trace": "t-1\r\nx-admin: yes" } }),
    );
    expect(error).toBeInstanceOf(LiveAvatarError);
    expect(error.message).toBe(
      "could not send GET /v1/avatars: header `x-trace` has a line break (CR or LF) in its value, which HTTP does not allow",
    );
    expect(error.message).not.toContain("x-admin");
    expect(server.requests).toHaveLength(0);
  });
});
