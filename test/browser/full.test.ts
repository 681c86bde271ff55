// FULL-mode events in headless Chromium: the page script (test/browser/full-page.ts) is bundled by
// esbuild from the package source and drives FullModeConnection over createFullModeFake's in-memory
// room. No LiveKit server runs here; this shows the client runs on a browser's own APIs.
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openPage, type BrowserPage } from "../support/chromium.ts";

interface Conversation {
  ids: string[];
  transcript: string;
  seen: string[];
  ended: string;
  received: string[];
  violations: string[];
}
declare global {
  interface Window {
    fullModePage: { conversation(): Promise<Conversation>; refusedPushToTalk(): Promise<string> };
  }
}

describe("FULL-mode events in headless Chromium", () => {
  let browser: BrowserPage | undefined;
  let page: Page;
  let inputs: string[] = [];

  beforeAll(async () => {
    browser = await openPage(join(import.meta.dirname, "full-page.ts"), "fullModePage");
    ({ page, inputs } = browser);
  }, 180_000);

  afterAll(() => browser?.close());

  test("the page bundle has the FULL client and no LiveKit or Node code", () => {
    expect(inputs).toEqual(expect.arrayContaining(["src/realtime/full.ts"]));
    expect(inputs.filter((input) => /node_modules\/(livekit-client|ws)\//.test(input))).toEqual([]);
  });

  test("a conversation: a question answered, push-to-talk, the session's end", async () => {
    const result = await page.evaluate(() => window.fullModePage.conversation());
    expect(result.violations).toEqual([]);
    expect(result.received).toEqual(["avatar.speak_response", "user.start_push_to_talk", "user.stop_push_to_talk"]);
    expect(result.ids[0]).toMatch(/^[0-9a-f-]{36}$/); // crypto.randomUUID: localhost is a secure context
    expect(result.transcript).toBe("What can you do?"); // the mock's LLM echoes by default
    expect(result.seen).toEqual(
      expect.arrayContaining([
        "avatar.speak_started",
        "avatar.transcription.chunk",
        "avatar.transcription",
        "avatar.speak_ended",
        "user.push_to_talk_started",
        "user.push_to_talk_stopped",
        "session.stopped",
      ]),
    );
    expect(result.seen.at(-1)).toBe("ended");
    expect(result.ended).toBe("session_stopped");
  });

  test("a refused push-to-talk rejects with PushToTalkError in the page", async () => {
    expect(await page.evaluate(() => window.fullModePage.refusedPushToTalk())).toMatch(/^PushToTalkError: /);
  });
});
