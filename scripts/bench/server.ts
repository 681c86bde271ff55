// The benchmark's HTTP server: node:http on loopback with keep-alive, answering every path
// with the envelope, the ~50 kB page for `GET /v1/avatars` and the small body otherwise.
//
// It runs in a child process, not on the benchmark's event loop: the client's wall time and
// process.cpuUsage() then measure only the client, and on a 2-core machine server and client
// each get a core instead of taking turns on one thread.
import { fork, type ChildProcess } from "node:child_process";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { LARGE_BODY, SMALL_BODY } from "./bodies.ts";

export interface BenchServer {
  url: string;
  /** Requests the server has answered so far. */
  requests(): Promise<number>;
  stop(): Promise<void>;
}

type FromServer = { listening: number } | { requests: number };

/** Forks this file as the server process and resolves once it listens. */
export async function startBenchServer(): Promise<BenchServer> {
  const child = fork(fileURLToPath(import.meta.url), ["--serve"], {
    execArgv: ["--import", import.meta.resolve("tsx")],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`benchmark server exited early (code ${code})`)));
    child.once("message", (message: FromServer) => {
      if ("listening" in message) resolve(message.listening);
    });
  });
  child.removeAllListeners("exit");
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => ask(child),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill();
      }),
  };
}

function ask(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (message: FromServer) => {
      if ("requests" in message) {
        child.off("message", onMessage);
        resolve(message.requests);
      }
    };
    child.on("message", onMessage);
    child.send("requests");
  });
}

function serve(): void {
  const small = Buffer.from(SMALL_BODY);
  const large = Buffer.from(LARGE_BODY);
  let requests = 0;
  const server = createServer((request, response) => {
    requests++;
    const path = request.url?.split("?")[0];
    const body = request.method === "GET" && path === "/v1/avatars" ? large : small;
    request.resume(); // drain any request body so the connection stays reusable
    response.writeHead(200, { "content-type": "application/json", "content-length": body.byteLength });
    response.end(body);
  });
  // Connections stay open across rounds, so every round measures warm keep-alive sockets.
  server.keepAliveTimeout = 120_000;
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    process.send!({ listening: typeof address === "object" && address ? address.port : 0 });
  });
  process.on("message", () => process.send!({ requests }));
  process.on("disconnect", () => process.exit(0));
}

if (process.argv.includes("--serve") && process.argv[1] === fileURLToPath(import.meta.url)) serve();
