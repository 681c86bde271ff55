// The session lifecycle: a minted token starts exactly one session; keep-alive and stop act on
// it; a stopped session cannot be kept alive; the lists and the detail view show each state.
import { HttpFailure, notFound } from "../respond.js";
import { addSession, newSession, type SessionRow } from "../state.js";
import { CONNECTOR_AGENT_TYPES, type VoiceAgentRow } from "../voice-agents.js";
import type { CallContext, Handler } from "./context.js";
import { page } from "./pages.js";

type Row = Record<string, unknown>;

/** The session a stop or keep-alive is about: the token's own, or `session_id` with an API key. */
function target(call: CallContext): SessionRow {
  const id = (call.body as Row | undefined)?.session_id;
  if (call.tokenSession) {
    if (typeof id === "string" && id !== call.tokenSession.session_id) {
      throw new HttpFailure(403, "this session token belongs to another session");
    }
    return call.tokenSession;
  }
  if (typeof id !== "string") throw new HttpFailure(400, "session_id is required when calling with an API key");
  const session = call.state.sessions.get(id);
  if (!session) throw notFound("session", id);
  return session;
}

/** LITE token configs that hand the conversation to a third party's agent. */
const CONNECTOR_CONFIGS = ["elevenlabs_agent_config", "openai_realtime_config", "gemini_realtime_config"];

/** The stored voice agent a token names (`voice_agent.id`); an unknown one is refused as a 404. */
function voiceAgentOf(call: CallContext, body: Row): VoiceAgentRow | undefined {
  const ref = body.voice_agent as Row | undefined | null;
  if (ref === undefined || ref === null) return undefined;
  if (typeof ref.id !== "string") throw new HttpFailure(400, "voice_agent.id is required");
  const id = ref.id;
  const agent = call.state.voiceAgents.get(id);
  if (!agent) throw notFound("voice agent", id);
  return agent;
}

function entry(session: SessionRow, now: string): Row {
  const end = session.end_at ?? now;
  const duration = session.started_at
    ? Math.max(0, Math.round((Date.parse(end) - Date.parse(session.started_at)) / 1000))
    : 0;
  const base: Row = {
    id: session.session_id,
    created_at: session.created_at,
    updated_at: session.updated_at,
    duration,
    source: "API",
    mode: session.mode,
    is_sandbox: session.is_sandbox,
    credits_consumed: 0,
  };
  return session.state === "stopped" ? { ...base, end_at: session.end_at, end_reason: session.end_reason } : base;
}

export const sessionHandlers: Record<string, Handler> = {
  "POST /v1/sessions/token": (call) => {
    const body = call.body as Row;
    const agent = voiceAgentOf(call, body);
    const connector = agent
      ? CONNECTOR_AGENT_TYPES.has(agent.agent_type)
      : CONNECTOR_CONFIGS.some((name) => body[name] !== undefined && body[name] !== null);
    const persona = body.avatar_persona as Row | undefined;
    const fullByBody = body.mode === "FULL" || (body.mode === undefined && ("avatar_persona" in body || agent));
    const session = newSession(call.state.sample, {
      session_id: call.state.ids.uuid(),
      session_token: call.state.ids.token(48),
      // A connector agent's session is LITE whatever the token asked for.
      mode: connector || !fullByBody ? "LITE" : "FULL",
      avatar_id: typeof body.avatar_id === "string" ? body.avatar_id : null,
      state: "minted",
      is_sandbox: body.is_sandbox === true,
      max_session_duration: typeof body.max_session_duration === "number" ? body.max_session_duration : null,
      context_id: typeof persona?.context_id === "string" ? persona.context_id : null,
      voice_agent_id: agent?.id ?? null,
      connector,
    });
    addSession(call.state, session);
    return { session_id: session.session_id, session_token: session.session_token };
  },

  "POST /v1/sessions/start": async (call) => {
    const session = call.tokenSession!;
    if (session.state !== "minted") {
      throw new HttpFailure(400, `this session token was already used: the session is ${session.state}`);
    }
    Object.assign(session, { state: "active", started_at: call.state.sample.now, updated_at: call.state.sample.now });
    const random = call.state.ids;
    const started: Row = {
      session_id: session.session_id,
      livekit_url: "wss://livekit.fake.liveavatar.invalid",
      livekit_client_token: random.token(48),
      max_session_duration: session.max_session_duration ?? 600,
    };
    if (session.mode === "FULL") started.livekit_agent_token = random.token(48);
    if (session.mode === "LITE" && !session.connector && call.realtime) {
      started.ws_url = await call.realtime.wsUrlFor({
        session_id: session.session_id,
        session_token: session.session_token,
      });
    }
    return started;
  },

  "POST /v1/sessions/keep-alive": (call) => {
    const session = target(call);
    if (session.state !== "active")
      throw new HttpFailure(400, `session ${session.session_id} is not active (${session.state})`);
    session.updated_at = call.state.sample.now;
    return null;
  },

  "POST /v1/sessions/stop": (call) => {
    const session = target(call);
    if (session.state === "stopped") throw new HttpFailure(400, `session ${session.session_id} is already stopped`);
    const reason = (call.body as Row | undefined)?.reason;
    Object.assign(session, {
      state: "stopped",
      end_at: call.state.sample.now,
      updated_at: call.state.sample.now,
      end_reason: typeof reason === "string" ? reason : "USER_CLOSED",
    });
    return null;
  },

  "GET /v1/sessions": (call) => {
    const wanted = call.query.type === "historic" ? "stopped" : "active";
    const matches = [...call.state.sessions.values()].filter(
      (s) =>
        s.state === wanted &&
        (call.query.avatar_id === undefined || s.avatar_id === call.query.avatar_id) &&
        (call.query.context_id === undefined || s.context_id === call.query.context_id),
    );
    return page(
      call,
      matches.map((s) => entry(s, call.state.sample.now)),
    );
  },

  "GET /v1/sessions/{session_id}": (call) => entry(held(call), call.state.sample.now),

  "GET /v1/sessions/{session_id}/transcript": (call) => ({
    session_active: held(call).state === "active",
    transcript_data: [],
  }),

  "DELETE /v1/sessions/{session_id}/events": (call) => {
    held(call);
    return null;
  },
};

function held(call: CallContext): SessionRow {
  const id = call.path.session_id!;
  const session = call.state.sessions.get(id);
  if (!session) throw notFound("session", id);
  return session;
}
