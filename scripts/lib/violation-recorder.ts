// A pass-through HTTP hop in front of `prism proxy` that writes down, per request, the
// operation it hit, the status that came back and the contract violations Prism reported in
// its `sl-violations` header. The contract suite talks to this hop; the live check reads
// what it recorded. Bodies and headers pass through untouched (nothing is decompressed).
import { createServer, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { listOperations, type OpenAPISpec } from "./spec.ts";

export interface Violation {
  severity: string;
  /** e.g. "response.body.data.0.code", or "response" for a status the spec does not declare. */
  location: string;
  message: string;
}

export interface Exchange {
  /** "METHOD /path/{template}" from the spec, or null when no operation matches. */
  operation: string | null;
  method: string;
  url: string;
  /** The status the client saw, or null when the hop could not reach Prism. */
  status: number | null;
  violations: Violation[];
  error?: string;
}

export interface Recorder {
  url: string;
  exchanges: Exchange[];
  stop: () => Promise<void>;
}

/** Maps a request to its spec operation; literal segments win over templated ones (`/public` over `/{id}`). */
export function operationMatcher(spec: OpenAPISpec): (method: string, url: string) => string | null {
  const routes = listOperations(spec)
    .map(({ method, path }) => ({
      key: `${method} ${path}`,
      method,
      params: (path.match(/\{[^}]+\}/g) ?? []).length,
      pattern: new RegExp(
        `^${path
          .split(/\{[^}]+\}/)
          .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, "\\$&"))
          .join("[^/]+")}/?$`,
      ),
    }))
    .sort((a, b) => a.params - b.params);
  return (method, url) => {
    const path = new URL(url, "http://x").pathname;
    return routes.find((r) => r.method === method.toUpperCase() && r.pattern.test(path))?.key ?? null;
  };
}

export function parseViolations(header: string | string[] | undefined): Violation[] {
  const text = Array.isArray(header) ? header.join(",") : header;
  if (!text) return [];
  try {
    const list = JSON.parse(text) as unknown;
    if (!Array.isArray(list)) throw new Error("not a list");
    return list.map((v: { severity?: unknown; location?: unknown; message?: unknown }) => ({
      severity: String(v.severity ?? "Error"),
      location: Array.isArray(v.location) ? v.location.join(".") : String(v.location ?? ""),
      message: String(v.message ?? ""),
    }));
  } catch {
    return [{ severity: "Error", location: "", message: `unreadable sl-violations header: ${text.slice(0, 200)}` }];
  }
}

export async function startRecorder(
  target: string,
  match: (method: string, url: string) => string | null,
): Promise<Recorder> {
  const exchanges: Exchange[] = [];
  const base = new URL(target);
  const server = createServer((req, res) => {
    const entry: Exchange = {
      operation: match(req.method ?? "GET", req.url ?? "/"),
      method: req.method ?? "GET",
      url: req.url ?? "/",
      status: null,
      violations: [],
    };
    exchanges.push(entry);
    const headers: IncomingHttpHeaders = { ...req.headers, host: base.host };
    const forward = httpRequest(
      { host: base.hostname, port: base.port, method: req.method, path: req.url, headers },
      (answer) => {
        entry.status = answer.statusCode ?? null;
        entry.violations = parseViolations(answer.headers["sl-violations"]);
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on("error", (error) => {
      entry.error = error.message;
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(`contract hop could not reach prism: ${error.message}`);
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
