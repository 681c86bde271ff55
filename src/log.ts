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
  const envLevel = readEnv("LIVEAVATAR_LOG") as LogLevel | undefined;
  const chosen = level ?? (envLevel && envLevel in RANK ? envLevel : logger ? "warn" : "off");
  const sink = logger ?? console;
  const rank = RANK[chosen] ?? 0;
  return {
    debug: rank >= RANK.debug ? (m) => sink.debug(`[liveavatar] ${m}`) : undefined,
    warn: rank >= RANK.warn ? (m) => sink.warn(`[liveavatar] ${m}`) : undefined,
  };
}
