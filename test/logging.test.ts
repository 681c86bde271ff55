// Opt-in debug logging: one line per attempt with method, path, status, attempt, duration and
// request id; a warning per retry; nothing by default; never a credential.
import { afterEach, describe, expect, test, vi } from "vitest";
import type { Logger } from "../src/index.ts";
import { CALLS } from "./support/calls.ts";
import { clientFor } from "./support/client.ts";
import { API_KEY, SESSION_TOKEN } from "./support/credentials.ts";
import { envelope, scriptedServers, type Reply } from "./support/scripted-server.ts";

const serve = scriptedServers();
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

/** A logger that keeps every line with its level. */
function recordingLogger(): Logger & { lines: { level: string; text: string }[] } {
  const lines: { level: string; text: string }[] = [];
  const at = (level: string) => (message: string) => void lines.push({ level, text: message });
  return { lines, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

const withRequestId = (id: string, reply: Reply): Reply => ({
  ...reply,
  headers: { ...reply.headers, "x-request-id": id },
});

describe("the logger option", () => {
  test("at debug, each attempt is one line with method, path, status, attempt, duration and request id", async () => {
    const server = await serve(
      withRequestId("req-1", { status: 503, headers: { "retry-after": "0" }, body: envelope(null, 503, "busy") }),
      withRequestId("req-2", CALLS.listAvatars.ok),
    );
    const logger = recordingLogger();
    await CALLS.listAvatars.call(clientFor(server.url, { logger, logLevel: "debug" }));
    const debug = logger.lines.filter((l) => l.level === "debug").map((l) => l.text);
    expect(debug).toHaveLength(2);
    expect(debug[0]).toMatch(/^\[liveavatar\] GET \/v1\/avatars -> 503 \(attempt 1, \d+ ms, request-id req-1\)$/);
    expect(debug[1]).toMatch(/^\[liveavatar\] GET \/v1\/avatars -> 200 \(attempt 2, \d+ ms, request-id req-2\)$/);
    const warn = logger.lines.filter((l) => l.level === "warn").map((l) => l.text);
    expect(warn).toEqual([
      expect.stringMatching(/GET \/v1\/avatars: 503 .*busy \[request id req-1\]; retry 1\/2 in 0 ms$/),
    ]);
  });

  test("a failed attempt without a response logs the error's name", async () => {
    const server = await serve({ reset: "before-headers" }, CALLS.createToken.ok);
    const logger = recordingLogger();
    await CALLS.createToken.call(clientFor(server.url, { logger, logLevel: "debug" }), { idempotent: true });
    const debug = logger.lines.filter((l) => l.level === "debug").map((l) => l.text);
    expect(debug[0]).toMatch(/POST \/v1\/sessions\/token -> APIConnectionError \(attempt 1, \d+ ms\)$/);
    expect(debug[1]).toMatch(/POST \/v1\/sessions\/token -> 200 \(attempt 2, \d+ ms\)$/);
  });

  test("the path is the operation's template, not the ids in it", async () => {
    const server = await serve(CALLS.deleteMemory.ok);
    const logger = recordingLogger();
    await CALLS.deleteMemory.call(clientFor(server.url, { logger, logLevel: "debug" }));
    expect(logger.lines[0]!.text).toContain("DELETE /v1/memory/{memory_id} -> 204 (attempt 1");
    expect(server.requests[0]!.url).toBe("/v1/memory/m-1");
  });

  test("with a logger and no level, only retries are logged (as warnings)", async () => {
    const server = await serve({ status: 503, headers: { "retry-after": "0" } }, CALLS.listAvatars.ok);
    const logger = recordingLogger();
    await CALLS.listAvatars.call(clientFor(server.url, { logger, logLevel: undefined }));
    expect(logger.lines.map((l) => l.level)).toEqual(["warn"]);
  });

  test("a logger that throws does not fail the call", async () => {
    const server = await serve({ status: 503, headers: { "retry-after": "0" } }, CALLS.listAvatars.ok);
    const broken = () => {
      throw new Error("log sink is down");
    };
    const client = clientFor(server.url, {
      logger: { debug: broken, info: broken, warn: broken, error: broken },
      logLevel: "debug",
    });
    await expect(CALLS.listAvatars.call(client)).resolves.toMatchObject({ count: 1 });
  });

  test("no line carries a credential, even when the server puts one in the request id", async () => {
    const server = await serve(
      withRequestId(`echo-${API_KEY}`, {
        status: 429,
        headers: { "retry-after": "0" },
        body: { message: `${API_KEY} ${SESSION_TOKEN}` },
      }),
      withRequestId(`echo-${SESSION_TOKEN}`, CALLS.listAvatars.ok),
    );
    const logger = recordingLogger();
    await CALLS.listAvatars.call(clientFor(server.url, { logger, logLevel: "debug" }));
    expect(logger.lines).toHaveLength(3);
    for (const { text } of logger.lines) {
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain(SESSION_TOKEN);
    }
    expect(logger.lines[0]!.text).toContain("request-id echo-[redacted]");
  });
});

describe("LIVEAVATAR_LOG and the default", () => {
  test.each(["debug", "DEBUG"])("LIVEAVATAR_LOG=%s sends debug lines to the console", async (value) => {
    vi.stubEnv("LIVEAVATAR_LOG", value);
    const debug = vi.spyOn(console, "debug").mockImplementation(() => {});
    const server = await serve(withRequestId("req-env", CALLS.listAvatars.ok));
    await CALLS.listAvatars.call(clientFor(server.url, { logLevel: undefined }));
    expect(debug).toHaveBeenCalledTimes(1);
    expect(debug.mock.calls[0]![0]).toMatch(
      /^\[liveavatar\] GET \/v1\/avatars -> 200 \(attempt 1, \d+ ms, request-id req-env\)$/,
    );
  });

  test("an explicit logLevel wins over LIVEAVATAR_LOG", async () => {
    vi.stubEnv("LIVEAVATAR_LOG", "debug");
    const debug = vi.spyOn(console, "debug").mockImplementation(() => {});
    const server = await serve(CALLS.listAvatars.ok);
    await CALLS.listAvatars.call(clientFor(server.url, { logLevel: "off" }));
    expect(debug).not.toHaveBeenCalled();
  });

  test.each([undefined, ""])(
    "with no logger and LIVEAVATAR_LOG=%j nothing is logged, retries included",
    async (value) => {
      if (value === undefined) vi.stubEnv("LIVEAVATAR_LOG", undefined as unknown as string);
      else vi.stubEnv("LIVEAVATAR_LOG", value);
      const spies = (["debug", "info", "warn", "error", "log"] as const).map((level) =>
        vi.spyOn(console, level).mockImplementation(() => {}),
      );
      const server = await serve({ status: 503, headers: { "retry-after": "0" } }, CALLS.listAvatars.ok);
      await CALLS.listAvatars.call(clientFor(server.url, { logLevel: undefined }));
      expect(server.requests).toHaveLength(2);
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    },
  );

  test.each(["verbose", "toString"])(
    "LIVEAVATAR_LOG=%s is not a level: one warning naming it, once per process, and nothing else",
    async (value) => {
      vi.stubEnv("LIVEAVATAR_LOG", value);
      const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
      const others = (["debug", "info", "error", "log"] as const).map((level) =>
        vi.spyOn(console, level).mockImplementation(() => {}),
      );
      const server = await serve({ status: 503, headers: { "retry-after": "0" } }, CALLS.listAvatars.ok);
      await CALLS.listAvatars.call(clientFor(server.url, { logLevel: undefined }));
      await CALLS.listAvatars.call(clientFor(server.url, { logLevel: undefined }));
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![0]).toBe(
        `[liveavatar] LIVEAVATAR_LOG="${value}" is not one of off, error, warn, info, debug; ignored`,
      );
      for (const spy of others) expect(spy).not.toHaveBeenCalled();
    },
  );
});
