// Your backend's token endpoint (here a web-standard route handler, as in Next.js or Hono):
// the page asks for a session; the server mints a token with its API key and returns it.
import { APIError, LiveAvatar } from "liveavatar-api";

export async function POST(request: Request): Promise<Response> {
  const { avatarId } = (await request.json()) as { avatarId: string };
  // Reads LIVEAVATAR_API_KEY and LIVEAVATAR_BASE_URL from the environment.
  const client = new LiveAvatar();
  try {
    const { session_token } = await client.POST("/v1/sessions/token", {
      body: { mode: "LITE", avatar_id: avatarId },
    });
    return Response.json({ token: session_token });
  } catch (error) {
    // Tell the page to try again later; never pass the API's error (or the key) through.
    const status = error instanceof APIError && error.status >= 500 ? 503 : 502;
    return Response.json({ error: "avatar service unavailable" }, { status });
  }
}
