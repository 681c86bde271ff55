// Seeded simulation of the session lifecycle across REST and LITE, against the package's own fake
// (startFakeServer with its LITE fake): faults on start, keep-alive and stop drawn from the seed,
// a LITE connection that the server ends or drops, and caller actions at random moments (abort,
// speak, close, stop). Time is Vitest's fake clock. The invariant that matters most: a session the
// fake started sees exactly one successful stop, unless the server said it was gone (and the handle
// says so). Replay one seed: SEED=n npm run simulate -- --only session
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { LiveAvatar, type LiveAvatarSession } from "../../src/index.ts";
import { LiteConnection } from "../../src/realtime/index.ts";
import { startFakeServer, type FakeServer } from "../../src/testing/index.ts";
import { FAKE_TIMERS, drain, tone } from "../realtime/helpers.ts";
import { AVATAR_ID } from "../testing/helpers.ts";
import {
  SettleTracker,
  assertNoSecrets,
  forEachSeed,
  seeded,
  simTimeout,
  withHostWatch,
  type Seeded,
} from "../support/invariants.ts";

let server: FakeServer;
beforeAll(async () => {
  server = await startFakeServer({ lite: true });
});
afterAll(() => server.close());

/** Runs fake time in steps until `promise` settles (or `maxMs` pass); real I/O flows between steps. */
async function settle<T>(promise: Promise<T>, maxMs: number): Promise<void> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let t = 0; t <= maxMs && !done; t += 100) {
    await drain(6);
    if (!done) await vi.advanceTimersByTimeAsync(100);
  }
  await drain(6);
}

/** Runs `ms` of fake time in 100 ms steps, real I/O flowing between them. */
async function advance(ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 100) {
    await drain(6);
    await vi.advanceTimersByTimeAsync(Math.min(100, ms - t));
  }
  await drain(6);
}

function faults(rng: Seeded): { gone: boolean } {
  const start = rng.int(20);
  if (start < 2) server.inject("POST /v1/sessions/start", { status: 500 });
  else if (start < 3) server.inject("POST /v1/sessions/start", { reset: true });
  else if (start < 5) server.inject("POST /v1/sessions/start", { delayMs: 100 + rng.int(3000) });
  const gone = rng.chance(0.1);
  if (gone) server.inject("POST /v1/sessions/keep-alive", { status: 404 });
  else if (rng.chance(0.3))
    server.inject("POST /v1/sessions/keep-alive", { status: rng.pick([429, 500, 503]), times: 1 + rng.int(3) });
  if (rng.chance(0.15)) server.inject("POST /v1/sessions/stop", { status: 500 });
  return { gone };
}

async function run(seed: number): Promise<void> {
  const rng = seeded(seed);
  server.reset();
  const tracker = new SettleTracker();
  const seen: unknown[] = [];
  const logger = { debug: (m: string) => seen.push(m), warn: (m: string) => seen.push(m) };
  const backend = new LiveAvatar({ baseUrl: server.url, apiKey: server.apiKey, maxRetries: 0 });
  const minting = backend.POST("/v1/sessions/token", { body: { mode: "LITE", avatar_id: AVATAR_ID } });
  await settle(minting, 5000);
  const { session_token } = await minting;
  faults(rng);
  const browser = new LiveAvatar({
    baseUrl: server.url,
    apiKey: null,
    sessionToken: session_token,
    maxRetries: rng.int(3),
    timeout: 1000 + rng.int(3000),
    logger,
    logLevel: "debug",
  });
  const controller = new AbortController();
  const starting = tracker.track(
    "start",
    browser.startSession({
      keepAliveInterval: rng.pick([false, 300, 1500] as const),
      onKeepAliveError: (e) => seen.push(e),
      ...(rng.chance(0.2) ? { signal: controller.signal } : {}),
    }),
  );
  starting.catch((e: unknown) => seen.push(e));
  if (rng.chance(0.1)) controller.abort(); // same tick
  await settle(starting, rng.int(800));
  if (rng.chance(0.1)) controller.abort(); // while the start is in flight
  await settle(starting, 10_000);
  const session = await starting.catch(() => undefined);
  let wsUrl: string | undefined;
  if (session) {
    wsUrl = session.info.ws_url ?? undefined;
    await drive(rng, session, tracker, seen);
  }
  await advance(10_000); // every bound runs out
  tracker.assertAllSettled();
  // Exactly one successful stop for a session the fake started, unless the server said it was gone.
  const startedByFake = server.calls("POST /v1/sessions/start").some((c) => c.status >= 200 && c.status < 300);
  const stops = server.calls("POST /v1/sessions/stop").filter((c) => c.status >= 200 && c.status < 300).length;
  const saidGone = session ? (await session.ended).reason === "session_not_found" : false;
  // A start that got no answer is stopped best effort: at most that one stop when it never started.
  if (!startedByFake) expect(stops, "stops for a session never started").toBeLessThanOrEqual(1);
  else if (saidGone) expect(stops, "stops after the server said gone").toBe(0);
  else expect(stops, "successful stops of a started session").toBe(1);
  assertNoSecrets(seen, [session_token, ...(wsUrl ? [new URL(wsUrl).pathname] : [])], `seed ${seed}`);
}

async function drive(rng: Seeded, session: LiveAvatarSession, tracker: SettleTracker, seen: unknown[]) {
  let conn: LiteConnection | undefined;
  if (session.info.ws_url && rng.chance(0.8)) {
    const connecting = tracker.track(
      "connectLite",
      session.connectLite(LiteConnection, { keepAliveIdle: rng.pick([false, 400] as const), closeTimeout: 500 }),
    );
    connecting.catch((e: unknown) => seen.push(e));
    await settle(connecting, 5000);
    conn = await connecting.catch(() => undefined);
  }
  const id = session.sessionId;
  for (let i = 0, steps = 2 + rng.int(8); i < steps; i++) {
    const roll = rng.int(10);
    if (roll < 3 && conn) {
      const speech = conn.speak(tone(20 * (1 + rng.int(20))));
      tracker.track("speech", Promise.resolve(speech)).catch((e: unknown) => seen.push(e));
    } else if (roll === 3) server.lite!.endSession(id, { stateEvent: rng.chance(0.5), code: rng.pick([1000, 1011]) });
    else if (roll === 4 && conn) tracker.track("lite close", conn.close());
    else if (roll === 5 && rng.chance(0.3)) tracker.track("stop", session.stop()).catch((e: unknown) => seen.push(e));
    await advance(rng.int(2000));
  }
  // The caller's last word: stop, and once more if that failed.
  const stopping = tracker.track("final stop", session.stop());
  await settle(stopping, 8000);
  if (
    await stopping.then(
      () => false,
      () => true,
    )
  ) {
    const again = tracker.track("stop again", session.stop());
    await settle(again, 8000);
    await again.catch((e: unknown) => seen.push(e));
  }
}

test(
  "session lifecycle under seeded faults: one stop per started session unless the server said gone",
  async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    try {
      const runs = await forEachSeed("session", 150, (seed) => withHostWatch(() => run(seed)));
      expect(runs).toBeGreaterThan(0);
    } finally {
      vi.useRealTimers();
    }
  },
  simTimeout(),
);
