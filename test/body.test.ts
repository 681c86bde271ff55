// The limit on successful bodies (`maxBodyBytes`): a 2xx body over it, announced by its
// Content-Length or counted as it streams, fails the call with BodyTooLargeError, the read is
// cancelled (the server sees its answer cut off) and nothing is retried. Over real sockets.
import { describe, expect, test } from "vitest";
import { APIConnectionTimeoutError, BodyTooLargeError, InternalServerError, LiveAvatarError } from "../src/index.ts";
import { CALLS } from "./support/calls.ts";
import { clientFor, rejectionOf } from "./support/client.ts";
import { expectShortMessage } from "./support/failures.ts";
import { envelope, scriptedServers, type Reply } from "./support/scripted-server.ts";

const serve = scriptedServers();
const MiB = 1024 * 1024;
/** The start of a JSON envelope whose `data` the stream never closes. */
const OPENING = '{"code":1000,"message":"ok","data":{"count":1,"results":[],"pad":"';
const json = { "content-type": "application/json" };
/** Loopback socket buffers on both sides hold a few MiB at most; a read that stopped sends no more than that. */
const SOCKET_SLACK = 32 * MiB;

async function overLimit(reply: Reply, options: { maxBodyBytes?: number; timeout?: number } = {}) {
  const server = await serve(reply);
  const client = clientFor(server.url, { maxRetries: 2, ...options });
  const error = await rejectionOf(CALLS.listAvatars.call(client));
  return { error, server, answered: await server.answered(0) };
}

describe.concurrent("a 2xx body over maxBodyBytes", () => {
  test("a body that never ends is cut at the limit: the read stops, the call fails once, unretried", async () => {
    const { error, server, answered } = await overLimit(
      { headers: json, body: OPENING, stream: {} },
      { maxBodyBytes: MiB },
    );
    expect(error).toBeInstanceOf(BodyTooLargeError);
    expect(error).toMatchObject({ status: 200, limit: MiB, attempts: 1, operation: "GET /v1/avatars" });
    expect(error.message).toBe(
      "200 from GET /v1/avatars: body over the 1 MiB limit (the `maxBodyBytes` option); the read was cancelled",
    );
    expectShortMessage(error);
    // The server would send forever: its answer closed unfinished because the client stopped reading.
    expect(answered.complete).toBe(false);
    expect(answered.bytesSent).toBeLessThan(MiB + SOCKET_SLACK);
    expect(server.requests).toHaveLength(1);
  });

  test("a Content-Length over the limit fails before any of the body is read", async () => {
    // 10 GiB announced, a few bytes sent, then nothing: only the header can end this call in time.
    const { error, server, answered } = await overLimit(
      { headers: { ...json, "content-length": String(10 * 1024 * MiB) }, body: OPENING, stall: true, partial: 10 },
      { maxBodyBytes: MiB, timeout: 10_000 },
    );
    expect(error).toBeInstanceOf(BodyTooLargeError);
    expect(error.message).toContain("body over the 1 MiB limit (the `maxBodyBytes` option)");
    expect(answered.complete).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  test("a chunked body that ends, but past the limit, fails the same way", async () => {
    const pad = "x".repeat(2 * MiB);
    const { error, server } = await overLimit(
      { headers: { ...json, "transfer-encoding": "chunked" }, body: envelope({ count: 0, results: [], pad }) },
      { maxBodyBytes: 1_500_000 },
    );
    expect(error).toBeInstanceOf(BodyTooLargeError);
    expect(error).toMatchObject({ limit: 1_500_000 });
    expect(error.message).toContain("body over the 1500000 bytes limit");
    expect(server.requests).toHaveLength(1);
  });

  test("the default limit is 16 MiB", async () => {
    const { error } = await overLimit({ headers: json, body: OPENING, stream: { total: 17 * MiB } });
    expect(error).toBeInstanceOf(BodyTooLargeError);
    expect(error).toMatchObject({ limit: 16 * MiB });
  });

  test("a per-call limit overrides the client's, both ways", async () => {
    const pad = "x".repeat(2 * MiB);
    const server = await serve({ body: envelope({ count: 0, results: [], pad }) });
    const small = clientFor(server.url, { maxBodyBytes: MiB });
    await expect(CALLS.listAvatars.call(small, { maxBodyBytes: 4 * MiB })).resolves.toMatchObject({ pad });
    const large = clientFor(server.url);
    expect(await rejectionOf(CALLS.listAvatars.call(large, { maxBodyBytes: MiB }))).toBeInstanceOf(BodyTooLargeError);
  });

  test("a body exactly at the limit is read", async () => {
    const body = JSON.stringify(envelope({ count: 0, results: [] }));
    const server = await serve({ headers: json, body });
    const client = clientFor(server.url, { maxBodyBytes: Buffer.byteLength(body) });
    await expect(CALLS.listAvatars.call(client)).resolves.toMatchObject({ count: 0 });
  });

  test("a slow body that stays under the limit is cut by the timeout", async () => {
    const { error, answered } = await overLimit(
      { headers: json, body: OPENING, stream: { chunkBytes: 16, every: 5 } },
      { timeout: 300, maxBodyBytes: MiB },
    );
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(answered.complete).toBe(false);
  });
});

describe.concurrent("error bodies keep their 64 KiB cap, whatever maxBodyBytes says", () => {
  test("an error body that never ends is cut and the read stops", async () => {
    const server = await serve({ status: 500, headers: json, body: '{"detail":"', stream: {} });
    const error = await rejectionOf(CALLS.createToken.call(clientFor(server.url, { maxBodyBytes: 16 })));
    expect(error).toBeInstanceOf(InternalServerError);
    expect((await server.answered(0)).complete).toBe(false);
  });
});

describe.concurrent("maxBodyBytes must be a whole number of bytes a string can hold", () => {
  const bad: [string, unknown][] = [
    ["0", 0],
    ["-1", -1],
    ["1.5", 1.5],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["2^30", 2 ** 30],
    ['"16"', "16"],
  ];

  test.each(bad)("%s is refused when the client is built", (_, value) => {
    expect(() => clientFor("http://127.0.0.1:1", { maxBodyBytes: value as number })).toThrow(
      /^maxBodyBytes must be a whole number of bytes from 1 to 536870888, got /,
    );
  });

  test.each(bad)("%s is refused on a call, before anything is sent", async (_, value) => {
    const server = await serve(CALLS.listAvatars.ok);
    const error = await rejectionOf(CALLS.listAvatars.call(clientFor(server.url), { maxBodyBytes: value as number }));
    expect(error).toBeInstanceOf(LiveAvatarError);
    expect(error.message).toMatch(/^GET \/v1\/avatars: maxBodyBytes must be a whole number/);
    expect(server.requests).toHaveLength(0);
  });
});
