// The fake with the LITE mock: a started LITE session carries a ws_url served by the same kit,
// so an agent can be tested end to end offline (mint, start, connect, keep alive, stop).
import { expect, test } from "vitest";
import { LiveAvatar } from "../../src/index.ts";
import { LiteConnection } from "../../src/realtime/index.ts";
import { FakeConfigError, startFakeServer } from "../../src/testing/index.ts";
import { AVATAR_ID } from "./helpers.ts";

test("a LITE session started on the fake connects to the LITE mock at its ws_url", async () => {
  const mock = await startFakeServer({ lite: true });
  try {
    const backend = new LiveAvatar({ baseUrl: mock.url, apiKey: mock.apiKey });
    const { session_id, session_token } = await backend.POST("/v1/sessions/token", {
      body: { mode: "LITE", avatar_id: AVATAR_ID },
    });
    const browser = new LiveAvatar({ baseUrl: mock.url, apiKey: null, sessionToken: session_token });
    const started = await browser.POST("/v1/sessions/start");
    expect(started.ws_url).toBe(mock.lite!.wsUrlFor(session_id));
    const conn = await LiteConnection.connect(started.ws_url!, { connectTimeout: 2000 });
    expect(conn.state).toBe("open");
    conn.keepAlive();
    await expect.poll(() => mock.lite!.received.filter((r) => r.sessionId === session_id).length).toBe(1);
    expect(mock.lite!.violations()).toEqual([]);
    await conn.close();
    await browser.POST("/v1/sessions/stop");
  } finally {
    await mock.close();
  }
});

test("lite and a custom realtime seam together are refused", async () => {
  await expect(startFakeServer({ lite: true, realtime: { wsUrlFor: () => "ws://x" } })).rejects.toBeInstanceOf(
    FakeConfigError,
  );
});
