// startLiteFake: a fake LITE-mode server, a real `ws` WebSocketServer on 127.0.0.1. It validates
// every client message against asyncapi.yaml, answers with spec-valid events, and plays the
// protocol variants of docs/realtime.md per session.
import type { LiteEvent } from "../../../generated/events.js";
import { serveConnection, stateWord } from "./connection.js";
import { emit, type FakeSocket } from "./frames.js";
import type { LiteFake, LiteFakeOptions, LiteReceived, LiteVariant } from "./types.js";

interface WsServer {
  once(event: "listening" | "error", listener: (error?: unknown) => void): void;
  on(event: "connection", listener: (socket: FakeSocket, request: { url?: string }) => void): void;
  address(): { port: number };
  clients: Set<{ terminate(): void }>;
  close(callback: () => void): void;
}
type WsServerClass = new (options: { host: string; port: number }) => WsServer;

export async function startLiteFake(options: LiteFakeOptions = {}): Promise<LiteFake> {
  // `ws` (optional peer dependency) is loaded only when a fake starts.
  const specifier = "ws";
  const { WebSocketServer } = (await import(/* @vite-ignore */ specifier)) as { WebSocketServer: WsServerClass };
  const server = new WebSocketServer({ host: "127.0.0.1", port: options.port ?? 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", () => resolve());
    server.once("error", reject);
  });
  const url = `ws://127.0.0.1:${server.address().port}`;
  const variants = new Map<string, LiteVariant>();
  const ended = new Set<string>();
  const sockets = new Map<string, Set<FakeSocket>>();
  const received: LiteReceived[] = [];
  let serverIds = 0;
  const host = { record: (entry: LiteReceived) => void received.push(entry), serverId: () => `srv-${++serverIds}` };
  const variantOf = (sessionId: string): LiteVariant => ({ ...options, ...variants.get(sessionId) });

  server.on("connection", (socket, request) => {
    const match = /^\/v1\/lite\/([^/?]+)/.exec(request.url ?? "");
    const sessionId = match ? decodeURIComponent(match[1]!) : "";
    if (!sessionId || ended.has(sessionId)) {
      socket.close(4004, "no such session");
      return;
    }
    const set = sockets.get(sessionId) ?? new Set();
    sockets.set(sessionId, set.add(socket));
    socket.on("close", () => set.delete(socket));
    serveConnection(socket, sessionId, variantOf(sessionId), host);
  });

  return {
    url,
    received,
    wsUrlFor(sessionId, variant) {
      if (variant) variants.set(sessionId, variant);
      return `${url}/v1/lite/${encodeURIComponent(sessionId)}`;
    },
    violations: () => received.filter((r) => r.violations.length > 0),
    get openSockets() {
      let n = 0;
      for (const set of sockets.values()) n += set.size;
      return n;
    },
    send(sessionId: string, event: LiteEvent) {
      for (const socket of sockets.get(sessionId) ?? []) emit(socket, event);
    },
    endSession(sessionId, { code = 1000, stateEvent = true } = {}) {
      ended.add(sessionId);
      const closed = stateWord(variantOf(sessionId), "closed") as "closed";
      for (const socket of sockets.get(sessionId) ?? []) {
        if (stateEvent) emit(socket, { type: "session.state_updated", state: closed });
        socket.close(code, "session ended");
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}
