// npm run demo
// Walks the main flow through the client and prints each step: what was called, with which
// credential, and what came back. Without LIVEAVATAR_API_KEY it runs offline on the package's own
// stateful fake of the API (liveavatar-api/testing: the HTTP fake with its LITE WebSocket), seeded
// with the records below, so every answer is consistent with the ones before it; with the key it
// talks to LIVEAVATAR_BASE_URL (default https://api.liveavatar.com).
import { LiveAvatar, LiveAvatarError, MissingCredentialError, type FetchLike } from "../src/index.ts";
import { LiteConnection, SpeechInterruptedError } from "../src/realtime/index.ts";
import { startMockServer, type Fixtures, type MockServer } from "../src/testing/index.ts";

/** What the fake holds when the demo starts: a small account, as it could look on the real API. */
const ACCOUNT: Fixtures = {
  credits: "1250",
  avatars: [
    avatar("9b3f6c2e-4d1a-4f8e-9a57-2c6e1d0b7a31", "Ava, product specialist", "Ava (warm, en-US)"),
    avatar("5e8a2d47-1c9b-4b36-8f02-7d4e9a6c3b15", "Marcus, support agent", "Marcus (calm, en-GB)"),
    avatar("c41d7e90-6a2f-4c85-b3e1-9f0a5d8b2c64", "Lena, onboarding coach", "Lena (bright, de-DE)"),
    avatar("2a6f9b13-8e4c-4d7a-a1f5-6b3c0e9d8f27", "Kenji, sales demo", "Kenji (clear, ja-JP)"),
    avatar("e7c05a8d-3b62-4f19-9d4e-1a8f6c2b5e90", "Sofia, clinic front desk", "Sofia (gentle, es-ES)"),
  ],
  memories: [
    memory("0b7a5e2e-8a3e-4c43-9c7b-6d1f3b2a9e10", "Prefers short answers; asked twice about the annual plan."),
    memory("6d2c9f41-7e5b-4a08-8c3d-2f1e0b9a7c56", "Returning visitor from the onboarding webinar."),
  ],
};

function avatar(id: string, name: string, voice: string): NonNullable<Fixtures["avatars"]>[number] {
  return {
    id,
    name,
    type: "VIDEO",
    status: "ACTIVE",
    space_id: "space_acme_support",
    preview_url: `https://files.example.com/avatars/${id}/preview.mp4`,
    default_voice: { id: `voice-${id.slice(0, 8)}`, name: voice },
    is_1080p: true,
    is_expired: false,
    error_message: undefined, // trained without error: the field is left out
  };
}

function memory(id: string, memory_content: string): NonNullable<Fixtures["memories"]>[number] {
  return { id, memory_type: "session", memory_content, session_episodes: [] };
}

/** Prints each request the client really sends, naming the credential header without its value. */
const printingFetch: FetchLike = async (input, init) => {
  const request = new Request(input, init);
  const credential = request.headers.has("x-api-key")
    ? "X-API-KEY"
    : request.headers.has("authorization")
      ? "Authorization: Bearer <session token>"
      : "no credential";
  const url = new URL(request.url);
  console.log(`   -> ${request.method} ${url.pathname}${url.search}  [${credential}]`);
  const response = await fetch(input, init);
  console.log(`   <- ${response.status} ${response.statusText}`);
  return response;
};

