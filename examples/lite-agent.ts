// A LITE-mode agent: mint a LITE token, start a session, connect its WebSocket, speak a generated
// tone, interrupt it, speak again, keep alive, stop. Your own STT/LLM/TTS would produce the audio.
//
//   npm run example -- lite-agent
//
// Locally this runs against Prism (REST) plus the package's LITE fake: Prism's start answer
// carries a placeholder `ws_url`, so the example connects to the fake instead. Against the real
// API (LIVEAVATAR_BASE_URL=https://api.liveavatar.com and your LIVEAVATAR_API_KEY), the start
// answer's `ws_url` is real and `session.connectLite(LiteConnection)` connects to it, owned by the
// session: `stop()` closes the socket and stops the session.
import { LiveAvatar } from "liveavatar-api";
import { LiteConnection, SpeechInterruptedError } from "liveavatar-api/realtime";
import { startLiteFake } from "liveavatar-api/testing";

/** `ms` of a 440 Hz tone as PCM16, 24 kHz mono: what a TTS engine would stream. */
function tone(ms: number): Int16Array {
  const samples = new Int16Array((24_000 * ms) / 1000);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 24_000));
  return samples;
}

const real = process.env.LIVEAVATAR_BASE_URL === "https://api.liveavatar.com";

// Backend side (holds LIVEAVATAR_API_KEY): a LITE token for your own agent.
const backend = new LiveAvatar();
const { session_token } = await backend.POST("/v1/sessions/token", {
  body: { mode: "LITE", avatar_id: "3fa85f64-5717-4562-b3fc-2c963f66afa6", is_sandbox: true },
});

const client = new LiveAvatar({ apiKey: null, sessionToken: session_token });
const fake = real ? undefined : await startLiteFake({ signals: "both", playMsPerSecond: 50 });
try {
  await using session = await client.startSession();
  console.log(`started session ${session.sessionId}`);
  const lite = fake
    ? await LiteConnection.connect(fake.wsUrlFor(session.sessionId))
    : await session.connectLite(LiteConnection);
  console.log(`connected (${lite.state})`);
  lite.on("error", (event) => console.warn(`server error: ${event.error.message}`));

  const hello = lite.speak(tone(1000));
  await hello;
  console.log(`spoke 1 s of tone as ${hello.eventId}`);

  const long = lite.speak(tone(5000));
  await long.sent;
  lite.interrupt(); // stops our send loop first, then tells the avatar
  await long.catch((error: unknown) =>
    console.log(`interrupted: ${error instanceof SpeechInterruptedError ? error.name : String(error)}`),
  );

  await lite.speak(tone(500));
  console.log("spoke again");
  lite.keepAlive();
  await lite.close();
} finally {
  await fake?.close();
}
console.log("stopped");
