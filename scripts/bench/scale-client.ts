// One size of `npm run bench:scale`, in a fresh process (so RSS starts from the same baseline):
// N LITE connections to the mock (another process), first idle with keep-alives, then each
// streaming TTS-like audio at real time. Sends its figures to the parent over IPC.
import { fork, type ChildProcess } from "node:child_process";
import { loadavg } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { LiteConnection } from "../../src/realtime/index.ts";
import { collectGarbage } from "./measure.ts";
import { CHUNK, CHUNK_MS, Feed, staggeredTicks } from "./scale-feed.ts";
import type { MockReport } from "./scale-mock.ts";
import { installTimerCount, liveTimers, timersCreated } from "./scale-timers.ts";

export interface ScaleConfig {
  sessions: number;
  streamSeconds: number;
  idleSeconds: number;
  keepAliveMs: number;
  /** Mock processes; sessions are spread over them round-robin. */
  mocks: number;
}

export interface PhaseFigures {
  /** Client CPU over the phase, in % of one core. */
  cpuPercent: number;
  /** The mock processes' CPU over the same window, in % of one core (summed over them). */
  mockCpuPercent: number;
  /** RSS above the process's baseline (before connecting), per connection, in bytes. */
  rssPerConnection: number;
  /** Heap in use above the baseline, per connection, in bytes. */
  heapPerConnection: number;
  /** Event-loop delay beyond the 10 ms sampling interval, in ms. */
  loopDelayP50: number;
  loopDelayP99: number;
  /** Timers alive per connection, unref'd ones included, counted halfway through the phase. */
  timersPerSession: number;
  /** Of those, the ones keeping the process alive (what process.getActiveResourcesInfo lists). */
  refTimersPerSession: number;
  /** Timers created per second per connection (setTimeout/setInterval calls). */
  timersCreatedPerSecond: number;
}

export interface ScaleResult {
  config: ScaleConfig;
  /** The client's runtime and the WebSocket it used. */
  runtime: string;
  connectMs: number;
  idle: PhaseFigures;
  streaming: PhaseFigures & {
    /** Audio seconds sent per wall second, over all streams (N at real time). */
    realTimeStreams: number;
    /** Last packet handed to `speak()` -> the speech resolved, in ms. */
    settleP50: number;
    settleP99: number;
    speeches: number;
    /** Speeches that rejected during the phase, and connections that ended without close(). */
    failures: number;
    /** Speeches still unsettled 10 s after the phase (their server fell behind), rejected by close(). */
    unsettled: number;
  };
  /** 1-minute load average at the start and the end of this size's run. */
  load: [number, number];
}

const RESOLUTION_MS = 10;

if (process.argv[2] === "--run") {
  installTimerCount();
  const [sessions, streamSeconds, idleSeconds, keepAliveMs, mocks] = process.argv.slice(3).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const result = await run({ sessions, streamSeconds, idleSeconds, keepAliveMs, mocks });
  process.send!(result, () => process.exit(0));
}

async function run(config: ScaleConfig): Promise<ScaleResult> {
  const load0 = loadAverage();
  const mock = await startMocks(config.mocks);
  // One connection first, closed again: loads `ws` (imported on first use) and warms the code, so
  // the baseline holds what every size shares and the per-connection figures hold only connections.
  const warm = await LiteConnection.connect(mock.wsUrlFor(config.sessions), { keepAliveInterval: config.keepAliveMs });
  await warm.speak(CHUNK);
  await warm.close();
  const baseline = await memory();
  const [timersBefore, refTimersBefore] = liveTimers();
  const n = config.sessions;

  // Connect in batches, as a backend would bring sessions up, not all in one burst.
  const started = performance.now();
  const connections: LiteConnection[] = [];
  for (let i = 0; i < n; i += 100) {
    const batch = Array.from({ length: Math.min(100, n - i) }, (_, j) =>
      // No WebSocket option: the client's own choice (the runtime's global one, else `ws` on Node 20).
      LiteConnection.connect(mock.wsUrlFor(i + j), { keepAliveInterval: config.keepAliveMs }),
    );
    connections.push(...(await Promise.all(batch)));
  }
  const connectMs = performance.now() - started;
  let unexpectedEnds = 0;
  for (const connection of connections)
    void connection.ended.then((e) => e.reason !== "client_closed" && unexpectedEnds++);

  // Idle: connected, keep-alives only.
  const idleMemory = await memory();
  // The bench's own timers alive at the count: none idle, the producers' tick and the RSS sampler streaming.
  const perSession = (own: number) => () => {
    const [all, refd] = liveTimers();
    return [(all - timersBefore - own) / n, (refd - refTimersBefore - own) / n] as const;
  };
  const idle = await phase(mock, config.idleSeconds, n, perSession(0));

  // Streaming: every connection speaks sentence after sentence of 2-5 s, fed in 100 ms chunks at real time.
  const settle: number[] = [];
  let speeches = 0;
  let failures = 0;
  let measuring = true;
  let outstanding = 0; // finished sentences whose speech has not settled yet
  let chunksSent = 0;
  const feeds: Feed[] = [];
  const left: number[] = []; // chunks left in each stream's sentence
  const sentence = (stream: number) => {
    const feed = new Feed();
    feeds[stream] = feed;
    left[stream] = 20 + ((stream * 7919 + speeches * 104_729) % 31); // 2.0 to 5.0 s
    speeches++;
    return connections[stream]!.speak(feed);
  };
  let pending: PromiseLike<void>[] = [];
  // Streams start spread over one second (the client's packet length), as independent agents
  // would: started together, every stream would send its 1 s packets in the same 100 ms.
  const startIn = Array.from({ length: n }, (_, stream) => Math.floor(stream / 10) % 10);
  const streamingPeak = { rss: 0, heap: 0 };
  const sample = setInterval(() => {
    const usage = process.memoryUsage();
    streamingPeak.rss = Math.max(streamingPeak.rss, usage.rss);
    streamingPeak.heap = Math.max(streamingPeak.heap, usage.heapUsed);
  }, 1000);
  const stop = staggeredTicks(n, (stream) => {
    if (startIn[stream]! > 0) return void startIn[stream]!--;
    if (!feeds[stream]) pending[stream] = sentence(stream);
    const feed = feeds[stream]!;
    feed.push(CHUNK);
    chunksSent++;
    if (--left[stream]! > 0) return;
    // The sentence's last chunk: time it to the speech settling, and start the next sentence.
    const lastAt = performance.now();
    feed.end();
    const speech = pending[stream]!;
    outstanding++;
    speech.then(
      () => {
        outstanding--;
        settle.push(performance.now() - lastAt);
      },
      () => {
        outstanding--;
        if (measuring) failures++;
      },
    );
    pending[stream] = sentence(stream);
  });
  const streamStart = performance.now();
  const streaming = await phase(mock, config.streamSeconds, n, perSession(2));
  const streamWall = performance.now() - streamStart;
  stop();
  clearInterval(sample);
  // The sentences still open end here; they are not counted (their last packet came from stopping).
  for (const feed of feeds) feed.end();
  await Promise.race([Promise.allSettled(pending), new Promise((resolve) => setTimeout(resolve, 10_000))]);
  measuring = false;
  const unsettled = outstanding;
  pending = [];

  await Promise.all(connections.map((c) => c.close()));
  mock.stop();
  settle.sort((a, b) => a - b);
  const websocket = typeof (globalThis as { WebSocket?: unknown }).WebSocket === "function" ? "global WebSocket" : "ws";
  return {
    config,
    runtime: `Node ${process.version}, ${websocket}`,
    connectMs,
    idle: {
      ...idle,
      rssPerConnection: (idleMemory.rss - baseline.rss) / n,
      heapPerConnection: (idleMemory.heap - baseline.heap) / n,
    },
    streaming: {
      ...streaming,
      rssPerConnection: (streamingPeak.rss - baseline.rss) / n,
      heapPerConnection: (streamingPeak.heap - baseline.heap) / n,
      realTimeStreams: (chunksSent * CHUNK_MS) / streamWall,
      settleP50: percentile(settle, 0.5),
      settleP99: percentile(settle, 0.99),
      speeches: settle.length,
      failures: failures + unexpectedEnds,
      unsettled,
    },
    load: [load0, loadAverage()],
  };
}

