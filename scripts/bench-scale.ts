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
import { scaleTable } from "./bench/scale-table.ts";

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
  // Each size as it completes, so a run cut short keeps what it measured.
  if (values.json) console.log(`RESULT ${JSON.stringify(result)}`);
}
console.log();
console.log(scaleTable(results));
if (values.json) console.log(`\n${JSON.stringify({ machine, results }, null, 2)}`);

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
