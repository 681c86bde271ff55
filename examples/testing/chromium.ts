// Headless Chromium for the browser recipes: Debian's /usr/bin/chromium driven by playwright-core
// (set LIVEAVATAR_CHROMIUM to use another binary).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

export async function launchChromium(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  // A Chromium that crashes while starting (seen now and then on a loaded 2-core machine: SIGSEGV
  // before the first page) is started again, up to three times, each with a fresh profile.
  for (let attempt = 1; ; attempt++) {
    const userDataDir = mkdtempSync(join(tmpdir(), "liveavatar-recipe-chromium-"));
    try {
      const context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: process.env.LIVEAVATAR_CHROMIUM ?? "/usr/bin/chromium",
        headless: true,
        args: [
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--no-first-run",
        ],
      });
      return {
        context,
        close: async () => {
          await context.close();
          rmSync(userDataDir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      rmSync(userDataDir, { recursive: true, force: true });
      if (attempt >= 3) throw error;
    }
  }
}
