// Seeded fault simulation of the LITE client: the real LiteConnection (over real `ws` sockets)
// against a peer whose every step is drawn from the seed (during the upgrade, before `connected`,
// mid-speech, during keep-alive, during close: replies, errors, stalls, resets, oversize and junk
// frames, close codes, a peer that stops reading), with caller actions at random moments (abort,
// close, interrupt, speak, keep-alive, an iterator nobody reads). Time is Vitest's fake clock.
// Every run checks the invariants of docs/reliability.md. Replay one seed:
//   SEED=n npm run simulate -- --only lite
import { WebSocket as WsSocket } from "ws";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import {
  LiteConnection,
  SpeechInterruptedError,
  type LiteConnectionEvent,
  type LiteConnectOptions,
  type Speech,
} from "../../src/realtime/index.ts";
import { FAKE_TIMERS, drain, tone } from "../realtime/helpers.ts";
import { CONNECTED, startLitePeer, type LitePeer, type PeerConnection } from "../realtime/lite-peer.ts";
import {
  SettleTracker,
  assertNoSecrets,
  assertPrototypesClean,
  forEachSeed,
  seeded,
  simTimeout,
  withHostWatch,
  type Seeded,
} from "../support/invariants.ts";

const SECRET = "lite-capability-7c1e";
let peer: LitePeer;
beforeAll(async () => {
  peer = await startLitePeer();
});
afterAll(() => peer.close());

/** Every client socket of a run, to check none is left open. */
let sockets: WsSocket[] = [];
class Tracked extends WsSocket {
  constructor(...args: ConstructorParameters<typeof WsSocket>) {
    super(...args);
    sockets.push(this);
  }
}
/** A WebSocket that ignores `maxPayload`, as a browser's would: the client's own length check must hold. */
class Uncapped extends Tracked {
  constructor(url: string) {
    super(url);
  }
}

const JUNK = [
  "not json {",
  "[1,2]",
  '{"type":42}',
  '{"type":"agent.future_event","x":1}',
  '{"__proto__":{"polluted":1},"type":"warning","warning":{"message":"p"}}',
  '{"type":"error","error":{"constructor":{"prototype":{"isAdmin":true}},"message":"x"}}',
];

async function step(ms: number): Promise<void> {
  await drain(8);
  if (ms > 0) await vi.advanceTimersByTimeAsync(ms);
  await drain(8);
}

/** One peer action mid-connection, drawn from the seed. */
function peerAct(rng: Seeded, p: PeerConnection, ids: string[], keepAliveIds: () => string[]): string {
  const id = () => (ids.length > 0 && rng.chance(0.8) ? rng.pick(ids) : `srv-${rng.int(1000)}`);
  const correlate = () =>
    rng.pick([
      { event_id: id() },
      { event_id: `srv-${rng.int(1000)}`, source_event_id: id() },
      { event_id: `srv-${rng.int(1000)}`, source_event_id: null },
      {},
    ]);
  const roll = rng.int(20);
  if (roll < 4) p.sendEvent({ type: "agent.speak_started", ...correlate() });
  else if (roll < 8) p.sendEvent({ type: "agent.speak_ended", ...correlate() });
  else if (roll < 9) p.sendEvent({ type: "agent.speak_interrupted", ...correlate() });
  else if (roll < 10) p.sendEvent({ type: rng.pick(["agent.idle_started", "agent.idle_ended"]), ...correlate() });
  else if (roll < 11)
    p.sendEvent({ type: "agent.state_updated", new_state: rng.pick(["idle", "listening", "talking"]) });
  else if (roll < 12) {
    const target = rng.chance(0.5) && keepAliveIds().length > 0 ? rng.pick(keepAliveIds()) : id();
    const message = rng.pick(["too many requests, try again", "bad audio", "server busy: session closed soon"]);
    const type = rng.pick(["invalid_request_error", "server_error", "video_starvation"]);
    p.sendEvent(
      rng.chance(0.5)
        ? { type: "error", event_id: target, error: { type, message } }
        : { type: "error", error: { type, message, event_id: target } },
    );
  } else if (roll < 13)
    p.sendEvent({ type: "error", error: { message: rng.pick(["no such session", "Session not found"]) } });
  else if (roll < 14) p.send(rng.pick(JUNK));
  else if (roll < 15) p.send(rng.chance(0.5) ? "x".repeat(80 * 1024) : new Uint8Array(3));
  else if (roll < 16) p.close(rng.pick([1000, 1001, 1011, 4000, 4004]), rng.pick(["", "bye", "no such session"]));
  else if (roll < 17) p.reset();
  else if (roll < 18) p.stopReading();
  else if (roll < 19)
    p.sendEvent({ type: "session.state_updated", state: rng.pick(["closed", "disconnected", "connected"]) });
  else p.sendEvent({ type: "warning", warning: { message: "slow down" } });
  return `peer ${roll}`;
}

