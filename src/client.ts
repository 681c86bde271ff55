// The LiveAvatar client. A call runs in one direction: build the request (request.ts),
// exchange it (exchange.ts: attempts, timeouts, retries, redirects), unwrap the envelope
// (envelope.ts), and hand the caller the data or a typed error.
import { operations, type OperationInfo } from "../generated/operations.js";
import { APIPromise } from "./api-promise.js";
import { Credentials, PUBLIC, type CredentialToSend, type CredentialName } from "./auth.js";
import { unwrapEnvelope, type Received } from "./envelope.js";
import { LiveAvatarError } from "./errors.js";
import { exchange } from "./exchange.js";
import type { Middleware } from "./middleware.js";
import { checkLimits, resolveOptions, type ClientConfig, type ClientOptions } from "./options.js";
import { iteratePages, type Page } from "./pagination.js";
import { buildRequest, type PreparedRequest, type RequestParts } from "./request.js";
import { isIdempotent } from "./retry.js";
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

/** What a call needs to know about its operation; built once per client. */
interface Plan {
  readonly operation: string;
  readonly info: OperationInfo;
  /** The credential sent when the call does not pick one. */
  readonly credentials: CredentialToSend;
  /** Whether a retry after the server may have acted is harmless (the `idempotent` option's default). */
  readonly idempotent: boolean;
}

/** The init argument as #send reads it; the verb methods' signatures say what each operation takes. */
type AnyInit = RequestOptions & Pick<RequestParts, "params" | "body">;

export class LiveAvatar {
  readonly baseUrl: string;
  readonly #options: ClientOptions;
  readonly #config: ClientConfig;
  readonly #plans = new Map<string, Plan>();
  readonly #middleware: Middleware[] = [];
  readonly #redact: (text: string) => string;

  constructor(options: ClientOptions = {}) {
    this.#options = { ...options };
    this.#config = resolveOptions(options);
    this.baseUrl = this.#config.baseUrl;
    const credentials = this.#config.credentials;
    this.#redact = (text) => credentials.redact(text);
    for (const [operation, info] of Object.entries(operations) as [string, OperationInfo][]) {
      const plan = { operation, info, credentials: credentials.choose(info, undefined) };
      this.#plans.set(operation, { ...plan, idempotent: isIdempotent(operation, info.method) });
    }
  }

