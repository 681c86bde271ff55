// Base64 of one audio packet (<= 1 MB), never of a whole speech. Uses the runtime's native
// encoder when there is one (Uint8Array#toBase64, or Node's Buffer without importing `node:`),
// else a table encoder that writes ASCII bytes and decodes them once (no per-byte strings).

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const PAD = 61; // "="

type Native = (bytes: Uint8Array) => string;

function nativeEncoder(): Native | undefined {
  const proto = Uint8Array.prototype as { toBase64?: () => string };
  if (typeof proto.toBase64 === "function") return (bytes) => (bytes as unknown as { toBase64(): string }).toBase64();
  const Buffer = (
    globalThis as {
      Buffer?: { from(b: ArrayBufferLike, o: number, l: number): { toString(e: "base64"): string } };
    }
  ).Buffer;
  if (Buffer) return (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  return undefined;
}

let decoder: TextDecoder | undefined;

/** The encoder for runtimes with neither `Uint8Array#toBase64` nor `Buffer` (older browsers). */
export function encodeBase64Portable(bytes: Uint8Array): string {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  let o = 0;
  let i = 0;
  for (const end = bytes.length - 2; i < end; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = CODES[n >>> 18]!;
    out[o++] = CODES[(n >>> 12) & 63]!;
    out[o++] = CODES[(n >>> 6) & 63]!;
    out[o++] = CODES[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
    out[o++] = CODES[n >>> 18]!;
    out[o++] = CODES[(n >>> 12) & 63]!;
    out[o++] = rest === 2 ? CODES[(n >>> 6) & 63]! : PAD;
    out[o++] = PAD;
  }
  decoder ??= new TextDecoder("latin1");
  return decoder.decode(out);
}

export const encodeBase64: Native = nativeEncoder() ?? encodeBase64Portable;
