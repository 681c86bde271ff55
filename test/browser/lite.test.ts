// The LITE client in headless Chromium with the browser's own WebSocket, against the mock LITE
// server: the page script is bundled by esbuild from the package source (test/browser/lite-page.ts).
// Needs Debian's Chromium like session.test.ts; skipped loudly without it unless CI requires it.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startLiteMock, type LiteMock } from "../../src/testing/lite-mock.ts";

const CHROMIUM = process.env.LIVEAVATAR_CHROMIUM ?? "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
const skipped = !available && process.env.LIVEAVATAR_REQUIRE_BROWSER !== "1";
if (!available)
  console.warn(`\n#  LITE BROWSER TEST NOT RUN: no Chromium at ${CHROMIUM} (apt-get install -y chromium)\n`);

interface TurnResult {
  usedGlobal: boolean;
  ids: string[];
  interrupted: string;
  events: string[];
  ended: string;
}
declare global {
  interface Window {
    liteAvatarPage: { turn(url: string): Promise<TurnResult>; refused(url: string): Promise<string> };
  }
}

describe.skipIf(skipped)("LITE client in headless Chromium", () => {
  let mock: LiteMock;
  let server: Server | undefined;
  let userDataDir: string | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let inputs: string[] = [];

  beforeAll(async () => {
    if (!available) throw new Error(`No Chromium at ${CHROMIUM} and LIVEAVATAR_REQUIRE_BROWSER=1`);
    mock = await startLiteMock();
    const bundle = await build({
      entryPoints: [join(import.meta.dirname, "lite-page.ts")],
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    inputs = Object.keys(bundle.metafile.inputs);
    const script = bundle.outputFiles[0]!.text;
    const html = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body><script type="module" src="/page.js"></script></body></html>`;
    server = createServer((request, response) => {
      const [type, body] =
        request.url === "/page.js" ? ["text/javascript", script] : request.url === "/" ? ["text/html", html] : [];
      response.writeHead(body === undefined ? 404 : 200, { "content-type": type ?? "text/plain" }).end(body);
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    userDataDir = mkdtempSync(join(tmpdir(), "liveavatar-lite-chromium-"));
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
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`http://localhost:${port}/`);
    await page.waitForFunction(() => window.liteAvatarPage !== undefined, undefined, { timeout: 30_000 });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await mock?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  test("the page bundle has the realtime client and no ws package", () => {
    expect(inputs).toEqual(expect.arrayContaining(["src/realtime/lite.ts"]));
    expect(inputs.filter((input) => input.includes("node_modules/ws"))).toEqual([]);
  });

  test.each(["speak", "state", "both"] as const)(
    "a full turn with %s signals on the browser's WebSocket",
    async (signals) => {
      const id = `browser-${signals}`;
      const result = await page.evaluate((url) => window.liteAvatarPage.turn(url), mock.wsUrlFor(id, { signals }));
      expect(result.usedGlobal).toBe(true);
      expect(result.interrupted).toBe("interrupted");
      expect(result.ended).toBe("client_closed");
      expect(result.events.length).toBeGreaterThanOrEqual(2);
      const received = mock.received
        .filter((r) => r.sessionId === id)
        .map((r) => r.message as { type: string; event_id?: string });
      expect(received.filter((m) => m.type === "agent.speak_end").map((m) => m.event_id)).toEqual(result.ids);
      expect(received.map((m) => m.type)).toContain("agent.interrupt");
      expect(mock.violations()).toEqual([]);
    },
  );

  test("an ended session's socket is refused with a typed error and no ws_url", async () => {
    mock.endSession("browser-gone");
    const message = await page.evaluate(
      (url) => window.liteAvatarPage.refused(url),
      `${mock.wsUrlFor("browser-gone")}?token=secret-cap`,
    );
    expect(message).toMatch(/^RealtimeConnectionError: /);
    expect(message).not.toContain("secret-cap");
    expect(message).not.toContain("browser-gone");
  });
});
