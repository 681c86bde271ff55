// Shared by the LITE tests: a LITE fake per file, PCM16 tones, and small waits.
import { vi } from "vitest";
import { LiteConnection, type LiteConnectOptions } from "../../src/realtime/index.ts";
import { startLiteFake, type LiteFake, type LiteFakeOptions, type LiteVariant } from "../../src/testing/index.ts";

/** `ms` of a 440 Hz PCM16 tone at 24 kHz. */
export function tone(ms: number): Int16Array {
  const samples = new Int16Array((24_000 * ms) / 1000);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 24_000));
  return samples;
}

let sessions = 0;
export function sessionId(): string {
  return `sess-${process.pid}-${++sessions}`;
}

/** These tests are about the client, not timing: the fake plays 50× faster than real time unless a test says otherwise. */
export async function mock(options?: LiteFakeOptions): Promise<LiteFake> {
  return startLiteFake({ playMsPerSecond: 20, ...options });
}

/** Connects to a fresh session of `mock` with `variant`; returns the connection and its session id. */
export async function connect(
  server: LiteFake,
  variant?: LiteVariant,
  options?: LiteConnectOptions,
): Promise<{ conn: LiteConnection; id: string; url: string }> {
  const id = sessionId();
  const url = server.wsUrlFor(id, variant);
  const conn = await LiteConnection.connect(url, { connectTimeout: 2000, ...options });
  return { conn, id, url };
}

/** Waits until `check` holds, on the real event loop (works under FAKE_TIMERS too); fails after ~`timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > timeoutMs) throw new Error("condition not met in time");
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export function messagesOf(server: LiteFake, id: string): Record<string, unknown>[] {
  return server.received.filter((r) => r.sessionId === id).map((r) => r.message as Record<string, unknown>);
}

/** Fake timers that leave real sockets working (setImmediate and the I/O loop stay real). */
export const FAKE_TIMERS: Parameters<typeof vi.useFakeTimers>[0] = {
  toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
};

/** Runs every queued microtask and a few loop turns (no time passes): a chain of promises settles. */
export async function drain(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}
