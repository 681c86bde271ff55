// Page-number pagination as the API does it: `count` is the total, `next`/`previous` are the
// URLs of the neighbouring pages, and the last page says `next: null`, so paging ends.
import type { CallContext } from "./context.js";

export function page<T>(call: CallContext, items: readonly T[]) {
  const number = Number(call.query.page ?? 1);
  const size = Number(call.query.page_size ?? 20);
  const start = (number - 1) * size;
  const link = (target: number): string => {
    const url = new URL(call.url);
    url.searchParams.set("page", String(target));
    url.searchParams.set("page_size", String(size));
    return url.toString();
  };
  return {
    count: items.length,
    next: start + size < items.length ? link(number + 1) : null,
    previous: number > 1 ? link(Math.min(number - 1, Math.max(1, Math.ceil(items.length / size)))) : null,
    results: items.slice(start, start + size),
  };
}
