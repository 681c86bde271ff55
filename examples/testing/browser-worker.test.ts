// Recipe 4: the MSW handlers in a real browser with setupWorker. worker-page.ts is bundled,
// served from 127.0.0.1 with MSW's service worker script, and opened in headless Chromium.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, expect, test } from "vitest";
import { launchChromium } from "./chromium.ts";

const require = createRequire(import.meta.url);
const src = (path: string) => join(import.meta.dirname, "..", "..", "src", path);

let server: Server;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let origin: string;

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [join(import.meta.dirname, "worker-page.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
    alias: {
      "liveavatar-api/testing/msw": src("testing/msw.ts"),
      "liveavatar-api": src("index.ts"),
    },
  });
  const files: Record<string, [string, string]> = {
    "/": [
      "text/html",
      '<!doctype html><html><head><link rel="icon" href="data:,"></head><body><script type="module" src="/page.js"></script></body></html>',
    ],
    "/page.js": ["text/javascript", bundle.outputFiles[0]!.text],
    // What `npx msw init public/` copies into a real app.
    "/mockServiceWorker.js": [
      "text/javascript",
      readFileSync(join(require.resolve("msw/package.json"), "..", "lib", "mockServiceWorker.js"), "utf8"),
    ],
  };
  server = createServer((request, response) => {
    const file = files[request.url ?? ""];
    response.writeHead(file ? 200 : 404, { "content-type": file?.[0] ?? "text/plain" }).end(file?.[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (server) await new Promise((resolve) => server.close(resolve));
});

test("the page's session calls are answered by the fake in the service worker", async () => {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(origin);
  await page.waitForFunction(() => document.body.dataset.result !== undefined, undefined, { timeout: 20_000 });
  const result = JSON.parse((await page.evaluate(() => document.body.dataset.result))!);
  expect(errors).toEqual([]);
  expect(result.sessionId).toMatch(/^[0-9a-f-]{36}$/);
  expect(result.calls).toEqual([
    "POST /v1/sessions/token 200",
    "POST /v1/sessions/start 201",
    "POST /v1/sessions/stop 200",
  ]);
});
