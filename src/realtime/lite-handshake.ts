// Opening a LITE connection: the arguments checked, a WebSocket implementation found, and the wait
// for the server's `session.state_updated` "connected" (nothing is sent before it). A timeout, an
// abort, a refused or dropped socket, or a session reported closed each reject with a typed error
// whose message never contains `ws_url` (it is a bearer capability).
import { APIUserAbortError } from "liveavatar-api";
import { messageOf } from "../guards.js";
import type { LogSinks } from "../log.js";
import { packetSizes, type PacketSizes } from "./audio.js";
import { DEFAULT_MAX_UNREAD_EVENT_BYTES } from "./emitter.js";
import {
  RealtimeArgumentError,
  RealtimeConnectTimeoutError,
  RealtimeConnectionError,
  redactUrl,
  scrub,
} from "./errors.js";
import { frameSize, parseFrame } from "./lite-frame.js";
import { ENDED_STATES } from "./lite-machine.js";
import type { LiteConnectOptions } from "./lite-types.js";
import { closeSocket, resolveWebSocket, type WebSocketLike } from "./socket.js";

/** The options, checked, with their defaults: every named limit of the LITE client is here. */
export interface LiteSettings {
  connectTimeout: number;
  keepAliveIdle: number | false;
  closeTimeout: number;
  maxFrameBytes: number;
  maxUnreadEventBytes: number;
  highWaterMark: number;
  sizes: PacketSizes;
}

export const LITE_DEFAULTS = {
  connectTimeout: 10_000,
  keepAliveIdle: 60_000,
  closeTimeout: 2_000,
  maxFrameBytes: 1024 * 1024,
  maxUnreadEventBytes: DEFAULT_MAX_UNREAD_EVENT_BYTES,
  highWaterMark: 1024 * 1024,
} as const;

function positive(value: unknown, name: string, fallback: number): number;
function positive(value: unknown, name: string, fallback: number | false, allowFalse: true): number | false;
function positive(value: unknown, name: string, fallback: number | false, allowFalse = false): number | false {
  if (value === undefined) return fallback;
  if (allowFalse && value === false) return false;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new RealtimeArgumentError(`${name} must be a positive number${allowFalse ? " or false" : ""}`);
  }
  return value;
}

export function liteSettings(options: LiteConnectOptions): LiteSettings {
  const d = LITE_DEFAULTS;
  const idle = options.keepAliveIdle !== undefined ? "keepAliveIdle" : "keepAliveInterval";
  return {
    connectTimeout: positive(options.connectTimeout, "connectTimeout", d.connectTimeout),
    keepAliveIdle: positive(options.keepAliveIdle ?? options.keepAliveInterval, idle, d.keepAliveIdle, true),
    closeTimeout: positive(options.closeTimeout, "closeTimeout", d.closeTimeout),
    maxFrameBytes: positive(options.maxFrameBytes, "maxFrameBytes", d.maxFrameBytes),
    maxUnreadEventBytes: positive(options.maxUnreadEventBytes, "maxUnreadEventBytes", d.maxUnreadEventBytes),
    highWaterMark: positive(options.highWaterMark, "highWaterMark", d.highWaterMark),
    sizes: packetSizes(options),
  };
}

/**
 * Opens `wsUrl` and, once the server reports "connected", calls `onConnected` with the socket
 * and resolves with what it returns. The call is synchronous, inside the frame's handler, so that
 * frames arriving in the same packet reach the listeners `onConnected` adds.
 */
export async function openLiteSocket<T>(
  wsUrl: string,
  options: LiteConnectOptions,
  settings: LiteSettings,
  log: LogSinks,
  onConnected: (socket: WebSocketLike) => T,
): Promise<T> {
  const { signal } = options;
  if (signal?.aborted) throw new APIUserAbortError({ cause: signal.reason });
  const Socket = await resolveWebSocket(options.WebSocket);
  if (signal?.aborted) throw new APIUserAbortError({ cause: signal.reason });
  const where = redactUrl(wsUrl);
  let socket: WebSocketLike;
  try {
    socket = new Socket(wsUrl, undefined, { maxPayload: settings.maxFrameBytes });
  } catch (error) {
    throw new RealtimeConnectionError(`could not open ${where}: ${scrub(messageOf(error), wsUrl)}`);
  }
  const timeoutMs = settings.connectTimeout;
  return new Promise<T>((resolve, reject) => {
    let opened = false;
    const listeners = {
      open: () => (opened = true),
      message: (event: { data: unknown }) => {
        if (frameSize(event.data) > settings.maxFrameBytes) {
          return fail(
            new RealtimeConnectionError(`a frame over maxFrameBytes (${settings.maxFrameBytes}) from ${where}`),
          );
        }
        const frame = parseFrame(event.data);
        if (frame?.type !== "session.state_updated" || typeof frame.state !== "string") {
          log.debug?.(
            `before connected: ignored a ${typeof frame?.type === "string" ? `"${frame.type.slice(0, 64)}"` : "non-event"} frame`,
          );
          return;
        }
        if (frame.state === "connected") {
          detach();
          resolve(onConnected(socket));
        } else if (ENDED_STATES.has(frame.state)) {
          fail(new RealtimeConnectionError(`session at ${where} reported "${frame.state}" before it was connected`));
        }
      },
      error: (event: { message?: string; error?: unknown }) => {
        const detail = event.message ?? (event.error instanceof Error ? event.error.message : "");
        fail(new RealtimeConnectionError(`could not connect to ${where}${detail ? `: ${scrub(detail, wsUrl)}` : ""}`));
      },
      close: (event: { code?: number; reason?: string }) =>
        fail(
          new RealtimeConnectionError(
            `socket to ${where} closed before the session was connected (code ${event.code ?? "unknown"})`,
            event.code,
            event.reason || undefined,
          ),
        ),
    };
    const onAbort = () => fail(new APIUserAbortError({ cause: signal?.reason }));
    const timer = setTimeout(
      () =>
        fail(
          new RealtimeConnectTimeoutError(
            timeoutMs,
            `${where} (${opened ? "socket open, no state event" : "socket never opened"})`,
          ),
        ),
      timeoutMs,
    );
    const detach = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      for (const [type, fn] of Object.entries(listeners)) socket.removeEventListener(type as "open", fn as never);
    };
    const fail = (error: Error) => {
      detach();
      // closeSocket keeps an 'error' listener on: `ws` reports a close during the upgrade as one.
      void closeSocket(socket, 1000, "connect failed", settings.closeTimeout);
      reject(error);
    };
    for (const [type, fn] of Object.entries(listeners)) socket.addEventListener(type as "open", fn as never);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Checks the URL (before any option or socket), so a bad one is refused with nothing opened. */
export function checkWsUrl(wsUrl: unknown): asserts wsUrl is string {
  if (typeof wsUrl !== "string" || !/^wss?:\/\//i.test(wsUrl) || !URL.canParse(wsUrl)) {
    throw new RealtimeArgumentError(
      `wsUrl must be a ws:// or wss:// URL (the session's ws_url), got ${typeof wsUrl === "string" ? redactUrl(wsUrl) : typeof wsUrl}`,
    );
  }
}
