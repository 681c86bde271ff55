// The fake under hostile input, over a real socket: whatever a request carries, it is answered
// (never a crash, never a 500 for a client's mistake) and the state stays consistent. Undeclared
// and read-only fields are never stored, malformed escapes are a 400, a large body is a 413 read
// no further than the limit, and a handler that throws is a 500 envelope that changes nothing.
import { request as httpRequest } from "node:http";
import { expect, test } from "vitest";
import { InternalServerError } from "../../src/index.ts";
import { createLiveAvatarFake, startFakeServer } from "../../src/testing/index.ts";
import { assertPrototypesClean } from "../support/invariants.ts";
import { AVATAR_ID, send, useFake } from "./helpers.ts";
import { rejectionOf } from "../support/client.ts";

const { server, backend } = useFake();
const auth = () => ({ "x-api-key": server().apiKey });

test("PATCH never changes id or created_at and stores no undeclared field", async () => {
  const api = backend();
  const [a, b] = (await api.GET("/v1/contexts")).results!;
  const before = await api.GET("/v1/contexts/{context_id}", { params: { path: { context_id: a!.id } } });
  const patched = await send(server().url, "PATCH", `/v1/contexts/${a!.id}`, {
    headers: auth(),
    // `required_dynamic_variables` is in the detail view, not in UpdateContextSchema.
    body: {
      name: "Renamed",
      prompt: "P",
      opening_text: "O",
      id: b!.id,
      created_at: "not a date",
      required_dynamic_variables: 7,
      extra: true,
    },
  });
  expect(patched.status).toBe(200);
  expect(patched.body.data).toMatchObject({ id: a!.id, name: "Renamed", created_at: before.created_at });
  expect(patched.body.data).not.toHaveProperty("extra");
  const read = await api.GET("/v1/contexts/{context_id}", { params: { path: { context_id: a!.id } } });
  expect(read).toMatchObject({ id: a!.id, created_at: before.created_at, required_dynamic_variables: [] });
  expect((await api.GET("/v1/contexts")).count).toBe(3);
  await api.DELETE("/v1/contexts/{context_id}", { params: { path: { context_id: a!.id } } });
  expect((await send(server().url, "GET", `/v1/contexts/${a!.id}`, { headers: auth() })).status).toBe(404);
  // B is untouched by the PATCH that named its id.
  expect((await send(server().url, "GET", `/v1/contexts/${b!.id}`, { headers: auth() })).status).toBe(200);
  expect((await api.GET("/v1/contexts")).count).toBe(2);
});

test("a create stores only declared fields: a wrong-typed detail field cannot break later lists", async () => {
  const created = await send(server().url, "POST", "/v1/contexts", {
    headers: auth(),
    body: { name: "N", prompt: "P", opening_text: "O", required_dynamic_variables: "x", updated_at: 5 },
  });
  expect(created.status).toBe(200);
  expect((await backend().GET("/v1/contexts")).count).toBe(4);
  expect((await send(server().url, "GET", `/v1/contexts/${created.body.data.id}`, { headers: auth() })).status).toBe(
    200,
  );
});

test("a __proto__ key in a body changes no prototype and is not stored", async () => {
  const raw = '{"name":"N","prompt":"P","opening_text":"O","__proto__":{"polluted":1},"constructor":{"x":1}}';
  const created = await send(server().url, "POST", "/v1/contexts", { headers: auth(), raw });
  expect(created.status).toBe(200);
  expect(Object.keys(created.body.data)).not.toContain("__proto__");
  assertPrototypesClean();
});

test("malformed percent-escapes in a REST path answer 400, over HTTP and in process", async () => {
  for (const path of ["/v1/contexts/%E0%A4%A", "/v1/avatars/%", "/v1/sessions/%zz/transcript"]) {
    const answer = await send(server().url, "GET", path, { headers: auth() });
    expect(answer.status, path).toBe(400);
    expect(answer.body).toMatchObject({ code: 400, data: null, message: expect.stringContaining("percent-escape") });
  }
  const fake = createLiveAvatarFake();
  const direct = await fake.handle(new Request("http://fake.test/v1/voices/%E0%A4%A"));
  expect(direct.status).toBe(400);
  expect((await backend().GET("/v1/languages")).length).toBe(3);
});

