// The portable base64 encoder (used where neither Uint8Array#toBase64 nor Buffer exists) agrees
// with Node's on every length, including the two padding cases.
import fc from "fast-check";
import { expect, test } from "vitest";
import { encodeBase64Portable } from "../../src/realtime/base64.ts";

test("the portable encoder matches Buffer's base64 for any bytes", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      expect(encodeBase64Portable(bytes)).toBe(Buffer.from(bytes).toString("base64"));
    }),
    { numRuns: 300, seed: 1 },
  );
});
