// node:http to the fake's web-standard Request/Response and back. The request body is streamed
// with backpressure, so the fake's `maxBodyBytes` bounds what a large upload costs; whatever the
// fake did not read is discarded and the connection closed after the answer.
import type { IncomingMessage, ServerResponse } from "node:http";

export interface Incoming {
  request: Request;
  /** Drops the rest of the body (unread by the fake) instead of queueing it. */
  discard(): void;
}

export function toRequest(req: IncomingMessage, res: ServerResponse, fallbackOrigin: string): Incoming {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    try {
      headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    } catch {
      // A header value `Headers` refuses: left out, like any proxy would.
    }
  }
  const controller = new AbortController();
  // A caller that hangs up mid-answer (e.g. its timeout fired) cuts an injected delay short.
  res.once("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const body = hasBody ? bodyStream(req) : undefined;
  const init = { method: req.method, headers, body: body?.stream, signal: controller.signal, duplex: "half" };
  return { request: new Request(urlOf(req, fallbackOrigin), init as RequestInit), discard: () => body?.discard() };
}

/** The request's URL as the caller addressed it; the server's own origin when the Host header is unusable. */
function urlOf(req: IncomingMessage, fallbackOrigin: string): string {
  const path = req.url?.startsWith("/") ? req.url : "/";
  try {
    return new URL(path, `http://${req.headers.host ?? ""}`).toString();
  } catch {
    return new URL(path, fallbackOrigin).toString();
  }
}

function bodyStream(req: IncomingMessage): { stream: ReadableStream<Uint8Array>; discard(): void } {
  let open = true;
  const discard = () => {
    if (!open) return;
    open = false;
    req.resume();
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.pause();
        req.on("data", (chunk: Buffer) => {
          if (!open) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        req.once("end", () => {
          if (open) controller.close();
          open = false;
        });
        req.once("error", (error) => {
          if (open) controller.error(error);
          open = false;
        });
      },
      pull() {
        if (open) req.resume();
      },
      cancel: discard,
    },
    { highWaterMark: 1 },
  );
  return { stream, discard };
}

export async function send(
  req: IncomingMessage,
  res: ServerResponse,
  response: Response,
  extra: Record<string, string>,
): Promise<void> {
  const headers: Record<string, string> = { ...extra };
  response.headers.forEach((value, name) => (headers[name] = value));
  const body = Buffer.from(await response.arrayBuffer());
  if (body.length > 0) headers["content-length"] = String(body.length);
  // A body the fake did not read to the end (a 413, a 404 before reading): do not wait for the rest.
  if (!req.complete) headers.connection = "close";
  if (res.destroyed) return;
  res.writeHead(response.status, headers).end(body);
}
