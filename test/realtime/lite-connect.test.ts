// LiteConnection.connect over real sockets to the mock LITE server: it resolves only on
// "connected" and sends nothing before; every failure is a typed error without the ws_url.
import { WebSocket as WsSocket } from "ws";
import { afterAll, beforeAll, expect, test } from "vitest";
import { APIConnectionError, APIUserAbortError, LiveAvatarError } from "../../src/index.ts";
import {
  LiteConnection,
  RealtimeArgumentError,
  RealtimeConnectTimeoutError,
  RealtimeConnectionError,
  WebSocketUnavailableError,
} from "../../src/realtime/index.ts";
import type { LiteFake } from "../../src/testing/index.ts";
import { connect, messagesOf, mock, sessionId, until } from "./helpers.ts";
import { rejectionOf } from "../support/client.ts";

let server: LiteFake;
beforeAll(async () => {
  server = await mock();
});
afterAll(() => server.close());

const SECRET = "cap-9f8e7d6c5b4a";
function secretUrl(id: string, variant?: Parameters<LiteFake["wsUrlFor"]>[1]): string {
  return `${server.wsUrlFor(id, variant)}?token=${SECRET}`;
}
function expectNoSecret(error: unknown): void {
  expect(String((error as Error).message)).not.toContain(SECRET);
  expect(String((error as Error).message)).not.toContain("/v1/lite/");
  expect(String((error as Error).stack)).not.toContain(SECRET);
}

test("resolves once the server reports connected, and sends nothing before", async () => {
  const { conn, id } = await connect(server, { connectDelayMs: 60 });
  expect(conn.state).toBe("open");
  expect(messagesOf(server, id)).toEqual([]);
  conn.startListening();
  await until(() => messagesOf(server, id).length === 1);
  expect(server.violations()).toEqual([]);
  await conn.close();
  expect(conn.state).toBe("closed");
});

test("a session that never says connected times out, typed, without the ws_url, and the socket is closed", async () => {
  const id = sessionId();
  const error = await LiteConnection.connect(secretUrl(id, { neverConnected: true }), { connectTimeout: 80 }).catch(
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RealtimeConnectTimeoutError);
  expect(error).toBeInstanceOf(APIConnectionError);
  expect((error as Error).message).toMatch(
    /no session.state_updated "connected" within 80 ms from ws:\/\/127\.0\.0\.1:\d+\/\[redacted\] \(socket open/,
  );
  expectNoSecret(error);
  await until(() => server.openSockets === 0);
});

test("a refused socket is a RealtimeConnectionError without the ws_url", async () => {
  const closed = await mock();
  const url = `${closed.wsUrlFor("x")}?token=${SECRET}`;
  await closed.close();
  const error = await rejectionOf(LiteConnection.connect(url, { connectTimeout: 2000 }));
  expect(error).toBeInstanceOf(RealtimeConnectionError);
  expect((error as Error).message).toMatch(/could not connect to ws:\/\/127\.0\.0\.1:\d+\/\[redacted\]|closed before/);
  expectNoSecret(error);
});

test("a socket the server closes before connected (ended session) carries its close code", async () => {
  const id = sessionId();
  server.endSession(id);
  const error = await rejectionOf(LiteConnection.connect(secretUrl(id)));
  expect(error).toBeInstanceOf(RealtimeConnectionError);
  expect(error).toMatchObject({ closeCode: 4004, closeReason: "no such session" });
  expectNoSecret(error);
});

test("abort: an aborted signal opens nothing; an abort while waiting rejects with APIUserAbortError", async () => {
  const before = server.received.length;
  await expect(LiteConnection.connect(secretUrl(sessionId()), { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
    APIUserAbortError,
  );
  const controller = new AbortController();
  const pending = LiteConnection.connect(secretUrl(sessionId(), { neverConnected: true }), {
    signal: controller.signal,
    connectTimeout: 5000,
  });
  setTimeout(() => controller.abort(), 30);
  const error = await rejectionOf(pending);
  expect(error).toBeInstanceOf(APIUserAbortError);
  expectNoSecret(error);
  expect(server.received.length).toBe(before);
  await until(() => server.openSockets === 0);
});

test("bad arguments are refused before any socket opens", async () => {
  for (const url of ["http://example.com/ws", "not a url", 42 as unknown as string]) {
    await expect(LiteConnection.connect(url)).rejects.toBeInstanceOf(RealtimeArgumentError);
  }
  const url = `${server.wsUrlFor(sessionId())}?token=${SECRET}`;
  await expect(LiteConnection.connect(url, { connectTimeout: -1 })).rejects.toThrow(/connectTimeout/);
  await expect(LiteConnection.connect(url, { keepAliveInterval: 0 })).rejects.toThrow(/keepAliveInterval/);
  await expect(LiteConnection.connect(url, { packetMs: 60_000 })).rejects.toThrow(/packetMs/);
  const error = await rejectionOf(LiteConnection.connect(`https://x.test/${SECRET}`));
  expect(error).toBeInstanceOf(LiveAvatarError);
  expectNoSecret(error);
});

test("the WebSocket option overrides the runtime's; a constructor that throws is a typed error", async () => {
  let constructed = 0;
  class Counting extends WsSocket {
    constructor(url: string) {
      super(url);
      constructed++;
    }
  }
  const { conn } = await connect(server, {}, { WebSocket: Counting as never });
  expect(constructed).toBe(1);
  await conn.close();
  class Broken {
    constructor(url: string) {
      throw new TypeError(`bad url ${url}`);
    }
  }
  const error = await LiteConnection.connect(secretUrl(sessionId()), { WebSocket: Broken as never }).catch(
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RealtimeConnectionError);
  expectNoSecret(error);
});

test("on Node, ws is preferred to a global WebSocket (it caps frames and can drop a stalled close)", async () => {
  const scope = globalThis as { WebSocket?: unknown };
  const original = scope.WebSocket;
  const major = Number(process.versions.node.split(".")[0]);
  // Node 22 and later have a global WebSocket; Node 20 has none.
  if (major >= 22) expect(original).toBeTypeOf("function");
  else expect(original).toBeUndefined();
  let constructed = 0;
  class Global extends WsSocket {
    constructor(url: string) {
      super(url);
      constructed++;
    }
  }
  scope.WebSocket = Global;
  try {
    const { conn } = await connect(server);
    await conn.close();
  } finally {
    if (original === undefined) delete scope.WebSocket;
    else scope.WebSocket = original;
  }
  expect(constructed).toBe(0);
  expect(new WebSocketUnavailableError().message).toMatch(/npm i ws/);
});
