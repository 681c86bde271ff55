// The session helper over real sockets: keep-alives on a timer, failures reported to the
// caller (never an unhandled rejection), stop once, and no timer holding a Node process open.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { APIConnectionTimeoutError, InternalServerError, LiveAvatar, LiveAvatarError } from "../src/index.ts";
import {
  envelope,
  startScriptedServer,
  type RecordedRequest,
  type Reply,
  type ScriptedServer,
} from "./support/scripted-server.ts";
import { FAKE_TIMERS, drain } from "./realtime/helpers.ts";
import { ROOT } from "./support/spec.ts";

const TOKEN = "session-token-9f8e7d6c";
const started = envelope({ session_id: "s-1", livekit_url: "wss://lk.example", livekit_client_token: "lk" });
let server: ScriptedServer;

beforeEach(async () => {
  server = await startScriptedServer();
});
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await server.close();
});

function browserClient(): LiveAvatar {
  return new LiveAvatar({ baseUrl: server.url, apiKey: null, sessionToken: TOKEN, maxRetries: 0 });
}

const paths = () => server.requests.map((r) => `${r.method} ${r.url}`);

test("keep-alive failures reach onKeepAliveError, and keep-alives go on", async () => {
  server.script(
    { status: 201, body: started },
    { status: 500, body: envelope(null, 500, "boom") },
    { body: envelope(null) },
  );
  const errors: LiveAvatarError[] = [];
  const session = await browserClient().startSession({
    keepAliveInterval: 20,
    onKeepAliveError: (e) => errors.push(e),
  });
  await server.waitForRequests(4);
  await session.stop();
  expect(errors).toHaveLength(1);
  expect(errors[0]).toBeInstanceOf(InternalServerError);
  expect(errors[0]!.message).not.toContain(TOKEN);
  expect(paths().slice(0, 3)).toEqual([
    "POST /v1/sessions/start",
    "POST /v1/sessions/keep-alive",
    "POST /v1/sessions/keep-alive",
  ]);
  expect(server.requests[1]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
});

test("without a callback a failure goes to the client's logger, and a throwing callback is contained", async () => {
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  const stopOk = (failure: Reply) => (r: RecordedRequest) =>
    r.url.endsWith("/stop") ? { body: envelope(null) } : failure;
  server.script(
    { status: 201, body: started },
    stopOk({ status: 503, body: "<html>down</html>", headers: { "content-type": "text/html" } }),
  );
  const logged = new LiveAvatar({
    baseUrl: server.url,
    apiKey: null,
    sessionToken: TOKEN,
    maxRetries: 0,
    logger: console,
  });
  const quiet = await logged.startSession({ keepAliveInterval: 10 });
  await vi.waitFor(() => expect(warn).toHaveBeenCalled());
  await quiet.stop();
  expect(String(warn.mock.calls[0]![0])).toMatch(/keep-alive failed: 503/);

  server.script({ status: 201, body: started }, stopOk({ status: 500 }));
  let calls = 0;
  const throwing = await browserClient().startSession({
    keepAliveInterval: 10,
    onKeepAliveError: () => {
      calls++;
      throw new Error("callback bug");
    },
  });
  await vi.waitFor(() => expect(calls).toBeGreaterThanOrEqual(2));
  await throwing.stop();
  // vitest fails the run on any unhandled rejection; reaching here with none is the assertion.
});

test("stop is sent once, however often it is called, and can be retried after a failure", async () => {
  server.script({ status: 201, body: started }, { status: 500 }, { body: envelope(null) });
  const session = await browserClient().startSession({ keepAliveInterval: false });
  const first = await Promise.allSettled([session.stop(), session.stop()]);
  expect(first.map((r) => r.status)).toEqual(["rejected", "rejected"]);
  expect(session.stopped).toBe(true);
  await session.stop();
  await session.stop();
  expect(paths()).toEqual(["POST /v1/sessions/start", "POST /v1/sessions/stop", "POST /v1/sessions/stop"]);
  await expect(session.keepAlive()).rejects.toThrow(/stopped/);
});

test("stop sends the reason and cancels an in-flight keep-alive without reporting it", async () => {
  vi.useFakeTimers(FAKE_TIMERS);
  server.script({ status: 201, body: started }, { delay: 2_000, body: envelope(null) }, { body: envelope(null) });
  const errors: unknown[] = [];
  const starting = browserClient().startSession({ keepAliveInterval: 5, onKeepAliveError: (e) => errors.push(e) });
  await vi.advanceTimersByTimeAsync(0);
  const session = await starting;
  await vi.advanceTimersByTimeAsync(5);
  await server.waitForRequests(2); // the slow keep-alive is in flight, its answer 2 s of (fake) time away
  await session.stop("USER_CLOSED"); // resolves without that time passing: it did not wait for the keep-alive
  expect(paths()).toEqual(["POST /v1/sessions/start", "POST /v1/sessions/keep-alive", "POST /v1/sessions/stop"]);
  expect(JSON.parse(server.requests[2]!.body)).toEqual({ reason: "USER_CLOSED" });
  await drain();
  expect(errors).toEqual([]);
});

test("a start that times out after it was sent is stopped: the server may have started it", async () => {
  vi.useFakeTimers(FAKE_TIMERS);
  server.script({ status: 201, body: started, delay: 500 }, { body: envelope(null) });
  const client = new LiveAvatar({
    baseUrl: server.url,
    apiKey: null,
    sessionToken: TOKEN,
    maxRetries: 0,
    timeout: 200,
  });
  const starting = client.startSession({ keepAliveInterval: false });
  starting.catch(() => {});
  await vi.advanceTimersByTimeAsync(0);
  await server.waitForRequests(1);
  await vi.advanceTimersByTimeAsync(200);
  await expect(starting).rejects.toBeInstanceOf(APIConnectionTimeoutError);
  await server.waitForRequests(2);
  expect(paths()).toEqual(["POST /v1/sessions/start", "POST /v1/sessions/stop"]);
  expect(server.requests[1]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
});

test("a running session does not keep a Node process alive", async () => {
  server.script({ status: 201, body: started });
  const script = `
    import { LiveAvatar } from "./src/index.ts";
    const client = new LiveAvatar({ baseUrl: process.env.BASE_URL, apiKey: null, sessionToken: "t" });
    const session = await client.startSession({ keepAliveInterval: 60_000 });
    console.log("started", session.sessionId);
  `;
  const began = Date.now();
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "-e", script],
    {
      cwd: ROOT,
      env: { ...process.env, BASE_URL: server.url },
      timeout: 15_000,
    },
  );
  expect(stdout).toContain("started s-1");
  // With a ref'd 60 s timer the child would still be running when execFile's 15 s timeout kills it.
  expect(Date.now() - began).toBeLessThan(10_000);
});
