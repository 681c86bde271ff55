// The LITE state machine on its own: no socket, no clock. Scenarios from the 2026-12 protocol
// notes, then a model-based run (fast-check `fc.commands`) of random inputs against a small model.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { LiteEvent } from "../../generated/events.ts";
import { KEEP_ALIVE_REPORT_AFTER, LiteMachine, type MachineCommand } from "../../src/realtime/lite-machine.ts";

const settled = (out: MachineCommand[]) =>
  out.flatMap((c) => (c.do === "settle" ? [`${c.serial}:${c.failure?.kind ?? "ok"}`] : []));
const ev = (event: Record<string, unknown>) => ({ on: "event", event: event as unknown as LiteEvent }) as const;

function queued(m: LiteMachine, ...ids: string[]): void {
  ids.forEach((id, i) => {
    m.handle({ on: "speak", serial: i + 1, id });
    m.handle({ on: "speakEndSent", serial: i + 1 });
  });
}

describe("speech correlation", () => {
  test("fresh server ids with ours in source_event_id: two queued speeches settle on their own events", () => {
    const m = new LiteMachine(false);
    queued(m, "a", "b");
    // The server reports b first (source names it): a stays pending.
    expect(settled(m.handle(ev({ type: "agent.speak_started", event_id: "srv-1", source_event_id: "b" })))).toEqual([]);
    expect(settled(m.handle(ev({ type: "agent.speak_ended", event_id: "srv-2", source_event_id: "b" })))).toEqual([
      "2:ok",
    ]);
    expect(settled(m.handle(ev({ type: "agent.speak_ended", event_id: "srv-3", source_event_id: "a" })))).toEqual([
      "1:ok",
    ]);
  });

  test("source_event_id comes before event_id, and event_id before the speech in progress", () => {
    const m = new LiteMachine(false);
    queued(m, "a", "b");
    m.handle(ev({ type: "agent.speak_started", event_id: "a" }));
    // event_id names a, source names b: source wins.
    expect(settled(m.handle(ev({ type: "agent.speak_ended", event_id: "a", source_event_id: "b" })))).toEqual(["2:ok"]);
    m.handle(ev({ type: "agent.speak_started", event_id: "srv-9", source_event_id: null }));
    // Neither names a pending speech: the one in progress (a) settles.
    expect(settled(m.handle(ev({ type: "agent.speak_ended", event_id: "srv-10", source_event_id: null })))).toEqual([
      "1:ok",
    ]);
  });

  test("fresh ids and no source: queued speeches settle in order", () => {
    const m = new LiteMachine(false);
    queued(m, "a", "b");
    const out: string[] = [];
    for (let i = 0; i < 2; i++) {
      out.push(...settled(m.handle(ev({ type: "agent.speak_started", event_id: `s${i}` }))));
      out.push(...settled(m.handle(ev({ type: "agent.speak_ended", event_id: `e${i}` }))));
    }
    expect(out).toEqual(["1:ok", "2:ok"]);
  });

  test("idle between sentences settles nothing; an end before our speak_end went out settles nothing", () => {
    const m = new LiteMachine(false);
    m.handle({ on: "speak", serial: 1, id: "a" });
    m.handle(ev({ type: "agent.speak_started", event_id: "srv-1", source_event_id: "a" }));
    expect(m.handle(ev({ type: "agent.idle_started", event_id: "srv-2" }))).toEqual([]);
    expect(m.handle(ev({ type: "agent.idle_ended", event_id: "srv-3" }))).toEqual([]);
    // A started/ended pair per short chunk, while we still stream: the speech goes on.
    expect(settled(m.handle(ev({ type: "agent.speak_ended", event_id: "srv-4", source_event_id: "a" })))).toEqual([]);
    m.handle({ on: "speakEndSent", serial: 1 });
    m.handle(ev({ type: "agent.speak_started", source_event_id: "a" }));
    m.handle(ev({ type: "agent.idle_started" }));
    expect(settled(m.handle(ev({ type: "agent.speak_ended", source_event_id: "a" })))).toEqual(["1:ok"]);
  });

  test("an error naming a speech (inside error or at the top level) rejects it; video_starvation does not", () => {
    const m = new LiteMachine(false);
    queued(m, "a", "b");
    const starving = m.handle(ev({ type: "error", event_id: "a", error: { type: "video_starvation", message: "m" } }));
    expect(settled(starving)).toEqual([]);
    expect(
      settled(m.handle(ev({ type: "error", event_id: "b", error: { type: "server_error", message: "m" } }))),
    ).toEqual(["2:server"]);
  });
});

describe("keep-alive", () => {
  test("only a clear 'session gone' answer ends; others are logged, retried, and reported when repeated", () => {
    const m = new LiteMachine(1000);
    const refuse = (id: string, message: string) =>
      m.handle(ev({ type: "error", error: { type: "rate_limit", message, event_id: id } }));
    for (let i = 1; i <= 3; i++) {
      expect(m.handle({ on: "keepAlive", id: `k${i}` })).toEqual([
        { do: "send", message: { type: "session.keep_alive", event_id: `k${i}` } },
        { do: "arm", ms: 1000 },
      ]);
      const out = refuse(`k${i}`, "too many requests, try again before the session closed");
      expect(out.some((c) => c.do === "end")).toBe(false);
      expect(out.some((c) => c.do === "log" && c.level === "warn")).toBe(true);
      expect(out.some((c) => c.do === "keepAliveFailed")).toBe(i >= KEEP_ALIVE_REPORT_AFTER);
    }
    // One that draws no error ends the run.
    m.handle({ on: "keepAlive", id: "k4" });
    m.handle({ on: "keepAlive", id: "k5" });
    expect(refuse("k5", "try again").some((c) => c.do === "keepAliveFailed")).toBe(false);
    m.handle({ on: "keepAlive", id: "k6" });
    expect(refuse("k6", "Session not found")).toContainEqual({
      do: "end",
      reason: "session_not_found",
      message: "Session not found",
    });
    expect(m.handle({ on: "end" })).toEqual([{ do: "disarm" }]);
    expect(m.handle({ on: "keepAlive", id: "k7" })).toEqual([]);
  });
});

