// Turning measurements into the printed tables.
import { cpus, availableParallelism, loadavg, release } from "node:os";
import { readFileSync } from "node:fs";
import type { BodySize, Way } from "./callers.ts";
import type { HeapTrace } from "./measure.ts";
import type { BundleSize, GenerateTime, ImportTime } from "./extras.ts";

export interface Row {
  body: BodySize;
  operation: string;
  inFlight: number;
  way: Way;
  callsPerRound: number;
  callsPerSecond: number;
  /** Medians over the measured rounds. */
  usPerCall: number;
  cpuUsPerCall: number;
  /** Median over rounds of this way's time divided by raw fetch's in the same round. */
  vsFetch: number;
  /** The same against bare openapi-fetch. */
  vsOpenapiFetch: number;
  /** The same two ratios for CPU time, which another process's load disturbs less than wall time. */
  cpuVsFetch: number;
  cpuVsOpenapiFetch: number;
  rounds: { usPerCall: number; cpuUsPerCall: number }[];
}

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  os: string;
  loadAverageAtStart: number[];
}

export interface Target {
  what: string;
  /** The measured wall-time ratio (or heap figure). */
  value: string;
  /** The same ratio in CPU time. */
  cpu: string;
  limit: string;
  met: boolean | null;
}

export function describeMachine(): Machine {
  let cpu = cpus()[0]?.model ?? "unknown";
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((l) => l.startsWith("model name"));
    if (line) cpu = line.split(":")[1]!.trim();
  } catch {
    // not Linux: os.cpus() it is
  }
  return {
    cpu,
    cores: availableParallelism(),
    node: process.version,
    os: `${process.platform} ${release()}`,
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const fixed = (n: number, digits = 1) => n.toFixed(digits);
export const ratio = (n: number, digits = 2) => `${n.toFixed(digits)}x`;
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

function markdownTable(header: string[], rows: string[][], rightAligned: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (rightAligned[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(" | ")} |`;
  const rule = `| ${widths.map((w, i) => (rightAligned[i] ? `${"-".repeat(w - 1)}:` : "-".repeat(w))).join(" | ")} |`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

export const CALL_TABLE_HEADER = [
  "body",
  "operation",
  "in flight",
  "client",
  "calls/s",
  "µs/call",
  "CPU µs/call",
  "vs fetch",
  "vs openapi-fetch",
];

export function callTable(rows: Row[]): string {
  return markdownTable(
    CALL_TABLE_HEADER,
    rows.map((r) => [
      r.body,
      r.operation,
      String(r.inFlight),
      r.way,
      int(r.callsPerSecond),
      fixed(r.usPerCall),
      fixed(r.cpuUsPerCall),
      ratio(r.vsFetch),
      r.way === "fetch" ? "-" : ratio(r.vsOpenapiFetch),
    ]),
    [false, false, true, false, true, true, true, true, true],
  );
}

export function targetTable(targets: Target[]): string {
  return markdownTable(
    ["target (evaluated, not asserted)", "measured", "limit", "result", "CPU time ratio"],
    targets.map((t) => [t.what, t.value, t.limit, t.met === null ? "not judged" : t.met ? "met" : "missed", t.cpu]),
    [false, true, true, false, true],
  );
}

export function heapLines(trace: HeapTrace, label: string): string {
  const first = trace.checkpoints[0]!.heapUsed;
  const last = trace.checkpoints.at(-1)!.heapUsed;
  const signed = (n: number, text: string) => `${n >= 0 ? "+" : ""}${text}`;
  const steps = trace.checkpoints.map((c) => `${int(c.calls)}: ${fixed(c.heapUsed / 1024 / 1024, 2)}`).join(", ");
  return [
    `${label}: heap after GC ${mb(first)} before, ${mb(last)} after ${int(trace.calls)} calls ` +
      `(${signed(last - first, int(last - first))} bytes); slope ${signed(trace.slopeBytesPerCall, fixed(trace.slopeBytesPerCall, 2))} bytes/call`,
    `  MB at each checkpoint: ${steps}`,
  ].join("\n");
}

export function extrasTable(generate: GenerateTime, load: ImportTime, bundle: BundleSize): string {
  const rows: string[][] = [];
  rows.push([
    "`npm run generate` pipeline, fresh process",
    `${int(generate.processMs)} ms`,
    `median of ${generate.runs}; \`tsx scripts/generate.ts --check\` (same work, no writes)`,
  ]);
  rows.push([
    "renderGenerated() again, in process",
    `${int(generate.inProcessMs)} ms`,
    `median of ${generate.runs}; modules already loaded`,
  ]);
  rows.push([
    "cold import of the package",
    `${fixed(load.processMs)} ms`,
    `median of ${load.runs}; \`node -e "import(...)"\` minus empty \`node -e\` (${fixed(load.emptyProcessMs)} ms); ` +
      `${load.module}${load.temporaryBundle ? " (temporary esbuild bundle: no build of the package yet)" : ""}`,
  ]);
  rows.push(["import() alone, timed inside that process", `${fixed(load.importMs)} ms`, `median of ${load.runs}`]);
  rows.push([
    "bundle of `import { LiveAvatar }`, minified",
    `${int(bundle.minifiedBytes)} B`,
    "esbuild, browser ESM (scripts/lib/bundle-size.ts)",
  ]);
  rows.push(["the same, gzipped", `${int(bundle.gzipBytes)} B`, "gzip -9"]);
  const largest = bundle.inputs.map((i) => `${i.path.replace(/^.*node_modules\//, "")} ${int(i.bytes)} B`);
  return `${markdownTable(["what", "time / size", "how"], rows, [false, true, false])}\n\nlargest parts of the minified bundle: ${largest.join(", ")}`;
}
