// Reading a response body with a bound, so that a huge or endless error page costs at most
// a fixed amount of memory.

/** Reads the body as UTF-8 up to `limit` bytes, cancelling the rest of the stream. */
export async function readText(response: Response, limit: number): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (size + value.byteLength > limit) {
        chunks.push(value.subarray(0, limit - size));
        size = limit;
        await reader.cancel().catch(() => {});
        break;
      }
      chunks.push(value);
      size += value.byteLength;
    }
  } catch (error) {
    throw new BodyCutOff(decode(chunks, size), error);
  }
  return decode(chunks, size);
}

/**
 * A body read that failed part-way. What had arrived travels here rather than on the read
 * error, which becomes the `cause` of the error the caller sees: unredacted text must not.
 */
export class BodyCutOff {
  constructor(
    readonly received: string,
    readonly error: unknown,
  ) {}
}

const decoder = new TextDecoder();

function decode(chunks: Uint8Array[], size: number): string {
  if (chunks.length === 1) return decoder.decode(chunks[0]);
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return decoder.decode(all);
}
