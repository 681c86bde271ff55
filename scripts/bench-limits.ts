// `npm run bench:limits`: what the named limits cost in memory when a peer misbehaves (issue 16's
// figures). Prints peak RSS growth for: an endless 2xx JSON body (cut by maxBodyBytes, 16 MiB by
// default); a 100 MiB LITE frame (cut by maxFrameBytes, 1 MiB); a flood of 100 frames just under
// the frame limit (100 MiB in all); and the time from close() to the process's exit against a
// peer that never answers the close handshake. Run it under each Node to compare:
//   npm run bench:limits            node_modules/node22/bin/node --import tsx scripts/bench-limits.ts
import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import { LiveAvatar } from "../src/index.ts";
import { LiteConnection } from "../src/realtime/index.ts";

const MiB = 1024 * 1024;
const CONNECTED = JSON.stringify({ type: "session.state_updated", state: "connected", event_id: "e0" });

/** Peak RSS growth over `run`, sampled every 5 ms. */
async function peakRss<T>(run: () => Promise<T>): Promise<{ result: T; peakMiB: number }> {
  globalThis.gc?.();
  const base = process.memoryUsage.rss();
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  try {
    const result = await run();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, peakMiB: (peak - base) / MiB };
  } finally {
    clearInterval(timer);
  }
}

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

async function endlessBody(): Promise<string> {
  const chunk = Buffer.from(`"${"x".repeat(64 * 1024 - 3)}",`);
  const server = http.createServer((_, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"code":100,"message":"ok","data":[');
    const pump = () => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once("drain", pump);
    };
    pump();
  });
  const port = await listen(server);
  const client = new LiveAvatar({ baseUrl: `http://127.0.0.1:${port}`, apiKey: "bench-key", maxRetries: 0 });
  const { result, peakMiB } = await peakRss(() =>
    client.GET("/v1/avatars").then(
      () => "resolved (unexpected)",
      (error: unknown) => (error instanceof Error ? error.name : String(error)),
    ),
  );
  server.closeAllConnections();
  server.close();
  return `endless 2xx body: ${result}, peak RSS +${peakMiB.toFixed(1)} MiB`;
}

async function liteServer(onOpen: (send: (data: string | Buffer) => void) => void) {
  const server = http.createServer();
  const wss = new WebSocketServer({ server });
  wss.on("connection", (ws) => {
    ws.send(CONNECTED);
    onOpen((data) => ws.send(data));
  });
  const port = await listen(server);
  return {
    url: `ws://127.0.0.1:${port}/v1/lite/bench`,
    close: () => {
      for (const ws of wss.clients) ws.terminate();
      server.closeAllConnections();
      server.close();
    },
  };
}

async function frames(label: string, count: number, bytes: number): Promise<string> {
  const junk = Buffer.alloc(bytes, 0x61);
  const peer = await liteServer((send) =>
    setTimeout(() => {
      for (let i = 0; i < count; i++) send(junk);
    }, 20),
  );
  const { result, peakMiB } = await peakRss(async () => {
    const lite = await LiteConnection.connect(peer.url, { keepAliveIdle: false });
    let unknown = 0;
    lite.on("unknown", () => unknown++);
    const ended = await Promise.race([
      lite.ended.then((e) => `ended (${e.reason})`),
      new Promise<string>((resolve) => setTimeout(() => resolve(`still open after ${unknown} unknown frames`), 3_000)),
    ]);
    await lite.close();
    return ended;
  });
  peer.close();
  return `${label}: ${result}, peak RSS +${peakMiB.toFixed(1)} MiB`;
}

/** A child connects, the peer stops reading, the child calls close(); we time until the child exits. */
async function closeToExit(): Promise<string> {
  if (process.argv.includes("--child")) {
    const url = process.argv[process.argv.indexOf("--child") + 1]!;
    const lite = await LiteConnection.connect(url, { keepAliveIdle: false });
    process.stdout.write(`closing ${Date.now()}\n`);
    await lite.close();
    return "";
  }
  const server = http.createServer();
  const wss = new WebSocketServer({ server });
  wss.on("connection", (ws, request) => {
    ws.send(CONNECTED);
    // Never answer the close frame: stop reading as soon as "connected" is sent.
    request.socket.pause();
  });
  const port = await listen(server);
  const child = spawn(
    process.execPath,
    [...process.execArgv, process.argv[1]!, "--child", `ws://127.0.0.1:${port}/v1/lite/x`],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let closingAt = 0;
  child.stdout.on("data", (data: Buffer) => {
    const match = /closing (\d+)/.exec(String(data));
    if (match) closingAt = Number(match[1]);
  });
  const guard = setTimeout(() => child.kill("SIGKILL"), 60_000);
  await new Promise((resolve) => child.on("exit", resolve));
  const elapsed = Date.now() - closingAt;
  clearTimeout(guard);
  server.closeAllConnections();
  server.close();
  return `close() to process exit, peer never answers: ${closingAt ? `${elapsed} ms` : "child never reached close()"}`;
}

if (process.argv.includes("--child")) {
  await closeToExit();
} else {
  console.log(`Node ${process.version}`);
  console.log(await endlessBody());
  console.log(await frames("one 100 MiB LITE frame", 1, 100 * MiB));
  console.log(await frames("flood of 100 frames of 1 MiB - 1 KiB", 100, MiB - 1024));
  console.log(await closeToExit());
}
