// The fake LiveAvatar API without a transport: one `(request) => Promise<Response>` function
// over in-memory state. startFakeServer and liveAvatarHandlers put it behind node:http and MSW.
import { operations, type OperationKey } from "../../generated/operations.js";
import { operationSchemas } from "../../generated/testing-tables.js";
import { authenticate, sentCredential } from "./auth.js";
import { FakeConfigError } from "./errors.js";
import { applyFault, FaultTable } from "./faults.js";
import type { CallContext, Handler } from "./handlers/context.js";
import { resourceHandlers } from "./handlers/resources.js";
import { sessionHandlers } from "./handlers/sessions.js";
import { parseRequest } from "./request.js";
import { failure, HttpFailure, json, unprocessable } from "./respond.js";
import { matchRoute } from "./routes.js";
import { sampleValue } from "./sample.js";
import { createState, type State } from "./state.js";
import type { Fault, FaultTarget, FakeOptions, RecordedCall } from "./types.js";
import { formatIssue, validate } from "./validate.js";

export interface LiveAvatarFake {
  /** Answers one request as the API would. Throws `ConnectionDropped` when a fault drops the connection. */
  handle(request: Request): Promise<Response>;
  /** The API key the fake accepts in `X-API-KEY`. */
  readonly apiKey: string;
  /** Calls received, oldest first; only those of one operation when `op` is given. */
  calls(op?: OperationKey): RecordedCall[];
  /** Makes the next matching call(s) fail; see `Fault`. */
  inject(op: FaultTarget, fault: Fault): void;
  /** Back to the seed: state, recorded calls and pending faults. */
  reset(): void;
}

const HANDLERS: Record<string, Handler> = { ...sessionHandlers, ...resourceHandlers };

export const DEFAULT_API_KEY = "test-api-key";

export function createLiveAvatarFake(options: FakeOptions = {}): LiveAvatarFake {
  if (typeof options !== "object" || options === null) throw new FakeConfigError("options must be an object");
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  if (typeof apiKey !== "string" || apiKey === "") throw new FakeConfigError("apiKey must be a non-empty string");
  const successCode = options.successCode ?? 1000;
  if (!Number.isInteger(successCode)) throw new FakeConfigError("successCode must be an integer (100 or 1000)");
  const now = options.now ?? (() => new Date());
  let state: State = createState(options, now);
  let recorded: RecordedCall[] = [];
  const faults = new FaultTable();

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const match = matchRoute(request.method.toUpperCase(), url.pathname);
    const call: RecordedCall = {
      operation: match.kind === "operation" ? match.key : null,
      method: request.method.toUpperCase(),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      credential: sentCredential(request.headers),
      status: 0,
    };
    recorded.push(call);
    const response = await answer(request, url, match, call);
    call.status = response.status;
    return response;
  }

  async function answer(
    request: Request,
    url: URL,
    match: ReturnType<typeof matchRoute>,
    call: RecordedCall,
  ): Promise<Response> {
    if (match.kind === "unknown") return json(404, { detail: "Not Found" });
    if (match.kind === "method-not-allowed")
      return json(405, { detail: "Method Not Allowed" }, { allow: match.allowed.join(", ") });
    const key = match.key;
    const fault = faults.take(key);
    if (fault) {
      const faulty = await applyFault(fault, request.signal);
      if (faulty) return faulty;
    }
    const parsed = await parseRequest(key, request, url, match.params);
    call.body = parsed.body;
    const auth = authenticate(key, request.headers, state, apiKey);
    if (!auth.ok) return failure(401, auth.message);
    // What let the call in; a public operation keeps what was sent.
    if (auth.credential) call.credential = auth.credential;
    if (parsed.issues.length > 0) return unprocessable(parsed.issues);
    state.sample.now = now().toISOString();
    const context: CallContext = {
      state,
      url,
      path: match.params,
      query: parsed.query,
      body: parsed.body,
      credential: auth.credential,
      tokenSession: auth.session,
      realtime: options.realtime,
    };
    let data: unknown;
    try {
      const handler = HANDLERS[key] ?? sampledAnswer(key);
      data = await handler(context);
    } catch (error) {
      if (error instanceof HttpFailure) return failure(error.status, error.message);
      throw error;
    }
    return successResponse(key, data);
  }

  /** Wraps `data` as the operation's success and checks it against the spec before sending it. */
  function successResponse(key: OperationKey, data: unknown): Response {
    const info = operations[key];
    if (data === undefined || !info.envelope) {
      return data === undefined ? new Response(null, { status: info.successStatus }) : json(info.successStatus, data);
    }
    const body = { code: successCode, data, message: "success" };
    const schema = operationSchemas[key]!.response;
    const problems = schema ? validate(schema, body, ["response"]) : [];
    if (problems.length > 0) {
      // Loud on purpose: a fake that disagrees with the spec would make tests pass that should fail.
      return failure(
        500,
        `the fake's answer to ${key} does not match openapi.json: ${problems.map(formatIssue).join("; ")}`,
      );
    }
    return json(info.successStatus, body);
  }

  /** Operations with no state of their own (e.g. embeddings) answer a spec-valid sample. */
  function sampledAnswer(key: OperationKey): Handler {
    return () => {
      const schema = operationSchemas[key]!.response;
      const envelope = schema ? (sampleValue(schema, state.sample) as { data?: unknown }) : undefined;
      return envelope?.data ?? null;
    };
  }

  return {
    handle,
    apiKey,
    calls: (op) => (op === undefined ? [...recorded] : recorded.filter((c) => c.operation === op)),
    inject: (op, fault) => faults.add(op, fault),
    reset: () => {
      state = createState(options, now);
      recorded = [];
      faults.clear();
    },
  };
}
