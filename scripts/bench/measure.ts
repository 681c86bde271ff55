// Timing N calls: wall time and this process's CPU time, sequentially or with a fixed number
// of calls in flight, and heap retained after garbage collection.
import { runInNewContext } from "node:vm";
import { setFlagsFromString } from "node:v8";
import type { Call } from "./callers.ts";

export interface RunTime {
  /** Wall-clock microseconds per call. */
  wallUs: number;
  /** User + system CPU microseconds per call, of this process only (the server is another). */
  cpuUs: number;
}

/** Makes `n` calls with `inFlight` of them outstanding at any moment (1: one after another). */
export async function runCalls(call: Call, n: number, inFlight: number): Promise<RunTime> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  if (inFlight === 1) {
    for (let i = 0; i < n; i++) await call();
  } else {
    let issued = 0;
    const worker = async () => {
      while (issued < n) {
        issued++;
        await call();
      }
    };
    await Promise.all(Array.from({ length: Math.min(inFlight, n) }, worker));
  }
  const wall = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return { wallUs: (wall * 1000) / n, cpuUs: (cpu.user + cpu.system) / n };
}

/**
 * A full collection. `node --expose-gc` provides `gc`; without the flag it is switched on at
 * run time, which V8 allows for functions created after the flag is set.
 */
export const collectGarbage: () => void = (() => {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
})();

/**
 * Heap in use once garbage is gone: collections separated by a turn of the event loop, so that
 * FinalizationRegistry callbacks (fetch registers one per request) run and their cells go too.
 */
export async function settledHeap(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

export interface HeapTrace {
  calls: number;
  /** Heap after GC before the calls, then after each checkpoint, in bytes. */
  checkpoints: { calls: number; heapUsed: number }[];
  /** (last - first) / calls. */
  bytesPerCall: number;
  /** Least-squares slope of heap over calls across the checkpoints: growth that one noisy point cannot fake. */
  slopeBytesPerCall: number;
}

/** Heap after GC before `calls` calls and at `steps` checkpoints through them. */
export async function traceHeap(call: Call, calls: number, inFlight: number, steps: number): Promise<HeapTrace> {
  const checkpoints = [{ calls: 0, heapUsed: await settledHeap() }];
  const perStep = Math.ceil(calls / steps);
  for (let done = 0; done < calls;) {
    const n = Math.min(perStep, calls - done);
    await runCalls(call, n, inFlight);
    done += n;
    checkpoints.push({ calls: done, heapUsed: await settledHeap() });
  }
  const first = checkpoints[0]!.heapUsed;
  const last = checkpoints.at(-1)!.heapUsed;
  return { calls, checkpoints, bytesPerCall: (last - first) / calls, slopeBytesPerCall: slope(checkpoints) };
}

function slope(points: { calls: number; heapUsed: number }[]): number {
  const meanX = points.reduce((sum, p) => sum + p.calls, 0) / points.length;
  const meanY = points.reduce((sum, p) => sum + p.heapUsed, 0) / points.length;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.calls - meanX) * (p.heapUsed - meanY);
    den += (p.calls - meanX) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Every ordering of `items`, so that over a multiple of n! rounds each goes first equally often. */
export function orderings<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    orderings([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}
