// The session lifecycle as a page runs it: with only the session token a backend minted, start a
// session, keep it alive in the background, and stop it when done.
//
//   npm run example -- session-lifecycle
import { LiveAvatar } from "liveavatar-api";

// Backend side (holds LIVEAVATAR_API_KEY): mint the token. See backend-mint-token.ts.
const backend = new LiveAvatar();
const { session_token } = await backend.POST("/v1/sessions/token", {
  body: { mode: "LITE", avatar_id: "3fa85f64-5717-4562-b3fc-2c963f66afa6", is_sandbox: true },
});

// Browser side: a client with the session token and no API key.
const client = new LiveAvatar({ apiKey: null, sessionToken: session_token });
{
  // `await using` stops the session when the block ends, even if something in it throws.
  await using session = await client.startSession({
    keepAliveInterval: 30_000, // keep-alive every 30 s while the session runs
    onKeepAliveError: (error) => console.warn(`keep-alive failed: ${error.message}`),
  });
  console.log(`started session ${session.sessionId}`);
  console.log(`LiveKit room: ${session.info.livekit_url}`);
  // ... connect to LiveKit with session.info.livekit_client_token and talk to the avatar ...
  await session.keepAlive(); // one keep-alive now, besides the background ones
  console.log("kept alive");
}
console.log("stopped");

// Without `await using`: call stop() yourself (it is safe to call more than once).
const session = await client.startSession({ keepAliveInterval: false });
try {
  console.log(`started session ${session.sessionId}`);
} finally {
  await session.stop("USER_CLOSED");
  console.log(`stopped: ${session.stopped}`);
}
