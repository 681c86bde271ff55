// npm run bench:audio [-- --quick]
// What the LITE client costs per 1 s speech packet (frame + base64 + send) next to a raw
// baseline in the same run, over a real WebSocket to a sink server in its own process:
//   raw           ws.send(JSON.stringify({type, event_id, audio})) of a base64 string made beforehand
//   raw+base64    the same, encoding each packet with Buffer#toString("base64") first
//   client        LiteConnection.speak(...) of the same audio, as one utterance
// Then audio seconds per CPU second, and heap over a simulated 10-minute stream (sent faster
// than real time, as every implementation does). Figures are printed, never asserted.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { WebSocket } from "ws";
import { LiteConnection } from "../src/realtime/index.ts";
import { collectGarbage, median } from "./bench/measure.ts";
import { describeMachine } from "./bench/report.ts";

const PACKET = 48_000; // 1 s of PCM16 at 24 kHz mono
const quick = process.argv.includes("--quick");
const PACKETS = quick ? 120 : 600; // seconds of audio per run
const ROUNDS = quick ? 3 : 7;

// The sink: a ws server that says "connected" and discards everything, in a child process so its
// CPU is not counted here.
if (process.argv[2] === "--sink") {
  const { WebSocketServer } = await import("ws");
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  server.on("listening", () => process.send!((server.address() as { port: number }).port));
  server.on("connection", (socket) =>
    socket.send(JSON.stringify({ type: "session.state_updated", state: "connected" })),
  );
} else {
  await main();
}

function audio(seconds: number): Uint8Array {
  const samples = new Int16Array(seconds * 24_000);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 24_000));
  return new Uint8Array(samples.buffer);
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

async function drained(socket: { bufferedAmount: number }, limit: number): Promise<void> {
  while (socket.bufferedAmount > limit) await new Promise((resolve) => setTimeout(resolve, 1));
}

async function openRaw(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.once("message", resolve);
    socket.once("error", reject);
  });
  return socket;
}

/** CPU ms per packet for the raw baseline; `encode` adds the base64 step. */
async function runRaw(url: string, bytes: Uint8Array, encode: boolean): Promise<number> {
  const socket = await openRaw(url);
  const packets = Array.from({ length: PACKETS }, (_, i) => bytes.subarray(i * PACKET, (i + 1) * PACKET));
  const pre = encode ? [] : packets.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength).toString("base64"));
  collectGarbage();
  const start = cpuMs();
  for (let i = 0; i < PACKETS; i++) {
    await drained(socket, 1024 * 1024); // the same back-off the client applies
    const p = packets[i]!;
    const b64 = encode ? Buffer.from(p.buffer, p.byteOffset, p.byteLength).toString("base64") : pre[i]!;
    socket.send(JSON.stringify({ type: "agent.speak", event_id: "utterance-1", audio: b64 }));
  }
  socket.send(JSON.stringify({ type: "agent.speak_end", event_id: "utterance-1" }));
  await drained(socket, 0);
  const spent = cpuMs() - start;
  socket.close();
  return spent / PACKETS;
}

async function runClient(url: string, bytes: Uint8Array): Promise<number> {
  const conn = await LiteConnection.connect(url, { firstPacketMs: 1000 });
  collectGarbage();
  const start = cpuMs();
  const speech = conn.speak(bytes);
  await speech.sent;
  await drained(conn as unknown as { bufferedAmount: number }, 0);
  const spent = cpuMs() - start;
  speech.catch(() => {});
  await conn.close();
  return spent / PACKETS;
}

/** Heap over a 10-minute stream from an async generator (fresh 1 s chunks, like TTS). */
async function heapOverStream(url: string): Promise<number[]> {
  const conn = await LiteConnection.connect(url);
  const samples: number[] = [];
  const chunk = audio(1);
  async function* tts(): AsyncGenerator<Uint8Array> {
    for (let second = 0; second < 600; second++) {
      if (second % 60 === 0) {
        collectGarbage();
        samples.push(process.memoryUsage().heapUsed);
      }
      yield chunk.slice(); // a new buffer each second, as a TTS engine would hand over
    }
  }
  const speech = conn.speak(tts());
  await speech.sent;
  collectGarbage();
  samples.push(process.memoryUsage().heapUsed);
  speech.catch(() => {});
  await conn.close();
  return samples;
}

async function main(): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ["--sink"], { execArgv: ["--import", "tsx"] });
  const port = await new Promise<number>((resolve) => child.once("message", (m) => resolve(m as number)));
  const url = `ws://127.0.0.1:${port}/bench`;
  const bytes = audio(PACKETS);
  try {
    const m = describeMachine();
    console.log(
      `LITE audio path, ${PACKETS} x 1 s packets per run, ${ROUNDS} rounds; ${m.cpu}, ${m.cores} cores, Node ${m.node}\n`,
    );
    // warm-up
    await runRaw(url, bytes, true);
    await runClient(url, bytes);
    const raw: number[] = [];
    const rawEncode: number[] = [];
    const client: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // alternate the order so drift on a shared machine hits all three alike
      const order = round % 2 === 0 ? ["raw", "encode", "client"] : ["client", "encode", "raw"];
      for (const way of order) {
        if (way === "raw") raw.push(await runRaw(url, bytes, false));
        else if (way === "encode") rawEncode.push(await runRaw(url, bytes, true));
        else client.push(await runClient(url, bytes));
      }
    }
    const row = (name: string, values: number[]) =>
      `${name.padEnd(12)} ${median(values).toFixed(3).padStart(8)} ms CPU/packet   ${(1000 / median(values)).toFixed(0).padStart(6)} audio s per CPU s`;
    console.log(row("raw", raw));
    console.log(row("raw+base64", rawEncode));
    console.log(row("client", client));
    console.log(
      `\nclient / raw+base64: ${(median(client) / median(rawEncode)).toFixed(2)}x   client / raw (base64 made beforehand): ${(median(client) / median(raw)).toFixed(2)}x   (aim: within 1.10x)`,
    );
    const heap = await heapOverStream(url);
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    console.log(
      `\nheap over a 10-minute stream (every 60 s of audio, after GC): ${heap.map(mb).join(", ")} MB; growth ${mb(heap.at(-1)! - heap[0]!)} MB`,
    );
  } finally {
    child.kill();
  }
}
