// One `event_id` per command: the server echoes it (`source_event_id`, `event_id` on speak
// events), so ids must not repeat within a session. `randomUUID` exists only in secure contexts
// (https, localhost); a page served over plain http still has `getRandomValues`.
export function newEventId(): string {
  const crypto = (globalThis as { crypto?: Partial<Crypto> }).crypto;
  if (crypto?.randomUUID) return crypto.randomUUID();
  const bytes = crypto?.getRandomValues
    ? crypto.getRandomValues(new Uint8Array(16))
    : Uint8Array.from({ length: 16 }, () => Math.floor(Math.random() * 256));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
