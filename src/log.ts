// Opt-in logging. Lines name the operation, status, attempt, duration and request id;
// they never include headers, bodies or credentials.
import { readEnv } from "./env.js";

export interface Logger {
  debug(message: string, ...rest: unknown[]): void;
  info(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  error(message: string, ...rest: unknown[]): void;
}

export type LogLevel = "off" | "error" | "warn" | "info" | "debug";

const RANK: Record<LogLevel, number> = { off: 0, error: 1, warn: 2, info: 3, debug: 4 };

/** The sinks enabled at `level`; a disabled level is undefined so callers skip building the line. */
export interface LogSinks {
  debug?: (message: string) => void;
  warn?: (message: string) => void;
}

export function logSinks(logger: Logger | undefined, level: LogLevel | undefined): LogSinks {
  const envLevel = readEnv("LIVEAVATAR_LOG")?.toLowerCase();
  const fromEnv = envLevel !== undefined && Object.hasOwn(RANK, envLevel) ? (envLevel as LogLevel) : undefined;
  const rank = RANK[level ?? fromEnv ?? (logger ? "warn" : "off")] ?? 0;
  const sink = logger ?? console;
  return {
    debug: rank >= RANK.debug ? (m) => write(sink, "debug", m) : undefined,
    warn: rank >= RANK.warn ? (m) => write(sink, "warn", m) : undefined,
  };
}

function write(sink: Logger, level: "debug" | "warn", message: string): void {
  try {
    sink[level](`[liveavatar] ${message}`);
  } catch {
    // A logger that throws must not turn a request that worked into a failure: the line is lost.
  }
}