async function run(seed: number): Promise<void> {
  const rng = seeded(seed);
  sockets = [];
  const tracker = new SettleTracker();
  const seen: unknown[] = []; // errors, events and log lines: scanned for the secret
  const logger = { debug: (m: string) => seen.push(m), warn: (m: string) => seen.push(m) };
  const options: LiteConnectOptions = {
    WebSocket: (rng.chance(0.8) ? Tracked : Uncapped) as never,
    connectTimeout: 500 + rng.int(3000),
    keepAliveIdle: rng.chance(0.8) ? 200 + rng.int(2000) : false,
    closeTimeout: 100 + rng.int(1500),
    maxFrameBytes: 64 * 1024,
    maxUnreadEventBytes: rng.pick([2048, 1 << 20]),
    logger,
    logLevel: "debug",
  };
  const controller = new AbortController();
  if (rng.chance(0.1)) options.signal = controller.signal;
  const connecting = tracker.track("connect", LiteConnection.connect(`${peer.url}?token=${SECRET}`, options));
  connecting.catch((e: unknown) => seen.push(e));
  const p = await peer.next();
  // During the upgrade and before `connected`.
  const upgrade = rng.int(10);
  if (upgrade === 0) p.reset();
  else if (upgrade === 1)
    void 0; // never answered
  else {
    await p.accept();
    const before = rng.int(10);
    if (before === 0) p.close(rng.pick([1000, 4004]), "no such session");
    else if (before === 1) p.sendEvent({ type: "session.state_updated", state: "closed" });
    else if (before === 2)
      p.stopReading(); // and never says connected
    else {
      if (before === 3) for (const junk of JUNK) p.send(junk);
      p.sendEvent({ type: "session.state_updated", state: "connecting" });
      p.sendEvent(CONNECTED);
    }
  }
  if (options.signal && rng.chance(0.5)) controller.abort();
  let settled = false;
  const outcome = connecting.then(
    (c) => c,
    () => undefined,
  );
  void outcome.then(() => (settled = true));
  await step(rng.int(4000));
  // Fake time runs on until the connect settles (at the latest, its timeout).
  for (let i = 0; i < 10 && !settled; i++) await step(500);
  const conn = await outcome;
  if (conn) await drive(rng, conn, p, tracker, seen);
  // Let every bound run out: connect timeout, close timeout, plus a second.
  await step(6000);
  tracker.assertAllSettled();
  expect(sockets.filter((s) => s.readyState !== WsSocket.CLOSED).length, "client sockets still open").toBe(0);
  assertNoSecrets(seen, [SECRET], `seed ${seed}`);
  assertPrototypesClean();
}

async function drive(
  rng: Seeded,
  conn: LiteConnection,
  p: PeerConnection,
  tracker: SettleTracker,
  seen: unknown[],
): Promise<void> {
  const events: LiteConnectionEvent[] = [];
  const ids: string[] = [];
  const speeches: Speech[] = [];
  for (const type of ["ended", "unknown", "error", "keep_alive_failed", "agent.speak_ended"] as const)
    conn.on(type, (e) => events.push(e));
  tracker.track("ended", conn.ended);
  if (rng.chance(0.5)) conn.events(); // an iterator nobody reads: memory must stay bounded
  const keepAliveIds = () =>
    p.received.flatMap((m) =>
      (m as { type?: string }).type === "session.keep_alive" ? [(m as { event_id: string }).event_id] : [],
    );
  const steps = 3 + rng.int(15);
  for (let i = 0; i < steps; i++) {
    const roll = rng.int(10);
    try {
      if (roll < 3) {
        const speech = conn.speak(tone(20 * (1 + rng.int(40))));
        ids.push(speech.eventId);
        speeches.push(speech);
        tracker.track(`speech ${speech.eventId}`, Promise.resolve(speech)).catch((e: unknown) => seen.push(e));
      } else if (roll < 4) conn.interrupt();
      else if (roll < 5) conn.keepAlive();
      else if (roll < 6 && rng.chance(0.3)) tracker.track("close", conn.close(rng.pick([1000, 4000, 999]), "bye"));
      else peerAct(rng, p, ids, keepAliveIds);
    } catch (error) {
      seen.push(error); // a command on a closed connection throws, typed: that is allowed
    }
    await step(rng.int(3) === 0 ? rng.int(3000) : rng.int(50));
  }
  tracker.track("final close", conn.close());
  seen.push(...events);
  // `ended` exactly once, and last.
  expect(events.filter((e) => e.type === "ended")).toHaveLength(1);
  expect(events.at(-1)?.type).toBe("ended");
  const ended = await conn.ended;
  // Only a clear "gone" answer ends it as gone.
  if (ended.reason === "session_not_found") expect(ended.message).toMatch(/no such session|session not found/i);
  // No packet of a speech the client interrupted follows its agent.interrupt.
  const received = p.received as { type?: string; event_id?: string }[];
  for (const speech of speeches) {
    const error = await speech.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof SpeechInterruptedError) || !error.message.endsWith("by the client")) continue;
    const lastPacket = received.findLastIndex((m) => m.type === "agent.speak" && m.event_id === speech.eventId);
    const interrupt = received.findIndex((m, i) => i > lastPacket && m.type === "agent.interrupt");
    if (lastPacket >= 0 && received.some((m) => m.type === "agent.interrupt"))
      expect(interrupt === -1 || interrupt > lastPacket).toBe(true);
  }
}

test(
  "LITE client under seeded faults: the invariants hold for every seed",
  async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    try {
      const runs = await forEachSeed("lite", 300, (seed) => withHostWatch(() => run(seed)));
      expect(runs).toBeGreaterThan(0);
    } finally {
      vi.useRealTimers();
    }
  },
  simTimeout(),
);
