// Reading a response body with a bound, so that a huge or endless body costs at most a fixed
// amount of memory: an error page is cut to its first bytes, a success over its limit is refused.

/** What to do with the bytes past `limit`: keep the first `limit` ("truncate") or fail ("refuse"). */
export type OverLimit = "truncate" | "refuse";

/**
 * Reads the body as UTF-8 up to `limit` bytes. Past it the stream is cancelled (the connection
 * is released, nothing more is read) and the text cut there, or `BodyOverLimit` thrown.
 */
export async function readText(response: Response, limit: number, over: OverLimit): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (size + value.byteLength > limit) {
        await reader.cancel().catch(() => {});
        if (over === "refuse") throw new BodyOverLimit();
        chunks.push(value.subarray(0, limit - size));
        size = limit;
        break;
      }
      chunks.push(value);
      size += value.byteLength;
    }
  } catch (error) {
    if (error instanceof BodyOverLimit) throw error;
    throw new BodyCutOff(decode(chunks, size), error);
  }
  return decode(chunks, size);
}

/** The length a response declares, when it declares one that is over `limit` (read nothing then). */
export function declaredOver(response: Response, limit: number): boolean {
  const declared = response.headers.get("content-length");
  return declared !== null && Number(declared) > limit;
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

/** A body that was (or said it would be) longer than the caller allows: the read was cancelled. */
export class BodyOverLimit {}

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
