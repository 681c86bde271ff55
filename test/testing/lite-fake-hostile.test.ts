// The LITE fake under hostile input: junk paths, malformed escapes, junk upgrades, oversize frames
// and prototype keys never reach the hosting process, and the fake keeps serving afterwards.
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import WebSocket from "ws";
import { startLiteFake, type LiteFake, type LiteFakeWarning } from "../../src/testing/index.ts";
import { assertPrototypesClean, withHostWatch } from "../support/invariants.ts";
import { peer, rawExchange, upgradeStatus, type Peer } from "./lite-fake-helpers.ts";

let fake: LiteFake;
const warnings: LiteFakeWarning[] = [];
beforeAll(async () => {
  fake = await startLiteFake({ maxFrameBytes: 4096, onWarning: (w) => warnings.push(w) });
});
afterAll(() => fake.close());

let sessions = 0;

/** Resolves once the fake said "connected" to `client`. */
async function connected(client: Peer): Promise<void> {
  await expect.poll(() => client.frames.some((f) => f.state === "connected")).toBe(true);
}

/** The fake still serves a normal session after whatever the test did. */
async function stillServes(): Promise<void> {
  const client = await peer(fake.wsUrlFor(`after-${++sessions}`));
  await connected(client);
  client.socket.close();
}

test("a malformed percent-escape in the session id is answered 400; the process never sees a URIError", async () => {
  await withHostWatch(async () => {
    expect(await upgradeStatus(`${fake.url}/v1/lite/%E0%A4%A`)).toBe(400);
    expect(await upgradeStatus(`${fake.url}/v1/lite/%`)).toBe(400);
  });
  expect(warnings.at(-1)).toMatchObject({ kind: "upgrade_refused" });
  expect(warnings.at(-1)!.message).not.toContain("%E0");
  await stillServes();
});

test("junk paths are answered 404, a plain request 426, a junk upgrade 400, garbage bytes close the connection", async () => {
  await withHostWatch(async () => {
    for (const path of ["/", "/v1/lite/", "/v1/lite/a/b", "/other?x=1", "/v1/lite"]) {
      expect(await upgradeStatus(`${fake.url}${path}`), path).toBe(404);
    }
    const http = fake.url.replace("ws:", "http:");
    expect((await fetch(`${http}/v1/lite/s`)).status).toBe(426);
    const noKey = await rawExchange(
      fake.url,
      "GET /v1/lite/s HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
    );
    expect(noKey).toMatch(/^HTTP\/1\.1 400/);
    expect(await rawExchange(fake.url, "\u0000\u0001 garbage \r\n\r\n")).toMatch(/^(HTTP\/1\.1 400|)/);
  });
  await stillServes();
});

test("an exception inside the fake closes that socket (1011) with a warning, never reaching the host", async () => {
  const client = await peer(fake.wsUrlFor("throws", { keepAliveNoSession: true }));
  await connected(client);
  await withHostWatch(async () => {
    client.send({ type: "session.keep_alive", event_id: "k1" });
    // The fake's answer (an `error`) is the next send of a server socket: make it throw there.
    vi.spyOn(WebSocket.prototype, "send").mockImplementationOnce(() => {
      throw new Error("send failed");
    });
    expect(await client.closed).toBe(1011);
  });
  vi.restoreAllMocks();
  expect(warnings.at(-1)).toMatchObject({ kind: "internal_error", sessionId: "throws" });
  expect(warnings.at(-1)!.message).toMatch(/send failed/);
  await stillServes();
});

test("a frame over maxFrameBytes closes that socket with 1009 and a warning; memory never holds it", async () => {
  const client = await peer(fake.wsUrlFor("big"));
  await withHostWatch(async () => {
    client.send({ type: "agent.speak", event_id: "e1", audio: "A".repeat(8192) });
    expect(await client.closed).toBe(1009);
  });
  expect(warnings.at(-1)).toMatchObject({ kind: "frame_too_large", sessionId: "big" });
  expect(fake.received.filter((r) => r.sessionId === "big")).toEqual([]);
  await stillServes();
});

test("prototype keys in a frame are refused and change no object", async () => {
  const client = await peer(fake.wsUrlFor("proto"));
  await connected(client);
  const frames = [
    '{"type":"agent.speak","audio":"AAAA","__proto__":{"polluted":1}}',
    '{"type":"constructor"}',
    '{"type":"__proto__"}',
    '{"type":"toString"}',
    '{"type":"agent.interrupt","constructor":{"prototype":{"isAdmin":true}}}',
  ];
  for (const frame of frames) client.send(frame);
  await expect.poll(() => fake.received.filter((r) => r.sessionId === "proto").length).toBe(frames.length);
  const records = fake.received.filter((r) => r.sessionId === "proto");
  for (const record of records) {
    expect(record.violations, String(record.message)).not.toEqual([]);
    expect(typeof record.message).toBe("string"); // kept as the text that came, never as an object
  }
  assertPrototypesClean();
  client.socket.close();
});
