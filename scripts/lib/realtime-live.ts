// The realtime half of `npm run contract:live -- --realtime`: one LITE session, driven by the
// package's own client (one short speech, an interrupt, a close), with every frame recorded at
// the socket and every inbound frame checked against asyncapi.yaml by `eventDrift()`. The
// report names event types, pointers and JSON types: never a frame's content.
import { eventDrift } from "../../src/drift/index.ts";
import type { SpecDrift } from "../../src/drift/types.ts";
import { LiveAvatar } from "../../src/index.ts";
import { LiteConnection } from "../../src/realtime/index.ts";
import type { WebSocketConstructor, WebSocketLike } from "../../src/realtime/socket.ts";

export interface RealtimeRun {
  /** Frames per direction and event type ("agent.speak", "session.state_updated", "(not JSON)"), in order seen. */
  frames: { direction: "in" | "out"; type: string }[];
  drifts: SpecDrift[];
  /** What failed in the exchange itself (connect, speak), if anything; secrets redacted by the caller. */
  failure?: string;
}

export interface RealtimeRunOptions {
  /** The class the client would use (the global WebSocket, or `ws` on Node 20). */
  WebSocket: WebSocketConstructor;
  /** Milliseconds of silence in the one speech (default 600). */
  speechMs?: number;
  /** Milliseconds to wait for each step's answer (default 15 000). */
  stepTimeoutMs?: number;
}

const typeOf = (data: unknown): string => {
  if (typeof data !== "string") return "(binary)";
  try {
    const frame = JSON.parse(data) as Record<string, unknown>;
    return typeof frame?.type === "string" ? frame.type : "(no type)";
  } catch {
    return "(not JSON)";
  }
};

/** Connects to `wsUrl`, speaks, interrupts and closes; resolves with what was seen (never rejects). */
export async function runRealtimeCheck(wsUrl: string, options: RealtimeRunOptions): Promise<RealtimeRun> {
  const run: RealtimeRun = { frames: [], drifts: [] };
  const drift = eventDrift();
  const record = (data: unknown) => {
    run.frames.push({ direction: "in", type: typeOf(data) });
    let frame: unknown = data;
    try {
      frame = typeof data === "string" ? JSON.parse(data) : data;
    } catch {
      // A frame that is not JSON is checked as the string it is (a wrong_type drift).
    }
    run.drifts.push(...drift.check("lite", frame));
  };
  const Recording = recordingSocket(options.WebSocket, record, (data) =>
    run.frames.push({ direction: "out", type: typeOf(data) }),
  );
  const stepTimeoutMs = options.stepTimeoutMs ?? 15_000;
  let connection: LiteConnection | undefined;
  try {
    connection = await LiteConnection.connect(wsUrl, { WebSocket: Recording, connectTimeout: stepTimeoutMs });
    const samples = Math.round((24_000 * (options.speechMs ?? 600)) / 1000);
    const speech = connection.speak(new Int16Array(samples));
    const started = new Promise<void>((resolve) => connection!.on("agent.speak_started", () => resolve()));
    await within(Promise.race([started, speech.then(() => {})]), stepTimeoutMs, "the speech did not start");
    connection.interrupt();
    await within(
      speech.then(
        () => {},
        () => {},
      ),
      stepTimeoutMs,
      "the interrupted speech did not settle",
    );
  } catch (error) {
    run.failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } finally {
    await connection?.close().catch(() => {});
  }
  return run;
}

/** Rejects with `message` if `promise` has not settled within `ms`; the timer never outlives it. */
async function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The WebSocket class, with every inbound and outbound frame passed to the recorders first. */
function recordingSocket(
  Base: WebSocketConstructor,
  inbound: (data: unknown) => void,
  outbound: (data: string) => void,
): WebSocketConstructor {
  return class Recording {
    readonly #socket: WebSocketLike;
    constructor(url: string) {
      this.#socket = new Base(url);
      // Added first, so each frame is recorded before the client sees it.
      this.#socket.addEventListener("message", ((event: { data: unknown }) => inbound(event.data)) as (
        event: never,
      ) => void);
    }
    get readyState() {
      return this.#socket.readyState;
    }
    get bufferedAmount() {
      return this.#socket.bufferedAmount;
    }
    send(data: string) {
      outbound(data);
      this.#socket.send(data);
    }
    close(code?: number, reason?: string) {
      this.#socket.close(code, reason);
    }
    addEventListener(type: "open" | "message" | "error" | "close", listener: (event: never) => void) {
      this.#socket.addEventListener(type, listener);
    }
    removeEventListener(type: "open" | "message" | "error" | "close", listener: (event: never) => void) {
      this.#socket.removeEventListener(type, listener);
    }
  };
}

/** The run as text: frames by type, then the drifts, then the verdict. */
export function renderRealtimeText(run: RealtimeRun): string {
  const counts = new Map<string, number>();
  for (const f of run.frames) counts.set(`${f.direction} ${f.type}`, (counts.get(`${f.direction} ${f.type}`) ?? 0) + 1);
  const lines = [`LITE session: ${run.frames.length} frames recorded`];
  for (const [key, n] of counts) lines.push(`  ${key.padEnd(40)} ${n}`);
  if (run.failure) lines.push(`the exchange failed: ${run.failure}`);
  lines.push(
    run.drifts.length === 0 ? "no drift from asyncapi.yaml" : `${run.drifts.length} drift(s) from asyncapi.yaml:`,
  );
  for (const d of run.drifts)
    lines.push(`  ${d.operation}  ${d.kind} at ${d.pointer || "/"} (expected ${d.expected}, received ${d.received})`);
  return `${lines.join("\n")}\n`;
}

export interface LiveSessionOptions {
  baseUrl: string;
  apiKey: string;
  /** An avatar for the session; default: the first public avatar. */
  avatarId?: string | undefined;
  WebSocket: WebSocketConstructor;
  log: (line: string) => void;
}

/**
 * A free sandbox LITE session on a live server: mint (API key), start (session token), run the
 * check on its `ws_url`, and stop it whatever happened.
 */
export async function runLiveSession(options: LiveSessionOptions): Promise<RealtimeRun> {
  const backend = new LiveAvatar({ baseUrl: options.baseUrl, apiKey: options.apiKey, sessionToken: null });
  let avatar_id = options.avatarId;
  if (!avatar_id) {
    const page = await backend.GET("/v1/avatars/public", { params: { query: { page_size: 1 } } });
    avatar_id = page.results?.[0]?.id;
    if (!avatar_id) throw new Error("no public avatar to use: set LIVEAVATAR_AVATAR_ID");
  }
  const token = await backend.POST("/v1/sessions/token", { body: { mode: "LITE", avatar_id, is_sandbox: true } });
  const session = new LiveAvatar({ baseUrl: options.baseUrl, apiKey: null, sessionToken: token.session_token });
  options.log(`sandbox LITE session started for avatar ${avatar_id}`);
  try {
    const started = await session.POST("/v1/sessions/start");
    if (!started.ws_url) throw new Error("the started session has no ws_url");
    return await runRealtimeCheck(started.ws_url, { WebSocket: options.WebSocket });
  } finally {
    await session.POST("/v1/sessions/stop", { body: {} }).catch(() => {});
    options.log("session stopped");
  }
}
