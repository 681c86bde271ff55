// Voice agents and LLM models (2026-12) on the fake, through the client over HTTP: stored agents
// listed, read and deleted; a token naming an unknown agent refused; a connector agent's session
// is LITE with no ws_url; `GET /v1/llm-models` maps providers to models.
import { expect, test } from "vitest";
import { LiveAvatar, NotFoundError } from "../../src/index.ts";
import { startFakeServer } from "../../src/testing/index.ts";
import { AVATAR_ID, useFake } from "./helpers.ts";
import { rejectionOf } from "../support/client.ts";

const { server, backend } = useFake();

type Agent = { id: string; name: string; agent_type: string };

test("voice agents: a seeded one of each type, read, deleted, then 404", async () => {
  const api = backend();
  const agents = (await api.GET("/v1/voice_agents")) as Agent[];
  expect(agents.map((a) => a.agent_type)).toEqual(["liveavatar_agent", "elevenlabs_agent", "cartesia_agent"]);
  const agent_id = agents[0]!.id;
  const read = (await api.GET("/v1/voice_agents/{agent_id}", { params: { path: { agent_id } } })) as Agent;
  expect(read).toMatchObject({ id: agent_id, name: agents[0]!.name, language: "en", agent_configuration: {} });
  await api.DELETE("/v1/voice_agents/{agent_id}", { params: { path: { agent_id } } });
  await expect(api.GET("/v1/voice_agents/{agent_id}", { params: { path: { agent_id } } })).rejects.toBeInstanceOf(
    NotFoundError,
  );
  expect(((await api.GET("/v1/voice_agents")) as Agent[]).length).toBe(2);
  server().reset();
  expect(((await api.GET("/v1/voice_agents")) as Agent[]).map((a) => a.id)).toContain(agent_id);
});

test("voice agents from fixtures; llm-models from fixtures or placeholders, with no credential", async () => {
  const agent = {
    id: "0b8f2a57-3c4d-4e5f-8a9b-0c1d2e3f4a5b",
    name: "Concierge",
    agent_type: "elevenlabs_agent" as const,
  };
  await using fake = await startFakeServer({ fixtures: { voiceAgents: [agent], llmModels: { openai: ["gpt-x"] } } });
  const api = new LiveAvatar({ baseUrl: fake.url, apiKey: fake.apiKey, maxRetries: 0 });
  expect(await api.GET("/v1/voice_agents")).toEqual([expect.objectContaining(agent)]);
  const anonymous = new LiveAvatar({ baseUrl: fake.url, apiKey: null, maxRetries: 0 });
  expect(await anonymous.GET("/v1/llm-models")).toEqual({ openai: ["gpt-x"] });
  const models = await backend().GET("/v1/llm-models");
  expect(Object.keys(models).length).toBeGreaterThan(0);
  for (const list of Object.values(models)) expect(list.every((m) => typeof m === "string")).toBe(true);
});

test("a FULL token naming an unknown voice agent is refused (404); a known one mints a FULL session", async () => {
  const api = backend();
  const unknown = "9a9a9a9a-1b1b-4c2c-8d3d-4e4e4e4e4e4e";
  const refused = await rejectionOf(
    api.POST("/v1/sessions/token", {
      body: { mode: "FULL", avatar_id: AVATAR_ID, voice_agent: { id: unknown, language: "en" } },
    }),
  );
  expect(refused).toBeInstanceOf(NotFoundError);
  expect((refused as NotFoundError).message).toContain(`voice agent ${unknown} not found`);
  expect(
    server()
      .calls("POST /v1/sessions/token")
      .map((c) => c.status),
  ).toEqual([404]);
  const [liveavatarAgent] = (await api.GET("/v1/voice_agents")) as Agent[];
  const minted = await api.POST("/v1/sessions/token", {
    body: {
      mode: "FULL",
      avatar_id: AVATAR_ID,
      voice_agent: { id: liveavatarAgent!.id, language: "en", dynamic_variables: { name: "Ada" } },
    },
  });
  const agent = new LiveAvatar({ baseUrl: server().url, apiKey: null, sessionToken: minted.session_token });
  const started = await agent.POST("/v1/sessions/start");
  expect(started.livekit_agent_token).toEqual(expect.any(String));
  const detail = await api.GET("/v1/sessions/{session_id}", { params: { path: { session_id: minted.session_id } } });
  expect(detail.mode).toBe("FULL");
});

test("a token naming an elevenlabs_agent yields a LITE session without ws_url, even with the LITE fake", async () => {
  await using fake = await startFakeServer({ lite: true });
  const api = new LiveAvatar({ baseUrl: fake.url, apiKey: fake.apiKey, maxRetries: 0 });
  const agents = (await api.GET("/v1/voice_agents")) as Agent[];
  const connector = agents.find((a) => a.agent_type === "elevenlabs_agent")!;
  const minted = await api.POST("/v1/sessions/token", {
    body: { mode: "FULL", avatar_id: AVATAR_ID, voice_agent: { id: connector.id } },
  });
  const started = await new LiveAvatar({
    baseUrl: fake.url,
    apiKey: null,
    sessionToken: minted.session_token,
  }).POST("/v1/sessions/start");
  expect(started.ws_url).toBeUndefined();
  expect(started.livekit_agent_token).toBeUndefined();
  const detail = await api.GET("/v1/sessions/{session_id}", { params: { path: { session_id: minted.session_id } } });
  expect(detail.mode).toBe("LITE");
  // A plain LITE token still gets its ws_url from the LITE fake.
  const plain = await api.POST("/v1/sessions/token", { body: { mode: "LITE", avatar_id: AVATAR_ID } });
  const plainStart = await new LiveAvatar({
    baseUrl: fake.url,
    apiKey: null,
    sessionToken: plain.session_token,
  }).POST("/v1/sessions/start");
  expect(plainStart.ws_url).toBe(fake.lite!.wsUrlFor(plain.session_id));
});

test("a LITE token with an ElevenLabs agent config (no mode given) is a connector session: no ws_url", async () => {
  await using fake = await startFakeServer({ lite: true });
  const api = new LiveAvatar({ baseUrl: fake.url, apiKey: fake.apiKey, maxRetries: 0 });
  const minted = await api.POST("/v1/sessions/token", {
    body: {
      avatar_id: AVATAR_ID,
      elevenlabs_agent_config: { secret_id: "5d6e7f80-1a2b-4c3d-8e4f-5a6b7c8d9e0f", agent_id: "agent_1" },
    },
  });
  const token = new LiveAvatar({ baseUrl: fake.url, apiKey: null, sessionToken: minted.session_token });
  expect((await token.POST("/v1/sessions/start")).ws_url).toBeUndefined();
  expect(fake.calls("POST /v1/sessions/token")[0]!.body).toMatchObject({ elevenlabs_agent_config: expect.any(Object) });
});
