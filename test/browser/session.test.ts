// The package in a real browser: a page that imports the packed ESM build (bundled by esbuild),
// served from localhost and opened in headless Chromium, runs the session-token flow against the
// mock (a different origin, so CORS is real) and checks the API-key guard.
// Chromium comes with `npm ci` when none is installed (test/support/chromium.ts).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { clientFor, contractUrl, TEST_API_KEY } from "../support/client.ts";
import { openPage, type BrowserPage } from "../support/chromium.ts";
import { removeProject, scratchProject } from "../package/pack.ts";

const avatar_id = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

describe("in headless Chromium", () => {
  let project: string | undefined;
  let browser: BrowserPage | undefined;
  let page: Page;
  let bundledInputs: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    project = await scratchProject("browser", {
      "package.json": JSON.stringify({ name: "browser-page", private: true, type: "module" }),
      "page.js": readFileSync(join(import.meta.dirname, "page.js"), "utf8"),
    });
    // The page is served by localhost:<port>, the mock by 127.0.0.1:<other port>: cross-origin calls.
    browser = await openPage(join(project, "page.js"), "liveAvatarPage", {
      absWorkingDir: project,
      errors: pageErrors,
    });
    ({ page, inputs: bundledInputs } = browser);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    removeProject(project);
  });

  test("the page bundles the package's ESM build", () => {
    expect(bundledInputs).toEqual(expect.arrayContaining(["node_modules/liveavatar-api/dist/index.js"]));
    expect(bundledInputs.filter((input) => input.includes("dist/index.cjs"))).toEqual([]);
  });

  test("a session token minted by a backend starts, keeps alive and stops a session from the page", async () => {
    const backend = clientFor(contractUrl, { sessionToken: null });
    const { session_token } = await backend.POST("/v1/sessions/token", { body: { mode: "LITE", avatar_id } });
    const result = await page.evaluate(([baseUrl, token]) => window.liveAvatarPage.sessionFlow(baseUrl, token), [
      contractUrl,
      session_token,
    ] as const);
    const expected = await clientFor(contractUrl, { maxRetries: 0 }).POST("/v1/sessions/start", {
      auth: "sessionToken",
    });
    expect(result.sessionId).toBe(expected.session_id);
    expect(result.livekitUrl).toBe(expected.livekit_url);
    expect(result.stopped).toBe(true);
    expect(result.keepAliveErrors).toEqual([]);

    const paths = result.requests.map((r) => r.path);
    expect(paths[0]).toBe("/v1/sessions/start");
    expect(paths.at(-1)).toBe("/v1/sessions/stop");
    expect(paths.filter((p) => p === "/v1/sessions/keep-alive").length).toBeGreaterThanOrEqual(3);
    expect(paths.filter((p) => p === "/v1/sessions/stop")).toHaveLength(1);
    for (const request of result.requests) {
      expect(request).toMatchObject({ method: "POST", authorization: `Bearer ${session_token}`, apiKey: null });
    }
    expect(pageErrors).toEqual([]);
  });

  test("an API key is refused in the page unless dangerouslyAllowBrowser is set", async () => {
    const result = await page.evaluate(([baseUrl, apiKey]) => window.liveAvatarPage.apiKeyGuard(baseUrl, apiKey), [
      contractUrl,
      TEST_API_KEY,
    ] as const);
    expect(result.refused).toMatchObject({ name: "LiveAvatarError", isLiveAvatarError: true });
    expect(result.refused!.message).toContain("dangerouslyAllowBrowser");
    expect(result.refused!.message).not.toContain(TEST_API_KEY);
    expect(result.listed).toBeGreaterThan(0);
    expect(result.requests).toEqual([
      { method: "GET", path: "/v1/avatars", authorization: null, apiKey: TEST_API_KEY },
    ]);
    expect(pageErrors).toEqual([]);
  });
});

interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | null;
  apiKey: string | null;
}

declare global {
  interface Window {
    liveAvatarPage: {
      sessionFlow(
        baseUrl: string,
        sessionToken: string,
      ): Promise<{
        sessionId: string;
        livekitUrl: string;
        stopped: boolean;
        requests: RecordedRequest[];
        keepAliveErrors: string[];
      }>;
      apiKeyGuard(
        baseUrl: string,
        apiKey: string,
      ): Promise<{
        refused: { name: string; isLiveAvatarError: boolean; message: string } | null;
        listed: number;
        requests: RecordedRequest[];
      }>;
    };
  }
}
