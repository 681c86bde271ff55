// Create, read, list, patch and delete for the API's resources: contexts, memories, secrets,
// LLM configurations, avatars and voices. What is created can be read back; what is deleted is 404.
import { notFound } from "../respond.js";
import { project } from "../sample.js";
import { newId, withPreview, type CollectionName, type Row } from "../state.js";
import type { CallContext, Handler } from "./context.js";
import { page } from "./pages.js";

function rows(call: CallContext, name: CollectionName): Map<string, Row> {
  return call.state.collections[name];
}

function find(call: CallContext, name: CollectionName, param: string, what: string): Row {
  const id = call.path[param]!;
  const row = rows(call, name).get(id);
  if (!row) throw notFound(what, id);
  return row;
}

const view = (call: CallContext, schema: string, row: Row): Row => project(schema, row, call.state.sample);

function create(call: CallContext, name: CollectionName, fields: Row): Row {
  const now = call.state.sample.now;
  const row: Row = { ...fields, id: newId(call.state, name), created_at: now, updated_at: now };
  rows(call, name).set(String(row.id), row);
  return row;
}

/** A PATCH: the declared fields it sent (the fake drops the rest), never `id` or `created_at`. */
function update(call: CallContext, name: CollectionName, param: string, what: string): Row {
  const row = find(call, name, param, what);
  const next = {
    ...row,
    ...(call.body as Row),
    id: row.id,
    created_at: row.created_at,
    updated_at: call.state.sample.now,
  };
  rows(call, name).set(String(row.id), next);
  return next;
}

function remove(call: CallContext, name: CollectionName, param: string, what: string): void {
  const row = find(call, name, param, what);
  rows(call, name).delete(String(row.id));
}

/** Context links get ids when they are stored; links sent with an id keep it. */
function withLinkIds(call: CallContext, body: Row): Row {
  if (!Array.isArray(body.links)) return body;
  const links = body.links.map((link: Row) => ({ id: call.state.ids.uuid(), ...link }));
  return { ...body, links };
}

const list =
  (name: CollectionName, schema: string): Handler =>
  (call) =>
    page(
      call,
      [...rows(call, name).values()].map((row) => view(call, schema, row)),
    );

export const resourceHandlers: Record<string, Handler> = {
  "GET /v1/avatars": list("avatars", "AvatarSchema"),
  "GET /v1/avatars/public": list("publicAvatars", "AvatarSchema"),
  "GET /v1/avatars/{avatar_id}": (call) => view(call, "AvatarSchema", find(call, "avatars", "avatar_id", "avatar")),
  "PATCH /v1/avatars/{avatar_id}": (call) => {
    const { default_voice_id, ...rest } = (call.body ?? {}) as Row;
    const row = update({ ...call, body: rest }, "avatars", "avatar_id", "avatar");
    if (typeof default_voice_id === "string") {
      const voice = rows(call, "voices").get(default_voice_id);
      row.default_voice = { id: default_voice_id, name: String(voice?.name ?? default_voice_id) };
    }
    return view(call, "AvatarSchema", row);
  },
  "DELETE /v1/avatars/{avatar_id}": (call) => remove(call, "avatars", "avatar_id", "avatar") ?? null,

  "GET /v1/voices": (call) => {
    const all = [...rows(call, "voices").values()].map((row) => view(call, "VoiceSchema", row));
    return page(call, all);
  },
  "POST /v1/voices/third_party": (call) => {
    const body = call.body as Row;
    const row = create(call, "voices", { name: body.name ?? `voice ${String(body.provider_voice_id)}` });
    return { voice_id: row.id };
  },
  "GET /v1/voices/{voice_id}": (call) => view(call, "VoiceSchema", find(call, "voices", "voice_id", "voice")),
  "PATCH /v1/voices/{voice_id}": (call) => view(call, "VoiceSchema", update(call, "voices", "voice_id", "voice")),
  "DELETE /v1/voices/{voice_id}": (call) => remove(call, "voices", "voice_id", "voice") ?? null,
  "GET /v1/voices/{voice_id}/preview": (call) => {
    find(call, "voices", "voice_id", "voice");
    // A few bytes of silence, base64: enough for a test to decode.
    return { audio_base64: "UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQAAAAA=" };
  },

  "GET /v1/contexts": list("contexts", "ContextSchema"),
  "POST /v1/contexts": (call) =>
    view(call, "ContextDetailSchema", create(call, "contexts", withLinkIds(call, call.body as Row))),
  "GET /v1/contexts/{context_id}": (call) =>
    view(call, "ContextDetailSchema", find(call, "contexts", "context_id", "context")),
  "PATCH /v1/contexts/{context_id}": (call) =>
    view(
      call,
      "ContextDetailSchema",
      update({ ...call, body: withLinkIds(call, call.body as Row) }, "contexts", "context_id", "context"),
    ),
  "DELETE /v1/contexts/{context_id}": (call) => remove(call, "contexts", "context_id", "context") ?? null,

  "GET /v1/memory": (call) => {
    const all = [...rows(call, "memories").values()].filter(
      (row) => !call.query.type || row.memory_type === call.query.type,
    );
    return page(
      call,
      all.map((row) => view(call, "MemoryListItemResponse", row)),
    );
  },
  "POST /v1/memory": (call) => {
    const body = call.body as Row;
    const content = `Memory of session ${String(body.session_id)}.`;
    const row = create(call, "memories", {
      memory_type: body.memory_type,
      memory_content: content,
      session_episodes: [],
    });
    rows(call, "memories").set(String(row.id), withPreview(row));
    return view(call, "MemoryResponse", row);
  },
  "GET /v1/memory/{memory_id}": (call) =>
    view(call, "MemoryWithEpisodesResponse", find(call, "memories", "memory_id", "memory")),
  "DELETE /v1/memory/{memory_id}": (call) => {
    remove(call, "memories", "memory_id", "memory");
    return undefined;
  },

  // The secret's value is stored but never shown again, as with the API.
  "GET /v1/secrets": (call) =>
    [...rows(call, "secrets").values()].map((row) => view(call, "SecretListItemSchema", row)),
  "POST /v1/secrets": (call) => view(call, "CreateSecretResponseSchema", create(call, "secrets", call.body as Row)),
  "DELETE /v1/secrets/{secret_id}": (call) => remove(call, "secrets", "secret_id", "secret") ?? null,

  "GET /v1/llm-configurations": (call) =>
    [...rows(call, "llmConfigurations").values()].map((row) => view(call, "LLMConfigurationListItemSchema", row)),
  "POST /v1/llm-configurations": (call) =>
    view(call, "LLMConfigurationResponseSchema", create(call, "llmConfigurations", call.body as Row)),
  "GET /v1/llm-configurations/{config_id}": (call) =>
    view(call, "LLMConfigurationResponseSchema", find(call, "llmConfigurations", "config_id", "LLM configuration")),
  "PATCH /v1/llm-configurations/{config_id}": (call) =>
    view(call, "LLMConfigurationResponseSchema", update(call, "llmConfigurations", "config_id", "LLM configuration")),
  "DELETE /v1/llm-configurations/{config_id}": (call) =>
    remove(call, "llmConfigurations", "config_id", "LLM configuration") ?? null,

  "GET /v1/languages": (call) => call.state.languages,
  "GET /v1/users/credits": (call) => ({ credits_left: call.state.credits }),
};
