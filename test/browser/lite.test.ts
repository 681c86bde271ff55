// The LITE client in headless Chromium with the browser's own WebSocket, against the fake LITE
// server: the page script is bundled by esbuild from the package source (test/browser/lite-page.ts).
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startLiteFake, type LiteFake } from "../../src/testing/index.ts";
import { openPage, type BrowserPage } from "../support/chromium.ts";

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

describe("LITE client in headless Chromium", () => {
  let fake: LiteFake;
  let browser: BrowserPage | undefined;
  let page: Page;
  let inputs: string[] = [];

  beforeAll(async () => {
    fake = await startLiteFake({ playMsPerSecond: 20 }); // fast playback: these tests are about the browser socket
    browser = await openPage(join(import.meta.dirname, "lite-page.ts"), "liteAvatarPage");
    ({ page, inputs } = browser);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await fake?.close();
  });

  test("the page bundle has the realtime client and no ws package", () => {
    expect(inputs).toEqual(expect.arrayContaining(["src/realtime/lite.ts"]));
    expect(inputs.filter((input) => input.includes("node_modules/ws"))).toEqual([]);
  });

  test.each(["speak", "state", "both"] as const)(
    "a full turn with %s signals on the browser's WebSocket",
    async (signals) => {
      const id = `browser-${signals}`;
      const result = await page.evaluate((url) => window.liteAvatarPage.turn(url), fake.wsUrlFor(id, { signals }));
      expect(result.usedGlobal).toBe(true);
      expect(result.interrupted).toBe("interrupted");
      expect(result.ended).toBe("client_closed");
      expect(result.events.length).toBeGreaterThanOrEqual(2);
      const received = fake.received
        .filter((r) => r.sessionId === id)
        .map((r) => r.message as { type: string; event_id?: string });
      expect(received.filter((m) => m.type === "agent.speak_end").map((m) => m.event_id)).toEqual(result.ids);
      expect(received.map((m) => m.type)).toContain("agent.interrupt");
      expect(fake.violations()).toEqual([]);
    },
  );

  test("an ended session's socket is refused with a typed error and no ws_url", async () => {
    fake.endSession("browser-gone");
    const message = await page.evaluate(
      (url) => window.liteAvatarPage.refused(url),
      `${fake.wsUrlFor("browser-gone")}?token=secret-cap`,
    );
    expect(message).toMatch(/^RealtimeConnectionError: /);
    expect(message).not.toContain("secret-cap");
    expect(message).not.toContain("browser-gone");
  });
});
