// Iterating a `page`/`page_size` list operation item by item across pages.
import { LiveAvatarError } from "./errors.js";

export interface Page<T> {
  results?: T[] | null;
  next?: string | null;
}

/**
 * Yields the items of `firstPage`, `firstPage + 1`, ... and stops after a page whose `next`
 * is null or that has no items. Pages are fetched one at a time, only as the caller iterates.
 */
export async function* iteratePages<T>(
  operation: string,
  fetchPage: (page: number) => Promise<Page<T>>,
  firstPage: number,
): AsyncGenerator<T, void, undefined> {
  for (let page = firstPage; ; page++) {
    const { results, next } = await fetchPage(page);
    if (results !== undefined && results !== null && !Array.isArray(results)) {
      throw new LiveAvatarError(`${operation}: page ${page} has \`results\` that is not an array`);
    }
    if (!results || results.length === 0) return;
    yield* results;
    if (next === null || next === undefined) return;
  }
}
