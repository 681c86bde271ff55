// The LITE fake's named limits and the checks of its options. Whatever a client sends, the fake's
// memory stays within these bounds (docs/testing.md, "LITE fake limits").
import { FakeConfigError } from "../errors.js";
import type { LiteFakeOptions, LiteVariant } from "./types.js";

export const LITE_FAKE_DEFAULTS = {
  /** A packet is at most 1 MB of audio (64/48 of it in base64) plus a little JSON. */
  maxFrameBytes: 2 * 1024 * 1024,
  maxConnections: 10_000,
  maxUnsentBytes: 4 * 1024 * 1024,
  maxReceived: 10_000,
  maxReceivedChars: 64 * 1024 * 1024,
  /** Audio packets a connection holds unplayed; more are refused with an `error`. */
  maxQueuedPackets: 10_000,
  /** Warnings kept in `warnings`. */
  maxWarnings: 1_000,
  /** Real time: one second of audio plays for one second. */
  playMsPerSecond: 1_000,
} as const;

export interface LiteFakeLimits {
  maxFrameBytes: number;
  maxConnections: number;
  maxUnsentBytes: number;
  maxReceived: number;
  maxReceivedChars: number;
}

/** Checks the options where the caller passed them; returns the limits in force. */
export function checkOptions(options: LiteFakeOptions): LiteFakeLimits {
  const { port = 0 } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new FakeConfigError(`port must be an integer from 0 to 65535, got ${String(port)}`);
  }
  checkVariant(options);
  const limits: LiteFakeLimits = {
    maxFrameBytes: options.maxFrameBytes ?? LITE_FAKE_DEFAULTS.maxFrameBytes,
    maxConnections: options.maxConnections ?? LITE_FAKE_DEFAULTS.maxConnections,
    maxUnsentBytes: options.maxUnsentBytes ?? LITE_FAKE_DEFAULTS.maxUnsentBytes,
    maxReceived: options.maxReceived ?? LITE_FAKE_DEFAULTS.maxReceived,
    maxReceivedChars: options.maxReceivedChars ?? LITE_FAKE_DEFAULTS.maxReceivedChars,
  };
  for (const [name, value] of Object.entries(limits)) {
    const least = name === "maxReceived" || name === "maxReceivedChars" ? 0 : 1;
    if (!Number.isSafeInteger(value) || value < least) {
      throw new FakeConfigError(`${name} must be an integer of at least ${least}, got ${String(value)}`);
    }
  }
  return limits;
}

/** Checks the numbers of a variant (the fake's options, or one session's through `wsUrlFor`). */
export function checkVariant(variant: LiteVariant): void {
  const speed = variant.playMsPerSecond;
  if (speed !== undefined && !(Number.isFinite(speed) && speed >= 0)) {
    throw new FakeConfigError(`playMsPerSecond must be a number of at least 0, got ${String(speed)}`);
  }
  for (const name of ["closeMidSpeech", "closeMidUtterance"] as const) {
    const code = variant[name];
    if (code !== undefined) checkCloseCode(code, name);
  }
  const nth = variant.serverErrorOnSpeech;
  if (nth !== undefined && !(Number.isSafeInteger(nth) && nth >= 1)) {
    throw new FakeConfigError(`serverErrorOnSpeech must be an integer of at least 1, got ${String(nth)}`);
  }
  const delay = variant.connectDelayMs;
  if (delay !== undefined && !(Number.isFinite(delay) && delay >= 0)) {
    throw new FakeConfigError(`connectDelayMs must be a number of at least 0, got ${String(delay)}`);
  }
}

/** A code a server may send in a close frame (RFC 6455 7.4: 1000-1014 less the reserved ones, or 3000-4999). */
export function checkCloseCode(code: number, name: string): void {
  const valid =
    Number.isInteger(code) &&
    ((code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) ||
      (code >= 3000 && code <= 4999));
  if (!valid)
    throw new FakeConfigError(
      `${name} must be a close code (1000-1014 but 1004-1006, or 3000-4999), got ${String(code)}`,
    );
}
