// TTS-like audio for `npm run bench:scale`: every stream gets a 100 ms PCM16 chunk every 100 ms
// of wall time, pushed into the async iterable its current `speak()` reads, sentence after sentence.
//
// One 10 ms interval drives every stream, so the benchmark adds one timer, not one per stream.
// Producers are staggered: stream i is in slot i mod 10, and each 10 ms tick serves one slot, so
// a tenth of the streams produce on each tick instead of all of them on one 100 ms tick (and the
// client starts stream i (i / 10) mod 10 ticks late, which spreads the 1 s packets over the
// second). A late tick catches up on every slot it missed, so each stream stays at real time on
// average, up to 100 ms behind; beyond that it drops the audio it could not produce in time.

export const CHUNK_MS = 100;
const SLOTS = 10;
const SLOT_MS = CHUNK_MS / SLOTS;

/** A 440 Hz tone: 100 ms of PCM16 at 24 kHz, shared by every stream (the client copies it into its packets). */
export const CHUNK = (() => {
  const samples = new Int16Array((24_000 * CHUNK_MS) / 1000);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 24_000));
  return samples;
})();

/** A push-fed async iterable of audio chunks: what a TTS stream looks like to `speak()`. */
export class Feed implements AsyncIterableIterator<Int16Array> {
  #queue: Int16Array[] = [];
  #done = false;
  #waiting: ((result: IteratorResult<Int16Array>) => void) | undefined;

  push(chunk: Int16Array): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (waiting) waiting({ value: chunk, done: false });
    else this.#queue.push(chunk);
  }

  end(): void {
    this.#done = true;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<Int16Array>> {
    const chunk = this.#queue.shift();
    if (chunk) return Promise.resolve({ value: chunk, done: false });
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.#waiting = resolve));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** Calls `produce(stream)` once per stream every 100 ms, a tenth of the streams per 10 ms slot. */
export function staggeredTicks(streams: number, produce: (stream: number) => void): () => void {
  const started = performance.now();
  let served = 0; // slots served so far
  const timer = setInterval(() => {
    const due = Math.floor((performance.now() - started) / SLOT_MS);
    // At most one round of slots (100 ms of audio) per tick: a process that fell further behind
    // drops the rest (audio s/s sent shows it) instead of producing seconds of backlog in one turn.
    served = Math.max(served, due - SLOTS);
    for (; served < due; served++) {
      for (let stream = served % SLOTS; stream < streams; stream += SLOTS) produce(stream);
    }
  }, SLOT_MS);
  return () => clearInterval(timer);
}
