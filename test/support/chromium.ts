// Headless Chromium for the browser tests: a page script bundled by esbuild from the sources,
// served from localhost, opened in Chromium (launched as the testing recipes launch it).
// Which Chromium: LIVEAVATAR_CHROMIUM when set, else Debian's /usr/bin/chromium when installed,
// else the one the @sparticuz/chromium dev dependency ships inside its npm package, so `npm ci`
// alone gives every machine a browser and the suites always run.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import type { Page } from "playwright-core";
import { launchChromium } from "../../examples/testing/chromium.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const DEBIAN_CHROMIUM = "/usr/bin/chromium";
const PREFIX = "liveavatar-chromium-";

let resolved: Promise<string> | undefined;

/** The Chromium binary the browser tests drive (see the top of this file); unpacks one if needed. */
export function chromiumExecutable(): Promise<string> {
  const chosen = process.env.LIVEAVATAR_CHROMIUM || (existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : undefined);
  if (chosen) return Promise.resolve(chosen);
  return (resolved ??= unpackShippedChromium());
}

/**
 * @sparticuz/chromium unpacks into os.tmpdir() and reuses whatever `chromium` and `lib*.so` it
 * finds there, another version's included (which then crashes at launch). So it unpacks here into
 * a fresh folder of its own (TMPDIR points the child process there), which is renamed, complete,
 * to a folder named after the version: test workers that race each other find either nothing or a
 * whole Chromium of the right version. The first unpack takes a few seconds (~200 MB on disk).
 */
async function unpackShippedChromium(): Promise<string> {
  // (Its package.json is not in its "exports": read the file.)
  const manifest = join(ROOT, "node_modules", "@sparticuz", "chromium", "package.json");
  const { version } = JSON.parse(readFileSync(manifest, "utf8")) as { version: string };
  const home = join(tmpdir(), `${PREFIX}${version}`);
  const binary = join(home, "chromium");
  if (existsSync(binary)) return binary;
  sweepOtherVersions(home);
  const stage = mkdtempSync(`${home}-stage-`);
  try {
    await promisify(execFile)(
      process.execPath,
      ["--input-type=module", "-e", 'await (await import("@sparticuz/chromium")).default.executablePath();'],
      { cwd: ROOT, env: { ...process.env, TMPDIR: stage } },
    );
    try {
      renameSync(stage, home);
    } catch (error) {
      // Another worker finished first: its folder is as good as ours.
      if (!existsSync(binary)) throw error;
    }
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  return binary;
}

/** Other versions' folders, and stages an interrupted run left (older than an hour). */
function sweepOtherVersions(home: string): void {
  for (const name of readdirSync(tmpdir())) {
    const path = join(tmpdir(), name);
    if (!name.startsWith(PREFIX) || path === home) continue;
    const age = Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (!name.includes("-stage-") || age > 3_600_000) rmSync(path, { recursive: true, force: true });
  }
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
  // The recipes' launcher takes the binary from LIVEAVATAR_CHROMIUM, as a user would set it.
  process.env.LIVEAVATAR_CHROMIUM = await chromiumExecutable();
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
