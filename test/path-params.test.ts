// Path parameters: each value fills exactly one path segment, whatever it holds, or the call
// is refused before anything is sent. Over a socket, as a property, and encodePath on its own.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { LiveAvatarError } from "../src/index.ts";
import { encodePath } from "../src/path.ts";
import { CALLS } from "./support/calls.ts";
import { clientFor, rejectionOf } from "./support/client.ts";
import { envelope, scriptedServers, scriptRun, type Reply } from "./support/scripted-server.ts";

const serve = scriptedServers();

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

describe("path parameters, for any value", () => {
  const id = fc.oneof(
    fc.string({ unit: "binary", maxLength: 20 }),
    fc.string({ unit: fc.constantFrom(".", "/", "?", "#", "%", "\\", "2", "e", "a", " ", ";", "&"), maxLength: 8 }),
    fc.constantFrom(".", "..", "../avatars", "%2e%2e", "..%2f", "a/../b"),
  );

  test("any value reaches exactly one segment of the operation's path, or is refused before sending", async () => {
    const server = await serve();
    const client = clientFor(server.url, { maxRetries: 0 });
    await fc.assert(
      fc.asyncProperty(id, async (sessionId) => {
        const sent = scriptRun(server, { body: envelope({ session_id: "s" }) });
        const refused = sessionId === "" || sessionId === "." || sessionId === "..";
        try {
          await client.GET("/v1/sessions/{session_id}", { params: { path: { session_id: sessionId } } });
          expect(refused).toBe(false);
        } catch (error) {
          expect(error).toBeInstanceOf(LiveAvatarError);
          expect(refused).toBe(true);
          expect(sent()).toHaveLength(0);
          return;
        }
        expect(sent()).toHaveLength(1);
        const { url } = sent()[0]!;
        expect(url.startsWith("/v1/sessions/")).toBe(true);
        const segment = url.slice("/v1/sessions/".length);
        expect(segment).not.toMatch(/[/?#\\]/);
        expect(decodeURIComponent(segment)).toBe(sessionId);
      }),
      { numRuns: 200 },
    );
  }, 60_000);
});

describe("encodePath", () => {
  test("fills every placeholder with its percent-encoded value", () => {
    expect(encodePath("/v1/a/{x}/b/{y}", { x: "1/2", y: 3 })).toBe("/v1/a/1%2F2/b/3");
  });

  test("treats $ patterns in a value literally", () => {
    expect(encodePath("/v1/{id}", { id: "$&$1" })).toBe("/v1/%24%26%241");
  });

  test.each([[{}], [undefined], [{ id: true }], [{ id: "" }], [{ id: ".." }]])("refuses %j", (params) => {
    expect(() => encodePath("/v1/{id}", params as Record<string, unknown>)).toThrow(LiveAvatarError);
  });

  test("a path without placeholders is left as it is", () => {
    expect(encodePath("/v1/avatars", undefined)).toBe("/v1/avatars");
  });
});
