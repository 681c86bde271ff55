// Speech audio in: PCM16, 24 kHz, mono, as Int16Array / Uint8Array / ArrayBuffer or an (async)
// iterable of them. Out: packets of whole samples, about 600 ms first then 1 s, never over the
// 1 MB limit whether it counts base64 characters or decoded bytes.
import { InvalidAudioError, RealtimeArgumentError } from "./errors.js";

export type AudioChunk = Int16Array | Uint8Array | ArrayBuffer;
export type AudioInput = AudioChunk | Iterable<AudioChunk> | AsyncIterable<AudioChunk>;

export const SAMPLE_RATE = 24_000;
export const BYTES_PER_MS = (SAMPLE_RATE * 2) / 1000; // 48
/** 1 MB of base64 is 750 000 decoded bytes: under both readings of the vendor's limit. */
export const MAX_AUDIO_PACKET_BYTES = 750_000;

export interface FramingOptions {
  /** Milliseconds of audio in the first packet (default 600: lower latency to first lip movement). */
  firstPacketMs?: number | undefined;
  /** Milliseconds of audio in every later packet (default 1000). */
  packetMs?: number | undefined;
}

export interface PacketSizes {
  first: number;
  rest: number;
}

export function packetSizes(options: FramingOptions = {}): PacketSizes {
  const size = (ms: unknown, fallback: number, name: string): number => {
    if (ms === undefined) return fallback * BYTES_PER_MS;
    if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 20 || ms * BYTES_PER_MS > MAX_AUDIO_PACKET_BYTES) {
      throw new RealtimeArgumentError(
        `${name} must be a number of milliseconds from 20 to ${MAX_AUDIO_PACKET_BYTES / BYTES_PER_MS}, got ${String(ms)}`,
      );
    }
    // Whole samples only: a packet never splits one.
    return Math.floor((ms * BYTES_PER_MS) / 2) * 2;
  };
  return { first: size(options.firstPacketMs, 600, "firstPacketMs"), rest: size(options.packetMs, 1000, "packetMs") };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Bytes of one chunk, little-endian; refuses anything that is not one of the three types. */
export function chunkBytes(chunk: unknown, where: string): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  if (chunk instanceof Int16Array) {
    const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (LITTLE_ENDIAN) return bytes;
    const swapped = new Uint8Array(bytes.length);
    for (let i = 0; i < bytes.length; i += 2) {
      swapped[i] = bytes[i + 1]!;
      swapped[i + 1] = bytes[i]!;
    }
    return swapped;
  }
  const what =
    chunk === null
      ? "null"
      : ArrayBuffer.isView(chunk)
        ? chunk.constructor.name
        : typeof chunk === "object"
          ? "an object"
          : typeof chunk;
  const hint = chunk instanceof Float32Array ? " (convert float samples to 16-bit integers first)" : "";
  throw new InvalidAudioError(`${where} must be PCM16 as Int16Array, Uint8Array or ArrayBuffer, got ${what}${hint}`);
}

/** A single buffer, checked whole (so nothing is sent when it is bad), or undefined for a stream. */
export function wholeAudio(audio: unknown): Uint8Array | undefined {
  if (audio instanceof Uint8Array || audio instanceof Int16Array || audio instanceof ArrayBuffer) {
    const bytes = chunkBytes(audio, "audio");
    if (bytes.byteLength % 2 !== 0) {
      throw new InvalidAudioError(`audio has an odd number of bytes (${bytes.byteLength}): PCM16 samples are 2 bytes`);
    }
    if (bytes.byteLength === 0) throw new InvalidAudioError("audio is empty");
    return bytes;
  }
  const isIterable =
    typeof audio === "object" &&
    audio !== null &&
    !ArrayBuffer.isView(audio) &&
    (Symbol.asyncIterator in audio || Symbol.iterator in audio);
  if (!isIterable) chunkBytes(audio, "audio"); // throws with the right message
  return undefined;
}

/** Packets of a whole buffer: views into it, no copies. */
export function* framesOf(bytes: Uint8Array, sizes: PacketSizes): Generator<Uint8Array> {
  let offset = 0;
  let size = sizes.first;
  while (offset < bytes.byteLength) {
    yield bytes.subarray(offset, offset + size);
    offset += size;
    size = sizes.rest;
  }
}

/**
 * Packets of a stream. Chunks may split a sample (TTS streams do); only the total must be even.
 * Each packet is a fresh buffer, so a producer that reuses its chunk buffers is safe.
 */
export async function* framesOfStream(
  stream: Iterable<unknown> | AsyncIterable<unknown>,
  sizes: PacketSizes,
): AsyncGenerator<Uint8Array> {
  let packet = new Uint8Array(sizes.first);
  let filled = 0;
  let index = 0;
  for await (const chunk of stream as AsyncIterable<unknown>) {
    let bytes = chunkBytes(chunk, `audio chunk ${index++}`);
    while (bytes.byteLength > 0) {
      const take = Math.min(packet.byteLength - filled, bytes.byteLength);
      packet.set(bytes.subarray(0, take), filled);
      filled += take;
      bytes = bytes.subarray(take);
      if (filled === packet.byteLength) {
        yield packet;
        packet = new Uint8Array(sizes.rest);
        filled = 0;
      }
    }
  }
  if (filled % 2 !== 0) {
    throw new InvalidAudioError(`audio stream ended with an odd number of bytes: PCM16 samples are 2 bytes`);
  }
  if (filled > 0) yield packet.subarray(0, filled);
}
