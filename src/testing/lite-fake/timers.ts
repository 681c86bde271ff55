// The timers of one LITE fake connection: each callback is guarded (an exception of the fake's own
// is contained), and all of them are cleared at once when the socket goes.
export interface Timers {
  later(ms: number, fn: () => void): unknown;
  cancel(timer: unknown): void;
  /** Clears every pending timer; later calls of `later` schedule nothing (the connection is over). */
  clear(): void;
}

export function connectionTimers(guard: (fn: () => void) => void): Timers {
  const pending = new Set<ReturnType<typeof setTimeout>>();
  let over = false;
  return {
    later(ms, fn) {
      if (over) return undefined;
      const timer = setTimeout(() => {
        pending.delete(timer);
        guard(fn);
      }, ms);
      pending.add(timer);
      return timer;
    },
    cancel(timer) {
      clearTimeout(timer as ReturnType<typeof setTimeout>);
      pending.delete(timer as ReturnType<typeof setTimeout>);
    },
    clear() {
      over = true;
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
    },
  };
}
