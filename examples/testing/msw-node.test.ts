// Recipe 2: Vitest + MSW in Node. The fake answers at https://api.liveavatar.com inside the
// test process; the client needs no base URL.
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import { LiveAvatar, APIConnectionError } from "liveavatar-api";
import { liveAvatarHandlers } from "liveavatar-api/testing/msw";

const liveavatar = liveAvatarHandlers({ apiKey: "test-key" });
const server = setupServer(...liveavatar);
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => liveavatar.reset());
afterAll(() => server.close());

test("create a context, read it back", async () => {
  const client = new LiveAvatar({ apiKey: "test-key" });
  const created = await client.POST("/v1/contexts", {
    body: { name: "Support", prompt: "Be kind.", opening_text: "Hi!" },
  });
  const read = await client.GET("/v1/contexts/{context_id}", { params: { path: { context_id: created.id } } });
  expect(read.name).toBe("Support");
  expect(liveavatar.calls().map((c) => c.operation)).toEqual(["POST /v1/contexts", "GET /v1/contexts/{context_id}"]);
});

test("a dropped connection, then success", async () => {
  liveavatar.inject("GET /v1/avatars", { reset: true });
  const client = new LiveAvatar({ apiKey: "test-key", maxRetries: 0 });
  await expect(client.GET("/v1/avatars")).rejects.toBeInstanceOf(APIConnectionError);
  expect((await client.GET("/v1/avatars")).count).toBe(3);
});

test("a 503 twice is retried through", async () => {
  liveavatar.inject("GET /v1/avatars", { status: 503, times: 2 });
  const client = new LiveAvatar({ apiKey: "test-key" });
  expect((await client.GET("/v1/avatars")).count).toBe(3);
  expect(liveavatar.calls("GET /v1/avatars").map((c) => c.status)).toEqual([503, 503, 200]);
});
