// A stand-in for the live LiveAvatar server, for testing `npm run contract:live`: it answers
// every GET operation with a body sampled from the spec, except for deliberate breaks.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { sample } from "openapi-sampler";
import { isObject, listOperations, resolveRef, type JsonObject, type OpenAPISpec } from "../../scripts/lib/spec.ts";
import { operationMatcher } from "../../scripts/lib/violation-recorder.ts";

/** What the upstream does instead of answering by the spec, per operation key. */
export type Break = { status: number; body: unknown };

export interface Upstream {
  url: string;
  /** Every request it saw, as "METHOD /url", with the X-API-KEY it carried. */
  requests: Array<{ line: string; apiKey: string | undefined }>;
  close: () => Promise<void>;
}

export async function startBrokenUpstream(spec: OpenAPISpec, breaks: Record<string, Break>): Promise<Upstream> {
  const match = operationMatcher(spec);
  const bodies = new Map<string, unknown>();
  for (const { method, path, operation } of listOperations(spec)) {
    const responses = operation.responses as JsonObject;
    const success = resolveRef(spec, responses["200"] ?? responses["201"]) as JsonObject | undefined;
    const media = isObject(success?.content) ? (success.content["application/json"] as JsonObject) : undefined;
    if (media?.schema) bodies.set(`${method} ${path}`, sample(media.schema as object, {}, spec as object));
  }
  const requests: Upstream["requests"] = [];
  const server: Server = createServer((req, res) => {
    const key = match(req.method ?? "GET", req.url ?? "/");
    requests.push({ line: `${req.method} ${req.url}`, apiKey: req.headers["x-api-key"] as string | undefined });
    const planned = key ? breaks[key] : undefined;
    const [status, body] = planned
      ? [planned.status, planned.body]
      : key && bodies.has(key)
        ? [200, bodies.get(key)]
        : [404, { detail: "Not Found" }];
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
