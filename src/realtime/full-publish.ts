// Publishes FULL-mode commands on `agent-control`: encoded once, refused before sending when over
// LiveKit's packet limit, and bounded in time: a command rejects at the publish timeout, or when the
// connection ends, even if the room's `publishData` never settles.
import type { FullCommand } from "../../generated/events.js";
import { messageOf } from "../guards.js";
import { RealtimeArgumentError } from "./errors.js";
import { FullModeEndedError, FullModePublishError } from "./full-errors.js";
import { CONTROL_TOPIC, MAX_LIVEKIT_DATA_BYTES, type FullModeRoom } from "./full-room.js";

export class FullModePublisher {
  readonly #encoder = new TextEncoder();
  /** Rejects each command still waiting for publishData, when the connection ends. */
  readonly #pending = new Set<(error: FullModeEndedError) => void>();

  constructor(
    private readonly room: FullModeRoom,
    private readonly timeoutMs: number,
  ) {}

  async publish(message: FullCommand): Promise<void> {
    const eventType = message.event_type;
    let json: string;
    try {
      json = JSON.stringify(message);
    } catch (error) {
      throw new RealtimeArgumentError(`${eventType} cannot be sent as JSON: ${messageOf(error)}`);
    }
    const bytes = this.#encoder.encode(json);
    if (bytes.byteLength > MAX_LIVEKIT_DATA_BYTES) {
      throw new RealtimeArgumentError(
        `${eventType} is ${bytes.byteLength} bytes of JSON; a LiveKit data packet holds at most ${MAX_LIVEKIT_DATA_BYTES}: send shorter text`,
      );
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    let cut!: (error: FullModeEndedError) => void;
    const bound = new Promise<never>((_, reject) => {
      cut = reject;
      const error = new Error(`publishData did not settle within ${this.timeoutMs} ms`);
      timer = setTimeout(() => reject(new FullModePublishError(eventType, error)), this.timeoutMs);
    });
    this.#pending.add(cut);
    try {
      const publishing = this.room.localParticipant.publishData(bytes, { reliable: true, topic: CONTROL_TOPIC });
      await Promise.race([publishing, bound]);
    } catch (error) {
      if (error instanceof FullModePublishError || error instanceof FullModeEndedError) throw error;
      throw new FullModePublishError(eventType, error);
    } finally {
      clearTimeout(timer);
      this.#pending.delete(cut);
    }
  }

  /** Rejects every command still publishing (the connection ended). */
  endAll(error: FullModeEndedError): void {
    for (const cut of Array.from(this.#pending)) cut(error);
  }
}
