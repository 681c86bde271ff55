// Per-attempt timeouts and the caller's AbortSignal: typed errors, prompt cancellation of
// requests and of waits between retries, and nothing left running afterwards.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { APIConnectionTimeoutError, APIUserAbortError, LiveAvatarError } from "../src/index.ts";
import { CALLS } from "./support/calls.ts";
import { clientFor, rejectionOf } from "./support/client.ts";
import { envelope, scriptedServers, type Reply } from "./support/scripted-server.ts";

const serve = scriptedServers();

const slow = (reply: Reply, delay = 30_000): Reply => ({ ...reply, delay });
const stalledBody: Reply = { body: envelope({ count: 0, results: [] }), stall: true, partial: 10 };

describe.concurrent("timeouts", () => {
  test("the client option bounds each attempt: APIConnectionTimeoutError", async () => {
    const server = await serve(slow(CALLS.listAvatars.ok));
    const error = await rejectionOf(CALLS.listAvatars.call(clientFor(server.url, { timeout: 150, maxRetries: 0 })));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(error).toBeInstanceOf(LiveAvatarError);
    expect(error.message).toBe("GET /v1/avatars timed out after 150 ms (the `timeout` option; Infinity disables it)");
    expect(error).toMatchObject({ attempts: 1 });
  });

  test("a per-call timeout overrides a longer client timeout", async () => {
    const server = await serve(slow(CALLS.listAvatars.ok));
    const client = clientFor(server.url, { maxRetries: 0 });
    const error = await rejectionOf(CALLS.listAvatars.call(client, { timeout: 150 }));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
  });

  test("a per-call timeout overrides a shorter client timeout", async () => {
    const server = await serve(slow(CALLS.listAvatars.ok, 300));
    const client = clientFor(server.url, { timeout: 50, maxRetries: 0 });
    await expect(CALLS.listAvatars.call(client, { timeout: 5_000 })).resolves.toMatchObject({ count: 1 });
  });

  test("a server that sends the headers and then stalls the body times out", async () => {
    const server = await serve(stalledBody);
    const error = await rejectionOf(CALLS.listAvatars.call(clientFor(server.url, { timeout: 200, maxRetries: 0 })));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
  });

  test("the timeout is per attempt: each attempt of an idempotent call gets its own, until the retries run out", async () => {
    const server = await serve(slow(CALLS.listAvatars.ok));
    const error = await rejectionOf(CALLS.listAvatars.call(clientFor(server.url, { timeout: 300, maxRetries: 1 })));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(error).toMatchObject({ attempts: 2 });
  });

  test("a timeout beyond what timers can hold means no timeout rather than an immediate one", async () => {
    const server = await serve(slow(CALLS.listAvatars.ok, 100));
    const client = clientFor(server.url, { maxRetries: 0 });
    await expect(CALLS.listAvatars.call(client, { timeout: Number.POSITIVE_INFINITY })).resolves.toBeDefined();
    await expect(CALLS.listAvatars.call(client, { timeout: 2 ** 40 })).resolves.toBeDefined();
  });
});