// ---- model-based -------------------------------------------------------------------------
interface Model {
  /** serial -> id, endSent, for speeches not settled. */
  pending: Map<number, { id: string; endSent: boolean }>;
  serial: number;
  ended: boolean;
}
interface Real {
  m: LiteMachine;
  settledSerials: number[];
  ends: number;
}
type Cmd = fc.Command<Model, Real>;

function run(r: Real, model: Model, out: MachineCommand[]): void {
  for (const c of out) {
    if (c.do === "settle") {
      expect(r.settledSerials, `serial ${c.serial} settled twice`).not.toContain(c.serial);
      expect(model.pending.has(c.serial), `settled unknown serial ${c.serial}`).toBe(true);
      r.settledSerials.push(c.serial);
      model.pending.delete(c.serial);
    }
    if (c.do === "end") r.ends++;
  }
}

const IDS = ["a", "b", "c"];
const commands: fc.Arbitrary<Cmd>[] = [
  fc.constantFrom(...IDS).map((id): Cmd => ({
    check: (m) => !m.ended,
    run: (m, r) => {
      const serial = ++m.serial;
      m.pending.set(serial, { id, endSent: false });
      run(r, m, r.m.handle({ on: "speak", serial, id }));
    },
    toString: () => `speak(${id})`,
  })),
  fc.nat(5).map((n): Cmd => ({
    check: () => true,
    run: (m, r) => {
      const serial = [...m.pending.keys()][n];
      if (serial === undefined) return;
      m.pending.get(serial)!.endSent = true;
      run(r, m, r.m.handle({ on: "speakEndSent", serial }));
    },
    toString: () => `speakEndSent(#${n})`,
  })),
  fc
    .record({
      type: fc.constantFrom(
        "agent.speak_started",
        "agent.speak_ended",
        "agent.speak_interrupted",
        "agent.idle_started",
        "agent.idle_ended",
        "agent.audio_buffer_committed",
      ),
      event_id: fc.option(fc.constantFrom(...IDS, "srv-1"), { nil: undefined }),
      source_event_id: fc.option(fc.constantFrom(...IDS, "srv-2"), { nil: null }),
    })
    .map((event): Cmd => ({
      check: () => true,
      run: (m, r) => {
        const endSentBefore = new Map([...m.pending].map(([s, p]) => [s, p.endSent]));
        const out = r.m.handle(ev(event));
        for (const c of out) {
          if (c.do !== "settle") continue;
          // Idle never settles; an ended settles only a speech the server has whole.
          expect(event.type.startsWith("agent.idle") || event.type.startsWith("agent.audio")).toBe(false);
          if (!c.failure) expect(endSentBefore.get(c.serial)).toBe(true);
        }
        run(r, m, out);
      },
      toString: () => `event(${JSON.stringify(event)})`,
    })),
  fc.constantFrom("talking", "idle", "listening").map((state): Cmd => ({
    check: () => true,
    run: (m, r) => run(r, m, r.m.handle(ev({ type: "agent.state_updated", new_state: state }))),
    toString: () => `state(${state})`,
  })),
  fc.constant<Cmd>({
    check: () => true,
    run: (m, r) => {
      const out = r.m.handle({ on: "interrupt", id: "i" });
      run(r, m, out);
      if (!m.ended) expect(m.pending.size).toBe(0);
    },
    toString: () => "interrupt",
  }),
  fc.constantFrom("too many requests, try again", "server busy: session closed soon").map((message): Cmd => ({
    check: () => true,
    run: (m, r) => {
      run(r, m, r.m.handle({ on: "keepAlive", id: "k" }));
      const out = r.m.handle(ev({ type: "error", error: { message, event_id: "k" } }));
      expect(out.some((c) => c.do === "end")).toBe(false);
      run(r, m, out);
    },
    toString: () => `keepAliveRefused(${message})`,
  })),
  fc.constant<Cmd>({
    check: () => true,
    run: (m, r) => {
      run(r, m, r.m.handle({ on: "end" }));
      m.ended = true;
      expect(m.pending.size).toBe(0);
      expect(r.m.isSending(1)).toBe(false);
    },
    toString: () => "end",
  }),
];

test("model-based: every speech settles at most once, idle and early ends never settle, end settles all", () => {
  fc.assert(
    fc.property(fc.commands(commands, { maxCommands: 40 }), (cmds) => {
      const model: Model = { pending: new Map(), serial: 0, ended: false };
      const real: Real = { m: new LiteMachine(5000), settledSerials: [], ends: 0 };
      fc.modelRun(() => ({ model, real }), cmds);
      run(real, model, real.m.handle({ on: "end" }));
      expect(model.pending.size).toBe(0);
      expect(real.ends).toBe(0);
    }),
    { numRuns: 300, seed: Number(process.env.SEED ?? 1) },
  );
});
