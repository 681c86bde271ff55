// Credentials as the API checks them: each operation accepts what its `security` names, the
// API key the fake was given and the session tokens it minted; anything else is a 401.
import { operations, securitySchemes, type OperationKey } from "../../generated/operations.js";
import type { SessionRow, State } from "./state.js";
import type { Credential } from "./types.js";

export type AuthResult = { ok: true; credential: Credential; session?: SessionRow } | { ok: false; message: string };

export function authenticate(key: OperationKey, headers: Headers, state: State, apiKey: string): AuthResult {
  const alternatives = operations[key].security as readonly (readonly string[])[];
  if (alternatives.length === 0) return { ok: true, credential: null };
  const sent = headers.get(securitySchemes.APIKeyHeader.name);
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.get("authorization") ?? "")?.[1]?.trim();
  for (const [scheme] of alternatives) {
    if (scheme === "APIKeyHeader" && sent !== null && sent === apiKey) return { ok: true, credential: "apiKey" };
    if (scheme === "HTTPBearer" && bearer) {
      const id = state.tokens.get(bearer);
      if (id) return { ok: true, credential: "sessionToken", session: state.sessions.get(id)! };
    }
  }
  // Say which credential would do, never echo what was sent.
  const wanted = alternatives.map(([scheme]) =>
    scheme === "APIKeyHeader"
      ? "a valid X-API-KEY header"
      : "Authorization: Bearer <a session token this server minted>",
  );
  const what = sent !== null || bearer ? "the credential sent is not accepted" : "no credential was sent";
  return { ok: false, message: `${what}; ${key} takes ${wanted.join(" or ")}` };
}

/** What a recorded call came with, even when it was refused. */
export function sentCredential(headers: Headers): Credential {
  if (headers.has(securitySchemes.APIKeyHeader.name)) return "apiKey";
  return /^Bearer\s+\S/i.test(headers.get("authorization") ?? "") ? "sessionToken" : null;
}
