// Which WebSocket to use, and how to close one within a bound. The caller's class wins; on Node
// the `ws` package comes next when it is installed (it can cap inbound frames and terminate a
// socket whose peer never finishes the close handshake, which the global WebSocket of Node 22
// cannot); then the global one (browsers, Node 22+, Bun, Deno). `ws` is imported lazily through
// a non-literal specifier so browsers and bundlers never pull it in.
import { WebSocketUnavailableError } from "./errors.js";

/** The part of the WHATWG WebSocket API the clients use; `ws` 8 and every runtime's global fit. */
export interface WebSocketLike {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "open" | "message" | "error" | "close", listener: (event: never) => void): void;
  removeEventListener(type: "open" | "message" | "error" | "close", listener: (event: never) => void): void;
  /** `ws` only: drops the connection at once, without the close handshake. */
  terminate?: () => void;
}

/** `ws` takes a third argument (`maxPayload`); other implementations ignore it. */
export type WebSocketConstructor = new (
  url: string,
  protocols?: string | string[],
  options?: { maxPayload?: number },
) => WebSocketLike;

export const OPEN = 1;
export const CLOSED = 3;

async function importWs(): Promise<WebSocketConstructor | undefined> {
  const specifier = "ws";
  const mod = (await import(/* @vite-ignore */ specifier)) as {
    default?: WebSocketConstructor | { WebSocket?: WebSocketConstructor };
    WebSocket?: WebSocketConstructor;
  };
  const found =
    mod.WebSocket ??
    (typeof mod.default === "function" ? mod.default : (mod.default as { WebSocket?: unknown })?.WebSocket);
  return typeof found === "function" ? (found as WebSocketConstructor) : undefined;
}

/** A timer that never keeps a Node process alive by itself. */
export function unrefTimer(fn: () => void, ms: number): ReturnType<typeof setTimeout> {
  const timer = setTimeout(fn, ms);
  (timer as { unref?: () => void }).unref?.();
  return timer;
}

export async function resolveWebSocket(override: WebSocketConstructor | undefined): Promise<WebSocketConstructor> {
  if (override) return override;
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  const versions = (globalThis as { process?: { versions?: Record<string, string> } }).process?.versions;
  const node = typeof versions?.node === "string" && !versions.bun && !("Deno" in globalThis);
  if (node || typeof global !== "function") {
    let error: unknown;
    try {
      const ws = await importWs();
      if (ws) return ws;
      error = new TypeError("the ws module exports no WebSocket");
    } catch (caught) {
      error = caught;
    }
    if (typeof global !== "function") throw new WebSocketUnavailableError({ cause: error });
  }
  return global!;
}

/**
 * Starts the close handshake and resolves once the socket is closed, or after `timeoutMs` when the
 * peer does not answer (or has stopped reading): then a `ws` socket is terminated, so nothing of
 * it keeps the process alive. An 'error' listener stays on until the end: `ws` reports a close
 * during the upgrade as an 'error' event, which with no listener would crash the process.
 */
export function closeSocket(socket: WebSocketLike, code: number, reason: string, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const ignore = () => {};
    socket.addEventListener("error", ignore);
    if (socket.readyState === CLOSED) return resolve();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = () => {
      clearTimeout(timer);
      socket.removeEventListener("close", done);
      resolve();
    };
    socket.addEventListener("close", done);
    // This timer only bounds the wait; the socket itself is what keeps a process alive until it closes.
    timer = unrefTimer(() => {
      try {
        socket.terminate?.();
      } catch {
        // gone already
      }
      done();
    }, timeoutMs);
    try {
      socket.close(code, reason);
    } catch {
      // A code or reason the implementation refuses: close plainly, or drop the connection.
      try {
        socket.close();
      } catch {
        socket.terminate?.();
      }
    }
  });
}

export interface SocketWatch {
  frame(data: unknown): void;
  close(code: number | undefined, reason: string | undefined): void;
  /** `tooLarge`: `ws` refused a frame over its `maxPayload`. */
  error(tooLarge: boolean): void;
}

/**
 * Listens to an open socket for good. Frames that arrive with "connected" (same packet) are held
 * for one macrotask, so the caller's code after `await connect()` can subscribe before they are
 * delivered. The 'error' listener is never removed: `ws` emits 'error' events up to the very end,
 * and one without a listener crashes Node.
 */
export function watchSocket(socket: WebSocketLike, watch: SocketWatch): void {
  let held: unknown[] | undefined = [];
  const release = () => {
    const frames = held ?? [];
    held = undefined;
    for (const data of frames) watch.frame(data);
  };
  setTimeout(release, 0);
  socket.addEventListener("message", ((event: { data: unknown }) =>
    held ? held.push(event.data) : watch.frame(event.data)) as never);
  // A close right behind the held frames (a session ended at once) comes after them, in order.
  socket.addEventListener("close", ((event: { code?: number; reason?: string }) => {
    release();
    watch.close(event.code, event.reason || undefined);
  }) as never);
  socket.addEventListener("error", ((event: { error?: { code?: unknown } }) =>
    watch.error(event.error?.code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH")) as never);
}
