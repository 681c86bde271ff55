// Opening a LITE connection: the arguments checked, a WebSocket implementation found, and the wait
// for the server's `session.state_updated` "connected" (nothing is sent before it). A timeout, an
// abort, a refused or dropped socket, or a session reported closed each reject with a typed error
// whose message never contains `ws_url` (it is a bearer capability).
import { APIUserAbortError } from "liveavatar-api";
import type { LogSinks } from "../log.js";
import { packetSizes } from "./audio.js";
import {
  RealtimeArgumentError,
  RealtimeConnectTimeoutError,
  RealtimeConnectionError,
  redactUrl,
  scrub,
} from "./errors.js";
import { messageOf } from "../guards.js";
import { parseFrame } from "./lite-frame.js";
import type { LiteConnectOptions } from "./lite-types.js";
import { resolveWebSocket, type WebSocketLike } from "./socket.js";

/** Session states after which nothing more will happen on the socket. */
export const ENDED_STATES = new Set(["closed", "disconnected"]);
const DEFAULT_CONNECT_TIMEOUT = 10_000;

function positive(value: unknown, name: string, allowFalse = false): void {
  if (value === undefined || (allowFalse && value === false)) return;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new RealtimeArgumentError(
      `${name} must be a positive number of milliseconds${allowFalse ? " or false" : ""}`,
    );
  }
}

/**
 * Opens `wsUrl` and, once the server reports "connected", calls `onConnected` with the socket
 * and resolves with what it returns. The call is synchronous, inside the frame's handler, so that
 * frames arriving in the same packet reach the listeners `onConnected` adds.
 */
export async function openLiteSocket<T>(
  wsUrl: string,
  options: LiteConnectOptions,
  log: LogSinks,
  onConnected: (socket: WebSocketLike) => T,
): Promise<T> {
  if (typeof wsUrl !== "string" || !/^wss?:\/\//i.test(wsUrl) || !URL.canParse(wsUrl)) {
    throw new RealtimeArgumentError(
      `wsUrl must be a ws:// or wss:// URL (the session's ws_url), got ${typeof wsUrl === "string" ? redactUrl(wsUrl) : typeof wsUrl}`,
    );
  }
  positive(options.connectTimeout, "connectTimeout");
  positive(options.keepAliveInterval, "keepAliveInterval", true);
  positive(options.highWaterMark, "highWaterMark");
  packetSizes(options);
  const { signal } = options;
  if (signal?.aborted) throw new APIUserAbortError({ cause: signal.reason });
  const Socket = await resolveWebSocket(options.WebSocket);
  if (signal?.aborted) throw new APIUserAbortError({ cause: signal.reason });
  const where = redactUrl(wsUrl);
  let socket: WebSocketLike;
  try {
    socket = new Socket(wsUrl);
  } catch (error) {
    throw new RealtimeConnectionError(`could not open ${where}: ${scrub(messageOf(error), wsUrl)}`);
  }
  const timeoutMs = options.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT;
  return new Promise<T>((resolve, reject) => {
    let opened = false;
    const listeners = {
      open: () => (opened = true),
      message: (event: { data: unknown }) => {
        const frame = parseFrame(event.data);
        if (frame?.type !== "session.state_updated" || typeof frame.state !== "string") {
          log.debug?.(
            `before connected: ignored a ${typeof frame?.type === "string" ? `"${frame.type}"` : "non-event"} frame`,
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
      try {
        socket.close(1000, "connect failed");
      } catch {
        // already closing
      }
      reject(error);
    };
    for (const [type, fn] of Object.entries(listeners)) socket.addEventListener(type as "open", fn as never);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
