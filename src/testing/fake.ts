// The fake LiveAvatar API without a transport: one `(request) => Promise<Response>` function
// over in-memory state. startFakeServer and liveAvatarHandlers put it behind node:http and MSW.
// Whatever a request carries, the answer is a Response: a handler that throws becomes a 500
// envelope, and a call that fails leaves the state as it was (see `snapshot`).
import { operations, type OperationKey } from "../../generated/operations.js";
import { operationSchemas } from "../../generated/testing-tables.js";
import { authenticate, sentCredential } from "./auth.js";
import { CallLog, DEFAULT_MAX_RECORDED_CALLS } from "./call-log.js";
import { onlyDeclared } from "./declared.js";
import { FakeConfigError } from "./errors.js";
import { applyFault, ConnectionDropped, FaultTable } from "./faults.js";
import type { CallContext, Handler } from "./handlers/context.js";
import { resourceHandlers } from "./handlers/resources.js";
import { sessionHandlers } from "./handlers/sessions.js";
import { voiceAgentHandlers } from "./handlers/voice-agents.js";
import { BodyTooLarge, DEFAULT_MAX_BODY_BYTES, parseRequest } from "./request.js";
import { failure, HttpFailure, json, unprocessable } from "./respond.js";
import { checkOperation, matchRoute } from "./routes.js";
import { createState, snapshot, type State } from "./state.js";
import { sampledAnswer, successResponse } from "./success.js";
import type { Fault, FaultTarget, FakeOptions, RecordedCall, ResetOptions } from "./types.js";

export interface LiveAvatarFake {
  /** Answers one request as the API would. Throws `ConnectionDropped` when a fault drops the connection. */
  handle(request: Request): Promise<Response>;
  /** The API key the fake accepts in `X-API-KEY`. */
  readonly apiKey: string;
  /** Calls received, oldest first (the last `maxRecordedCalls`); only those of one operation when `op` is given. */
  calls(op?: OperationKey): RecordedCall[];
  /** Calls dropped from `calls()` since the last reset, to keep at most `maxRecordedCalls`. */
  readonly droppedCalls: number;
  /** Makes the next matching call(s) fail; see `Fault`. */
  inject(op: FaultTarget, fault: Fault): void;
  /** Back to the seed: state, recorded calls and pending faults. Ids issued before are not issued again. */
  reset(options?: ResetOptions): void;
}

const HANDLERS: Record<string, Handler> = { ...sessionHandlers, ...resourceHandlers, ...voiceAgentHandlers };

export const DEFAULT_API_KEY = "test-api-key";

function positiveInteger(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new FakeConfigError(`${name} must be an integer of at least ${min}, got ${String(value)}`);
  }
  return value;
}

export function createLiveAvatarFake(options: FakeOptions = {}): LiveAvatarFake {
  if (typeof options !== "object" || options === null) throw new FakeConfigError("options must be an object");
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  if (typeof apiKey !== "string" || apiKey === "") throw new FakeConfigError("apiKey must be a non-empty string");
  const successCode = options.successCode ?? 1000;
  if (!Number.isInteger(successCode)) throw new FakeConfigError("successCode must be an integer (100 or 1000)");
  const maxBodyBytes = positiveInteger("maxBodyBytes", options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, 1);
  const log = new CallLog(
    positiveInteger("maxRecordedCalls", options.maxRecordedCalls ?? DEFAULT_MAX_RECORDED_CALLS, 0),
  );
  const now = options.now ?? (() => new Date());
  let state: State = createState(options, now);
  const faults = new FaultTable();
  // Handlers run one at a time, so undoing a failed call never undoes another call's work.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const result = queue.then(work);
    queue = result.catch(() => undefined);
    return result;
  };

  async function handle(request: Request): Promise<Response> {
    const call: RecordedCall = {
      operation: null,
      method: request.method.toUpperCase(),
      path: "",
      query: {},
      body: undefined,
      credential: sentCredential(request.headers),
      status: 0,
    };
    log.add(call);
    let response: Response;
    try {
      response = await answer(request, call);
    } catch (error) {
      if (error instanceof ConnectionDropped) throw error;
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      response = failure(500, `the fake failed to answer ${call.method} ${call.path}: ${reason}`);
    }
    call.status = response.status;
    return response;
  }

  async function answer(request: Request, call: RecordedCall): Promise<Response> {
    const url = new URL(request.url);
    call.path = url.pathname;
    call.query = Object.fromEntries(url.searchParams);
    const match = matchRoute(call.method, url.pathname);
    if (match.kind === "unknown") return json(404, { detail: "Not Found" });
    if (match.kind === "bad-path") return failure(400, `malformed percent-escape in the path (${match.param})`);
    if (match.kind === "method-not-allowed")
      return json(405, { detail: "Method Not Allowed" }, { allow: match.allowed.join(", ") });
    const key = match.key;
    call.operation = key;
    const fault = faults.take(key);
    if (fault) {
      const faulty = await applyFault(fault, request.signal);
      if (faulty) return faulty;
    }
    let parsed;
    try {
      parsed = await parseRequest(key, request, url, match.params, maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLarge) return failure(413, error.message);
      throw error;
    }
    call.body = parsed.body;
    const current = state;
    const auth = authenticate(key, request.headers, current, apiKey);
    if (!auth.ok) return failure(401, auth.message);
    // What let the call in; a public operation keeps what was sent.
    if (auth.credential) call.credential = auth.credential;
    if (parsed.issues.length > 0) return unprocessable(parsed.issues);
    const bodySchema = operationSchemas[key]!.body?.schema;
    const context: CallContext = {
      state: current,
      url,
      path: match.params,
      query: parsed.query,
      // What the handler may store: the declared fields only. The recorded call keeps what was sent.
      body: bodySchema && parsed.body !== undefined ? onlyDeclared(bodySchema, parsed.body) : parsed.body,
      credential: auth.credential,
      tokenSession: auth.session,
      realtime: options.realtime,
    };
    return exclusive(() => run(key, context));
  }

  async function run(key: OperationKey, context: CallContext): Promise<Response> {
    const { state: current } = context;
    // The token's session as the state holds it now: a call undone while this one waited its
    // turn replaced the session rows with their earlier copies.
    const held = context.tokenSession && current.sessions.get(context.tokenSession.session_id);
    if (context.tokenSession && !held) return failure(401, "the session token is no longer known (the fake was reset)");
    context.tokenSession = held;
    current.sample.now = now().toISOString();
    const restore = operations[key].method === "GET" ? () => {} : snapshot(current);
    try {
      const handler = HANDLERS[key] ?? sampledAnswer(key);
      const response = successResponse(key, await handler(context), successCode);
      if (!response.ok) restore();
      return response;
    } catch (error) {
      restore();
      if (error instanceof HttpFailure) return failure(error.status, error.message);
      throw error;
    }
  }

  return {
    handle,
    apiKey,
    calls: (op) => log.list(op === undefined ? undefined : checkOperation(op, "calls")),
    get droppedCalls() {
      return log.dropped;
    },
    inject: (op, fault) => faults.add(op, fault),
    reset: (resetOptions = {}) => {
      state = createState(options, now, resetOptions.replayIds ? undefined : state.ids);
      log.clear();
      faults.clear();
    },
  };
}
