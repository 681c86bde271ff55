// The avatar's playback in the LITE fake: speeches in the order their first packet arrived, each
// played packet by packet on the clock at `msPerSecond` per second of audio. Playback of a speech
// starts as its audio arrives (or only after its speak_end), stalls when it outruns the audio
// received, and finishes once its speak_end has come and every packet has played.
import type { Timers } from "./timers.js";

/** When a speech starts playing: on its first packet, or once its `agent.speak_end` arrived. */
export type PlaybackStart = "as_audio_arrives" | "after_speak_end";

/**
 * What happened, for the connection to turn into events: a speech `started`; one packet ended and
 * the next began (`chunk`); playback reached the end of the audio received before the speak_end
 * (`stalled`) and went on when more came (`resumed`); it `finished` or was `interrupted`. `more`
 * says whether another speech plays right after.
 */
export type PlaybackChange = "started" | "chunk" | "stalled" | "resumed" | "finished" | "interrupted";

export interface PlayedSpeech {
  /** The client's `event_id`, or one the fake made up for packets without one. */
  readonly id: string;
  /** Whether the packets came without an `event_id`. */
  readonly anonymous: boolean;
  /** Milliseconds of play time of each packet not yet played. */
  readonly chunks: number[];
  /** Its `agent.speak_end` arrived. */
  ended: boolean;
}

/** A speech that finished before an interrupt that arrived with nothing to interrupt. */
export interface LateInterrupt {
  speechId: string;
  endedMsAgo: number;
}

export class Playback {
  /** Speeches not finished, in order of their first packet; the head is the one playing. */
  readonly #queue: PlayedSpeech[] = [];
  #playing = false;
  #stalled = false;
  #timer: unknown;
  #queuedPackets = 0;
  #lastFinished: { id: string; at: number } | undefined;

  constructor(
    private readonly settings: { msPerSecond: number; start: PlaybackStart; maxQueuedPackets: number },
    private readonly timers: Timers,
    private readonly changed: (change: PlaybackChange, speech: PlayedSpeech, more: boolean) => void,
  ) {}

  /** The speech playing (or stalled), if any. */
  get current(): PlayedSpeech | undefined {
    return this.#playing ? this.#queue[0] : undefined;
  }

  /** Whether a packet with this `event_id` starts a new speech (no unfinished speech takes it). */
  opens(id: string | undefined): boolean {
    return this.#open(id) === undefined;
  }

  /** The speech still taking packets of this id: packets without an id go to the last speech without one. */
  #open(id: string | undefined): PlayedSpeech | undefined {
    // A loop rather than findLast (ES2023): the package targets ES2022.
    for (let i = this.#queue.length - 1; i >= 0; i--) {
      const s = this.#queue[i]!;
      if (!s.ended && (id === undefined ? s.anonymous : s.id === id)) return s;
    }
    return undefined;
  }

  /** Queues one packet of `bytes` PCM16 bytes; false (nothing queued) when the packet limit is reached. */
  audio(id: string | undefined, bytes: number, newId: () => string): boolean {
    if (this.#queuedPackets >= this.settings.maxQueuedPackets) return false;
    let speech = this.#open(id);
    if (!speech) {
      speech = { id: id ?? newId(), anonymous: id === undefined, chunks: [], ended: false };
      this.#queue.push(speech);
    }
    speech.chunks.push((bytes * this.settings.msPerSecond) / 48_000);
    this.#queuedPackets++;
    if (this.#stalled && speech === this.current) {
      this.#stalled = false;
      this.changed("resumed", speech, true);
      this.#playChunk(speech);
    } else this.#startNext();
    return true;
  }

  /** The speech's `agent.speak_end`; false when no unfinished speech has that id. */
  end(id: string): boolean {
    const speech = this.#queue.find((s) => !s.ended && s.id === id);
    if (!speech) return false;
    speech.ended = true;
    if (this.#stalled && speech === this.current) this.#finish(speech);
    else this.#startNext();
    return true;
  }

  /** Clears all scheduled speech; says which speech was cut, or which had already ended when nothing was. */
  interrupt(): { cut?: PlayedSpeech | undefined; late?: LateInterrupt | undefined } {
    const cut = this.current;
    const idle = this.#queue.length === 0;
    this.stop();
    this.#queue.length = 0;
    this.#queuedPackets = 0;
    if (cut) this.changed("interrupted", cut, false);
    const last = this.#lastFinished;
    const late = idle && last ? { speechId: last.id, endedMsAgo: Date.now() - last.at } : undefined;
    return { cut, late };
  }

  /** Stops the clock (the socket is gone); nothing more happens. */
  stop(): void {
    if (this.#timer !== undefined) this.timers.cancel(this.#timer);
    this.#timer = undefined;
    this.#playing = false;
    this.#stalled = false;
  }

  /** Whether the next speech can start now (it has audio, and its speak_end if playback waits for it). */
  #startable(): boolean {
    const head = this.#queue[0];
    if (this.#playing || !head || head.chunks.length === 0) return false;
    return this.settings.start !== "after_speak_end" || head.ended;
  }

  #startNext(): void {
    if (!this.#startable()) return;
    const head = this.#queue[0]!;
    this.#playing = true;
    this.changed("started", head, true);
    this.#playChunk(head);
  }

  #playChunk(speech: PlayedSpeech): void {
    const ms = speech.chunks.shift()!;
    this.#queuedPackets--;
    this.#timer = this.timers.later(ms, () => {
      this.#timer = undefined;
      if (speech.chunks.length > 0) {
        this.changed("chunk", speech, true);
        this.#playChunk(speech);
      } else if (speech.ended) this.#finish(speech);
      else {
        this.#stalled = true;
        this.changed("stalled", speech, true);
      }
    });
  }

  #finish(speech: PlayedSpeech): void {
    this.#queue.shift();
    this.#playing = false;
    this.#stalled = false;
    this.#lastFinished = { id: speech.id, at: Date.now() };
    this.changed("finished", speech, this.#startable());
    this.#startNext();
  }
}