describe.concurrent("cancellation", () => {
  // No sleeps and no clocks here: each abort is sent once the client is known to be at the step
  // under test (a request arrived, a retry is announced, the headers are in), and the server holds
  // every answer for 30 s, beyond the test's own timeout, so only a prompt cancellation passes.

  /** A client whose retry announcements (warn lines) resolve `retrying`. */
  function announcing(url: string) {
    let announce!: () => void;
    const retrying = new Promise<void>((resolve) => (announce = resolve));
    const logger = { debug() {}, warn: (line: string) => line.includes("; retry 1/") && announce() };
    return { client: clientFor(url, { logger, logLevel: "warn" }), retrying };
  }

  test("an abort cancels a request in flight at once: APIUserAbortError carrying the reason", async () => {
    const server = await serve(slow(CALLS.listAvatars.ok));
    const controller = new AbortController();
    const reason = new Error("user closed the page");
    const call = rejectionOf(CALLS.listAvatars.call(clientFor(server.url), { signal: controller.signal }));
    await server.waitForRequests(1);
    controller.abort(reason);
    const error = await call;
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(error.cause).toBe(reason);
    expect(error.message).toBe("GET /v1/avatars: request aborted by the caller");
    expect(error).toMatchObject({ operation: "GET /v1/avatars", attempts: 1 });
  });

  test("an abort cancels the wait before a retry at once", async () => {
    const server = await serve({ status: 503, headers: { "retry-after": "30" } });
    const { client, retrying } = announcing(server.url);
    const controller = new AbortController();
    const reason = new Error("user closed the page");
    const call = rejectionOf(CALLS.listAvatars.call(client, { signal: controller.signal }));
    await retrying;
    controller.abort(reason);
    const error = await call;
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(error.cause).toBe(reason);
    expect(error.message).toBe("GET /v1/avatars: request aborted by the caller");
    expect(error).toMatchObject({ attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  test("an abort cancels the backoff after a reset", async () => {
    const server = await serve({ reset: "before-headers" });
    const controller = new AbortController();
    const call = rejectionOf(CALLS.listAvatars.call(clientFor(server.url), { signal: controller.signal }));
    await server.waitForRequests(1);
    controller.abort();
    expect(await call).toBeInstanceOf(APIUserAbortError);
    expect(server.requests).toHaveLength(1);
  });

  test("an abort while the body is streaming cancels the read", async () => {
    const server = await serve(stalledBody);
    const controller = new AbortController();
    const client = clientFor(server.url);
    // onResponse runs once the headers are in, before the client reads the body.
    client.use({ onResponse: () => controller.abort() });
    const error = await rejectionOf(CALLS.listAvatars.call(client, { signal: controller.signal }));
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect((await server.answered(0)).complete).toBe(false);
  });

  test("an already-aborted signal rejects without sending anything", async () => {
    const server = await serve(CALLS.createToken.ok);
    const error = await rejectionOf(
      CALLS.createToken.call(clientFor(server.url), { signal: AbortSignal.abort(new Error("too late")) }),
    );
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(error).toMatchObject({ attempts: 0, message: "POST /v1/sessions/token: request aborted by the caller" });
    // The rejection comes before fetch is called, so no request can be on its way.
    expect(server.requests).toHaveLength(0);
  });

  test("AbortSignal.timeout works as a caller's deadline across retries", async () => {
    // The 30 s Retry-After outlasts the test's timeout: only the deadline can end this call in time.
    const server = await serve({ status: 503, headers: { "retry-after": "30" } });
    const error = await rejectionOf(
      CALLS.listAvatars.call(clientFor(server.url), { signal: AbortSignal.timeout(300) }),
    );
    expect(error).toBeInstanceOf(APIUserAbortError);
  });

  test("a signal that is never aborted leaves no listener behind on it", async () => {
    const server = await serve(CALLS.listAvatars.ok);
    const controller = new AbortController();
    let listeners = 0;
    const add = controller.signal.addEventListener.bind(controller.signal);
    const remove = controller.signal.removeEventListener.bind(controller.signal);
    controller.signal.addEventListener = ((...args: Parameters<typeof add>) => {
      listeners++;
      add(...args);
    }) as typeof add;
    controller.signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
      listeners--;
      remove(...args);
    }) as typeof remove;
    const client = clientFor(server.url);
    for (let i = 0; i < 20; i++) await CALLS.listAvatars.call(client, { signal: controller.signal });
    server.script({ status: 503, headers: { "retry-after": "0" } }, CALLS.listAvatars.ok);
    await CALLS.listAvatars.call(client, { signal: controller.signal });
    expect(listeners).toBe(0);
  });
});

describe.concurrent("nothing is left running", () => {
  const fixture = join(import.meta.dirname, "support", "fixtures", "exit-after-call.ts");

  /**
   * Runs the fixture in a fresh Node process. It must exit on its own: a guard kills it after 20 s,
   * short of the 30 s and 60 s waits a leftover timer or socket would hold it for.
   */
  function runFixture(baseUrl: string, scenario: string) {
    return new Promise<{ code: number | null; killed: boolean; outcome: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", fixture, baseUrl, scenario], {
        env: { ...process.env, LIVEAVATAR_LOG: "" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      let killed = false;
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => (stderr += chunk));
      const guard = setTimeout(() => {
        killed = true;
        child.kill();
      }, 20_000);
      child.on("error", reject);
      child.on("exit", (code) => {
        clearTimeout(guard);
        try {
          const { outcome } = JSON.parse(stdout.trim().split("\n").pop() ?? "");
          resolve({ code, killed, outcome });
        } catch {
          reject(new Error(`fixture printed ${JSON.stringify(stdout)}; stderr ${stderr}`));
        }
      });
    });
  }

  test.each([
    [
      "an abort during a 30 s Retry-After wait",
      "abort-during-wait",
      { status: 503, headers: { "retry-after": "30" } },
      "APIUserAbortError",
    ],
    [
      "an abort of a request the server holds for 30 s",
      "abort-in-flight",
      slow(CALLS.listAvatars.ok),
      "APIUserAbortError",
    ],
    ["an abort of a body that stalls", "abort-in-flight", stalledBody, "APIUserAbortError"],
    ["a success with a 60 s timeout armed", "success", CALLS.listAvatars.ok, "resolved"],
  ] as const)(
    "after %s the process exits promptly",
    async (_, scenario, reply, outcome) => {
      const server = await serve(reply as Reply);
      const exit = await runFixture(server.url, scenario);
      expect(exit).toEqual({ code: 0, killed: false, outcome });
    },
    60_000,
  );
});