/** JSON for the terminal, with tokens shortened and the session's ws_url (a bearer capability) hidden. */
function show(value: unknown): string {
  const text = JSON.stringify(value, (key, v: unknown) =>
    typeof v !== "string"
      ? v
      : key === "ws_url"
        ? "<ws_url>"
        : /token/i.test(key) && v.length > 8
          ? `${v.slice(0, 6)}…`
          : v,
  );
  if (text === undefined) return "(no data)";
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

function step(title: string): void {
  console.log(`\n${title}`);
}

async function main(): Promise<void> {
  const live = Boolean(process.env.LIVEAVATAR_API_KEY);
  // The fake also serves the LITE WebSocket: a started LITE session's ws_url points at it.
  let fake: MockServer | undefined;
  if (!live) fake = await startMockServer({ fixtures: ACCOUNT, lite: { signals: "both", playMsPerSecond: 50 } });
  const baseUrl = fake?.url ?? process.env.LIVEAVATAR_BASE_URL ?? "https://api.liveavatar.com";
  console.log(
    live
      ? `LiveAvatar client demo against ${baseUrl} (LIVEAVATAR_API_KEY is set)`
      : `LiveAvatar client demo against the package's own fake of the API at ${baseUrl}\n(stateful and offline: liveavatar-api/testing; set LIVEAVATAR_API_KEY to run it against the real API)`,
  );
  try {
    // The backend holds the API key (from the option here; LIVEAVATAR_API_KEY is the default).
    const backend = new LiveAvatar({
      baseUrl,
      apiKey: fake?.apiKey ?? process.env.LIVEAVATAR_API_KEY,
      fetch: printingFetch,
    });

    step("1. Backend: credits left");
    const credits = await backend.GET("/v1/users/credits").withResponse();
    console.log(`   data (envelope code ${credits.code}): ${show(credits.data)}`);

    step("2. Backend: the first avatars, across pages (page_size 2, at most 3 items)");
    const avatars = [];
    for await (const avatar of backend.paginate("/v1/avatars", { params: { query: { page_size: 2 } } })) {
      avatars.push(avatar);
      console.log(`   avatar ${avatar.id}  ${avatar.name}  (${avatar.status ?? "?"})`);
      if (avatars.length === 3) break;
    }
    const chosen = avatars[0];
    if (!chosen) throw new Error("the account has no avatar to start a session with");

    step(`3. Backend: mint a short-lived session token for ${chosen.name} (LITE mode, sandbox)`);
    const token = await backend.POST("/v1/sessions/token", {
      body: { mode: "LITE", avatar_id: chosen.id, is_sandbox: true },
    });
    console.log(`   data: ${show(token)}`);

    step("4. Browser: start the session with the token, keep it alive, stop it");
    // In a browser this client holds only the session token (never the API key).
    const browser = new LiveAvatar({ baseUrl, apiKey: null, sessionToken: token.session_token, fetch: printingFetch });
    const session = await browser.startSession({ keepAliveInterval: 30_000 });
    console.log(`   started: ${show(session.info)}`);
    await session.keepAlive();
    console.log("   kept alive");
    await session.stop();
    await session.stop(); // idempotent: nothing more is sent
    console.log("   stopped (a second stop() sent nothing)");
    if (fake) {
      const seen = fake.calls().filter((call) => call.credential === "sessionToken");
      console.log(`   the fake recorded: ${seen.map((call) => `${call.operation} ${call.status}`).join(", ")}`);
    }

    step("5. Backend: delete a memory (204, no body)");
    if (live) {
      console.log("   skipped against a live server: it would delete real data");
    } else {
      const before = await backend.GET("/v1/memory");
      const [first] = before.results;
      console.log(`   ${before.count} memories; deleting ${first!.id}`);
      const deleted = await backend
        .DELETE("/v1/memory/{memory_id}", { params: { path: { memory_id: first!.id } } })
        .withResponse();
      console.log(`   status ${deleted.response.status}, data: ${show(deleted.data)}`);
      const after = await backend.GET("/v1/memory");
      console.log(`   ${after.count} memory left: ${after.results.map((m) => m.id).join(", ")}`);
    }

    step("6. A call the client refuses before sending anything");
    try {
      await browser.GET("/v1/avatars");
    } catch (error) {
      if (!(error instanceof MissingCredentialError)) throw error;
      console.log(`   ${error.name}: ${error.message}`);
    }

    step(`7. Agent: a LITE conversation with ${chosen.name} over the session's WebSocket`);
    if (fake) await liteTurn(fake, backend, chosen.id);
    else console.log("   skipped against a live server: examples/lite-agent.ts does it there");
    console.log("\nDone.");
  } finally {
    await fake?.close();
  }
}

/** `ms` of a 440 Hz tone as PCM16, 24 kHz mono: what a TTS engine would stream. */
function tone(ms: number): Int16Array {
  const samples = new Int16Array((24_000 * ms) / 1000);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 24_000));
  return samples;
}

/** Offline, end to end: the fake's started LITE sessions carry a `ws_url` its LITE WebSocket serves. */
async function liteTurn(fake: MockServer, backend: LiveAvatar, avatarId: string): Promise<void> {
  const { session_token } = await backend.POST("/v1/sessions/token", {
    body: { mode: "LITE", avatar_id: avatarId, is_sandbox: true },
  });
  const stopsBefore = fake.calls("POST /v1/sessions/stop").length;
  const agent = new LiveAvatar({ baseUrl: fake.url, apiKey: null, sessionToken: session_token });
  await using session = await agent.startSession();
  const lite = await session.connectLite(LiteConnection);
  console.log(`   connected to the session's ws_url: the server reported "connected" before anything was sent`);
  lite.on("agent.speak_started", (event) => console.log(`   <~ agent.speak_started ${event.event_id ?? ""}`));
  lite.on("agent.speak_ended", (event) => console.log(`   <~ agent.speak_ended ${event.event_id ?? ""}`));

  const hello = lite.speak(tone(1000));
  console.log(`   ~> 1 s of speech as ${hello.eventId} (framed, base64), then agent.speak_end`);
  await hello;
  console.log("   the avatar finished it");

  const long = lite.speak(tone(5000));
  await long.sent;
  lite.interrupt();
  await long.catch((error: unknown) => {
    if (!(error instanceof SpeechInterruptedError)) throw error;
    console.log(`   interrupted: ${error.message}`);
  });

  await session.stop();
  console.log(
    `   stopped: socket ${lite.state}, session ${fake.calls("POST /v1/sessions/stop").length - stopsBefore === 1 ? "stopped once" : "NOT stopped"}`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof LiveAvatarError ? `\n${error.name}: ${error.message}` : error);
  process.exitCode = 1;
});
