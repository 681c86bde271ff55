// startFakeServer: the fake behind a real node:http server on 127.0.0.1, for integration and
// end-to-end tests (Playwright, a dev server, callers in other languages or processes).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createLiveAvatarFake, type LiveAvatarFake } from "../fake.js";
import { ConnectionDropped } from "../faults.js";
import { FakeConfigError } from "../errors.js";
import type { FakeOptions, ResetOptions } from "../types.js";
import { startLiteFake } from "../lite-fake/server.js";
import type { LiteFake, LiteFakeOptions } from "../lite-fake/types.js";
import { send, toRequest } from "./bridge.js";
import { control, isControlPath, refusal, type Controlled } from "./control.js";

export { CONTROL_PREFIX } from "./control.js";

export interface FakeServerOptions extends FakeOptions {
  /** Port to listen on (default 0: a free one). */
  port?: number | undefined;
  /**
   * Also start the LITE WebSocket fake (needs the `ws` package): started LITE sessions then
   * carry a `ws_url` it serves, so a LITE agent can be tested end to end offline.
   * `true`, or the LITE fake's own options (protocol variants).
   */
  lite?: boolean | LiteFakeOptions | undefined;
}

export interface FakeServer extends Omit<LiveAvatarFake, "handle"> {
  /** Base URL to give the client: `new LiveAvatar({ baseUrl: server.url, apiKey: server.apiKey })`. */
  readonly url: string;
  /** The fake itself, e.g. to serve it from your own server too. */
  readonly fake: LiveAvatarFake;
  /** The LITE WebSocket fake, when started with `lite`. */
  readonly lite: LiteFake | undefined;
  /** Stops the server (and the LITE fake); open connections are cut. */
  close(): Promise<void>;
  /** `await using fake = await startFakeServer()` closes it at the end of the block. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** The API paths allow any page to call them, as the fake stands in for a public API. */
const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-headers": "*",
  "access-control-allow-methods": "GET, POST, PATCH, DELETE, OPTIONS",
  "access-control-expose-headers": "*",
};

export async function startFakeServer(options: FakeServerOptions = {}): Promise<FakeServer> {
  const { port = 0, lite: liteOption, ...fakeOptions } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new FakeConfigError(`port must be an integer from 0 to 65535, got ${String(port)}`);
  }
  if (liteOption && fakeOptions.realtime) throw new FakeConfigError("give either `lite` or `realtime`, not both");
  const lite = liteOption ? await startLite(liteOption === true ? {} : liteOption) : undefined;
  let fake: LiveAvatarFake;
  try {
    fake = createLiveAvatarFake(
      lite ? { ...fakeOptions, realtime: { wsUrlFor: ({ session_id }) => lite.wsUrlFor(session_id) } } : fakeOptions,
    );
  } catch (error) {
    await lite?.close();
    throw error;
  }
  const reset = (resetOptions?: ResetOptions) => {
    fake.reset(resetOptions);
    // The LITE fake forgets its sessions too (it closes their sockets), so nothing it remembers
    // as ended can refuse a session of the reset HTTP fake.
    lite?.reset();
  };
  let bound = port;
  const server = createServer((req, res) => {
    serve({ fake, reset }, req, res, bound).catch((error: unknown) => {
      // Last resort: the fake answers every failure itself, so this is a bug in the bridge.
      if (res.destroyed) return;
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json", connection: "close" });
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
  bound = (server.address() as AddressInfo).port;
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
    calls: (op) => fake.calls(op),
    get droppedCalls() {
      return fake.droppedCalls;
    },
    inject: (op, fault) => fake.inject(op, fault),
    reset,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** @deprecated use `startFakeServer` (renamed in 0.2.0; this alias goes in a later minor version). */
export const startMockServer = startFakeServer;
/** @deprecated use `FakeServer`. */
export type MockServer = FakeServer;
/** @deprecated use `FakeServerOptions`. */
export type MockServerOptions = FakeServerOptions;

/** The LITE fake loads `ws` (an optional peer) on start: say so when it is missing. */
async function startLite(options: LiteFakeOptions): Promise<LiteFake> {
  try {
    return await startLiteFake(options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND") {
      throw new FakeConfigError("`lite` needs the `ws` package: npm install --save-dev ws", { cause: error });
    }
    throw error;
  }
}

async function serve(target: Controlled, req: IncomingMessage, res: ServerResponse, port: number): Promise<void> {
  const origin = `http://127.0.0.1:${port}`;
  if (isControlPath(req.url)) {
    const refused = refusal(req, port);
    const incoming = toRequest(req, res, origin);
    const response = refused
      ? new Response(JSON.stringify({ message: refused }), {
          status: 403,
          headers: { "content-type": "application/json" },
        })
      : await control(target, incoming.request);
    incoming.discard();
    await send(req, res, response, {});
    return;
  }
  if (req.method === "OPTIONS") {
    res.writeHead(204, CORS).end();
    return;
  }
  const incoming = toRequest(req, res, origin);
  let response: Response;
  try {
    response = await target.fake.handle(incoming.request);
  } catch (error) {
    if (error instanceof ConnectionDropped) {
      req.socket.destroy();
      return;
    }
    throw error;
  }
  incoming.discard();
  await send(req, res, response, CORS);
}
