// A LITE peer the test scripts step by step: a real `ws` server behind a node:http server, so a
// test can hold the upgrade (never answer it), answer it, send any frame (junk, oversize), close
// with any code, stop reading (the close handshake then never completes), or reset the TCP
// connection. Used by the reliability tests and the seeded simulation (test/sim/lite.sim.test.ts).
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

export interface PeerConnection {
  /** The upgrade request is held until `accept()` (or forever). */
  accept(): Promise<void>;
  /** Drops the TCP connection (during the upgrade or after). */
  reset(): void;
  readonly ws: WebSocket | undefined;
  /** Client frames, parsed when they are JSON, in order. */
  readonly received: unknown[];
  send(data: string | Uint8Array): void;
  sendEvent(event: Record<string, unknown>): void;
  close(code?: number, reason?: string): void;
  /** Stops reading from the socket: the client's close frame is never answered. */
  stopReading(): void;
}

export interface LitePeer {
  readonly url: string;
  readonly connections: PeerConnection[];
  /** Resolves with the next connection whose upgrade arrived. */
  next(): Promise<PeerConnection>;
  close(): Promise<void>;
}

export async function startLitePeer(): Promise<LitePeer> {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 });
  const server = http.createServer((_, res) => res.writeHead(404).end());
  const sockets = new Set<Socket>();
  const connections: PeerConnection[] = [];
  let waiting: ((c: PeerConnection) => void)[] = [];
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("upgrade", (request, socket, head) => {
    let ws: WebSocket | undefined;
    const received: unknown[] = [];
    const connection: PeerConnection = {
      accept: () =>
        new Promise<void>((resolve) => {
          if (socket.destroyed) return resolve();
          wss.handleUpgrade(request, socket, head, (client) => {
            ws = client;
            client.on("error", () => {});
            client.on("message", (data, binary) => {
              const text = binary ? "" : String(data);
              try {
                received.push(JSON.parse(text));
              } catch {
                received.push(text);
              }
            });
            resolve();
          });
        }),
      reset: () => socket.destroy(),
      get ws() {
        return ws;
      },
      received,
      send: (data) => {
        if (ws?.readyState === 1) ws.send(data);
      },
      sendEvent: (event) => connection.send(JSON.stringify(event)),
      close: (code, reason) => {
        try {
          ws?.close(code, reason);
        } catch {
          ws?.close();
        }
      },
      stopReading: () => socket.pause(),
    };
    connections.push(connection);
    const wake = waiting;
    waiting = [];
    for (const fn of wake) fn(connection);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/v1/lite/peer-session`,
    connections,
    next: () => new Promise((resolve) => waiting.push(resolve)),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const CONNECTED = { type: "session.state_updated", state: "connected" } as const;
