// A node:http server whose answers the test scripts, one reply per request: statuses,
// headers, bodies, delays, redirects, connections cut before the headers or mid-body, and
// bodies that stall. It records every request so a test can check what the client sent and
// how many attempts it made.
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterAll } from "vitest";

export interface RecordedRequest {
  method: string;
  /** The request target exactly as it arrived: path and query, still percent-encoded. */
  url: string;
  /** Lower-cased header names. */
  headers: IncomingHttpHeaders;
  body: string;
  /** Date.now() once the whole request had arrived. */
  receivedAt: number;
}

export interface Reply {
  /** Default 200, or 302 with `redirect`. */
  status?: number;
  headers?: Record<string, string | number | string[]>;
  /**
   * A string or bytes are sent as they are; any other value as JSON, with
   * `content-type: application/json` unless `headers` name a content type.
   */
  body?: unknown;
  /** Milliseconds to wait before answering. */
  delay?: number;
  /** Shorthand for a redirect: sets `location` (and status 302 unless `status` is given). */
  redirect?: string;
  /**
   * Cut the connection. "before-headers": once the whole request has arrived, so the server
   * could have acted on it; "mid-body": after the headers and the first `partial` bytes.
   */
  reset?: "before-headers" | "mid-body";
  /** Send the headers and the first `partial` bytes, then nothing more until the server closes. */
  stall?: boolean;
  /** Body bytes sent before a mid-body reset or a stall (default: half the body). */
  partial?: number;
  /**
   * Streams the body: `body` first, then filler bytes ("x") up to `total` bytes, or without end.
   * Pieces of `chunkBytes` (default 64 KiB) go out as fast as the client reads them, or one
   * every `every` ms. Chunked encoding unless `headers` name a content length.
   */
  stream?: { total?: number; chunkBytes?: number; every?: number };
}

/** How a reply went out: the body bytes handed to the socket, once the response has closed. */
export interface Answered {
  bytesSent: number;
  /** Whether the whole body went out (false when the client, or a reset, cut it off). */
  complete: boolean;
}

/** A reply, or a function choosing one from the request and its 0-based index in the script. */
export type Script = Reply | ((request: RecordedRequest, index: number) => Reply);

export interface ScriptedServer {
  /** http://127.0.0.1:<port>, no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Every request so far, in arrival order. */
  readonly requests: RecordedRequest[];
  /**
   * Replaces the script, counting from the next request: it gets the first entry, the one after
   * it the second, and the last entry answers every request after that.
   */
  script(...replies: Script[]): void;
  /** Resolves once at least `count` requests have arrived. */
  waitForRequests(count: number): Promise<RecordedRequest[]>;
  /** Resolves once the answer to request `index` (0-based, across scripts) has closed. */
  answered(index: number): Promise<Answered>;
  /**
   * Cuts open connections (stalled ones too) and cancels pending replies; keeps listening, but
   * cuts each new connection until `script` is called again.
   */
  drop(): void;
  /** Stops listening, cuts open connections (stalled ones too) and cancels pending replies. */
  close(): Promise<void>;
}

/** A JSON body in the API's `{code, data, message}` envelope. */
export function envelope(data: unknown, code = 1000, message = "ok"): { code: number; data: unknown; message: string } {
  return { code, data, message };
}

