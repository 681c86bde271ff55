// npm run demo
// Walks the main flow through the client and prints each step: what was called, with which
// credential, and what came back. Without LIVEAVATAR_API_KEY it starts a Prism mock from
// openapi.json; with it, it talks to LIVEAVATAR_BASE_URL (default https://api.liveavatar.com).
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { LiveAvatar, LiveAvatarError, MissingCredentialError, type FetchLike } from "../src/index.ts";
import { LiteConnection, SpeechInterruptedError } from "../src/realtime/index.ts";
import { startMockServer } from "../src/testing/index.ts";
import { startPrism, type PrismServer } from "./lib/prism.ts";

const ROOT = join(fileURLToPath(import.meta.url), "..", "..");

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

function show(value: unknown): string {
  const text = JSON.stringify(value, (key, v: unknown) =>
    /token/i.test(key) && typeof v === "string" && v.length > 8 ? `${v.slice(0, 6)}…` : v,
  );
  if (text === undefined) return "(no data)";
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

function step(title: string): void {
  console.log(`\n${title}`);
}

async function main(): Promise<void> {
  const live = Boolean(process.env.LIVEAVATAR_API_KEY);
  let prism: PrismServer | undefined;
  if (!live) prism = await startPrism({ spec: join(ROOT, "openapi.json") });
  const baseUrl = prism?.url ?? process.env.LIVEAVATAR_BASE_URL ?? "https://api.liveavatar.com";
  console.log(
    live
      ? `LiveAvatar client demo against ${baseUrl} (LIVEAVATAR_API_KEY is set)`
      : `LiveAvatar client demo against a Prism mock of openapi.json at ${baseUrl}\n(set LIVEAVATAR_API_KEY to run it against the real API)`,
  );
  try {
    // The backend holds the API key (from the option here; LIVEAVATAR_API_KEY is the default).
    const backend = new LiveAvatar({
      baseUrl,
      apiKey: process.env.LIVEAVATAR_API_KEY ?? "demo-api-key",
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
    const avatarId = avatars[0]?.id ?? "3fa85f64-5717-4562-b3fc-2c963f66afa6";

    step("3. Backend: mint a short-lived session token (LITE mode, sandbox)");
    const token = await backend.POST("/v1/sessions/token", {
      body: { mode: "LITE", avatar_id: avatarId, is_sandbox: true },
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

    step("5. Backend: delete a memory (204, no body)");
    if (live) {
      console.log("   skipped against a live server: it would delete real data");
    } else {
      const deleted = await backend
        .DELETE("/v1/memory/{memory_id}", { params: { path: { memory_id: "0b7a5e2e-8a3e-4c43-9c7b-6d1f3b2a9e10" } } })
        .withResponse();
      console.log(`   status ${deleted.response.status}, data: ${show(deleted.data)}`);
    }

    step("6. A call the client refuses before sending anything");
    try {
      await browser.GET("/v1/avatars");
    } catch (error) {
      if (!(error instanceof MissingCredentialError)) throw error;
      console.log(`   ${error.name}: ${error.message}`);
    }

    step("7. Agent: a LITE conversation over the session's WebSocket (the package's fake API and LITE fake)");
    if (live) console.log("   skipped against a live server: examples/lite-agent.ts does it there");
    else await liteTurn();
    console.log("\nDone.");
  } finally {
    await prism?.stop();
  }
}

/** `ms` of a 440 Hz tone as PCM16, 24 kHz mono: what a TTS engine would stream. */
function tone(ms: number): Int16Array {
  const samples = new Int16Array((24_000 * ms) / 1000);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 24_000));
  return samples;
}

/** Offline, end to end: the fake's started LITE sessions carry a `ws_url` its LITE fake serves. */
async function liteTurn(): Promise<void> {
  await using mock = await startMockServer({ lite: { signals: "both", playMsPerSecond: 50 } });
  const backend = new LiveAvatar({ baseUrl: mock.url, apiKey: mock.apiKey });
  const [avatar] = (await backend.GET("/v1/avatars")).results;
  const { session_token } = await backend.POST("/v1/sessions/token", {
    body: { mode: "LITE", avatar_id: avatar!.id, is_sandbox: true },
  });
  const agent = new LiveAvatar({ baseUrl: mock.url, apiKey: null, sessionToken: session_token });
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
    `   stopped: socket ${lite.state}, session ${mock.calls("POST /v1/sessions/stop").length === 1 ? "stopped once" : "NOT stopped"}`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof LiveAvatarError ? `\n${error.name}: ${error.message}` : error);
  process.exitCode = 1;
});
