// The package's reliability invariants (docs/reliability.md, "Invariants"), checked in one place.
// Every fault simulation and every reliability test asserts them through this file, so a new
// invariant or a stricter bound is written once.
import { expect } from "vitest";
import { seededRandom } from "../../src/testing/random.ts";

/** A seeded generator (the fake's own mulberry32): the same seed gives the same schedule on every machine. */
export function seeded(seed: number) {
  const { next } = seededRandom(seed);
  return {
    next,
    /** A whole number in [0, n). */
    int: (n: number): number => Math.floor(next() * n),
    /** One of the items, uniformly. */
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    /** True with probability p. */
    chance: (p: number): boolean => next() < p,
  };
}
export type Seeded = ReturnType<typeof seeded>;

/**
 * The seeds a simulation runs: `SEED=n` replays one, `SIM_RUNS=n` sets how many (default `runs`),
 * `SIM_FROM=n` where they start. `npm run simulate` sets these from its flags.
 */
export function seedsToRun(runs: number): number[] {
  if (process.env.SEED) return [Number(process.env.SEED)];
  const count = Number(process.env.SIM_RUNS ?? runs);
  const from = Number(process.env.SIM_FROM ?? 1);
  return Array.from({ length: count }, (_, i) => from + i);
}

/** The test timeout of a simulation: its default seed count in `npm test`, no practical bound on demand. */
export function simTimeout(): number {
  return process.env.SIM_RUNS || process.env.SEED ? 86_400_000 : 60_000;
}

/**
 * Runs `body` once per seed; a failure is rethrown with the command that replays it exactly.
 * `name` is the simulation's name as `npm run simulate -- --only <name>` takes it.
 */
export async function forEachSeed(name: string, runs: number, body: (seed: number) => Promise<void>): Promise<number> {
  const seeds = seedsToRun(runs);
  for (const seed of seeds) {
    try {
      await body(seed);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(
        `simulation "${name}" failed for seed ${seed}: ${message}\nreplay: SEED=${seed} npm run simulate -- --only ${name}`,
        {
          cause: error,
        },
      );
    }
  }
  return seeds.length;
}

/**
 * Invariant 1: the host never sees an unhandled 'error' event, exception or rejection from the
 * package. Watches the process while `body` runs; anything unhandled fails the run.
 */
export async function withHostWatch<T>(body: () => Promise<T>): Promise<T> {
  const seen: unknown[] = [];
  const onError = (error: unknown) => seen.push(error);
  process.on("unhandledRejection", onError);
  process.on("uncaughtException", onError);
  try {
    const result = await body();
    // Unhandled rejections are reported after a macrotask; give them one.
    await new Promise((resolve) => setImmediate(resolve));
    if (seen.length > 0) {
      const first = seen[0];
      throw new Error(
        `the host saw ${seen.length} unhandled error(s): ${first instanceof Error ? `${first.name}: ${first.message}` : String(first)}`,
      );
    }
    return result;
  } finally {
    process.off("unhandledRejection", onError);
    process.off("uncaughtException", onError);
  }
}

/**
 * Invariant 2: every promise the package returns settles. Track each one; `settledWithin`
 * fails naming the ones still pending when the bound is up (advance fake timers before calling).
 */
export class SettleTracker {
  readonly #pending = new Map<Promise<unknown>, string>();
  readonly outcomes: { label: string; ok: boolean; value: unknown }[] = [];

  track<T>(label: string, promise: Promise<T>): Promise<T> {
    this.#pending.set(promise, label);
    promise.then(
      (value) => {
        this.#pending.delete(promise);
        this.outcomes.push({ label, ok: true, value });
      },
      (value: unknown) => {
        this.#pending.delete(promise);
        this.outcomes.push({ label, ok: false, value });
      },
    );
    return promise;
  }

  get pending(): string[] {
    return [...this.#pending.values()];
  }

  assertAllSettled(): void {
    expect(this.pending, "promises still pending after their bound").toEqual([]);
  }
}

/**
 * Invariant 6: no credential, session token or ws_url in any message, stack, log line or event.
 * Walks strings, errors (message, stack, cause) and plain objects/arrays.
 */
export function assertNoSecrets(values: unknown, secrets: readonly string[], where = "output"): void {
  const leaks: string[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, path: string): void => {
    if (typeof value === "string") {
      for (const secret of secrets) if (secret && value.includes(secret)) leaks.push(path);
      return;
    }
    if (value === null || typeof value !== "object" || seen.has(value)) return;
    seen.add(value);
    if (value instanceof Error) {
      visit(value.message, `${path}.message`);
      visit(value.stack, `${path}.stack`);
      visit((value as { cause?: unknown }).cause, `${path}.cause`);
    }
    for (const [key, item] of Object.entries(value)) visit(item, `${path}.${key}`);
  };
  visit(values, where);
  expect(leaks, "a secret appears in").toEqual([]);
}

/** Invariant 7: nothing the peer sent changed the package's (or anyone's) prototypes. */
export function assertPrototypesClean(): void {
  const probe = {} as Record<string, unknown>;
  const polluted = ["polluted", "isAdmin", "__proto__polluted"].filter((key) => probe[key] !== undefined);
  expect(polluted, "keys that appeared on Object.prototype").toEqual([]);
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(Object.keys(Array.prototype)).toEqual([]);
}

/**
 * Invariant 4: after close/stop/ended nothing of the package keeps the process alive. Counts the
 * process's active handles (sockets, servers, real timers) against a baseline taken before the run.
 * Under fake timers, also pass `fakeTimers` (vi.getTimerCount) so pending fake timers count.
 */
export function handleBaseline(): () => string[] {
  const before = countResources();
  return () => {
    const after = countResources();
    const grown: string[] = [];
    for (const [kind, n] of after)
      if (n > (before.get(kind) ?? 0)) grown.push(`${kind} +${n - (before.get(kind) ?? 0)}`);
    return grown;
  };
}

function countResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}
