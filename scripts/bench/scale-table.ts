// The table `npm run bench:scale` prints (and docs/performance.md quotes): one row per size.
import type { ScaleResult } from "./scale-client.ts";

export function scaleTable(rows: ScaleResult[]): string {
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
