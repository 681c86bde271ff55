// A backend mints a short-lived session token for a browser. The API key stays on the server.
//
//   npm run example -- backend-mint-token
//
// The client reads LIVEAVATAR_API_KEY (and LIVEAVATAR_BASE_URL, if set) from the environment.
import { LiveAvatar } from "liveavatar-api";

const client = new LiveAvatar();

/** What your own endpoint (e.g. POST /api/liveavatar-session) would return to the page. */
async function mintSessionToken(avatarId: string): Promise<{ sessionId: string; sessionToken: string }> {
  const { session_id, session_token } = await client.POST("/v1/sessions/token", {
    body: { mode: "LITE", avatar_id: avatarId, is_sandbox: true },
  });
  return { sessionId: session_id, sessionToken: session_token };
}

const minted = await mintSessionToken("3fa85f64-5717-4562-b3fc-2c963f66afa6");
console.log(`session ${minted.sessionId}`);
// Never log a whole token in real code; the first characters are enough to tell tokens apart.
console.log(`token   ${minted.sessionToken.slice(0, 6)}… (${minted.sessionToken.length} characters)`);
