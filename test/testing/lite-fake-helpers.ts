// A raw `ws` client for the LITE fake's own tests: it sends what the package's client never would
// (junk, oversize frames, prototype keys) and reports what the fake answered.
import { connect as tcp } from "node:net";
import { expect, vi } from "vitest";
import WebSocket from "ws";

export interface Peer {
  socket: WebSocket;
  /** Every frame the fake sent, parsed. */
  frames: Record<string, unknown>[];
  /** Resolves with the close code. */
  closed: Promise<number>;
  /** Resolves with the first frame of `type` (already received or still to come). */
  next(type: string): Promise<Record<string, unknown>>;
  send(value: unknown): void;
}

/** Opens `url` and resolves once the socket is open (with "connected" still to come, or not). */
export function peer(url: string, options: { maxPayload?: number } = {}): Promise<Peer> {
  const socket = new WebSocket(url, options);
  const frames: Record<string, unknown>[] = [];
  const waiting: { type: string; resolve: (frame: Record<string, unknown>) => void }[] = [];
  socket.on("message", (data, isBinary) => {
    if (isBinary) return;
    let frame: Record<string, unknown>;
    try {
      frame = JSON.parse(String(data)) as Record<string, unknown>;
    } catch {
      return;
    }
    frames.push(frame);
    for (const w of waiting.filter((w) => w.type === frame.type)) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve(frame);
    }
  });
  const closed = new Promise<number>((resolve) => socket.on("close", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    socket.once("error", reject);
    socket.once("open", () =>
      resolve({
        socket,
        frames,
        closed,
        next: (type) =>
          new Promise((resolveFrame) => {
            const seen = frames.find((f) => f.type === type);
            if (seen) resolveFrame(seen);
            else waiting.push({ type, resolve: resolveFrame });
          }),
        send: (value) => socket.send(typeof value === "string" ? value : JSON.stringify(value)),
      }),
    );
  });
}

/** Opens `url` and resolves with the HTTP status the upgrade was refused with (101 when it opened, 0 when cut). */
export function upgradeStatus(url: string): Promise<number> {
  const socket = new WebSocket(url);
  return new Promise((resolve) => {
    socket.once("unexpected-response", (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once("open", () => {
      resolve(101);
      socket.terminate();
    });
    socket.on("error", () => resolve(0));
  });
}

/** Writes `text` on a plain TCP connection to `url`'s port; resolves with all the fake answered. */
export function rawExchange(url: string, text: string): Promise<string> {
  const port = Number(new URL(url).port);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = tcp(port, "127.0.0.1", () => socket.end(text));
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", () => {});
    socket.on("close", () => resolve(Buffer.concat(chunks).toString()));
  });
}

/** `ms` of silence as base64 PCM16, 24 kHz mono. */
export function audio(ms: number): string {
  return Buffer.alloc((48_000 * ms) / 1000).toString("base64");
}

let barriers = 0;

/**
 * Resolves once every frame the fake sent before now has arrived: the fake answers an unknown
 * command with an `error` on the same socket, after whatever it sent earlier.
 */
export async function barrier(client: Peer): Promise<void> {
  const type = `barrier.${++barriers}`;
  const seen = client.frames.length;
  client.send({ type });
  await new Promise<void>((resolve) => {
    const check = () =>
      client.frames.slice(seen).some((f) => f.type === "error" && JSON.stringify(f).includes(type))
        ? resolve()
        : client.socket.once("message", () => setImmediate(check));
    check();
  });
}

/** A raw client of `url` once the fake said "connected" (under fake timers: the clock moves by 0). */
export async function connectedPeer(url: string): Promise<Peer> {
  const client = await peer(url);
  await vi.advanceTimersByTimeAsync(0);
  await client.next("session.state_updated");
  await barrier(client);
  expect(client.frames.some((f) => f.state === "connected")).toBe(true);
  return client;
}

/** The types of the frames `client` got, leaving out session states and errors. */
export function speakingTypes(client: Peer): string[] {
  return client.frames.map((f) => String(f.type)).filter((t) => !/^(error|session)/.test(t));
}

/** Moves the fake clock by `ms`, then waits for what the fake sent meanwhile. */
export async function advance(client: Peer, ms: number): Promise<void> {
  // Every frame sent so far is processed before the clock moves: on a loaded machine the socket may
  // still hold some, and they would arrive after the time they were meant to play in.
  await barrier(client);
  await vi.advanceTimersByTimeAsync(ms);
  await barrier(client);
}

/** Resolves `promise`, moving the fake clock in steps of `stepMs` and letting sockets deliver in between. */
export async function drive<T>(promise: Promise<T>, stepMs = 0): Promise<T> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; !done && i < 1000; i++) {
    await vi.advanceTimersByTimeAsync(stepMs);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return promise;
}
