// Faults injected on demand: a status (with a JSON or HTML body), a delay, a dropped connection.
import { FakeConfigError } from "./errors.js";
import { json } from "./respond.js";
import { checkOperation } from "./routes.js";
import type { Fault, FaultTarget } from "./types.js";

/** Thrown by the fake's handler when a fault drops the connection; each transport drops it its own way. */
export class ConnectionDropped extends Error {
  override name = "ConnectionDropped";
  constructor() {
    super("connection dropped by an injected fault");
  }
}

interface Pending {
  fault: Fault;
  left: number;
}

const KEYS = new Set(["status", "times", "body", "delayMs", "html", "reset", "headers"]);

export class FaultTable {
  private readonly pending = new Map<string, Pending[]>();

  add(target: FaultTarget, fault: Fault): void {
    if (target !== "*") checkOperation(target, "inject");
    if (typeof fault !== "object" || fault === null) throw new FakeConfigError("inject: the fault must be an object");
    const unknown = Object.keys(fault).filter((key) => !KEYS.has(key));
    if (unknown.length > 0) throw new FakeConfigError(`inject: unknown fault option(s) ${unknown.join(", ")}`);
    const times = fault.times ?? 1;
    if (!(times === Infinity || (Number.isInteger(times) && times > 0))) {
      throw new FakeConfigError(`inject: times must be a positive integer or Infinity, got ${String(times)}`);
    }
    if (fault.status !== undefined && !(Number.isInteger(fault.status) && fault.status >= 200 && fault.status <= 599)) {
      throw new FakeConfigError(`inject: status must be an HTTP status from 200 to 599, got ${String(fault.status)}`);
    }
    if (fault.delayMs !== undefined && !(Number.isFinite(fault.delayMs) && fault.delayMs >= 0)) {
      throw new FakeConfigError(`inject: delayMs must be a non-negative number, got ${String(fault.delayMs)}`);
    }
    const list = this.pending.get(target) ?? [];
    list.push({ fault, left: times });
    this.pending.set(target, list);
  }

  /** The fault for this call, if one is pending for the operation (or for "*"); uses one of its `times`. */
  take(key: string): Fault | undefined {
    for (const target of [key, "*"]) {
      const list = this.pending.get(target);
      const next = list?.[0];
      if (!next) continue;
      next.left -= 1;
      if (next.left <= 0) list.shift();
      return next.fault;
    }
    return undefined;
  }

  clear(): void {
    this.pending.clear();
  }
}

/** The answer a fault gives, or undefined when it only delays. Throws ConnectionDropped for `reset`. */
export async function applyFault(fault: Fault, signal?: AbortSignal): Promise<Response | undefined> {
  if (fault.delayMs) await sleep(fault.delayMs, signal);
  if (fault.reset) throw new ConnectionDropped();
  if (fault.status === undefined && !fault.html && fault.body === undefined) return undefined;
  const status = fault.status ?? (fault.html ? 502 : 503);
  const headers: Record<string, string> = { ...fault.headers };
  // The point of a fault is a fast test: tell the client it may retry at once.
  if ((status === 429 || status === 503) && !Object.keys(headers).some((h) => h.toLowerCase() === "retry-after")) {
    headers["retry-after"] = "0";
  }
  if (fault.html) {
    const page = `<html><head><title>${status}</title></head><body><h1>${status} Bad Gateway</h1></body></html>`;
    return new Response(page, { status, headers: { "content-type": "text/html", ...headers } });
  }
  return json(status, fault.body ?? { code: status, data: null, message: `injected fault: ${status}` }, headers);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
