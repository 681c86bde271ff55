// The LITE fake's reset and its named limits: what a reset forgets, and how much of a client's
// traffic it keeps (received messages, their text, sockets) whatever the client sends.
import { afterEach, expect, test } from "vitest";
import { startLiteFake, type LiteFake, type LiteFakeOptions } from "../../src/testing/index.ts";
import { peer, upgradeStatus, type Peer } from "./lite-fake-helpers.ts";

let fake: LiteFake | undefined;
afterEach(() => fake?.close());

async function start(options: LiteFakeOptions = {}): Promise<LiteFake> {
  fake = await startLiteFake({ onWarning: () => {}, ...options });
  return fake;
}

async function connected(client: Peer): Promise<void> {
  await expect.poll(() => client.frames.some((f) => f.state === "connected")).toBe(true);
}

test("reset() forgets ended sessions, variants, received messages and warnings, closes open sockets (1012)", async () => {
  const lite = await start({ acks: "without_source" });
  const open = await peer(lite.wsUrlFor("s1", { neverConnected: true }));
  await open.next("session.state_updated");
  lite.endSession("s2");
  expect(await (await peer(lite.wsUrlFor("s2"))).closed).toBe(4004);
  expect(await upgradeStatus(`${lite.url}/nope`)).toBe(404);
  expect(lite.warnings).not.toEqual([]);

  lite.reset();
  expect(await open.closed).toBe(1012);
  expect(lite.openSockets).toBe(0);
  expect(lite.received).toEqual([]);
  expect(lite.warnings).toEqual([]);
  // The same ids again (the HTTP fake hands out its seeded ids again after its own reset).
  const again = await peer(lite.wsUrlFor("s2"));
  await connected(again); // no longer ended
  again.send({ type: "session.keep_alive", event_id: "k1" });
  again.send({ type: "agent.speak", event_id: "e1", audio: "AAAAAAAA" });
  expect(await again.next("agent.audio_buffer_appended")).toMatchObject({ event_id: "srv-1" }); // ids start again
  const s1 = await peer(lite.wsUrlFor("s1"));
  await connected(s1); // its neverConnected variant is forgotten
  again.socket.close();
  s1.socket.close();
});

test("received keeps at most maxReceived messages; the oldest are dropped and counted", async () => {
  const lite = await start({ maxReceived: 10 });
  const client = await peer(lite.wsUrlFor("flood"));
  await connected(client);
  for (let i = 0; i < 25; i++) client.send({ type: "session.keep_alive", event_id: `k${i}` });
  await expect.poll(() => lite.received.length + lite.droppedReceived).toBe(25);
  expect(lite.received.length).toBeLessThanOrEqual(10);
  expect(lite.received.at(-1)!.message).toMatchObject({ event_id: "k24" });
  client.socket.close();
});

test("received keeps at most maxReceivedChars of message text; maxReceived 0 keeps nothing", async () => {
  const lite = await start({ maxReceivedChars: 2_000 });
  const client = await peer(lite.wsUrlFor("big"));
  await connected(client);
  const audio = "A".repeat(400);
  for (let i = 0; i < 20; i++) client.send({ type: "agent.speak", event_id: `e${i}`, audio });
  await expect.poll(() => lite.received.length + lite.droppedReceived).toBe(20);
  const kept = lite.received.reduce((sum, r) => sum + JSON.stringify(r.message).length, 0);
  expect(kept).toBeLessThanOrEqual(2_000);
  expect(lite.received.length).toBeGreaterThan(0);
  client.socket.close();
  await lite.close();

  const none = await start({ maxReceived: 0 });
  const quiet = await peer(none.wsUrlFor("quiet"));
  await connected(quiet);
  quiet.send({ type: "session.keep_alive", event_id: "k" });
  await expect.poll(() => none.droppedReceived).toBe(1);
  expect(none.received).toEqual([]);
  quiet.socket.close();
});

test("sockets beyond maxConnections are answered 503 with a warning", async () => {
  const lite = await start({ maxConnections: 2 });
  const a = await peer(lite.wsUrlFor("a"));
  const b = await peer(lite.wsUrlFor("b"));
  expect(await upgradeStatus(lite.wsUrlFor("c"))).toBe(503);
  expect(lite.warnings.at(-1)).toMatchObject({ kind: "too_many_connections" });
  a.socket.close();
  await a.closed;
  await expect.poll(() => lite.openSockets).toBe(1);
  expect(await upgradeStatus(lite.wsUrlFor("c"))).toBe(101);
  b.socket.close();
});

test("a client that sends without reading is cut once maxUnsentBytes wait for it, with a warning", async () => {
  const lite = await start({ maxUnsentBytes: 64 * 1024 });
  const client = await peer(lite.wsUrlFor("deaf"));
  await connected(client);
  client.socket.pause(); // reads nothing from now on
  // Each frame draws an `error` naming its 50 000-character key: the answers pile up unread.
  const key = "k".repeat(50_000);
  for (let i = 0; i < 400 && lite.openSockets > 0; i++) {
    client.send(`{"type":"session.keep_alive","event_id":"e","${key}":1}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await expect.poll(() => lite.warnings.map((w) => w.kind)).toContain("slow_reader");
  expect(lite.openSockets).toBe(0);
  client.socket.terminate();
});
