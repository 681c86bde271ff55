// Starts Prism (mock or proxy) on a free loopback port and stops it again.
// Used by the test suite, the demo and the live contract check.
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";

export interface PrismOptions {
  spec: string;
  /** "mock" answers from the spec; "proxy" forwards to `upstream` and reports violations. */
  mode?: "mock" | "proxy";
  upstream?: string;
  /** Extra CLI flags, e.g. ["--errors"]. */
  args?: string[];
  /** How long to wait for "Prism is listening" (default 30 s). */
  startTimeoutMs?: number;
}

export interface PrismServer {
  url: string;
  /** Everything Prism printed, for diagnostics. */
  output: () => string;
  stop: () => Promise<void>;
}

const require = createRequire(import.meta.url);

function prismBin(): string {
  const pkg = require.resolve("@stoplight/prism-cli/package.json");
  return join(dirname(pkg), "dist", "index.js");
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export async function startPrism(options: PrismOptions): Promise<PrismServer> {
  const mode = options.mode ?? "mock";
  const port = await freePort();
  const args = [prismBin(), mode, "-h", "127.0.0.1", "-p", String(port), ...(options.args ?? []), options.spec];
  if (mode === "proxy") {
    if (!options.upstream) throw new Error("prism proxy needs an upstream URL");
    args.push(options.upstream);
  }
  const child = spawn(process.execPath, args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  let output = "";
  const url = `http://127.0.0.1:${port}`;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`Prism did not start within ${options.startTimeoutMs ?? 30_000} ms:\n${output}`)),
      options.startTimeoutMs ?? 30_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Prism is listening")) {
        clearTimeout(timer);
        resolve();
      }
    };
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(error);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => fail(new Error(`Prism exited with code ${code} before listening:\n${output}`)));
    child.once("error", fail);
  });
  return { url, output: () => output, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 3_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
