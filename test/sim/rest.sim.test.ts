// The REST fault simulation. Per seed, a scripted node:http peer draws every request's fate from
// the seed (statuses, error pages, bodies too large, slow, cut off or endless, resets, stalls,
// redirect chains, loops and hops to another origin, Retry-After values sane and junk), and the
// caller draws its options and an abort at a random moment. Time is Vitest's fake clock (the
// sockets are real), so retry waits and timeouts cost nothing. Every run checks the invariants of
// docs/reliability.md that a call can break; a failure prints the command that replays its seed.
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { LiveAvatarError, type LiveAvatar } from "../../src/index.ts";
import type { RequestOptions } from "../../src/types.ts";
import { CALLS, type ScriptedCall } from "../support/calls.ts";
import { clientFor } from "../support/client.ts";
import { API_KEY, SESSION_TOKEN } from "../support/credentials.ts";
import {
  assertNoSecrets,
  forEachSeed,
  handleBaseline,
  seeded,
  simTimeout,
  SettleTracker,
  type Seeded,
} from "../support/invariants.ts";
import {
  envelope,
  startScriptedServer,
  type RecordedRequest,
  type Reply,
  type ScriptedServer,
} from "../support/scripted-server.ts";

/** Seeds in `npm test`; `npm run simulate -- --only rest --runs N` runs more. */
const RUNS = 300;
const SECRETS = [API_KEY, SESSION_TOKEN];
const FAKE = ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] as const;
/** The longest wait the client takes from a Retry-After (60 s), and the backoff cap is below it. */
const LONGEST_WAIT = 60_000;
/** Fake milliseconds a settled call may overrun its bound by: the last step of the clock. */
const SLACK = 1_500;
/** A stack frame in the package's own sources. */
const SOURCE = /[\\/]src[\\/][^\\/]+\.ts/;

const OPERATIONS: { call: ScriptedCall; idempotent: boolean }[] = [
  { call: CALLS.listAvatars, idempotent: true },
  { call: CALLS.deleteMemory, idempotent: true },
  { call: CALLS.keepAlive, idempotent: true },
  { call: CALLS.createToken, idempotent: false },
  { call: CALLS.createContext, idempotent: false },
];
const KNOWN_ERRORS = new Set([
  "LiveAvatarError",
  "APIError",
  "BadRequestError",
  "AuthenticationError",
  "PermissionDeniedError",
  "NotFoundError",
  "ConflictError",
  "UnprocessableEntityError",
  "RateLimitError",
  "InternalServerError",
  "EnvelopeError",
  "BodyTooLargeError",
  "APIConnectionError",
  "APIConnectionTimeoutError",
  "APIUserAbortError",
]);

let home: ScriptedServer;
let away: ScriptedServer;
beforeAll(async () => {
  home = await startScriptedServer();
  away = await startScriptedServer();
});
afterAll(async () => {
  await Promise.all([home?.close(), away?.close()]);
});

test(
  "REST calls keep the invariants whatever the peer does",
  async () => {
    const runs = await forEachSeed("rest", RUNS, runSeed);
    expect(runs).toBeGreaterThan(0);
  },
  simTimeout(),
);

function describeSeen({ origin, request, fate, reply }: Seen): string {
  return `${origin} ${request.method} ${request.url} at ${request.receivedAt}: ${fate} ${JSON.stringify(reply.headers ?? {})}`;
}

/** What the peer answered, per request, so the checks can tell attempts from redirect hops. */
interface Seen {
  request: RecordedRequest;
  origin: "home" | "away";
  /** The status sent, or how the connection was cut. */
  fate: string;
  reply: Reply;
}

