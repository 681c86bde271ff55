// Page-number pagination as the API does it: `count` is the total, `next`/`previous` are the
// URLs of the neighbouring pages. The spec types both as strings (never null), so a page with no
// next (or previous) page leaves the field out; the client's paginate() stops there.
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
  const last = Math.max(1, Math.ceil(items.length / size));
  return {
    count: items.length,
    ...(number < last ? { next: link(number + 1) } : {}),
    ...(number > 1 ? { previous: link(Math.min(number - 1, last)) } : {}),
    results: items.slice(start, start + size),
  };
}
