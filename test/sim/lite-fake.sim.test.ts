// Seeded hostile clients against the LITE fake: each seed draws session variants and a schedule
// of frames (valid commands, wrong ids, odd audio, junk, binary, prototype keys, oversize frames),
// clock moves, client closes, endSession and reset calls. Every run checks that the host saw no
// exception, the fake failed nowhere on its own, every frame it sent validates against
// asyncapi.yaml, its records stay within their limits, no prototype changed, no timer outlives
// its sockets, and it still serves a plain session afterwards.
//   npm run simulate -- --only lite-fake        SEED=n npm run simulate -- --only lite-fake
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { liteEventSchemas } from "../../generated/event-schemas.ts";
import { validateEvent } from "../../src/testing/lite-validate.ts";
import { startLiteFake, type LiteFake, type LiteVariant } from "../../src/testing/index.ts";
import {
  assertPrototypesClean,
  forEachSeed,
  seeded,
  simTimeout,
  withHostWatch,
  type Seeded,
} from "../support/invariants.ts";
import { audio, barrier, peer, upgradeStatus, type Peer } from "../testing/lite-fake-helpers.ts";

const LIMITS = { maxFrameBytes: 64 * 1024, maxReceived: 50, maxReceivedChars: 200_000 };
let fake: LiteFake;
const internal: string[] = [];
beforeAll(async () => {
  fake = await startLiteFake({
    ...LIMITS,
    onWarning: (w) => void (w.kind === "internal_error" && internal.push(w.message)),
  });
});
afterAll(() => fake.close());

function variant(rng: Seeded): LiteVariant {
  const maybe = <T>(values: readonly T[]): T | undefined => (rng.chance(0.5) ? rng.pick(values) : undefined);
  return {
    signals: maybe(["speak", "state", "both"] as const),
    vocabulary: maybe(["docs", "alternate"] as const),
    acks: maybe(["none", "with_source", "without_source"] as const),
    speakEventId: maybe(["speech", "server", "server_with_source"] as const),
    playback: maybe(["as_audio_arrives", "after_speak_end", "per_chunk"] as const),
    playMsPerSecond: maybe([0, 20, 1000]),
    idleEvents: maybe([true, false]),
    errorEventId: maybe(["nested", "both"] as const),
    starvation: maybe([true, false]),
    serverErrorOnSpeech: maybe([1, 2]),
    warnings: maybe([true, false]),
    closeMidSpeech: rng.chance(0.1) ? 4001 : undefined,
    connectDelayMs: maybe([0, 50]),
    junk: maybe([true, false]),
    keepAliveNoSession: maybe([true, false]),
  };
}

/** One frame a hostile or careless client might send. */
function frame(rng: Seeded, ids: readonly string[]): string | Uint8Array {
  const id = rng.pick(ids);
  const choices: (() => unknown)[] = [
    () => ({ type: "agent.speak", event_id: id, audio: audio(rng.pick([10, 20, 600, 1000, 1500])) }),
    () => ({ type: "agent.speak", audio: audio(20) }),
    () => ({ type: "agent.speak", event_id: id, audio: "AAA=" }), // odd byte count
    () => ({ type: "agent.speak", event_id: id, audio: "not base64!" }),
    () => ({ type: "agent.speak_end", event_id: id }),
    () => ({ type: "agent.speak_end" }),
    () => ({ type: "agent.interrupt", ...(rng.chance(0.5) ? { event_id: id } : {}) }),
    () => ({ type: rng.pick(["agent.start_listening", "agent.stop_listening", "session.keep_alive"]), event_id: id }),
    () => ({ type: "agent.speak", event_id: "x".repeat(500), audio: "AAAA" }),
    () => ({ type: rng.pick(["constructor", "__proto__", "toString", "hasOwnProperty", "agent.future"]) }),
    () => '{"type":"agent.interrupt","__proto__":{"polluted":1}}',
    () => '{"type":"agent.speak_end","event_id":"e","constructor":{"prototype":{"isAdmin":true}}}',
    () => rng.pick(["not json {", "[]", "null", '"text"', "42", ""]),
    () => new Uint8Array(rng.int(64)),
    () => ({ type: "agent.speak", event_id: id, audio: "A".repeat(LIMITS.maxFrameBytes + 4) }), // oversize
  ];
  const value = rng.pick(choices)();
  return value instanceof Uint8Array || typeof value === "string" ? value : JSON.stringify(value);
}

const JUNK_PATHS = ["/v1/lite/%E0%A4%A", "/v1/lite/%", "/", "/v1/lite/", "/v1/lite/a/b", "/v1/lite/%00%ZZ", "/x?y=%"];

async function run(seed: number): Promise<void> {
  const rng = seeded(seed);
  const clients: Peer[] = [];
  const sessionIds = Array.from({ length: 1 + rng.int(3) }, (_, i) => `sim-${seed}-${i}`);
  for (const id of sessionIds) clients.push(await peer(fake.wsUrlFor(id, variant(rng))));
  const speechIds = ["a", "b", "c"];
  const steps = 5 + rng.int(30);
  for (let step = 0; step < steps; step++) {
    const client = rng.pick(clients);
    const roll = rng.next();
    if (roll < 0.7) {
      if (client.socket.readyState === 1) client.socket.send(frame(rng, speechIds));
    } else if (roll < 0.9) await vi.advanceTimersByTimeAsync(rng.pick([0, 1, 10, 100, 600, 2000]));
    else if (roll < 0.93) client.socket.close();
    else if (roll < 0.95) expect(await upgradeStatus(`${fake.url}${rng.pick(JUNK_PATHS)}`)).toBeGreaterThanOrEqual(400);
    else if (roll < 0.98) fake.endSession(rng.pick(sessionIds), { stateEvent: rng.chance(0.5) });
    else fake.reset();
  }
  // Let everything in flight arrive, then play out whatever the fake still has scheduled.
  for (const client of clients)
    if (client.socket.readyState === 1) await Promise.race([barrier(client), client.closed]);
  await vi.advanceTimersByTimeAsync(60_000);
  for (const client of clients) {
    client.socket.close();
    await client.closed;
  }
  for (const client of clients) {
    for (const sent of client.frames) {
      // The `junk` variant's frames are off-spec on purpose.
      if (sent.type === undefined || sent.type === "agent.future_event") continue;
      const schema = liteEventSchemas[String(sent.type)];
      expect(schema && validateEvent(schema, sent), JSON.stringify(sent)).toEqual([]);
    }
  }
  await expect.poll(() => fake.openSockets).toBe(0);
  expect(vi.getTimerCount(), "fake timers left after every socket closed").toBe(0);
  expect(fake.received.length).toBeLessThanOrEqual(LIMITS.maxReceived);
  expect(internal).toEqual([]);
  assertPrototypesClean();
}

test("the LITE fake against seeded hostile clients", { timeout: simTimeout() }, async () => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
  try {
    const runs = await withHostWatch(() => forEachSeed("lite-fake", 60, run));
    expect(runs).toBeGreaterThan(0);
  } finally {
    vi.useRealTimers();
  }
  // Still serving a plain session after all of it.
  fake.reset();
  const client = await peer(fake.wsUrlFor("after"));
  await expect.poll(() => client.frames.some((f) => f.state === "connected")).toBe(true);
  client.socket.close();
});
