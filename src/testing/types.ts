// The public shapes of the testing kit: options, fixtures, faults and recorded calls.
import type { OperationKey } from "../../generated/operations.js";
import type { components } from "../../generated/schema.js";

type Schemas = components["schemas"];

/** Records to start from instead of (or on top of) the generated seed. Missing fields are sampled. */
export interface Fixtures {
  avatars?: Partial<Schemas["AvatarSchema"]>[] | undefined;
  publicAvatars?: Partial<Schemas["AvatarSchema"]>[] | undefined;
  voices?: Partial<Schemas["VoiceSchema"]>[] | undefined;
  contexts?: Partial<Schemas["ContextDetailSchema"]>[] | undefined;
  memories?: Partial<Schemas["MemoryWithEpisodesResponse"]>[] | undefined;
  secrets?: Partial<Schemas["SecretListItemSchema"]>[] | undefined;
  llmConfigurations?: Partial<Schemas["LLMConfigurationResponseSchema"]>[] | undefined;
  languages?: Schemas["LanguageSchema"][] | undefined;
  /** Stored voice agents (default: `seedCount` of them, one of each `agent_type` in turn). */
  voiceAgents?: FixtureVoiceAgent[] | undefined;
  /** `GET /v1/llm-models`: provider -> model names (default: a few placeholder names). */
  llmModels?: Record<string, string[]> | undefined;
  /** Sessions the fake already holds, e.g. a token your test minted elsewhere. */
  sessions?: FixtureSession[] | undefined;
  credits?: string | undefined;
}

export interface FixtureVoiceAgent {
  id?: string | undefined;
  name?: string | undefined;
  /** `liveavatar_agent` (default), or a connector: `elevenlabs_agent`, `cartesia_agent`. */
  agent_type?: "liveavatar_agent" | "elevenlabs_agent" | "cartesia_agent" | undefined;
  avatar_id?: string | undefined;
  language?: string | undefined;
  [field: string]: unknown;
}

export interface FixtureSession {
  session_id?: string | undefined;
  session_token?: string | undefined;
  mode?: "FULL" | "LITE" | undefined;
  avatar_id?: string | undefined;
  /** "minted" (default): the token can start it once; "active": started; "stopped": ended. */
  state?: "minted" | "active" | "stopped" | undefined;
}

export interface RealtimeSeam {
  /** The `ws_url` a started LITE session carries (a realtime mock serving that session). */
  wsUrlFor(session: { session_id: string; session_token: string }): string | Promise<string>;
}

export interface FakeOptions {
  /** The API key the fake accepts in `X-API-KEY` (default "test-api-key"). */
  apiKey?: string | undefined;
  /** Seed for generated ids, names and tokens (default 1): same seed, same data. */
  seed?: number | undefined;
  /** How many records each collection starts with when fixtures do not say (default 3). */
  seedCount?: number | undefined;
  /** Replace the generated records of the collections they name. */
  fixtures?: Fixtures | undefined;
  /** The envelope `code` of a success (default 1000, what the vendor's SDK checks; the spec's default is 100). */
  successCode?: number | undefined;
  /** The fake's clock for created_at/updated_at (default: the real time when the fake was made). */
  now?: (() => Date) | undefined;
  /** Where started LITE sessions get their `ws_url`. */
  realtime?: RealtimeSeam | undefined;
  /** Largest request body, in bytes (default 1 MiB); a larger one is answered 413 without reading on. */
  maxBodyBytes?: number | undefined;
  /** Recorded calls kept (default 1000); past it the oldest are dropped and counted in `droppedCalls`. */
  maxRecordedCalls?: number | undefined;
}

export interface ResetOptions {
  /**
   * Issue the same ids and tokens as after the seed (default false: ids stay unique across resets).
   * For tests that compare the answers of two runs; a LITE fake that still remembers a session of
   * a replayed id as ended refuses it, unless it is reset too (`startFakeServer`'s reset does that).
   */
  replayIds?: boolean | undefined;
}

export interface Fault {
  /** HTTP status to answer with (default 503, or 502 with `html`). */
  status?: number | undefined;
  /** How many matching calls get the fault (default 1); later ones are answered normally. */
  times?: number | undefined;
  /** JSON body (default: the envelope with the status as `code` and a message). */
  body?: unknown;
  /** Wait this long before answering (alone: a slow but otherwise normal answer). */
  delayMs?: number | undefined;
  /** Answer with an HTML error page, as a proxy in front of the API would. */
  html?: boolean | undefined;
  /** Drop the connection without an answer. */
  reset?: boolean | undefined;
  /** Extra response headers. 429 and 503 get `Retry-After: 0` unless you set it. */
  headers?: Record<string, string> | undefined;
}

/** Which credential a call was let in with. */
export type Credential = "apiKey" | "sessionToken" | null;

export interface RecordedCall {
  /** "METHOD /path" template, or null when the path matched no operation. */
  operation: OperationKey | null;
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  credential: Credential;
  status: number;
}

/** `"METHOD /path"` as in the spec, or "*" for every operation. */
export type FaultTarget = OperationKey | "*";
