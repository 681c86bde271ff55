// A browser page (or a Storybook preview) whose LiveAvatar calls are answered by the fake in a
// service worker: no backend, no network. Bundle it with your app's bundler.
import { setupWorker } from "msw/browser";
import { LiveAvatar } from "liveavatar-api";
import { liveAvatarHandlers } from "liveavatar-api/testing/msw";

const liveavatar = liveAvatarHandlers({
  fixtures: { avatars: [{ id: "3fa85f64-5717-4562-b3fc-2c963f66afa6", name: "Ada" }] },
});
await setupWorker(...liveavatar).start({ quiet: true, onUnhandledRequest: "bypass" });

// The app's own code: in a page it holds a session token, never the API key.
const { session_token } = await liveavatar.fake
  .handle(
    new Request("https://api.liveavatar.com/v1/sessions/token", {
      method: "POST",
      headers: { "x-api-key": liveavatar.apiKey, "content-type": "application/json" },
      body: JSON.stringify({ mode: "LITE", avatar_id: "3fa85f64-5717-4562-b3fc-2c963f66afa6" }),
    }),
  )
  .then((r) => r.json())
  .then((body: { data: { session_token: string } }) => body.data);
const client = new LiveAvatar({ sessionToken: session_token, apiKey: null });
const started = await client.POST("/v1/sessions/start");
await client.POST("/v1/sessions/stop");

document.body.dataset.result = JSON.stringify({
  sessionId: started.session_id,
  calls: liveavatar.calls().map((c) => `${c.operation} ${c.status}`),
});