async function runSeed(seed: number): Promise<void> {
  const rng = seeded(seed);
  const { call, idempotent: byDefault } = rng.pick(OPERATIONS);
  const options = callerOptions(rng);
  const idempotent = options.idempotent ?? byDefault;
  const abortAt = rng.chance(0.3) ? rng.int(3_000) : undefined;
  const seen: Seen[] = [];
  const lines: string[] = [];
  const logger = { debug: (line: string) => lines.push(line), warn: (line: string) => lines.push(line) };

  const leaks = handleBaseline();
  vi.useFakeTimers({ toFake: [...FAKE] });
  const packageTimers = watchPackageTimers();
  try {
    home.script((request) => answer(rng, call, request, seen, "home"));
    away.script((request) => answer(rng, call, request, seen, "away"));
    const client: LiveAvatar = clientFor(home.url, { logger, logLevel: "debug" });
    const controller = new AbortController();
    const abort =
      abortAt === undefined ? undefined : setTimeout(() => controller.abort(new Error("caller gave up")), abortAt);
    const started = Date.now();
    let settledAt: number | undefined;
    const tracker = new SettleTracker();
    const outcome = tracker.track(
      "call",
      Promise.resolve(call.call(client, { ...options, signal: controller.signal })),
    );
    outcome.then(
      () => (settledAt = Date.now()),
      () => (settledAt = Date.now()),
    );
    const maxRetries = options.maxRetries ?? 2;
    const timeout = options.timeout ?? 60_000;
    const bound = Math.min((maxRetries + 1) * timeout + maxRetries * LONGEST_WAIT, abortAt ?? Number.POSITIVE_INFINITY);
    await driveClock(
      () => settledAt !== undefined || Date.now() - started > bound + SLACK,
      () => seen.length,
    );
    tracker.assertAllSettled();
    // SIM_DEBUG=1 with SEED=n shows what the peer did to that run and what the client logged.
    if (process.env.SIM_DEBUG)
      console.log({ seed, call: call.operation, options, abortAt, seen: seen.map(describeSeen), lines });
    console.log(
      seed,
      call.operation,
      options,
      abortAt,
      seen.map(
        (x) =>
          `${x.origin}${x.request.url} ${x.fate} ${x.request.receivedAt - started} ${JSON.stringify(x.reply).slice(0, 150)}`,
      ),
      lines,
    );
    expect(settledAt! - started, "settled within its bound (fake ms)").toBeLessThanOrEqual(bound + SLACK);

    const [result] = tracker.outcomes;
    const attempts = seen.filter((s) => s.origin === "home" && s.request.url === call.url);
    expect(attempts.length, "attempts").toBeLessThanOrEqual(maxRetries + 1);
    if (!result!.ok) checkError(result!.value, call, maxRetries, attempts.length);
    if (!idempotent) checkNotRepeated(seen, call);
    checkWaits(seen, call, timeout, lines);
    for (const hop of seen.filter((s) => s.origin === "away")) {
      expect(hop.request.headers["x-api-key"], "a credential sent to another origin").toBeUndefined();
      expect(hop.request.headers.authorization, "a credential sent to another origin").toBeUndefined();
    }
    assertNoSecrets({ error: result!.value, lines }, SECRETS);
    for (const line of lines) expect(line, "a log line").not.toMatch(/[\r\n]/);

    // Nothing of the call may outlive it: no timer the package set (a timeout or a wait not
    // cleared), and once the peers have dropped their side, no socket.
    expect(packageTimers.pending(), "timers of the package left pending").toEqual([]);
    clearTimeout(abort);
    home.drop();
    away.drop();
    await settleHandles(leaks);
  } finally {
    packageTimers.stop();
    vi.useRealTimers();
  }
}

/**
 * Tracks the timers set from the package's sources (src/), which are the only ones it may not
 * leave behind; fetch's own and the peers' timers are not its business. Wraps the fake timers.
 */
