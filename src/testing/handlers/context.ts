// What an operation handler gets, and what it gives back.
import type { Credential } from "../types.js";
import type { SessionRow, State } from "../state.js";
import type { RealtimeSeam } from "../types.js";

export interface CallContext {
  state: State;
  url: URL;
  /** Path parameters by name. */
  path: Record<string, string>;
  /** Query parameters, converted to the types the spec gives them, defaults filled. */
  query: Record<string, unknown>;
  body: unknown;
  credential: Credential;
  /** The session whose token authorised the call, when a session token did. */
  tokenSession: SessionRow | undefined;
  realtime: RealtimeSeam | undefined;
}

/** A handler returns the envelope's `data` (the fake wraps it), or `undefined` for a body-less success. */
export type Handler = (call: CallContext) => unknown;
