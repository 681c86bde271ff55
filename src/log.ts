// Opt-in logging. Lines name the operation, status, attempt, duration and request id;
// they never include headers, bodies or credentials.
import { readEnv } from "./env.js";

/**
 * Where log lines go; `console` is one. The client writes debug lines (one per attempt) and
 * warnings (retries, a bad LIVEAVATAR_LOG, keep-alive failures); `info` and `error` are
 * accepted so that any console-like logger fits, and are not called today.
 */
export interface Logger {
  debug(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  info?(message: string, ...rest: unknown[]): void;
  error?(message: string, ...rest: unknown[]): void;
}

export type LogLevel = "off" | "error" | "warn" | "info" | "debug";

const RANK: Record<LogLevel, number> = { off: 0, error: 1, warn: 2, info: 3, debug: 4 };

/** The sinks enabled at `level`; a disabled level is undefined so callers skip building the line. */
export interface LogSinks {
  debug?: ((message: string) => void) | undefined;
  warn?: ((message: string) => void) | undefined;
}

let warnedAbout: string | undefined;

export function logSinks(logger: Logger | undefined, level: LogLevel | undefined): LogSinks {
  const sink = logger ?? console;
  const rank = RANK[level ?? levelFromEnv(sink) ?? (logger ? "warn" : "off")] ?? 0;
  return {
    debug: rank >= RANK.debug ? (m) => write(sink, "debug", m) : undefined,
    warn: rank >= RANK.warn ? (m) => write(sink, "warn", m) : undefined,
  };
}

/** LIVEAVATAR_LOG, case-insensitive; a value that is not a level is reported once per process, then ignored. */
function levelFromEnv(sink: Logger): LogLevel | undefined {
  const raw = readEnv("LIVEAVATAR_LOG");
  const value = raw?.toLowerCase();
  if (value === undefined || Object.hasOwn(RANK, value)) return value as LogLevel | undefined;
  if (warnedAbout !== raw) {
    warnedAbout = raw;
    write(sink, "warn", `LIVEAVATAR_LOG=${JSON.stringify(raw)} is not one of ${Object.keys(RANK).join(", ")}; ignored`);
  }
  return undefined;
}

function write(sink: Logger, level: "debug" | "warn", message: string): void {
  try {
    sink[level](`[liveavatar] ${message}`);
  } catch {
    // A logger that throws must not turn a request that worked into a failure: the line is lost.
  }
}
