// Event ids: unique, and still random where `crypto.randomUUID` is missing (a page served over
// plain http) or where there is no `crypto` at all.
import { afterEach, expect, test, vi } from "vitest";
import { newEventId } from "../../src/realtime/event-id.ts";

afterEach(() => {
  vi.unstubAllGlobals();
});

const distinct = (n: number) => new Set(Array.from({ length: n }, newEventId)).size;

test("ids are UUIDs where randomUUID exists, and never repeat", () => {
  expect(newEventId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(distinct(1000)).toBe(1000);
});

test("without randomUUID, 16 random bytes from getRandomValues", () => {
  const webcrypto = globalThis.crypto;
  let calls = 0;
  vi.stubGlobal("crypto", {
    getRandomValues: (bytes: Uint8Array) => {
      calls++;
      return webcrypto.getRandomValues(bytes);
    },
  });
  expect(newEventId()).toMatch(/^[0-9a-f]{32}$/);
  expect(distinct(1000)).toBe(1000);
  expect(calls).toBe(1001);
});

test("without crypto at all, still 32 hex digits that differ from call to call", () => {
  vi.stubGlobal("crypto", undefined);
  const id = newEventId();
  expect(id).toMatch(/^[0-9a-f]{32}$/);
  expect(id).not.toBe("0".repeat(32));
  expect(distinct(1000)).toBe(1000);
});
