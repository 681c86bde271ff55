// What the avatar says about its playback, as the session's variant spells it: `agent.speak_*`
// (once per speech, or once per packet), `agent.state_updated`, `agent.idle_*` between
// sentences, and `video_starvation` errors when playback outran the audio received.
import type { AgentState, LiteEvent } from "../../../generated/events.js";
import type { PlaybackChange, PlayedSpeech } from "./playback.js";
import type { LiteVariant } from "./types.js";

export interface Speaking {
  /** Turns one playback change into the variant's events. */
  changed(change: PlaybackChange, speech: PlayedSpeech, more: boolean): void;
  /** The avatar's pose outside speech (`agent.start_listening` / `agent.stop_listening`). */
  pose(state: AgentState): void;
  /** An `error` frame, with the failed command's id inside and, per the variant, at the top level too. */
  error(type: string, message: string, eventId?: string): void;
}

export function speaking(v: LiteVariant, say: (event: LiteEvent) => void, serverId: () => string): Speaking {
  const signals = v.signals ?? "speak";
  const perChunk = v.playback === "per_chunk";
  const withSource = v.speakEventId === "server_with_source";
  let agent: AgentState = "idle";
  let idle = false;
  /** A speak_started was sent whose speak_ended is still due (per packet, a stall already ended it). */
  let open = false;

  const ids = (speech: PlayedSpeech) =>
    withSource
      ? { event_id: serverId(), source_event_id: speech.id }
      : { event_id: v.speakEventId === "server" ? serverId() : speech.id };
  const speak = (type: "agent.speak_started" | "agent.speak_ended", speech: PlayedSpeech) => {
    open = type === "agent.speak_started";
    if (signals !== "state") say({ type, ...ids(speech), task: { id: `task-${speech.id}` } });
  };
  const setAgent = (next: AgentState) => {
    if (next === agent) return;
    if (signals !== "speak") {
      const source = withSource ? { event_id: serverId(), source_event_id: null } : {};
      say({ type: "agent.state_updated", ...source, previous_state: agent, new_state: next });
    }
    agent = next;
  };
  const idleEvent = (type: "agent.idle_started" | "agent.idle_ended", speech: PlayedSpeech) => {
    if (!v.idleEvents || idle === (type === "agent.idle_started")) return;
    idle = !idle;
    say({ type, event_id: serverId(), source_event_id: speech.id });
  };
  const error = (type: string, message: string, eventId?: string) => {
    const top = v.errorEventId === "both" && eventId ? { event_id: eventId } : {};
    say({ type: "error", ...top, error: { type, message, ...(eventId ? { event_id: eventId } : {}) } });
  };

  return {
    changed(change, speech, more) {
      switch (change) {
        case "started":
          idleEvent("agent.idle_ended", speech);
          speak("agent.speak_started", speech);
          return setAgent("talking");
        case "chunk":
          // Between two packets: a sentence boundary, where some sessions go idle for a moment.
          if (perChunk) speak("agent.speak_ended", speech);
          idleEvent("agent.idle_started", speech);
          idleEvent("agent.idle_ended", speech);
          if (perChunk) speak("agent.speak_started", speech);
          return;
        case "stalled":
          if (perChunk) speak("agent.speak_ended", speech);
          idleEvent("agent.idle_started", speech);
          if (v.starvation) {
            error("video_starvation", "audio arrives slower than real time: playback ran out of audio", speech.id);
          }
          return;
        case "resumed":
          idleEvent("agent.idle_ended", speech);
          if (perChunk) speak("agent.speak_started", speech);
          return;
        case "finished":
          if (open) speak("agent.speak_ended", speech);
          if (!more) {
            idleEvent("agent.idle_started", speech);
            setAgent("idle");
          }
          return;
        case "interrupted":
          open = false;
          if (signals !== "state") say({ type: "agent.speak_interrupted", ...ids(speech) });
          idleEvent("agent.idle_started", speech);
          return setAgent("idle");
      }
    },
    pose: setAgent,
    error,
  };
}
