// Filling `{name}` placeholders so that no value can change which route a request reaches.
import { LiveAvatarError } from "./errors.js";

const PLACEHOLDER = /\{([^{}]+)\}/g;

/**
 * Replaces each `{name}` in `url` with its percent-encoded value. Unlike openapi-fetch's default,
 * it rejects values that would reach a different route: missing or empty ones, and "." and ".."
 * (URL parsing resolves them as dot segments even when encoded as %2E); and it treats "$" literally.
 */
export function encodePath(url: string, params: Record<string, unknown> | undefined): string {
  return url.replace(PLACEHOLDER, (_, name: string) => {
    const value = params?.[name];
    if ((typeof value !== "string" && typeof value !== "number") || value === "") {
      throw new LiveAvatarError(
        `path parameter \`${name}\` must be a non-empty string or number, got ${value === "" ? "an empty string" : typeof value}`,
      );
    }
    if (value === "." || value === "..") {
      throw new LiveAvatarError(`path parameter \`${name}\` cannot be "${value}": it would address another route`);
    }
    try {
      return encodeURIComponent(value);
    } catch {
      // encodeURIComponent throws URIError on a lone surrogate, which no id contains
      throw new LiveAvatarError(`path parameter \`${name}\` is not well-formed Unicode`);
    }
  });
}