/** Starts a server on 127.0.0.1 (port 0 picks a free one). Without a script it answers 200 `{}`. */
export async function startScriptedServer(
  replies: Script | Script[] = [],
  options: { port?: number } = {},
): Promise<ScriptedServer> {
  let script: Script[] = Array.isArray(replies) ? replies : [replies];
  /** How many requests had arrived when the current script was set. */
  let scriptStart = 0;
  const requests: RecordedRequest[] = [];
  const waiters = new Set<() => void>();
  const timers = new Set<NodeJS.Timeout>();
  const answers: Promise<Answered>[] = [];

  const later = (ms: number, action: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, ms);
    timers.add(timer);
  };

  const server = http.createServer((req, res) => {
    // A client that hangs up (a cancelled body, an abort) must not fail the test process.
    req.on("error", () => {});
    res.on("error", () => {});
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const recorded: RecordedRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        receivedAt: Date.now(),
      };
      const index = requests.push(recorded) - 1;
      const sent = { bytes: 0 };
      answers[index] = new Promise((resolve) =>
        res.once("close", () => resolve({ bytesSent: sent.bytes, complete: res.writableFinished })),
      );
      for (const wake of waiters) wake();
      const step = index - scriptStart;
      const entry = script[Math.min(step, script.length - 1)] ?? {};
      const reply = typeof entry === "function" ? entry(recorded, step) : entry;
      if (reply.delay) later(reply.delay, () => answer(req, res, reply, later, sent));
      else answer(req, res, reply, later, sent);
    });
  });
  server.on("clientError", (_error, socket) => socket.destroy());
  // Every socket, also one that has not sent a request yet (closeAllConnections skips those).
  const sockets = new Set<Socket>();
  /** Set by drop(), cleared by script(): a connection still on its way in is cut on arrival. */
  let dropped = false;
  server.on("connection", (socket) => {
    if (dropped) return void socket.destroy();
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const drop = () => {
    dropped = true;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    server.closeAllConnections();
    for (const socket of sockets) socket.destroy();
  };

  const waitForRequests = (count: number) =>
    new Promise<RecordedRequest[]>((resolve) => {
      const check = () => {
        if (requests.length < count) return;
        waiters.delete(check);
        resolve(requests);
      };
      waiters.add(check);
      check();
    });

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    script(...next: Script[]) {
      script = next;
      scriptStart = requests.length;
      dropped = false;
    },
    waitForRequests,
    async answered(index) {
      await waitForRequests(index + 1);
      return answers[index]!;
    },
    drop,
    async close() {
      drop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on 127.0.0.1 with nothing listening on it (it was free a moment ago). */
export async function unusedPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function answer(
  req: IncomingMessage,
  res: ServerResponse,
  reply: Reply,
  later: (ms: number, action: () => void) => void,
  sent: { bytes: number },
): void {
  if (reply.reset === "before-headers") {
    req.socket.destroy();
    return;
  }
  const headers: Record<string, string | number | string[]> = { ...reply.headers };
  const named = (name: string) => Object.keys(headers).some((key) => key.toLowerCase() === name);
  let payload: Buffer;
  if (reply.body === undefined) payload = Buffer.alloc(0);
  else if (typeof reply.body === "string") payload = Buffer.from(reply.body, "utf8");
  else if (reply.body instanceof Uint8Array) payload = Buffer.from(reply.body);
  else {
    payload = Buffer.from(JSON.stringify(reply.body), "utf8");
    if (!named("content-type")) headers["content-type"] = "application/json";
  }
  if (reply.redirect !== undefined) headers.location = reply.redirect;
  const status = reply.status ?? (reply.redirect !== undefined ? 302 : 200);

  if (reply.stream) {
    res.writeHead(status, headers);
    streamBody(res, payload, reply.stream, later, sent);
    return;
  }
  if (reply.reset === "mid-body" || reply.stall) {
    // The promised length tells the client the body is incomplete when the bytes stop.
    if (!named("content-length")) headers["content-length"] = payload.length;
    res.writeHead(status, headers);
    res.flushHeaders();
    const partial = Math.min(reply.partial ?? Math.floor(payload.length / 2), payload.length);
    if (partial > 0) res.write(payload.subarray(0, partial));
    sent.bytes = partial;
    if (reply.reset === "mid-body") later(20, () => req.socket.destroy());
    return;
  }
  res.writeHead(status, headers);
  res.end(payload);
  sent.bytes = payload.length;
}

/** `prefix`, then filler, in pieces that wait for the socket to drain (or for `every` ms). */
function streamBody(
  res: ServerResponse,
  prefix: Buffer,
  { total = Infinity, chunkBytes = 64 * 1024, every }: NonNullable<Reply["stream"]>,
  later: (ms: number, action: () => void) => void,
  sent: { bytes: number },
): void {
  const filler = Buffer.alloc(chunkBytes, "x");
  const pump = () => {
    while (!res.destroyed) {
      const left = total - sent.bytes;
      if (left <= 0) {
        res.end();
        return;
      }
      const head = sent.bytes < prefix.length ? prefix.subarray(sent.bytes, sent.bytes + chunkBytes) : filler;
      const piece = head.length > left ? head.subarray(0, left) : head;
      sent.bytes += piece.length;
      const drained = res.write(piece);
      if (every !== undefined) return later(every, pump);
      if (!drained) {
        res.once("drain", pump);
        return;
      }
    }
  };
  pump();
}

/**
 * The way test files run scripted servers: `serve(...replies)` starts one, and all of them
 * close when the test file ends (not after each test, so that concurrent tests keep theirs).
 */
export function scriptedServers(): (...replies: Script[]) => Promise<ScriptedServer> {
  const servers: ScriptedServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });
  return async (...replies) => {
    const server = await startScriptedServer(replies);
    servers.push(server);
    return server;
  };
}

/** Scripts `server` for one run of a property; the function returned lists that run's requests. */
export function scriptRun(server: ScriptedServer, ...replies: Reply[]): () => RecordedRequest[] {
  const start = server.requests.length;
  server.script(...replies);
  return () => server.requests.slice(start);
}
