// The send loop of one speech: framed base64 packets, then `agent.speak_end`. It waits while the
// socket holds more than the high-water mark, and stops as soon as the speech is no longer
// active (interrupted, failed, connection ended), so no packet of it follows an interrupt.
import { framesOf, framesOfStream, wholeAudio, type AudioInput, type PacketSizes } from "./audio.js";
import { encodeBase64 } from "./base64.js";
import { InvalidAudioError, RealtimeArgumentError } from "./errors.js";
import { newEventId } from "./event-id.js";

/** A speech's id and packets, checked before anything is sent (bad audio or id throws here). */
export function speechInput(
  audio: AudioInput,
  eventId: unknown,
  sizes: PacketSizes,
): { eventId: string; frames: Iterable<Uint8Array> | AsyncIterable<Uint8Array> } {
  const id = eventId ?? newEventId();
  if (typeof id !== "string" || id.length === 0 || id.length > 128) {
    throw new RealtimeArgumentError("eventId must be a string of 1 to 128 characters");
  }
  const whole = wholeAudio(audio);
  return { eventId: id, frames: whole ? framesOf(whole, sizes) : framesOfStream(audio as Iterable<unknown>, sizes) };
}

export interface SpeechSend {
  frames: Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
  eventId: string;
  /** False once the speech settled or the connection ended. */
  active(): boolean;
  /** True while the socket's buffer is over the high-water mark. */
  backlogged(): boolean;
  write(text: string): void;
  /** After each packet. */
  sent(): void;
  /** After `agent.speak_end`. */
  endSent(): void;
  failed(error: unknown): void;
}

/** Milliseconds between checks of a backlogged socket. */
const BACKLOG_POLL_MS = 5;

export async function sendSpeech(s: SpeechSend): Promise<void> {
  const id = JSON.stringify(s.eventId);
  const end = `{"type":"agent.speak_end","event_id":${id}}`;
  let sent = 0;
  try {
    for await (const frame of s.frames) {
      while (s.backlogged() && s.active()) await new Promise((resolve) => setTimeout(resolve, BACKLOG_POLL_MS));
      if (!s.active()) return;
      // Built by hand: base64 needs no escaping, and JSON.stringify would copy the audio once more.
      s.write(`{"type":"agent.speak","event_id":${id},"audio":"${encodeBase64(frame)}"}`);
      sent++;
      s.sent();
    }
    if (!s.active()) return;
    if (sent === 0) throw new InvalidAudioError("the audio stream was empty");
    s.write(end);
    s.endSent();
  } catch (error) {
    // A bad chunk mid-stream: end what was sent so the avatar returns to idle, then reject.
    if (sent > 0 && s.active()) {
      try {
        s.write(end);
      } catch {
        // closed meanwhile: the speech is rejected below either way
      }
    }
    s.failed(error);
  }
}
