// The one test for "the server says this session no longer exists", shared by the REST session
// handle (keep-alive answers) and the LITE client (`error` frames, close reasons). It must be a
// clear answer: the whole message says so. A message that merely mentions a closed session
// ("too many requests, try again before the session closes") is not one, because ending on it
// would stop keep-alives and leave a live session billing.
// No imports: the realtime entry bundles this file as it is.

/** The whole message, e.g. "no such session", "Session not found", "session abc-1 has expired." */
export const SESSION_GONE =
  /^\s*(?:no such session|unknown session|session(?: [\w-]{1,128})? (?:is |has |was )?(?:not found|closed|ended|expired|stopped|does not exist|no longer exists))\s*[.!]?\s*$/i;

/** True when `message` is a clear "the session is gone" answer. */
export function isSessionGoneMessage(message: unknown): boolean {
  return typeof message === "string" && message.length <= 256 && SESSION_GONE.test(message);
}
