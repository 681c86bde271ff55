// npm run bench:scale [-- --sizes 1,10,100,1000,2000 --seconds 30 --idle-seconds 10 --keep-alive 5000]
// How the LITE client's cost grows with the number of sessions in one process. For each N, a
// fresh client process opens N LiteConnections to the package's LITE mock, which runs in a
// process of its own (its CPU is reported beside the client's), and measures:
//   idle       N connections with keep-alives every --keep-alive ms, nothing else
//   streaming  each connection speaking TTS-like PCM16 24 kHz at real time: 100 ms chunks,
//              sentences of 2-5 s one after another, producers staggered over ten 10 ms slots
// Figures: client CPU per real-time stream (CPU over audio seconds sent per second), RSS per
// connection (above the process's baseline), event-loop delay p50/p99, last packet -> speech
// settled p99, timers alive per session. `--mocks 2` spreads the sessions over two mock processes.
// `--seconds 5` is a quick check; the documented figures use the defaults (30 s streaming).
import { fork } from "node:child_process";
import { loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { describeMachine } from "./bench/report.ts";
import type { ScaleResult } from "./bench/scale-client.ts";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "1,10,100,1000,2000" },
    seconds: { type: "string", default: "30" },
    "idle-seconds": { type: "string", default: "10" },
    "keep-alive": { type: "string", default: "5000" },
    /** Mock processes to spread the sessions over (one mock process saturates its core near 1,000 streams). */
    mocks: { type: "string", default: "1" },
    /** The Node binary for the client process (default: this one), e.g. to compare Node 22's global WebSocket with `ws`. */
    node: { type: "string" },
    json: { type: "boolean", default: false },
    /** Writes a V8 CPU profile of each client process into this directory (node --cpu-prof). */
    "cpu-prof": { type: "string" },
  },
});
const sizes = values.sizes.split(",").map(Number);
const streamSeconds = Number(values.seconds);
const idleSeconds = Number(values["idle-seconds"]);
const keepAliveMs = Number(values["keep-alive"]);
const mocks = Number(values.mocks);
for (const [name, value] of Object.entries({
  sizes: Math.min(...sizes),
  streamSeconds,
  idleSeconds,
  keepAliveMs,
  mocks,
})) {
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`bench:scale: --${name} must be positive numbers, got ${JSON.stringify(values)}`);
    process.exit(2);
  }
}

const machine = describeMachine();
console.log(
  `${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.os}; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
console.log(
  `streaming ${streamSeconds} s, idle ${idleSeconds} s with keep-alives every ${keepAliveMs} ms; sizes ${sizes.join(", ")}; ${mocks} mock process(es)\n`,
);

const results: ScaleResult[] = [];
for (const sessions of sizes) {
  process.stdout.write(`N = ${sessions} ... `);
  const result = await runSize(sessions);
  results.push(result);
  console.log(
    `${result.runtime}: ${result.streaming.cpuPercent.toFixed(1)} % CPU streaming, loop p99 ${result.streaming.loopDelayP99.toFixed(1)} ms, load ${result.load.join(" -> ")}`,
  );
}
console.log();
console.log(values.json ? JSON.stringify({ machine, results }, null, 2) : table(results));

function runSize(sessions: number): Promise<ScaleResult> {
  const child = fork(
    join(import.meta.dirname, "bench", "scale-client.ts"),
    ["--run", ...[sessions, streamSeconds, idleSeconds, keepAliveMs, mocks].map(String)],
    {
      ...(values.node ? { execPath: values.node } : {}),
      execArgv: [
        "--expose-gc",
        ...(values["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${values["cpu-prof"]}`] : []),
        "--import",
        import.meta.resolve("tsx"),
      ],
    },
  );
  return new Promise((resolve, reject) => {
    child.once("message", (result) => resolve(result as ScaleResult));
    child.once("exit", (code) => reject(new Error(`the client process for N = ${sessions} exited with ${code}`)));
  });
}

function table(rows: ScaleResult[]): string {
  const kb = (bytes: number) => (bytes / 1024).toFixed(1);
  const ms = (n: number) => (Number.isNaN(n) ? "-" : n.toFixed(1));
  const header = [
    "N",
    "audio s/s sent",
    "streaming CPU % (mock)",
    "CPU % per real-time stream",
    "RSS KB/conn stream",
    "RSS (heap) KB/conn idle",
    "loop p50/p99 ms stream",
    "loop p50/p99 ms idle",
    "settle p99 ms",
    "timers/session stream/idle (ref'd)",
    "timers created /s/session stream",
    "idle CPU % (mock)",
    "load 1 min",
  ];
  const body = rows.map(({ config, streaming: s, idle: i, load }) => [
    String(config.sessions),
    s.realTimeStreams.toFixed(0),
    `${s.cpuPercent.toFixed(1)} (${s.mockCpuPercent.toFixed(1)})`,
    (s.cpuPercent / s.realTimeStreams).toFixed(3),
    kb(s.rssPerConnection),
    `${kb(i.rssPerConnection)} (${kb(i.heapPerConnection)})`,
    `${ms(s.loopDelayP50)} / ${ms(s.loopDelayP99)}`,
    `${ms(i.loopDelayP50)} / ${ms(i.loopDelayP99)}`,
    `${ms(s.settleP99)}${s.failures ? ` (${s.failures} failed)` : ""}${s.unsettled ? ` (${s.unsettled} unsettled)` : ""}`,
    `${s.timersPerSession.toFixed(2)} / ${i.timersPerSession.toFixed(2)} (${s.refTimersPerSession.toFixed(2)} / ${i.refTimersPerSession.toFixed(2)})`,
    s.timersCreatedPerSecond.toFixed(1),
    `${i.cpuPercent.toFixed(1)} (${i.mockCpuPercent.toFixed(1)})`,
    load.join(" -> "),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((r) => r[c]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, c) => cell.padStart(widths[c]!)).join(" | ")} |`;
  return [line(header), `| ${widths.map((w) => `${"-".repeat(w - 1)}:`).join(" | ")} |`, ...body.map(line)].join("\n");
}
