// The session lifecycle on the fake: a minted token starts exactly one session, keep-alive and
// stop act on it, a stopped session cannot be kept alive, and the lists and detail view agree.
import { expect, test } from "vitest";
import { BadRequestError, LiveAvatar, NotFoundError } from "../../src/index.ts";
import { AVATAR_ID, useFake } from "./helpers.ts";
import { rejectionOf } from "../support/client.ts";

const { server, backend } = useFake({
  realtime: { wsUrlFor: ({ session_id }) => `ws://127.0.0.1:1/v1/lite/${session_id}` },
});

const browser = (token: string) =>
  new LiveAvatar({ baseUrl: server().url, apiKey: null, sessionToken: token, maxRetries: 0 });

test("mint, start once, keep alive, list, stop; then no keep-alive", async () => {
  const { session_id, session_token } = await backend().POST("/v1/sessions/token", {
    body: { mode: "LITE", avatar_id: AVATAR_ID },
  });
  const started = await browser(session_token).POST("/v1/sessions/start");
  expect(started.session_id).toBe(session_id);
  expect(started.ws_url).toBe(`ws://127.0.0.1:1/v1/lite/${session_id}`);

  const again = await rejectionOf(browser(session_token).POST("/v1/sessions/start"));
  expect(again).toBeInstanceOf(BadRequestError);
  expect((again as Error).message).toContain("already used");
  expect((again as Error).message).not.toContain(session_token);

  await browser(session_token).POST("/v1/sessions/keep-alive");
  const active = await backend().GET("/v1/sessions", { params: { query: { type: "active" } } });
  expect(active.results?.map((s) => s.id)).toEqual([session_id]);
  expect((await backend().GET("/v1/sessions", { params: { query: { type: "historic" } } })).count).toBe(0);

  await backend().POST("/v1/sessions/stop", { body: { session_id, reason: "IDLE_TIMEOUT" } });
  const stoppedKeepAlive = await rejectionOf(browser(session_token).POST("/v1/sessions/keep-alive"));
  expect(stoppedKeepAlive).toBeInstanceOf(BadRequestError);
  expect((stoppedKeepAlive as Error).message).toMatch(/not active \(stopped\)/);

  const historic = await backend().GET("/v1/sessions", { params: { query: { type: "historic" } } });
  expect(historic.results).toEqual([
    expect.objectContaining({ id: session_id, end_reason: "IDLE_TIMEOUT", mode: "LITE" }),
  ]);
  const detail = await backend().GET("/v1/sessions/{session_id}", { params: { path: { session_id } } });
  expect(detail).toMatchObject({ id: session_id, end_reason: "IDLE_TIMEOUT" });
  expect((await backend().GET("/v1/sessions", { params: { query: { type: "active" } } })).count).toBe(0);
});

test("FULL sessions carry an agent token and no ws_url", async () => {
  const { session_token } = await backend().POST("/v1/sessions/token", {
    body: { mode: "FULL", avatar_id: AVATAR_ID, avatar_persona: {} },
  });
  const started = await browser(session_token).POST("/v1/sessions/start");
  expect(started.livekit_agent_token).toEqual(expect.any(String));
  expect(started.ws_url).toBeUndefined();
});

test("a session token cannot act on another session; an unknown session is a 404", async () => {
  const one = await backend().POST("/v1/sessions/token", { body: { mode: "LITE", avatar_id: AVATAR_ID } });
  const two = await backend().POST("/v1/sessions/token", { body: { mode: "LITE", avatar_id: AVATAR_ID } });
  await browser(one.session_token).POST("/v1/sessions/start");
  const crossed = await rejectionOf(
    browser(one.session_token).POST("/v1/sessions/stop", { body: { session_id: two.session_id } }),
  );
  expect(crossed).toMatchObject({ status: 403 });
  const missing = "00000000-0000-4000-8000-000000000000";
  const stop = await rejectionOf(backend().POST("/v1/sessions/stop", { body: { session_id: missing } }));
  expect(stop).toBeInstanceOf(NotFoundError);
  const detail = await rejectionOf(
    backend().GET("/v1/sessions/{session_id}/transcript", { params: { path: { session_id: missing } } }),
  );
  expect(detail).toBeInstanceOf(NotFoundError);
});

test("a transcript says whether its session is active", async () => {
  const { session_id, session_token } = await backend().POST("/v1/sessions/token", {
    body: { mode: "LITE", avatar_id: AVATAR_ID },
  });
  await browser(session_token).POST("/v1/sessions/start");
  const transcript = () => backend().GET("/v1/sessions/{session_id}/transcript", { params: { path: { session_id } } });
  expect((await transcript()).session_active).toBe(true);
  await browser(session_token).POST("/v1/sessions/stop");
  expect((await transcript()).session_active).toBe(false);
  expect(server().calls("POST /v1/sessions/stop")).toEqual([
    expect.objectContaining({ credential: "sessionToken", status: 200, body: undefined }),
  ]);
});