  /** A new client with some options changed, e.g. `withOptions({ sessionToken })`. Hooks are not copied. */
  withOptions(options: ClientOptions): LiveAvatar {
    return new LiveAvatar({ ...this.#options, ...options });
  }

  /** Whether the client holds the credential (never the value itself). */
  hasCredential(name: CredentialName): boolean {
    return this.#config.credentials.has(name);
  }

  /**
   * Adds hooks run around every request this client sends (each attempt and redirect hop), as
   * openapi-fetch runs them: `onRequest` in the order added, `onResponse` and `onError` in reverse.
   */
  use(...middleware: Middleware[]): void {
    this.#middleware.push(...middleware);
  }

  /** Removes hooks added with `use`. */
  eject(...middleware: Middleware[]): void {
    for (const m of middleware) {
      const index = this.#middleware.indexOf(m);
      if (index !== -1) this.#middleware.splice(index, 1);
    }
  }

  GET<P extends PathsFor<"GET">>(path: P, ...init: CallArgs<"GET", P>): APIPromise<ResponseData<"GET", P>> {
    return this.#send("GET", path, init);
  }

  POST<P extends PathsFor<"POST">>(path: P, ...init: CallArgs<"POST", P>): APIPromise<ResponseData<"POST", P>> {
    return this.#send("POST", path, init);
  }

  PUT<P extends PathsFor<"PUT">>(path: P, ...init: CallArgs<"PUT", P>): APIPromise<ResponseData<"PUT", P>> {
    return this.#send("PUT", path, init);
  }

  PATCH<P extends PathsFor<"PATCH">>(path: P, ...init: CallArgs<"PATCH", P>): APIPromise<ResponseData<"PATCH", P>> {
    return this.#send("PATCH", path, init);
  }

  DELETE<P extends PathsFor<"DELETE">>(path: P, ...init: CallArgs<"DELETE", P>): APIPromise<ResponseData<"DELETE", P>> {
    return this.#send("DELETE", path, init);
  }

  /** Any operation by method and path, e.g. when both come from data. */
  request<M extends SpecMethod, P extends PathsFor<M>>(
    method: M,
    path: P,
    ...init: CallArgs<M, P>
  ): APIPromise<ResponseData<M, P>> {
    return this.#send(method, path, init);
  }

  /**
   * Every item of a paginated list, fetching pages as the loop advances:
   * `for await (const avatar of client.paginate("/v1/avatars")) ...`
   */
  paginate<P extends PaginatedPath>(
    path: P,
    ...init: CallArgs<"GET", P>
  ): AsyncGenerator<PageItem<P>, void, undefined> {
    const first: AnyInit = init[0] ?? {};
    const query = first.params?.query ?? {};
    const fetchPage = (page: number) =>
      this.#send<Page<PageItem<P>>>("GET", path, [
        { ...first, params: { ...first.params, query: { ...query, page } } },
      ]);
    return iteratePages(`GET ${path}`, fetchPage, typeof query.page === "number" ? query.page : 1);
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
            ...(keepalive ? { fetchOptions: { keepalive: true } } : {}),
            auth: "sessionToken",
            ...(reason ? { body: { reason } } : {}),
          }),
        log: this.#config.log,
      },
      options,
    );
  }

  /** One call: its operation's plan, then request → exchange → envelope. */
  #send<T>(method: HttpMethod, path: string, [init = {}]: readonly [AnyInit?]): APIPromise<T> {
    const operation = `${method} ${path}`;
    const plan = this.#plans.get(operation);
    const received = plan
      ? this.#exchange(plan, method, path, init)
      : Promise.reject(new LiveAvatarError(`${operation} is not an operation of the LiveAvatar API spec`));
    const { successCodes } = this.#config;
    return new APIPromise<T>(received, (r) => unwrapEnvelope(operation, plan!.info, r, successCodes, this.#redact));
  }

  async #exchange(plan: Plan, method: string, path: string, init: AnyInit): Promise<Received> {
    const { auth, signal, idempotent, headers, fetchOptions, params, body } = init;
    const config = this.#config;
    const credentials =
      auth === undefined ? plan.credentials : auth === false ? PUBLIC : config.credentials.choose(plan.info, auth);
    if (credentials.kind === "missing") throw Credentials.missing(plan.operation, plan.info, auth || undefined);
    const limits = {
      timeout: init.timeout ?? config.timeout,
      maxRetries: init.maxRetries ?? config.maxRetries,
      maxBodyBytes: init.maxBodyBytes ?? config.maxBodyBytes,
    };
    // The client's own limits were checked when it was built; only per-call overrides need it here.
    if (init.timeout !== undefined || init.maxRetries !== undefined || init.maxBodyBytes !== undefined) {
      checkLimits(limits, plan.operation);
    }
    const request = this.#build(plan.operation, method, path, {
      params,
      body,
      headers: [config.defaultHeaders, credentials.kind === "headers" ? credentials.headers : undefined, headers],
      fetchOptions:
        fetchOptions && config.fetchOptions
          ? { ...config.fetchOptions, ...fetchOptions }
          : (fetchOptions ?? config.fetchOptions),
    });
    return exchange(request, {
      fetch: config.fetch,
      middleware: this.#middleware.length ? [...this.#middleware] : NO_MIDDLEWARE,
      operation: plan.operation,
      ...limits,
      idempotent: idempotent ?? plan.idempotent,
      signal,
      redact: this.#redact,
      log: config.log,
    });
  }

  #build(operation: string, method: string, path: string, parts: RequestParts): PreparedRequest {
    try {
      return buildRequest(this.baseUrl, method, path, parts);
    } catch (error) {
      // Our own refusals (a path parameter, a query name, a header) already say what is wrong.
      const own = error instanceof LiveAvatarError;
      const detail = String((error as Error)?.message ?? error);
      const safe = this.#redact(detail);
      // An error that quotes a credential (Headers quotes an invalid header value) is not kept as the cause.
      throw new LiveAvatarError(
        `could not send ${operation}: ${safe}`,
        !own && safe === detail ? { cause: error } : {},
      );
    }
  }
}

const NO_MIDDLEWARE: readonly Middleware[] = [];

export { DEFAULT_BASE_URL, type ClientOptions } from "./options.js";
