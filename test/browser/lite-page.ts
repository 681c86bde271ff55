// Runs in Chromium: the LITE client from the package source, on the browser's own WebSocket.
import { LiteConnection, SpeechInterruptedError } from "../../src/realtime/index.ts";

function tone(ms: number): Int16Array {
  const samples = new Int16Array((24_000 * ms) / 1000);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 24_000));
  return samples;
}

async function turn(wsUrl: string) {
  const usedGlobal = typeof WebSocket === "function";
  const conn = await LiteConnection.connect(wsUrl, { connectTimeout: 5000 });
  const events: string[] = [];
  conn.on("agent.speak_ended", (e) => events.push(e.type));
  conn.on("agent.state_updated", (e) => events.push(`${e.type}:${e.new_state}`));
  const first = conn.speak(tone(1200));
  await first;
  const long = conn.speak(tone(2000));
  await long.sent;
  conn.interrupt();
  const interrupted = await long.then(
    () => "resolved",
    (e: unknown) => (e instanceof SpeechInterruptedError ? "interrupted" : String(e)),
  );
  const again = conn.speak(tone(300));
  await again;
  conn.keepAlive();
  const ended = await conn.close();
  return { usedGlobal, ids: [first.eventId, long.eventId, again.eventId], interrupted, events, ended: ended.reason };
}

async function refused(wsUrl: string) {
  return LiteConnection.connect(wsUrl, { connectTimeout: 2000 }).then(
    () => "connected",
    (e: unknown) => `${(e as Error).name}: ${(e as Error).message}`,
  );
}

(window as unknown as { liteAvatarPage: unknown }).liteAvatarPage = { turn, refused };
