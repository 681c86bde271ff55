// Headless Chromium for the browser tests: a page script bundled by esbuild from the sources,
// served from localhost, opened in Debian's Chromium (launched as the testing recipes launch it). Without Chromium the suites that use it are
// skipped with a banner, so `npm test` works on any fresh machine; CI installs Chromium and sets
// LIVEAVATAR_REQUIRE_BROWSER=1 (.ci/run), which turns a missing one into a failure.
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import { build } from "esbuild";
import type { Page } from "playwright-core";
import { launchChromium } from "../../examples/testing/chromium.ts";

export const CHROMIUM = process.env.LIVEAVATAR_CHROMIUM ?? "/usr/bin/chromium";
const available = existsSync(CHROMIUM);

/** Whether a browser suite is skipped here (no Chromium, and CI does not require it); warns when so. */
export function browserSkipped(suite: string): boolean {
  if (available) return false;
  console.warn(`\n#  ${suite} NOT RUN: no Chromium at ${CHROMIUM} (apt-get install -y chromium)\n`);
  return process.env.LIVEAVATAR_REQUIRE_BROWSER !== "1";
}

export interface BrowserPage {
  page: Page;
  /** The source files esbuild put into the page's script (paths relative to the repository). */
  inputs: string[];
  close(): Promise<void>;
}

export interface OpenPageOptions {
  /** Where esbuild resolves packages from (a scratch project with the packed tarball installed). */
  absWorkingDir?: string;
  /** Collects the page's uncaught errors and console errors, from the first script on. */
  errors?: string[];
}

/**
 * Bundles `entry` for the browser, serves it from http://localhost (a secure context; other
 * servers on 127.0.0.1 are then cross-origin) and opens it; resolves once `window[ready]` is
 * defined by the script.
 */
export async function openPage(entry: string, ready: string, options: OpenPageOptions = {}): Promise<BrowserPage> {
  if (!available) throw new Error(`No Chromium at ${CHROMIUM} and LIVEAVATAR_REQUIRE_BROWSER=1`);
  const bundle = await build({
    entryPoints: [entry],
    ...(options.absWorkingDir ? { absWorkingDir: options.absWorkingDir } : {}),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const script = bundle.outputFiles[0]!.text;
  const html = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body><script type="module" src="/page.js"></script></body></html>`;
  const server = createServer((request, response) => {
    const [type, body] =
      request.url === "/page.js" ? ["text/javascript", script] : request.url === "/" ? ["text/html", html] : [];
    response.writeHead(body === undefined ? 404 : 200, { "content-type": type ?? "text/plain" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  const close = async () => {
    await browser?.close();
    await new Promise((resolve) => server.close(resolve));
  };
  try {
    browser = await launchChromium();
    const { context } = browser;
    const page = context.pages()[0] ?? (await context.newPage());
    const { errors } = options;
    if (errors) {
      page.on("pageerror", (error) => errors.push(error.message));
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(message.text());
      });
    }
    await page.goto(`http://localhost:${port}/`);
    await page.waitForFunction((name) => name in window, ready, { timeout: 30_000 });
    return { page, inputs: Object.keys(bundle.metafile.inputs), close };
  } catch (error) {
    await close();
    throw error;
  }
}
