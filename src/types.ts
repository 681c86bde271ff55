// Call signatures derived from the generated types: which paths exist per method, what a
// call takes (params, body) and what it resolves to (the envelope's `data`, unwrapped).
import type { ParamsOption, RequestBodyOption } from "openapi-fetch";
import type { paths } from "../generated/schema.js";
import type { OperationKey, operations } from "../generated/operations.js";
import type { CredentialName } from "./auth.js";
import type { FetchOptions } from "./request.js";

export type HttpMethod = "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE";

/** Paths that have an operation for method `M`. */
export type PathsFor<M extends HttpMethod> = OperationKey extends infer K
  ? K extends `${M} ${infer P}`
    ? P
    : never
  : never;

/** The methods the spec uses. */
export type SpecMethod = OperationKey extends `${infer M extends HttpMethod} ${string}` ? M : never;

type Table = typeof operations;
type Operation<M extends HttpMethod, P extends keyof paths> = paths[P][Lowercase<M> & keyof paths[P]];
type Info<M extends HttpMethod, P extends string> = Table[`${M} ${P}` & OperationKey];

type JsonBody<R> = R extends { content: { "application/json": infer B } } ? B : undefined;
type SuccessBody<M extends HttpMethod, P extends keyof paths & string> =
  Operation<M, P> extends { responses: infer R } ? JsonBody<R[Info<M, P>["successStatus"] & keyof R]> : never;
type EnvelopeData<B> = B extends { data?: infer D } ? D : unknown;

/**
 * What a call resolves to: the envelope's `data`, non-null where the spec's success data is
 * an object or array (the client checks it), `undefined` for a body-less success, and as the
 * spec says for untyped or null-only data.
 */
export type ResponseData<M extends HttpMethod, P extends keyof paths & string> = {
  object: NonNullable<EnvelopeData<SuccessBody<M, P>>>;
  array: NonNullable<EnvelopeData<SuccessBody<M, P>>>;
  null: null;
  untyped: Info<M, P>["envelope"] extends true ? EnvelopeData<SuccessBody<M, P>> : SuccessBody<M, P>;
  none: undefined;
}[Info<M, P>["data"]];

/** Options every call takes besides its params and body. */
export interface RequestOptions {
  /**
   * Which credential to send when the operation accepts several (default: the first, in the
   * spec's order, that the client holds). `false` sends none and skips the client-side check.
   */
  auth?: CredentialName | false | undefined;
  /** Cancels the request and any wait between retries. */
  signal?: AbortSignal | undefined;
  /** Per-attempt timeout in milliseconds; `Infinity` disables it. */
  timeout?: number | undefined;
  /** Retries after the first attempt; 0 disables them. */
  maxRetries?: number | undefined;
  /** The largest successful body read, in bytes (the client's `maxBodyBytes`, default 16 MiB). */
  maxBodyBytes?: number | undefined;
  /**
   * Whether the call may be repeated after the server could have processed it (on a 5xx,
   * a timeout or a reset). Defaults to true for idempotent methods, keep-alive and stop.
   */
  idempotent?: boolean | undefined;
  /** Extra request headers. */
  headers?: Record<string, string> | undefined;
  /** Passed to fetch as they are, e.g. `{ cache: "no-store" }` or `{ keepalive: true }`. */
  fetchOptions?: FetchOptions | undefined;
}

type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];

export type CallInit<M extends HttpMethod, P extends keyof paths & string> = ParamsOption<Operation<M, P>> &
  RequestBodyOption<Operation<M, P>> &
  RequestOptions;

type IsUnion<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never;

/**
 * The init argument, required when the operation has required params or a required body.
 * When `P` is not one path (TypeScript falls back to the union of all paths after a typo), the
 * argument is optional, so that the error the compiler reports is the one on the path itself
 * (`"/v1/avatar"` is not assignable to ...) rather than "Expected 2 arguments".
 */
export type CallArgs<M extends HttpMethod, P extends keyof paths & string> =
  true extends IsUnion<P>
    ? [init?: CallInit<M, P>]
    : RequiredKeys<CallInit<M, P>> extends never
      ? [init?: CallInit<M, P>]
      : [init: CallInit<M, P>];

/** Paths whose GET pages with `page`/`page_size`. */
export type PaginatedPath = {
  [K in OperationKey]: Table[K]["paginated"] extends true ? (K extends `GET ${infer P}` ? P : never) : never;
}[OperationKey];

/** The item type of a paginated list. */
export type PageItem<P extends PaginatedPath> =
  ResponseData<"GET", P> extends { results?: (infer I)[] | null } ? I : never;
