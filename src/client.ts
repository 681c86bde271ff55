// The LiveAvatar client: openapi-fetch's call shape, with auth chosen per operation, the
// envelope unwrapped, typed errors, retries and timeouts.
import createClient, { type Client } from "openapi-fetch";
import { operations, type OperationInfo } from "../generated/operations.js";
import type { paths } from "../generated/schema.js";
import { APIPromise, type WithResponse } from "./api-promise.js";
import { Credentials, type CredentialName } from "./auth.js";
import { isBrowserRuntime, readEnv } from "./env.js";
import { unwrapEnvelope } from "./envelope.js";
import { LiveAvatarError } from "./errors.js";
import { checkLimits, exchange, PreparedRequest, type Exchange, type FetchLike } from "./http.js";
import { logSinks, type LogLevel, type LogSinks, type Logger } from "./log.js";
import { iteratePages, type Page } from "./pagination.js";
import { encodePath } from "./path.js";
import { isRepeatable } from "./retry.js";
import { LiveAvatarSession, type SessionOptions } from "./session.js";
import type {
  CallArgs,
  HttpMethod,
  PageItem,
  PaginatedPath,
  PathsFor,
  RequestOptions,
  ResponseData,
  SpecMethod,
} from "./types.js";

export const DEFAULT_BASE_URL = "https://api.liveavatar.com";

export interface ClientOptions {
  /** Sent as `X-API-KEY` to operations that accept it. Default: `LIVEAVATAR_API_KEY`; `null` opts out of it. */
  apiKey?: string | null;
  /** Sent as `Authorization: Bearer` to operations that accept it (the short-lived session token). */
  sessionToken?: string | null;
  /** Default: `LIVEAVATAR_BASE_URL`, else https://api.liveavatar.com */
  baseUrl?: string;
  /** A fetch implementation to use instead of the global one. */
  fetch?: FetchLike;
  /** Envelope codes that mean success on a 2xx (default `[100, 1000]`). */
  successCodes?: readonly number[];
  /** Per-attempt timeout in milliseconds (default 60 000). */
  timeout?: number;
  /** Retries after the first attempt (default 2). */
  maxRetries?: number;
  /** Where log lines go (default console). */
  logger?: Logger;
  /** Default: `LIVEAVATAR_LOG`, else "warn" with a logger and "off" without. */
  logLevel?: LogLevel;
  /** Allow an API key in a browser, where every visitor can read it. */
  dangerouslyAllowBrowser?: boolean;
  /** Headers sent with every request. */
  defaultHeaders?: Record<string, string>;
}

/** What a call needs to know about its operation; built once per client. */
interface CallPlan {
  readonly key: string;
  readonly op: OperationInfo;
  /** Credential headers; undefined for a public operation, null when the client holds none it accepts. */
  readonly auth: Record<string, string> | null | undefined;
  readonly repeatable: boolean;
}

type AnyInit = RequestOptions & {
  params?: { query?: Record<string, unknown>; path?: Record<string, unknown> };
  body?: unknown;
};

export class LiveAvatar {
  readonly baseUrl: string;
  readonly #options: ClientOptions;
  readonly #credentials: Credentials;
  readonly #plans: Map<string, CallPlan>;
  readonly #http: Client<paths>;
  readonly #fetch: FetchLike;
  readonly #successCodes: ReadonlySet<number>;
  readonly #timeout: number;
  readonly #maxRetries: number;
  readonly #log: LogSinks;
  readonly #redact: (text: string) => string;

