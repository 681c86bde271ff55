// The package in a real browser: a page that imports the packed ESM build (bundled by esbuild),
// served from localhost and opened in headless Chromium, runs the session-token flow against the
// mock (a different origin, so CORS is real) and checks the API-key guard.
//
// Needs Debian's Chromium (`apt-get install -y chromium`). Without it the test is skipped with a
// loud banner saying how to enable it, so `npm test` works on any fresh machine; CI installs
// Chromium and sets LIVEAVATAR_REQUIRE_BROWSER=1 (.ci/run), which turns a missing one into a failure.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { LiveAvatar } from "../../src/index.ts";
import { contractClient, contractUrl, TEST_API_KEY } from "../support/clients.ts";
import { removeProject, scratchProject } from "../package/pack.ts";

const CHROMIUM = process.env.LIVEAVATAR_CHROMIUM ?? "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
const required = process.env.LIVEAVATAR_REQUIRE_BROWSER === "1";
const skipped = !available && !required;

if (!available) {
  console.warn(
    [
      "",
      "#".repeat(78),
      `#  BROWSER TEST NOT RUN: no Chromium at ${CHROMIUM}`,
      "#  Install it (Debian/Ubuntu): sudo apt-get install -y chromium",
      "#  or point LIVEAVATAR_CHROMIUM at a Chromium/Chrome binary.",
      required
        ? "#  LIVEAVATAR_REQUIRE_BROWSER=1 is set, so this fails the run."
        : "#  The browser test is SKIPPED; CI (.ci/run) installs Chromium and requires it.",
      "#".repeat(78),
      "",
    ].join("\n"),
  );
}

const avatar_id = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

describe.skipIf(skipped)("in headless Chromium", () => {
  let project: string | undefined;
  let server: Server | undefined;
  let userDataDir: string | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let bundledInputs: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!available) {
      throw new Error(
        `No Chromium at ${CHROMIUM} and LIVEAVATAR_REQUIRE_BROWSER=1: install it with ` +
          "`apt-get install -y chromium` (or set LIVEAVATAR_CHROMIUM).",
      );
    }
    project = await scratchProject("browser", {
      "package.json": JSON.stringify({ name: "browser-page", private: true, type: "module" }),
      "page.js": readFileSync(join(import.meta.dirname, "page.js"), "utf8"),
    });
    const bundle = await build({
      entryPoints: [join(project, "page.js")],
      absWorkingDir: project,
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    bundledInputs = Object.keys(bundle.metafile.inputs);
    const script = bundle.outputFiles[0]!.text;
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>liveavatar-api</title><link rel="icon" href="data:,"></head>
<body><script type="module" src="/page.js"></script></body></html>`;
    server = createServer((request, response) => {
      const [type, body] =
        request.url === "/page.js" ? ["text/javascript", script] : request.url === "/" ? ["text/html", html] : [];
      response.writeHead(body === undefined ? 404 : 200, { "content-type": type ?? "text/plain" }).end(body);
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };

    userDataDir = mkdtempSync(join(tmpdir(), "liveavatar-api-chromium-"));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      timeout: 60_000,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-quic",
        "--disable-sync",
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") pageErrors.push(message.text());
    });
    // The page is served by localhost:<port>, the mock by 127.0.0.1:<other port>: cross-origin calls.
    await page.goto(`http://localhost:${port}/`);
    await page.waitForFunction(() => window.liveAvatarPage !== undefined, undefined, { timeout: 30_000 });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    removeProject(project);
  });

  test("the page bundles the package's ESM build", () => {
    expect(bundledInputs).toEqual(expect.arrayContaining(["node_modules/liveavatar-api/dist/index.js"]));
    expect(bundledInputs.filter((input) => input.includes("dist/index.cjs"))).toEqual([]);
  });

  test("a session token minted by a backend starts, keeps alive and stops a session from the page", async () => {
    const backend = new LiveAvatar({ baseUrl: contractUrl, apiKey: TEST_API_KEY, sessionToken: null });
    const { session_token } = await backend.POST("/v1/sessions/token", { body: { mode: "LITE", avatar_id } });
    const result = await page.evaluate(([baseUrl, token]) => window.liveAvatarPage.sessionFlow(baseUrl, token), [
      contractUrl,
      session_token,
    ] as const);
    const expected = await contractClient().POST("/v1/sessions/start", { auth: "sessionToken" });
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
