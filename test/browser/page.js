// The page the browser test loads: plain browser code using the package's ESM build, bundled
// by esbuild. It exposes the two flows the test drives from inside the page.
import { LiveAvatar, LiveAvatarError } from "liveavatar-api";

/** Records what the client sends, then sends it with the browser's own fetch. */
function recordingFetch(log) {
  return (input, init) => {
    const request = new Request(input, init);
    log.push({
      method: request.method,
      path: new URL(request.url).pathname,
      authorization: request.headers.get("authorization"),
      apiKey: request.headers.get("x-api-key"),
    });
    return fetch(input, init);
  };
}

/** The session-token flow: start, keep alive (by hand and in the background), stop. */
async function sessionFlow(baseUrl, sessionToken) {
  const requests = [];
  const keepAliveErrors = [];
  const client = new LiveAvatar({ baseUrl, sessionToken, fetch: recordingFetch(requests), maxRetries: 0 });
  const session = await client.startSession({
    keepAliveInterval: 50,
    onKeepAliveError: (error) => keepAliveErrors.push(`${error.name}: ${error.message}`),
  });
  await session.keepAlive();
  const keepAlives = () => requests.filter((r) => r.path === "/v1/sessions/keep-alive").length;
  const deadline = Date.now() + 10_000;
  while (keepAlives() < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  await session.stop();
  return {
    sessionId: session.sessionId,
    livekitUrl: session.info.livekit_url,
    stopped: session.stopped,
    requests,
    keepAliveErrors,
  };
}

/** An API key is refused in a page unless the client is told to accept the risk. */
async function apiKeyGuard(baseUrl, apiKey) {
  let refused = null;
  try {
    new LiveAvatar({ baseUrl, apiKey });
  } catch (error) {
    refused = { name: error.name, isLiveAvatarError: error instanceof LiveAvatarError, message: error.message };
  }
  const requests = [];
  const allowed = new LiveAvatar({
    baseUrl,
    apiKey,
    dangerouslyAllowBrowser: true,
    maxRetries: 0,
    fetch: recordingFetch(requests),
  });
  const avatars = await allowed.GET("/v1/avatars");
  return { refused, listed: avatars.results.length, requests };
}

window.liveAvatarPage = { sessionFlow, apiKeyGuard };
