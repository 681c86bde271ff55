// Counts the timers of this process, unref'd ones included: process.getActiveResourcesInfo()
// lists only the timers that keep the process alive, and the LITE client's keep-alive timer is
// unref'd. Installed by wrapping the global timer functions, before any connection exists.
let created = 0;
const live = new Set<unknown>();

export function installTimerCount(): void {
  const { setTimeout: set, clearTimeout: clear, setInterval: every, clearInterval: clearEvery } = globalThis;
  globalThis.setTimeout = ((fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    created++;
    const timer = set(
      (...a: unknown[]) => {
        live.delete(timer);
        fn(...a);
      },
      ms,
      ...args,
    );
    live.add(timer);
    return timer;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((timer: Parameters<typeof clearTimeout>[0]) => {
    live.delete(timer);
    clear(timer);
  }) as typeof clearTimeout;
  globalThis.setInterval = ((fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    created++;
    const timer = every(fn, ms, ...args);
    live.add(timer);
    return timer;
  }) as typeof setInterval;
  globalThis.clearInterval = ((timer: Parameters<typeof clearInterval>[0]) => {
    live.delete(timer);
    clearEvery(timer);
  }) as typeof clearInterval;
}

/** Timers alive now: [all, ref'd only (the ones process.getActiveResourcesInfo lists)]. */
export function liveTimers(): [all: number, refd: number] {
  return [live.size, process.getActiveResourcesInfo().filter((type) => type === "Timeout").length];
}

/** Timers created since the process started (setTimeout and setInterval calls). */
export function timersCreated(): number {
  return created;
}
