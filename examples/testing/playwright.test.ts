// Recipe 3: an end-to-end test with Playwright against startMockServer. The page (here a
// minimal one) calls the fake across origins with a session token your backend minted.
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { LiveAvatar } from "liveavatar-api";
import { startMockServer, type MockServer } from "liveavatar-api/testing";
import { launchChromium } from "./chromium.ts";

let mock: MockServer;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;

beforeAll(async () => {
  mock = await startMockServer();
  browser = await launchChromium();
  page = await browser.context.newPage();
});
afterAll(async () => {
  // After a failed beforeAll these may be unset: close only what started.
  await browser?.close();
  await mock?.close();
});

test("the page starts and stops a session with a minted token", async () => {
  const backend = new LiveAvatar({ baseUrl: mock.url, apiKey: mock.apiKey });
  const { session_token } = await backend.POST("/v1/sessions/token", {
    body: { mode: "LITE", avatar_id: "3fa85f64-5717-4562-b3fc-2c963f66afa6" },
  });
  // In a real suite: page.goto(yourApp) with LIVEAVATAR_BASE_URL pointing at mock.url.
  const statuses = await page.evaluate(
    async ({ url, token }) => {
      const call = (path: string) =>
        fetch(url + path, { method: "POST", headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
      return [await call("/v1/sessions/start"), await call("/v1/sessions/stop")];
    },
    { url: mock.url, token: session_token },
  );
  expect(statuses).toEqual([201, 200]);
  expect(mock.calls("POST /v1/sessions/start")[0]!.credential).toBe("sessionToken");
  expect((await backend.GET("/v1/sessions", { params: { query: { type: "historic" } } })).count).toBe(1);
});
