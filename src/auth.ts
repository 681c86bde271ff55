// Which credential each operation gets, decided from the spec's security requirements
// (generated/operations.ts) and the credentials the client holds.
import { securitySchemes, type OperationInfo } from "../generated/operations.js";
import { MissingCredentialError } from "./errors.js";

/** The client options that carry a credential. */
export type CredentialName = "apiKey" | "sessionToken";

interface SchemeBinding {
  credential: CredentialName;
  header: string;
  prefix: string;
}

/** How a spec security scheme is satisfied: API-key headers by `apiKey`, bearer auth by `sessionToken`. */
function bindScheme(scheme: { type: string; in?: string; name?: string; scheme?: string }): SchemeBinding | undefined {
  if (scheme.type === "apiKey" && scheme.in === "header" && scheme.name) {
    return { credential: "apiKey", header: scheme.name, prefix: "" };
  }
  if (scheme.type === "http" && scheme.scheme?.toLowerCase() === "bearer") {
    return { credential: "sessionToken", header: "Authorization", prefix: "Bearer " };
  }
  return undefined;
}

const BINDINGS = new Map<string, SchemeBinding | undefined>(
  Object.entries(securitySchemes).map(([name, scheme]) => [name, bindScheme(scheme)]),
);

/** Names of every header that carries a credential, lower-cased (stripped on cross-origin redirects). */
export const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set(
  [...BINDINGS.values()].flatMap((b) => (b ? [b.header.toLowerCase()] : [])),
);

/** What one call sends to prove who it is, chosen from the client's `Credentials`. */
export type CredentialToSend =
  /** The operation takes no credential (or the call said `auth: false`): nothing is sent. */
  | { readonly kind: "none" }
  /** The operation needs a credential the client does not hold: the call fails before sending. */
  | { readonly kind: "missing" }
  /** These headers carry the credential. */
  | { readonly kind: "headers"; readonly headers: Readonly<Record<string, string>> };

export const PUBLIC: CredentialToSend = { kind: "none" };
const MISSING: CredentialToSend = { kind: "missing" };

/** The credentials a client holds, out of sight of JSON.stringify and util.inspect. */
export class Credentials {
  readonly #secrets: Partial<Record<CredentialName, string>>;

  constructor(apiKey: string | undefined, sessionToken: string | undefined) {
    this.#secrets = {};
    if (apiKey) this.#secrets.apiKey = apiKey;
    if (sessionToken) this.#secrets.sessionToken = sessionToken;
  }

  has(name: CredentialName): boolean {
    return this.#secrets[name] !== undefined;
  }

  /**
   * Headers for the first security alternative (in the spec's order) the client can satisfy,
   * restricted to alternatives using `only` when the caller picked a credential.
   */
  choose(info: OperationInfo, only: CredentialName | undefined): CredentialToSend {
    if (info.security.length === 0) return PUBLIC;
    for (const alternative of info.security) {
      const bindings = alternative.map((scheme) => BINDINGS.get(scheme));
      if (only && !bindings.some((b) => b?.credential === only)) continue;
      if (!bindings.every((b) => b && this.has(b.credential))) continue;
      const headers: Record<string, string> = {};
      for (const b of bindings as SchemeBinding[]) headers[b.header] = b.prefix + this.#secrets[b.credential]!;
      return { kind: "headers", headers };
    }
    return MISSING;
  }

  static missing(
    operation: string,
    info: OperationInfo,
    requested: CredentialName | undefined,
  ): MissingCredentialError {
    const accepted = [...new Set(info.security.flat().map((scheme) => BINDINGS.get(scheme)?.credential ?? scheme))];
    return new MissingCredentialError(operation, info.operationId, accepted, requested);
  }

  /** Replaces every held secret in `text` (e.g. a server that echoes the key back in an error page). */
  redact(text: string): string {
    for (const secret of Object.values(this.#secrets)) {
      if (secret && secret.length >= 4 && text.includes(secret)) text = text.split(secret).join("[redacted]");
    }
    return text;
  }
}
