// Filling `{name}` placeholders so that no value can change which route a request reaches.
import { LiveAvatarError } from "./errors.js";

const PLACEHOLDER = /\{([^{}]+)\}/g;

/**
 * Replaces each `{name}` in `url` with its percent-encoded value. Unlike openapi-fetch's default,
 * it rejects missing or empty values (which would reach a different route), encodes "." and ".."
 * (which URL parsing would resolve as dot segments), and treats "$" literally.
 */
export function encodePath(url: string, params: Record<string, unknown>): string {
  return url.replace(PLACEHOLDER, (_, name: string) => {
    const value = params?.[name];
    if ((typeof value !== "string" && typeof value !== "number") || value === "") {
      throw new LiveAvatarError(
        `path parameter \`${name}\` must be a non-empty string or number, got ${value === "" ? "an empty string" : typeof value}`,
      );
    }
    const encoded = encodeURIComponent(value);
    return encoded === "." || encoded === ".." ? encoded.replace(/\./g, "%2E") : encoded;
  });
}
