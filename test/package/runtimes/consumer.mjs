// What every runtime runs: the packed package imported by its name, one authenticated call and
// one refused call against the mock, and which runtime it really ran in.
import { AuthenticationError, LiveAvatar, LiveAvatarError } from "liveavatar-api";

const avatar_id = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

export async function call(baseUrl) {
  const client = new LiveAvatar({ apiKey: "test-api-key-0000", baseUrl, maxRetries: 0 });
  const avatar = await client.GET("/v1/avatars/{avatar_id}", { params: { path: { avatar_id } } });
  const refused = await client
    .GET("/v1/avatars/{avatar_id}", { params: { path: { avatar_id } }, auth: false })
    .catch((error) => error);
  return {
    runtime: runtime(),
    avatar,
    refused: {
      isAuthError: refused instanceof AuthenticationError,
      isBase: refused instanceof LiveAvatarError,
      status: refused.status,
    },
  };
}

// Checked in this order because Bun and Deno also define `process`.
function runtime() {
  if (typeof Bun !== "undefined") return `bun ${Bun.version}`;
  if (typeof Deno !== "undefined") return `deno ${Deno.version.deno}`;
  if (typeof EdgeRuntime === "string") return EdgeRuntime;
  if (globalThis.navigator?.userAgent === "Cloudflare-Workers") return "workerd";
  if (typeof process !== "undefined" && process.versions?.node) return `node ${process.versions.node}`;
  return "unknown";
}
