// The public shapes of the testing kit: options, fixtures, faults and recorded calls.
import type { OperationKey } from "../../generated/operations.js";
import type { components } from "../../generated/schema.js";

type Schemas = components["schemas"];

/** Records to start from instead of (or on top of) the generated seed. Missing fields are sampled. */
export interface Fixtures {
  avatars?: Partial<Schemas["AvatarSchema"]>[];
  publicAvatars?: Partial<Schemas["AvatarSchema"]>[];
  voices?: Partial<Schemas["VoiceSchema"]>[];
  contexts?: Partial<Schemas["ContextDetailSchema"]>[];
  memories?: Partial<Schemas["MemoryWithEpisodesResponse"]>[];
  secrets?: Partial<Schemas["SecretListItemSchema"]>[];
  llmConfigurations?: Partial<Schemas["LLMConfigurationResponseSchema"]>[];
  languages?: Schemas["LanguageSchema"][];
  /** Sessions the fake already holds, e.g. a token your test minted elsewhere. */
  sessions?: FixtureSession[];
  credits?: string;
}

export interface FixtureSession {
  session_id?: string;
  session_token?: string;
  mode?: "FULL" | "LITE";
  avatar_id?: string;
  /** "minted" (default): the token can start it once; "active": started; "stopped": ended. */
  state?: "minted" | "active" | "stopped";
}

export interface RealtimeSeam {
  /** The `ws_url` a started LITE session carries (a realtime mock serving that session). */
  wsUrlFor(session: { session_id: string; session_token: string }): string | Promise<string>;
}

export interface FakeOptions {
  /** The API key the fake accepts in `X-API-KEY` (default "test-api-key"). */
  apiKey?: string;
  /** Seed for generated ids, names and tokens (default 1): same seed, same data. */
  seed?: number;
  /** How many records each collection starts with when fixtures do not say (default 3). */
  seedCount?: number;
  /** Replace the generated records of the collections they name. */
  fixtures?: Fixtures;
  /** The envelope `code` of a success (default 1000, what the vendor's SDK checks; the spec's default is 100). */
  successCode?: number;
  /** The fake's clock for created_at/updated_at (default: the real time when the fake was made). */
  now?: () => Date;
  /** Where started LITE sessions get their `ws_url`. */
  realtime?: RealtimeSeam;
}

export interface Fault {
  /** HTTP status to answer with (default 503, or 502 with `html`). */
  status?: number;
  /** How many matching calls get the fault (default 1); later ones are answered normally. */
  times?: number;
  /** JSON body (default: the envelope with the status as `code` and a message). */
  body?: unknown;
  /** Wait this long before answering (alone: a slow but otherwise normal answer). */
  delayMs?: number;
  /** Answer with an HTML error page, as a proxy in front of the API would. */
  html?: boolean;
  /** Drop the connection without an answer. */
  reset?: boolean;
  /** Extra response headers. 429 and 503 get `Retry-After: 0` unless you set it. */
  headers?: Record<string, string>;
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
