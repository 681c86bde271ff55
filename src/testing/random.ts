// Deterministic randomness: the same seed gives the same ids, names and tokens on every run,
// so a test can rely on the seed data without the fake reading a clock or Math.random.

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  int(below: number): number;
  uuid(): string;
  /** An opaque token-like string of `length` url-safe characters. */
  token(length?: number): string;
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** mulberry32: tiny, fast and good enough for test data (not for anything secret). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (below: number): number => Math.floor(next() * below);
  const hex = (n: number): string => Array.from({ length: n }, () => int(16).toString(16)).join("");
  return {
    next,
    int,
    // A version-4 layout, so strict uuid validators accept it.
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${"89ab"[int(4)]}${hex(3)}-${hex(12)}`,
    token: (length = 32) => Array.from({ length }, () => ALPHABET[int(ALPHABET.length)]).join(""),
  };
}