test("a body over the limit is a 413, with or without content-length; the server keeps answering", async () => {
  const big = JSON.stringify({ name: "x".repeat(2 * 1024 * 1024), prompt: "P", opening_text: "O" });
  const refused = await send(server().url, "POST", "/v1/contexts", { headers: auth(), raw: big });
  expect(refused.status).toBe(413);
  expect(refused.body.message).toContain("1048576 bytes");
  expect(
    server()
      .calls("POST /v1/contexts")
      .map((c) => c.status),
  ).toEqual([413]);
  await using small = await startFakeServer({ maxBodyBytes: 100 });
  const chunks = [new TextEncoder().encode('{"name":"'), new TextEncoder().encode(`${"y".repeat(200)}"}`)];
  const streamed = await fetch(`${small.url}/v1/contexts`, {
    method: "POST",
    headers: { "x-api-key": small.apiKey, "content-type": "application/json" },
    body: new ReadableStream({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    }),
    duplex: "half",
  } as RequestInit);
  expect(streamed.status).toBe(413);
  expect((await fetch(`${small.url}/v1/languages`, { headers: { "x-api-key": small.apiKey } })).status).toBe(200);
  expect((await backend().GET("/v1/contexts")).count).toBe(3);
});

test("a handler that throws is a 500 envelope, and the call changes nothing", async () => {
  await using fake = await startFakeServer({
    realtime: {
      wsUrlFor: () => {
        throw new Error("realtime seam broke");
      },
    },
  });
  const client = (sessionToken: string | null) =>
    backend({ baseUrl: fake.url, apiKey: sessionToken ? null : fake.apiKey, sessionToken });
  const { session_id, session_token } = await client(null).POST("/v1/sessions/token", {
    body: { mode: "LITE", avatar_id: AVATAR_ID },
  });
  const error = await rejectionOf(client(session_token).POST("/v1/sessions/start"));
  expect(error).toBeInstanceOf(InternalServerError);
  expect((error as InternalServerError).body).toMatchObject({
    code: 500,
    data: null,
    message: expect.stringContaining("realtime seam broke"),
  });
  // Not half-started: no active session, and the token is still unused.
  expect((await client(null).GET("/v1/sessions", { params: { query: { type: "active" } } })).count).toBe(0);
  const again = await rejectionOf(client(session_token).POST("/v1/sessions/start"));
  expect((again as InternalServerError).status).toBe(500);
  expect(fake.calls("POST /v1/sessions/start").map((c) => c.status)).toEqual([500, 500]);
  expect(session_id).toBeTypeOf("string");
});

test("a Host header the URL parser refuses still gets an answer", async () => {
  const { port } = new URL(server().url);
  const status = await new Promise<number>((resolve, reject) => {
    const req = httpRequest(
      { host: "127.0.0.1", port, path: "/v1/languages", headers: { host: "bad host:x", ...auth() } },
      (res) => {
        res.resume();
        resolve(res.statusCode!);
      },
    );
    req.once("error", reject);
    req.end();
  });
  expect(status).toBe(200);
});

test("a call that waited behind a failing one acts on the state as it is after the undo", async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let first = true;
  const fake = createLiveAvatarFake({
    realtime: {
      wsUrlFor: async () => {
        if (!first) return "ws://127.0.0.1:1/v1/lite/x";
        first = false;
        await gate;
        throw new Error("first start fails");
      },
    },
  });
  const post = (path: string, headers: Record<string, string>, body?: unknown) =>
    fake.handle(
      new Request(`http://fake.test${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
  const mint = async () =>
    (
      await (
        await post("/v1/sessions/token", { "x-api-key": fake.apiKey }, { mode: "LITE", avatar_id: AVATAR_ID })
      ).json()
    ).data as { session_id: string; session_token: string };
  const [a, b] = [await mint(), await mint()];
  const failing = post("/v1/sessions/start", { authorization: `Bearer ${a.session_token}` });
  const waiting = post("/v1/sessions/start", { authorization: `Bearer ${b.session_token}` });
  release();
  expect([(await failing).status, (await waiting).status]).toEqual([500, 201]);
  // B's start stuck: it can be kept alive, and its token cannot start it again.
  expect((await post("/v1/sessions/keep-alive", { authorization: `Bearer ${b.session_token}` })).status).toBe(200);
  expect((await post("/v1/sessions/start", { authorization: `Bearer ${b.session_token}` })).status).toBe(400);
});