  constructor(options: ClientOptions = {}) {
    this.#options = { ...options };
    const apiKey = options.apiKey === undefined ? readEnv("LIVEAVATAR_API_KEY") : (options.apiKey ?? undefined);
    if (apiKey && isBrowserRuntime() && !options.dangerouslyAllowBrowser) {
      throw new LiveAvatarError(
        "An API key in a browser is readable by every visitor. Mint a session token on your server " +
          "(POST /v1/sessions/token) and pass it as `sessionToken`; set `dangerouslyAllowBrowser: true` only if you accept the risk.",
      );
    }
    this.#credentials = new Credentials(apiKey, options.sessionToken ?? undefined);
    this.#redact = (text) => this.#credentials.redact(text);
    const baseUrl = (options.baseUrl ?? readEnv("LIVEAVATAR_BASE_URL") ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
    if (!isHttpUrl(baseUrl))
      throw new LiveAvatarError(`baseUrl must be an absolute http(s) URL, got ${JSON.stringify(baseUrl)}`);
    this.baseUrl = baseUrl;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#successCodes = new Set(options.successCodes ?? [100, 1000]);
    this.#timeout = options.timeout ?? 60_000;
    this.#maxRetries = options.maxRetries ?? 2;
    checkLimits(this.#timeout, this.#maxRetries);
    this.#log = logSinks(options.logger, options.logLevel);
    this.#http = createClient<paths>({
      baseUrl,
      headers: options.defaultHeaders,
      pathSerializer: encodePath,
      // openapi-fetch's product goes straight to the transport; see PreparedRequest.
      Request: PreparedRequest as unknown as typeof Request,
    });
    this.#plans = new Map();
    for (const [key, op] of Object.entries(operations) as [string, OperationInfo][]) {
      this.#plans.set(key, {
        key,
        op,
        auth: this.#credentials.headersFor(op, undefined),
        repeatable: isRepeatable(key, op.method),
      });
    }
  }

  /** A new client with some options changed, e.g. `withOptions({ sessionToken })`. */
  withOptions(options: ClientOptions): LiveAvatar {
    return new LiveAvatar({ ...this.#options, ...options });
  }

  /** Whether the client holds the credential (never the value itself). */
  hasCredential(name: CredentialName): boolean {
    return this.#credentials.has(name);
  }

  GET<P extends PathsFor<"GET">>(path: P, ...init: CallArgs<"GET", P>): APIPromise<ResponseData<"GET", P>> {
    return new APIPromise(this.#send("GET", path, init[0]) as Promise<WithResponse<ResponseData<"GET", P>>>);
  }

  POST<P extends PathsFor<"POST">>(path: P, ...init: CallArgs<"POST", P>): APIPromise<ResponseData<"POST", P>> {
    return new APIPromise(this.#send("POST", path, init[0]) as Promise<WithResponse<ResponseData<"POST", P>>>);
  }

  PUT<P extends PathsFor<"PUT">>(path: P, ...init: CallArgs<"PUT", P>): APIPromise<ResponseData<"PUT", P>> {
    return new APIPromise(this.#send("PUT", path, init[0]) as Promise<WithResponse<ResponseData<"PUT", P>>>);
  }

  PATCH<P extends PathsFor<"PATCH">>(path: P, ...init: CallArgs<"PATCH", P>): APIPromise<ResponseData<"PATCH", P>> {
    return new APIPromise(this.#send("PATCH", path, init[0]) as Promise<WithResponse<ResponseData<"PATCH", P>>>);
  }

  DELETE<P extends PathsFor<"DELETE">>(path: P, ...init: CallArgs<"DELETE", P>): APIPromise<ResponseData<"DELETE", P>> {
    return new APIPromise(this.#send("DELETE", path, init[0]) as Promise<WithResponse<ResponseData<"DELETE", P>>>);
  }

  /** Any operation by method and path, e.g. when both come from data. */
  request<M extends SpecMethod, P extends PathsFor<M>>(
    method: M,
    path: P,
    ...init: CallArgs<M, P>
  ): APIPromise<ResponseData<M, P>> {
    return new APIPromise(this.#send(method, path, init[0]) as Promise<WithResponse<ResponseData<M, P>>>);
  }

  /**
   * Every item of a paginated list, fetching pages as the loop advances:
   * `for await (const avatar of client.paginate("/v1/avatars")) ...`
   */
  paginate<P extends PaginatedPath>(
    path: P,
    ...init: CallArgs<"GET", P>
  ): AsyncGenerator<PageItem<P>, void, undefined> {
    const first = (init[0] ?? {}) as AnyInit;
    const query = first.params?.query ?? {};
    const fetchPage = async (page: number) => {
      const { data } = await this.#send("GET", path, {
        ...first,
        params: { ...first.params, query: { ...query, page } },
      });
      return data as Page<PageItem<P>>;
    };
    return iteratePages(fetchPage, typeof query.page === "number" ? query.page : 1);
  }

  /**
   * Starts a session with the client's session token and keeps it alive until `stop()`:
   * `await using session = await client.startSession()`.
   */
  startSession(options?: SessionOptions): Promise<LiveAvatarSession> {
    return LiveAvatarSession.start(
      {
        start: (o) => this.POST("/v1/sessions/start", { ...o, auth: "sessionToken" }),
        keepAlive: (o) => this.POST("/v1/sessions/keep-alive", { ...o, auth: "sessionToken" }),
        stop: (reason, { keepalive, ...o }) =>
          this.POST("/v1/sessions/stop", {
            ...o,
            // A stop sent from `pagehide` must outlive the page: fetch's `keepalive` flag.
            ...(keepalive ? ({ fetchOptions: { keepalive: true } } as RequestOptions) : {}),
            auth: "sessionToken",
            ...(reason ? { body: { reason } } : {}),
          }),
        log: this.#log,
      },
      options,
    );
  }

  async #send(method: HttpMethod, path: string, init: AnyInit | undefined): Promise<WithResponse<unknown>> {
    const key = `${method} ${path}`;
    const plan = this.#plans.get(key);
    if (!plan) throw new LiveAvatarError(`${key} is not an operation of the LiveAvatar API spec`);
    const { auth, signal, timeout, maxRetries, idempotent, headers, ...rest } = init ?? {};
    const credentials =
      auth === undefined ? plan.auth : auth === false ? undefined : this.#credentials.headersFor(plan.op, auth);
    if (credentials === null) throw Credentials.missing(key, plan.op, auth || undefined);
    // openapi-fetch fills the path only when `params.path` is given; without it `{id}` would be sent as is.
    if (!rest.params?.path && plan.op.path.includes("{")) encodePath(plan.op.path, undefined);
    // The client's own limits were checked when it was built; only per-call overrides need it here.
    if (timeout !== undefined || maxRetries !== undefined) {
      checkLimits(timeout ?? this.#timeout, maxRetries ?? this.#maxRetries);
    }
    let exchanged: Exchange | undefined;
    const transport = async (request: Request): Promise<Response> => {
      exchanged = await exchange(request as unknown as PreparedRequest, {
        fetch: this.#fetch,
        operation: key,
        timeout: timeout ?? this.#timeout,
        maxRetries: maxRetries ?? this.#maxRetries,
        repeatable: idempotent ?? plan.repeatable,
        signal,
        redact: this.#redact,
        log: this.#log,
      });
      return exchanged.response;
    };
    try {
      // openapi-fetch builds the URL, query and JSON body; the transport owns the exchange and
      // reads the body itself, so openapi-fetch is told to leave the (consumed) stream alone.
      await this.#http.request(
        method.toLowerCase() as "get",
        path as never,
        {
          ...rest,
          headers: credentials && headers ? { ...credentials, ...headers } : (credentials ?? headers),
          parseAs: "stream",
          fetch: transport,
        } as never,
      );
    } catch (error) {
      if (error instanceof LiveAvatarError) throw error;
      const detail = String((error as Error)?.message ?? error);
      const safe = this.#redact(detail);
      // An error that quotes a credential (undici quotes an invalid header value) is not kept as the cause.
      throw new LiveAvatarError(`could not send ${key}: ${safe}`, safe === detail ? { cause: error } : undefined);
    }
    const { data, code, message } = unwrapEnvelope(key, plan.op, exchanged!, this.#successCodes, this.#redact);
    return { data, code, message, response: exchanged!.response };
  }
}

function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === "https:" || protocol === "http:";
  } catch {
    return false;
  }
}
