// The flow the package exists for, end to end against each contract target (Prism and the
// testing kit's fake): a backend mints a session token with its API key; a browser-side client
// starts, keeps alive and stops the session with that token; the backend lists avatars across
// pages and deletes a memory.
import { describe, expect, test } from "vitest";
import { LiveAvatar } from "../../src/index.ts";
import { TEST_API_KEY } from "../support/client.ts";
import { FIXTURE_ID } from "../support/fake-target.ts";
import { observingFetch } from "../support/observe.ts";
import { contractTargets } from "../support/targets.ts";

const avatar_id = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

for (const target of contractTargets) {
  describe(`[${target.name}]`, () => {
    const backend = () => new LiveAvatar({ baseUrl: target.url, apiKey: TEST_API_KEY, sessionToken: null });

    test("mint (FULL and LITE), start, keep alive, stop", async () => {
      await target.reset();
      const full = await backend().POST("/v1/sessions/token", {
        body: { mode: "FULL", avatar_id, avatar_persona: {} },
      });
      const lite = await backend().POST("/v1/sessions/token", { body: { mode: "LITE", avatar_id } });
      expect(typeof full.session_token).toBe("string");
      expect(typeof lite.session_id).toBe("string");

      const { fetch, seen } = observingFetch();
      const browser = new LiveAvatar({ baseUrl: target.url, apiKey: null, sessionToken: lite.session_token, fetch });
      const errors: unknown[] = [];
      const session = await browser.startSession({ keepAliveInterval: 25, onKeepAliveError: (e) => errors.push(e) });
      expect(session.info.livekit_url).toEqual(expect.any(String));
      expect(seen[0]).toMatchObject({ method: "POST" });
      expect(seen[0]!.url.pathname).toBe("/v1/sessions/start");
      expect(seen[0]!.headers.get("authorization")).toBe(`Bearer ${lite.session_token}`);
      expect(seen[0]!.headers.has("x-api-key")).toBe(false);

      await session.keepAlive();
      await expect
        .poll(() => seen.filter((r) => r.url.pathname === "/v1/sessions/keep-alive").length)
        .toBeGreaterThanOrEqual(3);
      await Promise.all([session.stop(), session.stop()]);
      await session.stop();
      const stops = seen.filter((r) => r.url.pathname === "/v1/sessions/stop");
      expect(stops).toHaveLength(1);
      expect(stops[0]!.headers.get("authorization")).toBe(`Bearer ${lite.session_token}`);
      const keepAlivesAtStop = seen.filter((r) => r.url.pathname === "/v1/sessions/keep-alive").length;
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(seen.filter((r) => r.url.pathname === "/v1/sessions/keep-alive")).toHaveLength(keepAlivesAtStop);
      expect(errors).toEqual([]);
    });

    test("the session helper works with `await using`", async () => {
      await target.reset();
      const { session_token } = await backend().POST("/v1/sessions/token", { body: { mode: "LITE", avatar_id } });
      const { fetch, seen } = observingFetch();
      const browser = new LiveAvatar({ baseUrl: target.url, apiKey: null, sessionToken: session_token, fetch });
      {
        await using session = await browser.startSession({ keepAliveInterval: false });
        expect(session.stopped).toBe(false);
      }
      expect(seen.map((r) => r.url.pathname)).toEqual(["/v1/sessions/start", "/v1/sessions/stop"]);
    });

    test("lists avatars across pages", async () => {
      await target.reset();
      const { fetch, seen } = observingFetch();
      const client = new LiveAvatar({ baseUrl: target.url, apiKey: TEST_API_KEY, fetch });
      const ids: string[] = [];
      // Prism's static mock answers every page with one item and a non-null `next`: take three pages' worth.
      for await (const avatar of client.paginate("/v1/avatars", { params: { query: { page_size: 1 } } })) {
        ids.push(avatar.id);
        if (ids.length === 3) break;
      }
      expect(ids).toHaveLength(3);
      expect(seen.map((r) => r.url.searchParams.get("page"))).toEqual(["1", "2", "3"]);
      expect(seen.every((r) => r.url.searchParams.get("page_size") === "1")).toBe(true);
    });

    test("deletes a memory (204, no body)", async () => {
      await target.reset();
      const client = new LiveAvatar({ baseUrl: target.url, apiKey: TEST_API_KEY });
      const { data, response } = await client
        .DELETE("/v1/memory/{memory_id}", { params: { path: { memory_id: FIXTURE_ID } } })
        .withResponse();
      expect(response.status).toBe(204);
      expect(data).toBeUndefined();
    });
  });
}
