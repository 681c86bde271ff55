// `npm run bench:testing`: what the testing kit costs. Startup of startMockServer and of the MSW
// handlers, time per faked call (in process, over HTTP, through MSW), the size of the testing
// entries, and a check that the core bundle contains nothing of them. All traffic is on 127.0.0.1.
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { setupServer } from "msw/node";
import { LiveAvatar } from "../src/index.ts";
import { createLiveAvatarFake, startMockServer } from "../src/testing/index.ts";
import { liveAvatarHandlers } from "../src/testing/msw.ts";
import { measureBundleSize } from "./lib/bundle-size.ts";

const ROOT = join(import.meta.dirname, "..");
const AVATAR = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timeEach(runs: number, fn: () => Promise<unknown> | unknown): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    out.push(performance.now() - started);
  }
  return out;
}

const ms = (value: number) => `${value.toFixed(3)} ms`;
const report = (label: string, samples: number[]) =>
  console.log(
    `  ${label.padEnd(46)} median ${ms(median(samples))}  (n=${samples.length}, max ${ms(Math.max(...samples))})`,
  );

async function startup(): Promise<void> {
  console.log("startup");
  // The first start pays for module-level work once (route table, schema tables): shown apart.
  const first = await timeEach(1, async () => (await startMockServer()).close());
  report("startMockServer() + close(), first", first);
  report("startMockServer() + close()", await timeEach(30, async () => (await startMockServer()).close()));
  report("createLiveAvatarFake()", await timeEach(200, () => createLiveAvatarFake()));
  report("liveAvatarHandlers()", await timeEach(200, () => liveAvatarHandlers()));
  report(
    "setupServer(...liveAvatarHandlers()).listen() + close()",
    await timeEach(30, () => {
      const server = setupServer(...liveAvatarHandlers());
      server.listen();
      server.close();
    }),
  );
}

async function perCall(): Promise<void> {
  console.log("time per faked call (sequential; GET /v1/avatars, then mint + start + stop)");
  const fake = createLiveAvatarFake();
  const headers = { "x-api-key": fake.apiKey };
  report(
    "fake.handle(Request), in process",
    await timeEach(2000, () => fake.handle(new Request("http://fake.test/v1/avatars", { headers }))),
  );

  const server = await startMockServer();
  const overHttp = new LiveAvatar({ baseUrl: server.url, apiKey: server.apiKey });
  await overHttp.GET("/v1/avatars");
  report("client -> startMockServer (HTTP, 127.0.0.1)", await timeEach(1000, () => overHttp.GET("/v1/avatars")));
  report("  mint + start + stop (3 calls)", await timeEach(200, () => lifecycle(overHttp, server.url)));
  await server.close();

  const handlers = liveAvatarHandlers();
  const msw = setupServer(...handlers);
  msw.listen({ onUnhandledRequest: "error" });
  const throughMsw = new LiveAvatar({ apiKey: handlers.apiKey });
  await throughMsw.GET("/v1/avatars");
  report("client -> MSW setupServer handlers", await timeEach(1000, () => throughMsw.GET("/v1/avatars")));
  handlers.reset();
  msw.close();
}

async function lifecycle(backend: LiveAvatar, baseUrl: string | undefined): Promise<void> {
  const { session_token } = await backend.POST("/v1/sessions/token", { body: { mode: "LITE", avatar_id: AVATAR } });
  const browser = new LiveAvatar({ baseUrl, apiKey: null, sessionToken: session_token });
  await browser.POST("/v1/sessions/start");
  await browser.POST("/v1/sessions/stop");
}

async function sizes(): Promise<void> {
  console.log("size (esbuild, minified; the core and msw stay external as they would in an app)");
  for (const [label, entry, platform] of [
    ["liveavatar-api/testing (Node)", "src/testing/index.ts", "node"],
    ["liveavatar-api/testing/msw (browser)", "src/testing/msw.ts", "browser"],
  ] as const) {
    const result = await build({
      entryPoints: [join(ROOT, entry)],
      bundle: true,
      minify: true,
      format: "esm",
      platform,
      target: "es2022",
      write: false,
      // The testing entries import the core by the package's name (see tsup.config.ts).
      external: ["liveavatar-api", "msw", "ws", "node:*"],
      logLevel: "silent",
    });
    const code = result.outputFiles[0]!.contents;
    console.log(
      `  ${label.padEnd(40)} ${code.byteLength} B minified, ${gzipSync(code, { level: 9 }).byteLength} B gzip`,
    );
  }
  const core = await measureBundleSize();
  const leaked = core.inputs.filter((input) => input.path.includes("testing"));
  console.log(`  core: import { LiveAvatar } from "liveavatar-api"   ${core.minified} B minified, ${core.gzip} B gzip`);
  console.log(
    `  core bundle inputs from the testing kit: ${leaked.length === 0 ? "none" : leaked.map((i) => i.path).join(", ")}`,
  );
  if (leaked.length > 0) process.exitCode = 1;
}

await startup();
await perCall();
await sizes();
