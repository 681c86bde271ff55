// The LITE fake's listener: a node:http server whose only business is upgrading `/v1/lite/<id>` to
// a WebSocket. Every other request, path or escape is answered with a status and the connection
// closed; nothing a client sends can throw out of here into the process that hosts the fake.
import { createServer, type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { FakeConfigError } from "../errors.js";
import type { FakeSocket } from "./frames.js";

export interface UpgradeHost {
  /** Whether another socket may open now. */
  full(): boolean;
  /** An accepted WebSocket for the session `sessionId`. */
  connect(socket: FakeSocket, sessionId: string): void;
  refused(status: number, why: string): void;
  /** An exception of the fake's own, contained. */
  failed(error: unknown, sessionId?: string): void;
}

interface WsServer {
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, done: (socket: FakeSocket) => void): void;
  clients: Set<FakeSocket>;
  close(): void;
}
type WsServerClass = new (options: { noServer: true; maxPayload: number }) => WsServer;

export interface Listener {
  readonly port: number;
  readonly sockets: Set<FakeSocket>;
  close(): Promise<void>;
}

const PATH = /^\/v1\/lite\/([^/?#]+)\/?(?:\?.*)?$/;

/** Listens on 127.0.0.1:`port`; a port in use is a FakeConfigError naming the address. */
export async function listen(port: number, maxFrameBytes: number, host: UpgradeHost): Promise<Listener> {
  // `ws` (an optional peer dependency) is loaded only when a fake starts.
  const specifier = "ws";
  const { WebSocketServer } = (await import(/* @vite-ignore */ specifier)) as { WebSocketServer: WsServerClass };
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes });
  const server = createServer((_request, response) => {
    response.writeHead(426, { "content-type": "text/plain", connection: "close" }).end("WebSocket only\n");
  });
  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Until `ws` takes the socket over, its errors (a reset mid-handshake) are nobody's business.
    socket.on("error", () => {});
    try {
      upgrade(wss, request, socket, head, host);
    } catch (error) {
      host.failed(error);
      socket.destroy();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(new FakeConfigError(`cannot listen on 127.0.0.1:${port} (${error.code ?? error.message})`));
    });
    server.listen(port, "127.0.0.1", () => resolve());
  });
  server.on("error", (error) => host.failed(error));
  const { port: bound } = server.address() as { port: number };
  return {
    port: bound,
    sockets: wss.clients,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of wss.clients) socket.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function upgrade(wss: WsServer, request: IncomingMessage, socket: Duplex, head: Buffer, host: UpgradeHost): void {
  const match = PATH.exec(request.url ?? "");
  const sessionId = match ? safeDecode(match[1]!) : undefined;
  if (!match) return refuse(socket, host, 404, "a path other than /v1/lite/<session id>");
  if (!sessionId) return refuse(socket, host, 400, "a session id with a malformed percent-escape");
  if (host.full()) return refuse(socket, host, 503, "maxConnections sockets already open");
  wss.handleUpgrade(request, socket, head, (ws) => {
    try {
      host.connect(ws, sessionId);
    } catch (error) {
      host.failed(error, sessionId);
      ws.terminate();
    }
  });
}

const REASONS: Record<number, string> = { 400: "Bad Request", 404: "Not Found", 503: "Service Unavailable" };

/** Answers the upgrade with `status` and closes the connection. The path is not repeated: it may hold a secret. */
function refuse(socket: Duplex, host: UpgradeHost, status: number, why: string): void {
  const body = `${REASONS[status]}: ${why}\n`;
  socket.once("finish", () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status]}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  host.refused(status, why);
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
