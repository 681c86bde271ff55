// Shared pieces of the reliability tests: credentials to look for, a client pointed at a
// scripted server, and the calls the tests make with a valid request and a success reply each.
import { afterAll } from "vitest";
import { LiveAvatar, type ClientOptions } from "../../src/index.ts";
import type { RequestOptions } from "../../src/types.ts";
import {
  envelope,
  startScriptedServer,
  type Reply,
  type Script,
  type ScriptedServer,
} from "../support/scripted-server.ts";

export const API_KEY = "la_key_7c1f0d9e2b4a4f61";
export const SESSION_TOKEN = "eyJhbGciOiJIUzI1NiJ9.c2Vzc2lvbg.Zt4m9Q2x";

/**
 * `serve(...replies)` starts a scripted server; all of them close when the test file ends
 * (not after each test, so that concurrent tests keep theirs).
 */
export function scriptedServers(): (...replies: Script[]) => Promise<ScriptedServer> {
  const servers: ScriptedServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });
  return async (...replies) => {
    const server = await startScriptedServer(replies);
    servers.push(server);
    return server;
  };
}

export function clientFor(baseUrl: string, options: ClientOptions = {}): LiveAvatar {
  return new LiveAvatar({ baseUrl, apiKey: API_KEY, sessionToken: SESSION_TOKEN, logLevel: "off", ...options });
}

/** The rejection of `promise`; fails the test if it resolves. */
export async function rejectionOf(promise: PromiseLike<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the call to fail, and it succeeded");
}

export const TOKEN_BODY = { mode: "LITE", avatar_id: "avatar-1" } as const;

export interface ScriptedCall {
  /** "METHOD /path" of the operation. */
  name: string;
  call(client: LiveAvatar, options?: RequestOptions): PromiseLike<unknown>;
  /** A success answer for it. */
  ok: Reply;
  /** The request target the server should see. */
  url: string;
}

const avatarsPage = { count: 1, next: null, previous: null, results: [{ avatar_id: "a-1" }] };

export const CALLS = byName({
  listAvatars: {
    name: "GET /v1/avatars",
    call: (client, options) => client.GET("/v1/avatars", options),
    ok: { body: envelope(avatarsPage) },
    url: "/v1/avatars",
  },
  deleteMemory: {
    name: "DELETE /v1/memory/{memory_id}",
    call: (client, options) =>
      client.DELETE("/v1/memory/{memory_id}", { params: { path: { memory_id: "m-1" } }, ...options }),
    ok: { status: 204 },
    url: "/v1/memory/m-1",
  },
  keepAlive: {
    name: "POST /v1/sessions/keep-alive",
    call: (client, options) => client.POST("/v1/sessions/keep-alive", { body: { session_id: "s-1" }, ...options }),
    ok: { body: envelope(null) },
    url: "/v1/sessions/keep-alive",
  },
  stop: {
    name: "POST /v1/sessions/stop",
    call: (client, options) =>
      client.POST("/v1/sessions/stop", { body: { session_id: "s-1", reason: "USER_CLOSED" }, ...options }),
    ok: { body: envelope(null) },
    url: "/v1/sessions/stop",
  },
  createToken: {
    name: "POST /v1/sessions/token",
    call: (client, options) => client.POST("/v1/sessions/token", { body: TOKEN_BODY, ...options }),
    ok: { body: envelope({ session_id: "s-1", session_token: "t-1" }) },
    url: "/v1/sessions/token",
  },
  createContext: {
    name: "POST /v1/contexts",
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
export const REPEATABLE_CALLS: ScriptedCall[] = [CALLS.listAvatars, CALLS.deleteMemory, CALLS.keepAlive, CALLS.stop];
/** These create something (a session that costs credits, a context): never repeated blindly. */
export const CREATING_CALLS: ScriptedCall[] = [CALLS.createToken, CALLS.createContext];