function watchPackageTimers() {
  const fakeSet = globalThis.setTimeout;
  const fakeClear = globalThis.clearTimeout;
  const pending = new Map<unknown, string>();
  globalThis.setTimeout = ((handler: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const id = fakeSet(() => {
      pending.delete(id);
      handler(...args);
    }, ms);
    const from = new Error("set here").stack?.split("\n").find((line) => SOURCE.test(line));
    if (from) pending.set(id, `${ms} ms from ${from.trim()}`);
    return id;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((id: Parameters<typeof clearTimeout>[0]) => {
    pending.delete(id);
    fakeClear(id);
  }) as typeof clearTimeout;
  return {
    pending: () => [...pending.values()],
    stop() {
      globalThis.setTimeout = fakeSet;
      globalThis.clearTimeout = fakeClear;
    },
  };
}

function callerOptions(rng: Seeded): RequestOptions {
  const options: RequestOptions = {
    maxRetries: rng.int(4),
    timeout: rng.pick([20, 100, 500, 2_000, 10_000]),
  };
  if (rng.chance(0.2)) options.idempotent = rng.chance(0.5);
  if (rng.chance(0.4)) options.maxBodyBytes = rng.pick([64, 1_024, 65_536]);
  return options;
}

const RETRY_AFTER = ["0", "1", "0.25", "2", "60", "61", "3600", "-1", "abc", "", "1e400", "Infinity", "0x10"];
const RETRY_AFTER_MS = ["0", "10", "250", "59999", "60001", "-5", "x", "NaN", " "];

/** The fate of one request, drawn from the seed. Redirect hops (`/hop/...`) get one too. */
function answer(
  rng: Seeded,
  call: ScriptedCall,
  request: RecordedRequest,
  seen: Seen[],
  origin: Seen["origin"],
): Reply {
  const reply = draw(rng, call, request, origin);
  const fate = reply.reset ?? (reply.stall ? "stall" : String(reply.status ?? (reply.redirect ? 302 : 200)));
  seen.push({ request, origin, fate, reply });
  return reply;
}

function draw(rng: Seeded, call: ScriptedCall, request: RecordedRequest, origin: Seen["origin"]): Reply {
  if (request.url === "/hop/loop") return { status: 307, redirect: "/hop/loop" };
  const ok = call.ok;
  // A body for the fates that cut or slow one down (a 204 would have none to cut).
  const body = JSON.stringify((call.ok.body as object | undefined) ?? envelope(null));
  const headers = retryHeaders(rng);
  switch (rng.int(16)) {
    case 0:
    case 1:
      return ok;
    case 2:
      return { status: rng.pick([408, 429]), headers, body: { detail: "later" } };
    case 3:
      return { status: rng.pick([500, 502, 503, 504]), headers, body: envelope(null, 5000, "busy") };
    case 4:
      return rng.pick<Reply>([
        { status: rng.pick([400, 401, 404, 409, 422]), body: { detail: `no ${request.headers["x-api-key"]}` } },
        { status: rng.pick([400, 403, 500]), body: envelope(null, 4000, "why ".repeat(rng.int(5_000))) },
        { body: envelope(null, 4000, "why ".repeat(rng.int(5_000))) },
      ]);
    case 5:
      return { status: 502, headers: { "content-type": "text/html" }, body: "<html>\r\n<h1>502</h1>\r\n</html>" };
    case 6:
      return rng.pick<Reply>([
        { body: envelope(null, 4000, `failed\nfor ${request.headers.authorization}`) },
        { headers: { "content-type": "text/plain" }, body: "ok" },
        { headers: { "content-type": "application/json" }, body: "{" },
      ]);
    case 7: // too large: by its length, streamed to an end, or endless
      return rng.pick<Reply>([
        { headers: { "content-length": String(2 ** 40) }, body: '{"data":', stall: true, partial: 8 },
        { headers: { "content-type": "application/json" }, body: '{"data":"', stream: { total: 70_000 } },
        { headers: { "content-type": "application/json" }, body: '{"data":"', stream: {} },
      ]);
    case 8: // a slow body, whole in the end
      return { body, stream: { total: Buffer.byteLength(body), chunkBytes: 8, every: rng.int(40) } };
    case 9:
      return { body, reset: "mid-body", partial: rng.int(body.length) };
    case 10:
      return { reset: "before-headers" };
    case 11:
      return { body, stall: true, partial: rng.int(body.length) };
    case 12:
      return { ...ok, delay: rng.pick([1, 50, 400, 3_000]) };
    case 13:
      return { status: rng.pick([301, 302, 303, 307, 308]), redirect: rng.pick(["/hop/a", "/hop/loop"]) };
    case 14:
      return {
        status: rng.pick([302, 307]),
        redirect: rng.pick([`${origin === "home" ? away.url : home.url}/hop/b`, "ftp://x/", "http://[bad"]),
      };
    default:
      return { status: 429, headers: { "retry-after": rng.pick(RETRY_AFTER) } };
  }
}

function retryHeaders(rng: Seeded): Record<string, string> {
  const headers: Record<string, string> = {};
  if (rng.chance(0.5)) headers["retry-after"] = rng.pick(RETRY_AFTER);
  if (rng.chance(0.3)) headers["retry-after-ms"] = rng.pick(RETRY_AFTER_MS);
  if (rng.chance(0.2)) headers["retry-after"] = new Date(Date.now() + rng.int(90_000) - 10_000).toUTCString();
  return headers;
}

/** The error a call ends with: one of ours, one short line naming the operation, attempts counted. */
function checkError(error: unknown, call: ScriptedCall, maxRetries: number, attemptsSeen: number): void {
  expect(error).toBeInstanceOf(LiveAvatarError);
  const { name, message, attempts } = error as LiveAvatarError;
  expect(KNOWN_ERRORS.has(name), `error class ${name}`).toBe(true);
  expect(message, "one line").not.toMatch(/[\r\n]/);
  expect(message.length, `a short message: ${message.slice(0, 80)}`).toBeLessThan(600);
  expect(message, "names the operation").toContain(call.operation);
  expect(attempts).toBeLessThanOrEqual(maxRetries + 1);
  // An attempt may have been cut before its request arrived (an abort, a timeout), never the other way.
  expect(attempts).toBeGreaterThanOrEqual(Math.min(attemptsSeen, maxRetries + 1));
}

/**
 * A call that is not idempotent is sent again only when the peer said it did not act on it
 * (408, 429). Each attempt's fate is that of its last hop.
 */
function checkNotRepeated(seen: Seen[], call: ScriptedCall): void {
  const starts = seen.flatMap((s, i) => (s.origin === "home" && s.request.url === call.url ? [i] : []));
  for (const [k, start] of starts.slice(0, -1).entries()) {
    const last = seen[starts[k + 1]! - 1]!;
    expect(["408", "429"], `attempt ${k + 1} was repeated after ${seen[start]!.fate}/${last.fate}`).toContain(
      last.fate,
    );
  }
}

/**
 * The wait before each retry: the server's hint when it is a valid one within 0-60 s (and then at
 * least that), otherwise the backoff (8 s at most). Junk hints count as none (docs/reliability.md).
 * The gap between two attempts also holds the failed one's own time, up to its timeout; and the
 * client may have timed out before a reply arrived, so the hint is required only when the debug
 * line of that attempt shows the client saw the status.
 */
function checkWaits(seen: Seen[], call: ScriptedCall, timeout: number, lines: string[]): void {
  const sawStatus = new Map(
    lines.flatMap((line) => {
      const match = / -> (\S+) \(attempt (\d+),/.exec(line);
      return match ? [[Number(match[2]), match[1]!] as const] : [];
    }),
  );
  let attempt = 0;
  for (const [i, s] of seen.entries()) {
    if (s.origin !== "home" || s.request.url !== call.url) continue;
    attempt++;
    if (i === 0) continue;
    const previous = seen[i - 1]!;
    const gap = s.request.receivedAt - previous.request.receivedAt;
    const status = previous.reply.status ?? 200;
    const hint = [408, 429, 500, 502, 503, 504].includes(status)
      ? validHint(previous.reply.headers ?? {}, previous.request.receivedAt)
      : undefined;
    const what = `retry after ${previous.fate} with ${JSON.stringify(previous.reply.headers ?? {})}: waited ${gap} ms`;
    expect(gap, what).toBeLessThanOrEqual(timeout + Math.max(hint ?? 0, 8_000) + SLACK);
    if (hint !== undefined && sawStatus.get(attempt - 1) === String(status)) {
      expect(gap, what).toBeGreaterThanOrEqual(hint);
    }
  }
}

/** A model of the hints the client honours, written from the docs rather than from retry.ts. */
function validHint(headers: Record<string, unknown>, now: number): number | undefined {
  const ms = headers["retry-after-ms"];
  // A readable retry-after-ms decides alone, even when it is too long to honour.
  if (typeof ms === "string" && /^\d+(\.\d+)?$/.test(ms.trim()))
    return Number(ms) <= LONGEST_WAIT ? Number(ms) : undefined;
  const after = headers["retry-after"];
  if (typeof after !== "string") return undefined;
  if (/^\d+$/.test(after.trim())) return Number(after) * 1_000 <= LONGEST_WAIT ? Number(after) * 1_000 : undefined;
  const date = Date.parse(after);
  return after.endsWith("GMT") && date - now >= 0 && date - now <= LONGEST_WAIT ? date - now : undefined;
}

/**
 * Runs the fake clock until `done`: a few turns of the real event loop for the sockets, then a
 * step of fake time that grows while the peer sees nothing new (a retry wait, a stall) and
 * starts small again when it does.
 */
async function driveClock(done: () => boolean, activity: () => number): Promise<void> {
  let step = 5;
  let last = activity();
  while (!done()) {
    for (let i = 0; i < 4; i++) await new Promise((resolve) => setImmediate(resolve));
    if (done()) return;
    await vi.advanceTimersByTimeAsync(step);
    const now = activity();
    step = now === last ? Math.min(step * 2, 1_000) : 5;
    last = now;
  }
}

/** Sockets take a few turns of the event loop to close; then none may remain beyond the baseline. */
async function settleHandles(leaks: () => string[]): Promise<void> {
  for (let turn = 0; turn < 2000 && leaks().length > 0; turn++) {
    await new Promise((resolve) => setImmediate(resolve));
    if (turn % 100 === 99) await vi.advanceTimersByTimeAsync(100);
  }
  expect(leaks(), "handles left alive").toEqual([]);
}
