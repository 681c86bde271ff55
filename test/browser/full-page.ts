// Runs in Chromium: FULL-mode events from the package source on the in-memory room of
// createFullModeFake (no LiveKit server runs here): the browser's TextEncoder/TextDecoder, crypto
// and timers carry a whole conversation, push-to-talk and the session's end.
import { FullModeConnection, PushToTalkError } from "../../src/realtime/index.ts";
// The browser-safe testing entry: bundling it for the page proves it has no Node import.
import { createFullModeFake } from "../../src/testing/msw.ts";

async function conversation() {
  const mock = createFullModeFake({ sessionId: "page-session", transcriptionChunks: true });
  const events = FullModeConnection.attach(mock.room, { sessionId: "page-session" });
  const seen: string[] = [];
  const iterated = (async () => {
    for await (const event of events) seen.push(event.type);
  })();
  const spoken = new Promise((resolve) => events.on("avatar.speak_ended", resolve));
  const transcript = new Promise<string>((resolve) => events.on("avatar.transcription", (e) => resolve(e.text)));
  const ids = [await events.speakResponse("What can you do?")];
  await spoken;
  await events.startPushToTalk();
  await events.stopPushToTalk();
  mock.stopSession("USER_CLOSED");
  const ended = await events.ended;
  await iterated;
  return {
    ids,
    transcript: await transcript,
    seen,
    ended: ended.reason,
    received: mock.received.map((c) => c.event_type),
    violations: mock.violations(),
  };
}

async function refusedPushToTalk() {
  const mock = createFullModeFake({ pushToTalk: "fail" });
  const events = FullModeConnection.attach(mock.room);
  const outcome = await events.startPushToTalk().then(
    () => "started",
    (e: unknown) => (e instanceof PushToTalkError ? `PushToTalkError: ${e.message}` : String(e)),
  );
  events.detach();
  return outcome;
}

(window as unknown as { fullModePage: unknown }).fullModePage = { conversation, refusedPushToTalk };
