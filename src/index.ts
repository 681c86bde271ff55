export { LiveAvatar, DEFAULT_BASE_URL, type ClientOptions } from "./client.js";
export { APIPromise, type WithResponse } from "./api-promise.js";
export type { CredentialName } from "./auth.js";
export type { FetchLike, FetchOptions } from "./request.js";
export type { Middleware, HookContext } from "./middleware.js";
export type { Logger, LogLevel } from "./log.js";
export {
  LiveAvatarSession,
  type SessionOptions,
  type StartedSession,
  type SessionEndReason,
  type SessionEndedEvent,
  type SessionLink,
  type LiteConnector,
} from "./session.js";
export { isSessionGoneMessage } from "./session-gone.js";
// Call signatures: CallArgs, CallInit, HttpMethod, PageItem, PaginatedPath, PathsFor, RequestOptions, ResponseData, SpecMethod.
export type * from "./types.js";
export {
  LiveAvatarError,
  APIError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  EnvelopeError,
  BodyTooLargeError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  MissingCredentialError,
  type ValidationIssue,
  type LiveAvatarErrorOptions,
  type ConnectionErrorOptions,
  type AbortErrorOptions,
} from "./errors.js";
export { operations, securitySchemes, type OperationInfo, type OperationKey } from "../generated/operations.js";
export type { paths, components } from "../generated/schema.js";
