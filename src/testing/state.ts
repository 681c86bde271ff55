// The fake's memory: resource collections and sessions, built from the seed and the fixtures.
import { FakeConfigError } from "./errors.js";
import { seededRandom, type Random } from "./random.js";
import { project, sampleValue, type SampleContext } from "./sample.js";
import type { FakeOptions, Fixtures, FixtureSession } from "./types.js";
import { seedLlmModels, seedVoiceAgents, type VoiceAgentRow } from "./voice-agents.js";

export type Row = Record<string, unknown>;

/** Each collection and the schema its stored records follow (the richest view of the resource). */
export const COLLECTIONS = {
  avatars: "AvatarSchema",
  publicAvatars: "AvatarSchema",
  voices: "VoiceSchema",
  contexts: "ContextDetailSchema",
  memories: "MemoryWithEpisodesResponse",
  secrets: "SecretListItemSchema",
  llmConfigurations: "LLMConfigurationResponseSchema",
} as const;

export type CollectionName = keyof typeof COLLECTIONS;

export interface SessionRow {
  session_id: string;
  session_token: string;
  mode: "FULL" | "LITE";
  avatar_id: string | null;
  context_id: string | null;
  is_sandbox: boolean;
  max_session_duration: number | null;
  state: "minted" | "active" | "stopped";
  created_at: string;
  updated_at: string;
  started_at: string | null;
  end_at: string | null;
  end_reason: string | null;
  /** The stored voice agent the token named, if any. */
  voice_agent_id: string | null;
  /** A connector session (ElevenLabs, Cartesia, ... agent): the conversation runs there, so no `ws_url`. */
  connector: boolean;
}

export interface State {
  collections: Record<CollectionName, Map<string, Row>>;
  sessions: Map<string, SessionRow>;
  /** session token -> session id */
  tokens: Map<string, string>;
  languages: Row[];
  credits: string;
  voiceAgents: Map<string, VoiceAgentRow>;
  llmModels: Record<string, string[]>;
  /** The seeded source for seed data and samples: it starts over on `reset()`, so the data does too. */
  sample: SampleContext;
  /**
   * The source of the ids and tokens the fake issues (sessions, created records). It never starts
   * over, so an id issued before a `reset()` is not issued again: a LITE fake that still remembers
   * that session as ended would refuse the new one.
   */
  ids: Random;
}

const LANGUAGES = [
  { language: "English", code: "en" },
  { language: "Spanish", code: "es" },
  { language: "German", code: "de" },
];

/** A fresh state from the seed; `ids` carries the issuing source over from the state it replaces. */
export function createState(options: FakeOptions, now: () => Date, ids?: Random): State {
  const random: Random = seededRandom(options.seed ?? 1);
  const sample: SampleContext = { random, now: now().toISOString() };
  const fixtures: Fixtures = options.fixtures ?? {};
  if (typeof fixtures !== "object" || fixtures === null || Array.isArray(fixtures)) {
    throw new FakeConfigError("fixtures must be an object of collections, e.g. { avatars: [...] }");
  }
  for (const name of ["sessions", "languages"] as const) {
    if (fixtures[name] !== undefined && !Array.isArray(fixtures[name])) {
      throw new FakeConfigError(`fixtures.${name} must be an array`);
    }
  }
  const count = options.seedCount ?? 3;
  if (!Number.isInteger(count) || count < 0 || count > 10_000) {
    throw new FakeConfigError(`seedCount must be an integer from 0 to 10000, got ${String(count)}`);
  }
  const collections = {} as State["collections"];
  for (const [name, schema] of Object.entries(COLLECTIONS) as [CollectionName, string][]) {
    const given = fixtures[name] as Row[] | undefined;
    if (given !== undefined && !Array.isArray(given)) throw new FakeConfigError(`fixtures.${name} must be an array`);
    const rows = given ?? Array.from({ length: count }, () => ({}));
    collections[name] = new Map(
      rows.map((row) => {
        const sampled = sampleValue({ $ref: `#/components/schemas/${schema}` }, sample) as Row;
        const full = project(schema, { ...sampled, ...idFor(name, random), ...row }, sample);
        return [String(full.id), name === "memories" ? withPreview(full) : full];
      }),
    );
  }
  const state: State = {
    collections,
    sessions: new Map(),
    tokens: new Map(),
    languages: fixtures.languages ?? LANGUAGES,
    credits: fixtures.credits ?? "1000",
    voiceAgents: seedVoiceAgents(fixtures.voiceAgents, count, sample),
    llmModels: seedLlmModels(fixtures.llmModels),
    sample,
    // Its own stream (the seed, mixed), so ids do not depend on how much seed data was drawn.
    ids: ids ?? seededRandom(((options.seed ?? 1) ^ 0x9e3779b9) >>> 0),
  };
  for (const session of fixtures.sessions ?? []) addSession(state, fixtureSession(session, sample));
  return state;
}

/** New ids come from the seeded source, so the same seed gives the same ids. */
function idFor(name: CollectionName, random: Random): Row {
  return { id: name === "secrets" || name === "llmConfigurations" ? `${name}-${random.token(12)}` : random.uuid() };
}

export function newId(state: State, name: CollectionName): string {
  return String(idFor(name, state.ids).id);
}

/** Undoes what one call changed: taken before a call that may change state, applied if it fails. */
export function snapshot(state: State): () => void {
  const collections = Object.fromEntries(
    Object.entries(state.collections).map(([name, rows]) => [name, new Map(rows)]),
  ) as State["collections"];
  // Session rows are updated in place (start, stop), so they are copied; records are replaced whole.
  const sessions = new Map([...state.sessions].map(([id, session]) => [id, { ...session }]));
  const tokens = new Map(state.tokens);
  const voiceAgents = new Map(state.voiceAgents);
  return () => {
    state.voiceAgents = voiceAgents;
    state.collections = collections;
    state.sessions = sessions;
    state.tokens = tokens;
  };
}

/** A memory's list view shows the start of its content. */
export function withPreview(row: Row): Row {
  return { ...row, memory_content_preview: String(row.memory_content ?? "").slice(0, 100) };
}

function fixtureSession(given: FixtureSession, sample: SampleContext): SessionRow {
  return newSession(sample, {
    session_id: given.session_id ?? sample.random.uuid(),
    session_token: given.session_token ?? sample.random.token(),
    mode: given.mode ?? "LITE",
    avatar_id: given.avatar_id ?? null,
    state: given.state ?? "minted",
  });
}

export function newSession(
  sample: SampleContext,
  fields: Pick<SessionRow, "session_id" | "session_token" | "mode" | "avatar_id" | "state"> & Partial<SessionRow>,
): SessionRow {
  return {
    context_id: null,
    voice_agent_id: null,
    connector: false,
    is_sandbox: false,
    max_session_duration: null,
    created_at: sample.now,
    updated_at: sample.now,
    started_at: fields.state === "minted" ? null : sample.now,
    end_at: fields.state === "stopped" ? sample.now : null,
    end_reason: fields.state === "stopped" ? "USER_CLOSED" : null,
    ...fields,
  };
}

export function addSession(state: State, session: SessionRow): void {
  state.sessions.set(session.session_id, session);
  state.tokens.set(session.session_token, session.session_id);
}
