// Which WebSocket to use: the caller's, else the global one (browsers, Node 22+, Bun, Deno), else
// the `ws` package on Node 20. `ws` is imported lazily through a non-literal specifier so
// browsers and bundlers never pull it in.
import { WebSocketUnavailableError } from "./errors.js";

/** The part of the WHATWG WebSocket API the clients use; `ws` 8 and every runtime's global fit. */
export interface WebSocketLike {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "open" | "message" | "error" | "close", listener: (event: never) => void): void;
  removeEventListener(type: "open" | "message" | "error" | "close", listener: (event: never) => void): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export const OPEN = 1;

export async function resolveWebSocket(override: WebSocketConstructor | undefined): Promise<WebSocketConstructor> {
  if (override) return override;
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (typeof global === "function") return global;
  const specifier = "ws";
  try {
    const mod = (await import(/* @vite-ignore */ specifier)) as {
      default?: WebSocketConstructor | { WebSocket?: WebSocketConstructor };
      WebSocket?: WebSocketConstructor;
    };
    const found =
      mod.WebSocket ??
      (typeof mod.default === "function"
        ? mod.default
        : (mod.default as { WebSocket?: WebSocketConstructor })?.WebSocket);
    if (typeof found === "function") return found;
    throw new TypeError("the ws module exports no WebSocket");
  } catch (error) {
    throw new WebSocketUnavailableError({ cause: error });
  }
}