interface Mock {
  wsUrlFor(session: number): string;
  /** CPU milliseconds used since the previous call, summed over the mock processes. */
  cpuMs(): Promise<number>;
  stop(): void;
}

async function startMocks(count: number): Promise<Mock> {
  const mocks = await Promise.all(Array.from({ length: count }, startMock));
  return {
    wsUrlFor: (session) => `${mocks[session % count]!.url}/v1/lite/bench-${session}`,
    cpuMs: async () => (await Promise.all(mocks.map((m) => m.cpuMs()))).reduce((a, b) => a + b, 0),
    stop: () => mocks.forEach((m) => m.process.send({ type: "stop" })),
  };
}

async function startMock(): Promise<{ process: ChildProcess; url: string; cpuMs(): Promise<number> }> {
  const child = fork(join(import.meta.dirname, "scale-mock.ts"), [], {
    // `bench:scale --cpu-prof <dir>` profiles the mock too.
    execArgv: [...process.execArgv.filter((a) => a.startsWith("--cpu-prof")), "--import", import.meta.resolve("tsx")],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const next = () => new Promise<MockReport>((resolve) => child.once("message", (m) => resolve(m as MockReport)));
  const ready = await next();
  if (ready.type !== "ready") throw new Error("the mock did not start");
  return {
    process: child,
    url: ready.url,
    cpuMs: async () => {
      const reply = next();
      child.send({ type: "cpu" });
      const report = await reply;
      return report.type === "cpu" ? report.cpuMs : 0;
    },
  };
}

/** CPU, event-loop delay and timers over `seconds`; timers are counted halfway through. */
async function phase(mock: Mock, seconds: number, n: number, countTimers: () => readonly [number, number]) {
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  await mock.cpuMs();
  const cpu = process.cpuUsage();
  const created = timersCreated();
  const started = performance.now();
  delay.enable();
  await sleep((seconds * 1000) / 2);
  const [timersPerSession, refTimersPerSession] = countTimers();
  await sleep((seconds * 1000) / 2);
  delay.disable();
  const used = process.cpuUsage(cpu);
  const wall = performance.now() - started;
  // The phase's own two sleeps are not the client's.
  const timersCreatedPerSecond = ((timersCreated() - created - 2) / n / wall) * 1000;
  const mockCpu = await mock.cpuMs();
  const beyond = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  return {
    cpuPercent: ((used.user + used.system) / 1000 / wall) * 100,
    mockCpuPercent: (mockCpu / wall) * 100,
    loopDelayP50: beyond(delay.percentile(50)),
    loopDelayP99: beyond(delay.percentile(99)),
    timersPerSession,
    refTimersPerSession,
    timersCreatedPerSecond,
  };
}

async function memory(): Promise<{ rss: number; heap: number }> {
  for (let i = 0; i < 3; i++) {
    collectGarbage();
    await sleep(20);
  }
  const usage = process.memoryUsage();
  return { rss: usage.rss, heap: usage.heapUsed };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

function loadAverage(): number {
  return Math.round(loadavg()[0]! * 100) / 100;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
