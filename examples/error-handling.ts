// Every failure is a LiveAvatarError subclass, so one `instanceof` per case is enough.
//
//   npm run example -- error-handling
import {
  APIConnectionError,
  APIError,
  APIUserAbortError,
  LiveAvatar,
  LiveAvatarError,
  MissingCredentialError,
  UnprocessableEntityError,
} from "liveavatar-api";

const client = new LiveAvatar();
const avatar_id = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

function report(what: string, error: unknown): void {
  if (error instanceof UnprocessableEntityError) {
    const issues = error.detail.map((issue) => `${issue.loc.join(".")}: ${issue.msg}`);
    console.log(`${what}: ${error.name} ${error.status}, ${issues.join("; ")}`);
  } else if (error instanceof APIError) {
    console.log(`${what}: ${error.name} ${error.status} from ${error.operation}`);
  } else if (error instanceof MissingCredentialError) {
    console.log(`${what}: ${error.name}, needs ${error.accepted.join(" or ")}`);
  } else if (error instanceof APIConnectionError || error instanceof APIUserAbortError) {
    console.log(`${what}: ${error.name} after ${error.attempts} attempt(s)`);
  } else if (error instanceof LiveAvatarError) {
    console.log(`${what}: ${error.name}: ${error.message}`);
  } else {
    throw error; // not from the client: a bug in this script
  }
}

// A request the server rejects (422: `avatar_id` must be a UUID).
await client
  .POST("/v1/sessions/token", { body: { mode: "LITE", avatar_id: "not-a-uuid" } })
  .catch((error) => report("invalid body", error));

// A server that refuses the call (401: no credential sent).
await client
  .GET("/v1/avatars/{avatar_id}", { params: { path: { avatar_id } }, auth: false })
  .catch((error) => report("no credential sent", error));

// Refused before anything is sent: this client holds no API key.
await new LiveAvatar({ apiKey: null }).GET("/v1/avatars").catch((error) => report("no API key in the client", error));

// Nothing listening there (port 9 is "discard"): a connection error, after no retries.
await new LiveAvatar({ baseUrl: "http://127.0.0.1:9", maxRetries: 0 })
  .GET("/v1/avatars")
  .catch((error) => report("server unreachable", error));

// The caller gave up: an AbortSignal cancels the request and any wait between retries.
await client.GET("/v1/avatars", { signal: AbortSignal.abort() }).catch((error) => report("aborted", error));
