// startMockServer: the fake behind a real node:http server on 127.0.0.1, for integration and
// end-to-end tests (Playwright, a dev server, callers in other languages or processes).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createLiveAvatarFake, type LiveAvatarFake } from "../fake.js";
import { ConnectionDropped } from "../faults.js";
import { FakeConfigError } from "../errors.js";
import { messageOf } from "../../guards.js";
import type { FakeOptions, Fault, FaultTarget } from "../types.js";
import type { OperationKey } from "../../../generated/operations.js";
import { startLiteMock, type LiteMock, type LiteMockOptions } from "../lite-mock.js";

export interface MockServerOptions extends FakeOptions {
  /** Port to listen on (default 0: a free one). */
  port?: number;
  /**
   * Also start the LITE WebSocket mock (needs the `ws` package): started LITE sessions then
   * carry a `ws_url` it serves, so a LITE agent can be tested end to end offline.
   * `true`, or the mock's own options (protocol variants).
   */
  lite?: boolean | LiteMockOptions;
}

export interface MockServer extends Omit<LiveAvatarFake, "handle"> {
  /** Base URL to give the client: `new LiveAvatar({ baseUrl: server.url, apiKey: server.apiKey })`. */
  readonly url: string;
  /** The fake itself, e.g. to serve it from your own server too. */
  readonly fake: LiveAvatarFake;
  /** The LITE WebSocket mock, when started with `lite`. */
  readonly lite: LiteMock | undefined;
  /** Stops the server (and the LITE mock); open connections are cut. */
  close(): Promise<void>;
  /** `await using mock = await startMockServer()` closes it at the end of the block. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Paths outside the spec that let another process drive the fake (the CLI's users, test workers). */
export const CONTROL_PREFIX = "/__fake";

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-headers": "*",
  "access-control-allow-methods": "GET, POST, PATCH, DELETE, OPTIONS",
  "access-control-expose-headers": "*",
};

export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const { port = 0, lite: liteOption, ...fakeOptions } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new FakeConfigError(`port must be an integer from 0 to 65535, got ${String(port)}`);
  }
  if (liteOption && fakeOptions.realtime) throw new FakeConfigError("give either `lite` or `realtime`, not both");
  const lite = liteOption ? await startLite(liteOption === true ? {} : liteOption) : undefined;
  const fake = createLiveAvatarFake(
    lite ? { ...fakeOptions, realtime: { wsUrlFor: ({ session_id }) => lite.wsUrlFor(session_id) } } : fakeOptions,
  );
  const server = createServer((req, res) => {
    serve(fake, req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ code: 500, data: null, message: `fake server error: ${String(error)}` }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      void lite?.close();
      reject(new FakeConfigError(`cannot listen on 127.0.0.1:${port} (${error.code ?? error.message})`));
    });
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  const close = async () => {
    await new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
    await lite?.close();
  };
  return {
    url: `http://127.0.0.1:${bound}`,
    apiKey: fake.apiKey,
    fake,
    lite,
    calls: (op?: OperationKey) => fake.calls(op),
    inject: (op: FaultTarget, fault: Fault) => fake.inject(op, fault),
    reset: () => fake.reset(),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** The LITE mock loads `ws` (an optional peer) on start: say so when it is missing. */
async function startLite(options: LiteMockOptions): Promise<LiteMock> {
  try {
    return await startLiteMock(options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND") {
      throw new FakeConfigError("`lite` needs the `ws` package: npm install --save-dev ws", { cause: error });
    }
    throw error;
  }
}

async function serve(fake: LiveAvatarFake, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method === "OPTIONS") {
    res.writeHead(204, CORS).end();
    return;
  }
  const request = await toRequest(req, res);
  if (new URL(request.url).pathname.startsWith(CONTROL_PREFIX)) {
    await send(res, await control(fake, request));
    return;
  }
  let response: Response;
  try {
    response = await fake.handle(request);
  } catch (error) {
    if (error instanceof ConnectionDropped) {
      req.socket.destroy();
      return;
    }
    throw error;
  }
  await send(res, response);
}

async function toRequest(req: IncomingMessage, res: ServerResponse): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD" && chunks.length > 0;
  const controller = new AbortController();
  // A caller that hangs up mid-answer (e.g. its timeout fired) cuts an injected delay short.
  res.once("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  return new Request(`http://${req.headers.host ?? "127.0.0.1"}${req.url ?? "/"}`, {
    method: req.method,
    headers,
    body: hasBody ? Buffer.concat(chunks) : undefined,
    signal: controller.signal,
  });
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = { ...CORS };
  response.headers.forEach((value, name) => (headers[name] = value));
  const body = Buffer.from(await response.arrayBuffer());
  if (body.length > 0) headers["content-length"] = String(body.length);
  res.writeHead(response.status, headers).end(body);
}

/** `POST /__fake/reset`, `GET /__fake/calls[?operation=...]`, `POST /__fake/inject {operation, fault}`. */
async function control(fake: LiveAvatarFake, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const action = `${request.method} ${url.pathname.slice(CONTROL_PREFIX.length)}`;
  const reply = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  try {
    if (action === "POST /reset") {
      fake.reset();
      return reply(200, { reset: true });
    }
    if (action === "GET /calls") {
      const op = url.searchParams.get("operation") ?? undefined;
      return reply(200, fake.calls(op as OperationKey | undefined));
    }
    if (action === "POST /inject") {
      const { operation, fault } = (await request.json()) as { operation: FaultTarget; fault: Fault };
      fake.inject(operation, fault);
      return reply(200, { injected: operation });
    }
  } catch (error) {
    return reply(400, { message: messageOf(error) });
  }
  return reply(404, { message: `unknown control endpoint ${action}` });
}
