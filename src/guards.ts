// Small pure helpers every entry uses. Each entry bundles its own copy of this file (identity does
// not matter here, unlike the error classes, which src/realtime and src/testing import from the
// package itself, "liveavatar-api"); in the sources there is one.

/** A JSON-like object: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An error's message, or the thrown value as a string when it is not an Error. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
