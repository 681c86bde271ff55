// Each resource family on the fake: what you create you can get, list, patch and delete, and
// then it is a 404. Every answer is also checked against the spec by the fake itself.
import { expect, test } from "vitest";
import { NotFoundError } from "../../src/index.ts";
import { useFake } from "./helpers.ts";

const { server, backend } = useFake();

const notFound = (promise: Promise<unknown>) => expect(promise).rejects.toBeInstanceOf(NotFoundError);

test("contexts: create, get, list, patch, delete, then 404", async () => {
  const api = backend();
  const created = await api.POST("/v1/contexts", {
    body: { name: "Support", prompt: "Be kind.", opening_text: "Hi!", links: [{ url: "https://x.test", faq: "q" }] },
  });
  expect(created).toMatchObject({
    name: "Support",
    prompt: "Be kind.",
    links: [{ url: "https://x.test", id: expect.any(String) }],
  });
  const context_id = created.id;
  expect(await api.GET("/v1/contexts/{context_id}", { params: { path: { context_id } } })).toEqual(created);
  const listed = await api.GET("/v1/contexts");
  expect(listed.results?.map((c) => c.id)).toContain(context_id);
  expect(listed.count).toBe(4); // three seeded + ours
  const patched = await api.PATCH("/v1/contexts/{context_id}", {
    params: { path: { context_id } },
    body: { name: "Sales", prompt: "Sell.", opening_text: "Hello" },
  });
  expect(patched).toMatchObject({ id: context_id, name: "Sales", created_at: created.created_at });
  await api.DELETE("/v1/contexts/{context_id}", { params: { path: { context_id } } });
  await notFound(api.GET("/v1/contexts/{context_id}", { params: { path: { context_id } } }));
  await notFound(api.DELETE("/v1/contexts/{context_id}", { params: { path: { context_id } } }));
  expect((await api.GET("/v1/contexts")).count).toBe(3);
});

test("memories: create, get with episodes, list with preview, delete (204), then 404", async () => {
  const api = backend();
  const session_id = "6f1c2a43-7b8d-4e9f-a0b1-c2d3e4f5a6b7";
  const created = await api.POST("/v1/memory", { body: { memory_type: "session", session_id } });
  const memory_id = created.id;
  const detail = await api.GET("/v1/memory/{memory_id}", { params: { path: { memory_id } } });
  expect(detail).toMatchObject({ id: memory_id, memory_content: created.memory_content, session_episodes: [] });
  const listed = await api.GET("/v1/memory", { params: { query: { type: "session" } } });
  expect(listed.results?.find((m) => m.id === memory_id)?.memory_content_preview).toBe(created.memory_content);
  const { response } = await api.DELETE("/v1/memory/{memory_id}", { params: { path: { memory_id } } }).withResponse();
  expect(response.status).toBe(204);
  await notFound(api.GET("/v1/memory/{memory_id}", { params: { path: { memory_id } } }));
});

test("secrets: the value goes in and never comes out", async () => {
  const api = backend();
  const created = await api.POST("/v1/secrets", {
    body: { secret_name: "openai", secret_value: "sk-do-not-echo", secret_type: "OPENAI_API_KEY" },
  });
  expect(created).toEqual({ id: expect.any(String), secret_name: "openai" });
  const listed = await api.GET("/v1/secrets");
  expect(listed.map((s) => s.id)).toContain(created.id);
  expect(JSON.stringify(listed)).not.toContain("sk-do-not-echo");
  await api.DELETE("/v1/secrets/{secret_id}", { params: { path: { secret_id: created.id } } });
  expect((await api.GET("/v1/secrets")).map((s) => s.id)).not.toContain(created.id);
  await notFound(api.DELETE("/v1/secrets/{secret_id}", { params: { path: { secret_id: created.id } } }));
});

test("LLM configurations: create, get, list, patch, delete, then 404", async () => {
  const api = backend();
  const created = await api.POST("/v1/llm-configurations", {
    body: { display_name: "GPT", model_name: "gpt-x", secret_id: "s1", base_url: "https://llm.test" },
  });
  const config_id = created.id;
  expect(await api.GET("/v1/llm-configurations/{config_id}", { params: { path: { config_id } } })).toEqual(created);
  expect((await api.GET("/v1/llm-configurations")).map((c) => c.id)).toContain(config_id);
  const patched = await api.PATCH("/v1/llm-configurations/{config_id}", {
    params: { path: { config_id } },
    body: { model_name: "gpt-y" },
  });
  expect(patched).toMatchObject({ model_name: "gpt-y", display_name: "GPT" });
  await api.DELETE("/v1/llm-configurations/{config_id}", { params: { path: { config_id } } });
  await notFound(api.GET("/v1/llm-configurations/{config_id}", { params: { path: { config_id } } }));
});

test("avatars: seeded, patched (default voice by id), deleted, then 404", async () => {
  const api = backend();
  const [first] = (await api.GET("/v1/avatars")).results!;
  const [voice] = (await api.GET("/v1/voices")).results!;
  const avatar_id = first!.id;
  const patched = await api.PATCH("/v1/avatars/{avatar_id}", {
    params: { path: { avatar_id } },
    body: { name: "Renamed", default_voice_id: voice!.id },
  });
  expect(patched).toMatchObject({
    id: avatar_id,
    name: "Renamed",
    default_voice: { id: voice!.id, name: voice!.name },
  });
  expect(await api.GET("/v1/avatars/{avatar_id}", { params: { path: { avatar_id } } })).toEqual(patched);
  await api.DELETE("/v1/avatars/{avatar_id}", { params: { path: { avatar_id } } });
  await notFound(api.GET("/v1/avatars/{avatar_id}", { params: { path: { avatar_id } } }));
  // Public avatars are a separate collection and need no credential.
  expect((await api.GET("/v1/avatars/public", { auth: false })).count).toBe(3);
});

test("voices: bind a third-party voice, get, preview, patch, delete, then 404", async () => {
  const api = backend();
  const { voice_id } = await api.POST("/v1/voices/third_party", {
    body: { provider_voice_id: "el-123", secret_id: "s1", name: "Narrator" },
  });
  expect(await api.GET("/v1/voices/{voice_id}", { params: { path: { voice_id } } })).toMatchObject({
    name: "Narrator",
  });
  const preview = await api.GET("/v1/voices/{voice_id}/preview", { params: { path: { voice_id } } });
  expect(atob(preview.audio_base64).startsWith("RIFF")).toBe(true);
  await api.PATCH("/v1/voices/{voice_id}", { params: { path: { voice_id } }, body: { name: "Host" } });
  expect((await api.GET("/v1/voices")).results?.find((v) => v.id === voice_id)?.name).toBe("Host");
  await api.DELETE("/v1/voices/{voice_id}", { params: { path: { voice_id } } });
  await notFound(api.GET("/v1/voices/{voice_id}/preview", { params: { path: { voice_id } } }));
});

test("reset() returns to the seed: created records are gone, seeded ones are back", async () => {
  const api = backend();
  const before = (await api.GET("/v1/contexts")).results!.map((c) => c.id);
  await api.POST("/v1/contexts", { body: { name: "n", prompt: "p", opening_text: "o" } });
  await api.DELETE("/v1/contexts/{context_id}", { params: { path: { context_id: before[0]! } } });
  server().reset();
  expect((await api.GET("/v1/contexts")).results!.map((c) => c.id)).toEqual(before);
  expect(server().calls()).toHaveLength(1);
});
