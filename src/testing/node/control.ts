// The control endpoints another process drives a running fake with: reset, recorded calls,
// faults. They answer only same-origin requests from this machine: no CORS headers, no
// preflight, a foreign `Origin` or `Host` refused, so a web page cannot drive the fake.
import type { IncomingMessage } from "node:http";
import type { OperationKey } from "../../../generated/operations.js";
import { messageOf } from "../../guards.js";
import type { LiveAvatarFake } from "../fake.js";
import { BodyTooLarge, readText } from "../request.js";
import type { Fault, FaultTarget, ResetOptions } from "../types.js";

/** Paths outside the spec that let another process drive the fake (the CLI's users, test workers). */
export const CONTROL_PREFIX = "/__fake";

/** Control bodies are tiny: a fault definition at most. */
const MAX_CONTROL_BODY_BYTES = 64 * 1024;

export interface Controlled {
  fake: LiveAvatarFake;
  /** The server's reset: the fake's and the LITE fake's. */
  reset(options?: ResetOptions): void;
}

export function isControlPath(url: string | undefined): boolean {
  const path = (url ?? "/").split("?")[0]!;
  return path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`);
}

const LOOPBACK = ["127.0.0.1", "localhost", "[::1]"];

/** Why a control request is refused (cross-origin, preflight, foreign host), or undefined. */
export function refusal(req: IncomingMessage, port: number): string | undefined {
  const own = LOOPBACK.map((name) => `${name}:${port}`);
  if (req.method === "OPTIONS") return "the control endpoints answer no cross-origin request (no preflight)";
  const origin = req.headers.origin;
  if (origin !== undefined && !own.some((host) => origin === `http://${host}`)) {
    return `the control endpoints answer no cross-origin request (Origin ${origin})`;
  }
  const site = req.headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin" && site !== "none") {
    return "the control endpoints answer no cross-origin request";
  }
  // A page on another name that resolves here (DNS rebinding) sends its own Host. The port may
  // differ (a forwarded port), the name may not.
  const hostname = (req.headers.host ?? "").replace(/:\d+$/, "");
  if (!LOOPBACK.includes(hostname)) return `the control endpoints answer only at ${LOOPBACK.join(", ")}`;
  return undefined;
}

const reply = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

/** `POST /__fake/reset`, `GET /__fake/calls[?operation=...]`, `POST /__fake/inject {operation, fault}`. */
export async function control({ fake, reset }: Controlled, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const action = `${request.method} ${url.pathname.slice(CONTROL_PREFIX.length)}`;
  try {
    if (action === "POST /reset") {
      const text = await readText(request, MAX_CONTROL_BODY_BYTES);
      const options = (text.trim() === "" ? {} : JSON.parse(text)) as ResetOptions;
      reset({ replayIds: options.replayIds === true });
      return reply(200, { reset: true });
    }
    if (action === "GET /calls") {
      const op = url.searchParams.get("operation") ?? undefined;
      // The array as before; how many older calls were dropped rides in a header.
      return reply(200, fake.calls(op as OperationKey | undefined), {
        "x-fake-dropped-calls": String(fake.droppedCalls),
      });
    }
    if (action === "POST /inject") {
      const text = await readText(request, MAX_CONTROL_BODY_BYTES);
      const { operation, fault } = JSON.parse(text) as { operation: FaultTarget; fault: Fault };
      fake.inject(operation, fault);
      return reply(200, { injected: operation });
    }
  } catch (error) {
    const status = error instanceof BodyTooLarge ? 413 : 400;
    return reply(status, { message: messageOf(error) });
  }
  return reply(404, { message: `unknown control endpoint ${action}` });
}
