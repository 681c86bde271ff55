// liveavatar-api/drift over a real node:http server and the real client: each success answer is
// checked against openapi.json; each distinct drift reported once, by type, never by value.
import { afterAll, beforeAll, expect, test } from "vitest";
import { specDrift, SpecDriftError, specDriftErrorOf, type SpecDrift } from "../../src/drift/index.ts";
import { LiveAvatarError } from "../../src/index.ts";
import { clientFor, rejectionOf } from "../support/client.ts";
import { assertNoSecrets } from "../support/invariants.ts";
import { envelope, startScriptedServer, type ScriptedServer } from "../support/scripted-server.ts";

const SECRET = "sk-live-4f9a2b7c1d8e6f3a9b0c";
const avatar_id = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
const avatar = {
  id: avatar_id,
  name: "Ada",
  created_at: "2026-12-01T10:00:00Z",
  updated_at: "2026-12-01T10:00:00Z",
  error_message: "",
};

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server.close());

const getAvatar = (client: ReturnType<typeof clientFor>) =>
  client.GET("/v1/avatars/{avatar_id}", { params: { path: { avatar_id } } });

test("an answer that matches the spec reports nothing and reaches the caller unchanged", async () => {
  const drifts: SpecDrift[] = [];
  const client = clientFor(server.url);
  client.use(specDrift({ onDrift: (d) => drifts.push(d) }));
  server.script({ body: envelope(avatar) });
  expect(await getAvatar(client)).toEqual(avatar);
  expect(drifts).toEqual([]);
});

test("an undeclared field, a missing required field and a wrong type: each reported once, with no value", async () => {
  const drifts: SpecDrift[] = [];
  const client = clientFor(server.url);
  client.use(specDrift({ onDrift: (d) => drifts.push(d) }));
  const { updated_at: _, ...withoutUpdated } = avatar;
  const drifted = { ...withoutUpdated, name: 42, api_secret: SECRET, default_voice: { id: SECRET } };
  server.script({ body: envelope(drifted) });
  // The caller still gets the answer: report mode changes nothing.
  expect(await getAvatar(client)).toEqual(drifted);
  server.script({ body: envelope(drifted) });
  await getAvatar(client);
  const operation = "GET /v1/avatars/{avatar_id}";
  expect(drifts).toEqual([
    { operation, kind: "missing_field", pointer: "/updated_at", expected: "present", received: "absent" },
    { operation, kind: "wrong_type", pointer: "/name", expected: "string", received: "integer" },
    { operation, kind: "missing_field", pointer: "/default_voice/name", expected: "present", received: "absent" },
    { operation, kind: "undeclared_field", pointer: "/api_secret", expected: "absent", received: "string" },
  ]);
  assertNoSecrets(drifts, [SECRET], "drifts");
});

test("list items: a field that differs in every item is one drift (indices are written *)", async () => {
  const drifts: SpecDrift[] = [];
  const client = clientFor(server.url);
  client.use(specDrift({ onDrift: (d) => drifts.push(d) }));
  const page = {
    count: 3,
    next: "/v1/avatars?page=3",
    previous: "/v1/avatars?page=1",
    results: [1, 2, 3].map(() => ({ ...avatar, name: null })),
  };
  server.script({ body: envelope(page) });
  await client.GET("/v1/avatars");
  expect(drifts).toEqual([
    {
      operation: "GET /v1/avatars",
      kind: "wrong_type",
      pointer: "/results/*/name",
      expected: "string",
      received: "null",
    },
  ]);
});

test('mode "throw" fails the call with a SpecDriftError naming every drift, each time, with no value', async () => {
  const client = clientFor(server.url);
  const reported: SpecDrift[] = [];
  client.use(specDrift({ mode: "throw", onDrift: (d) => reported.push(d) }));
  for (let i = 0; i < 2; i++) {
    server.script({ body: envelope({ ...avatar, name: SECRET.length, token: SECRET }) });
    const error = await rejectionOf(getAvatar(client));
    expect(error).toBeInstanceOf(LiveAvatarError);
    const drift = specDriftErrorOf(error);
    expect(drift).toBeInstanceOf(SpecDriftError);
    expect(drift!.drifts.map((d) => `${d.kind} ${d.pointer}`)).toEqual(["wrong_type /name", "undeclared_field /token"]);
    expect(drift!.message).toBe(
      "GET /v1/avatars/{avatar_id}: the answer differs from openapi.json: wrong_type at /name (expected string, " +
        "received integer); undeclared_field at /token (expected absent, received string)",
    );
    assertNoSecrets(error, [SECRET], "error");
  }
  expect(reported).toHaveLength(2);
});

test("error answers, non-JSON bodies and untyped answers are left alone", async () => {
  const drifts: SpecDrift[] = [];
  const client = clientFor(server.url, { maxRetries: 0 });
  client.use(specDrift({ onDrift: (d) => drifts.push(d), mode: "throw" }));
  server.script({ status: 404, body: { detail: SECRET } });
  await rejectionOf(getAvatar(client));
  server.script({ body: "<html>", headers: { "content-type": "text/html" } });
  await rejectionOf(getAvatar(client));
  server.script({ body: envelope({ anything: SECRET }) });
  await client.GET("/v1/voice_agents");
  expect(drifts).toEqual([]);
});
