// Calls the socket tests make, each with a valid request, a success answer for it and the
// request target the server should see; grouped by what the retry policy does with them.
import type { LiveAvatar } from "../../src/index.ts";
import type { RequestOptions } from "../../src/types.ts";
import { envelope, type Reply } from "./scripted-server.ts";

export const TOKEN_BODY = { mode: "LITE", avatar_id: "avatar-1" } as const;

export interface ScriptedCall {
  /** "METHOD /path" of the operation. */
  operation: string;
  call(client: LiveAvatar, options?: RequestOptions): PromiseLike<unknown>;
  /** A success answer for it. */
  ok: Reply;
  /** The request target the server should see. */
  url: string;
}

const avatarsPage = { count: 1, next: null, previous: null, results: [{ avatar_id: "a-1" }] };

export const CALLS = byName({
  listAvatars: {
    operation: "GET /v1/avatars",
    call: (client, options) => client.GET("/v1/avatars", options),
    ok: { body: envelope(avatarsPage) },
    url: "/v1/avatars",
  },
  deleteMemory: {
    operation: "DELETE /v1/memory/{memory_id}",
    call: (client, options) =>
      client.DELETE("/v1/memory/{memory_id}", { params: { path: { memory_id: "m-1" } }, ...options }),
    ok: { status: 204 },
    url: "/v1/memory/m-1",
  },
  keepAlive: {
    operation: "POST /v1/sessions/keep-alive",
    call: (client, options) => client.POST("/v1/sessions/keep-alive", { body: { session_id: "s-1" }, ...options }),
    ok: { body: envelope(null) },
    url: "/v1/sessions/keep-alive",
  },
  stop: {
    operation: "POST /v1/sessions/stop",
    call: (client, options) =>
      client.POST("/v1/sessions/stop", { body: { session_id: "s-1", reason: "USER_CLOSED" }, ...options }),
    ok: { body: envelope(null) },
    url: "/v1/sessions/stop",
  },
  createToken: {
    operation: "POST /v1/sessions/token",
    call: (client, options) => client.POST("/v1/sessions/token", { body: TOKEN_BODY, ...options }),
    ok: { body: envelope({ session_id: "s-1", session_token: "t-1" }) },
    url: "/v1/sessions/token",
  },
  createContext: {
    operation: "POST /v1/contexts",
    call: (client, options) =>
      client.POST("/v1/contexts", { body: { name: "n", prompt: "p", opening_text: "o" }, ...options }),
    ok: { body: envelope({ id: "c-1", name: "n", prompt: "p", opening_text: "o" }) },
    url: "/v1/contexts",
  },
});

function byName<K extends string>(calls: Record<K, ScriptedCall>): Record<K, ScriptedCall> {
  return calls;
}

/** Repeating these after the server may have acted on them is harmless. */
export const IDEMPOTENT_CALLS: ScriptedCall[] = [CALLS.listAvatars, CALLS.deleteMemory, CALLS.keepAlive, CALLS.stop];
/** These create something (a session that costs credits, a context): never repeated blindly. */
export const CREATING_CALLS: ScriptedCall[] = [CALLS.createToken, CALLS.createContext];
