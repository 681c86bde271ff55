// Recipe 1: your own token endpoint and its failure path, against the fake. No network, no Prism.
import { beforeAll, expect, test } from "vitest";
import { startFakeServer, type FakeServer } from "liveavatar-api/testing";
import { POST } from "./app/session-route.ts";

let fake: FakeServer;
beforeAll(async () => {
  fake = await startFakeServer();
  process.env.LIVEAVATAR_BASE_URL = fake.url;
  process.env.LIVEAVATAR_API_KEY = fake.apiKey;
  return () => fake.close();
});
const ask = () =>
  POST(
    new Request("http://app.test/api/session", {
      method: "POST",
      body: '{"avatarId":"3fa85f64-5717-4562-b3fc-2c963f66afa6"}',
    }),
  );

test("mints a session token", async () => {
  expect(await (await ask()).json()).toEqual({ token: expect.any(String) });
  expect(fake.calls("POST /v1/sessions/token")[0]).toMatchObject({ credential: "apiKey", body: { mode: "LITE" } });
});

test("a 503 from LiveAvatar, then success", async () => {
  fake.inject("POST /v1/sessions/token", { status: 503 });
  expect((await ask()).status).toBe(503);
  expect((await ask()).status).toBe(200);
});
