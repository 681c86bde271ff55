// Building the request: the query string openapi-fetch's default serialiser would build (it is
// the oracle here, for any query), headers in their order of precedence, and the JSON body.
import fc from "fast-check";
import { createQuerySerializer } from "openapi-fetch";
import { describe, expect, test } from "vitest";
import { buildRequest, serializeQuery } from "../src/request.ts";

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

  test("fetch options are passed through, and cannot override what the client sets", () => {
    const { init } = build({ fetchOptions: { cache: "no-store", keepalive: true } });
    expect(init).toMatchObject({ cache: "no-store", keepalive: true, method: "POST", redirect: "manual" });
  });
});
