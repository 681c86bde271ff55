// FULL mode in a page: LiveAvatar runs speech recognition, the LLM and the voice; the page joins
// the session's LiveKit room, shows the avatar, and talks to it over the room's data channel with
// `FullModeConnection`: make it speak, ask it something, interrupt it, push-to-talk.
//
//   npm run example -- full-mode-browser
//
// In a browser (bundle this file with Vite or esbuild) it joins the real LiveKit room. Run by Node,
// as above, there is no WebRTC: it starts the session against Prism and uses the in-memory room of
// `createFullModeFake`, whose scripted avatar answers the commands the way the real one does.
import { LiveAvatar } from "liveavatar-api";
import { FullModeConnection, PushToTalkError, type FullModeEvent, type FullModeRoom } from "liveavatar-api/realtime";
import { createFullModeFake } from "liveavatar-api/testing/msw";
import type { Room } from "livekit-client";

const inBrowser = typeof document !== "undefined";

/** Your backend's job (it holds the API key): a FULL-mode session token for the page. */
async function mintSessionToken(): Promise<string> {
  const backend = new LiveAvatar();
  const { session_token } = await backend.POST("/v1/sessions/token", {
    body: {
      mode: "FULL",
      avatar_id: "3fa85f64-5717-4562-b3fc-2c963f66afa6",
      avatar_persona: { language: "en" },
      is_sandbox: true,
    },
  });
  return session_token;
}

/** Joins the session's LiveKit room and shows the avatar's video and audio. */
async function joinRoom(url: string, token: string): Promise<Room> {
  const { Room, RoomEvent, Track } = await import("livekit-client");
  const room = new Room();
  room.on(RoomEvent.TrackSubscribed, (track) => {
    if (track.kind === Track.Kind.Video || track.kind === Track.Kind.Audio) document.body.append(track.attach());
  });
  await room.connect(url, token);
  return room;
}

/** Resolves with the next event of `type`. */
function next<T extends FullModeEvent["type"]>(events: FullModeConnection, type: T): Promise<void> {
  return new Promise((resolve) => {
    const off = events.on(type, () => (off(), resolve()));
  });
}

// In the page, fetch the token from your endpoint instead: fetch("/api/liveavatar-session", ...).
const client = new LiveAvatar({ apiKey: null, sessionToken: await mintSessionToken() });
const session = await client.startSession();
console.log(`started session ${session.sessionId}`);

const mock = inBrowser ? undefined : createFullModeFake({ sessionId: session.sessionId, pushToTalk: "fail" });
const room: FullModeRoom & { disconnect?: () => Promise<void> } = mock
  ? mock.room
  : await joinRoom(session.info.livekit_url, session.info.livekit_client_token);

const events = FullModeConnection.attach(room, { sessionId: session.sessionId });
events.on("user.transcription", (event) => console.log(`user said: ${event.text}`));
events.on("avatar.transcription", (event) => console.log(`avatar says: ${event.text}`));
events.on("unknown", (event) => console.debug(`newer event: ${event.eventType ?? "(unreadable)"}`));
events.on("session.stopped", (event) => {
  console.log(`session stopped: ${"end_reason" in event ? event.end_reason : event.stop_reason}`);
});

try {
  let done = next(events, "avatar.speak_ended");
  await events.speakText("Hello! I am your avatar.");
  await done;

  done = next(events, "avatar.speak_ended");
  await events.speakResponse("What can you help me with?"); // the session's LLM answers, the avatar says it
  await events.interrupt(); // the user clicked "stop"
  await done;
  console.log("interrupted");

  try {
    await events.startPushToTalk({ timeout: 5_000 });
    // ... the user holds the button and speaks ...
    await events.stopPushToTalk();
  } catch (error) {
    if (!(error instanceof PushToTalkError)) throw error;
    console.log(`no push-to-talk: ${error.name}`); // a CONVERSATIONAL session: the avatar listens by itself
  }
} finally {
  events.detach();
  await room.disconnect?.();
  await session.stop();
}
console.log(`stopped: ${(await events.ended).reason}`);
