// Paging itself, on a server that scripts the pages (the static mock's pages never end).
import { beforeAll, beforeEach, expect, test } from "vitest";
import { LiveAvatarError, NotFoundError, type LiveAvatar } from "../src/index.ts";
import { clientFor } from "./support/client.ts";
import { envelope, scriptedServers, type ScriptedServer } from "./support/scripted-server.ts";

const serve = scriptedServers();
let server: ScriptedServer;
let client: LiveAvatar;
beforeAll(async () => {
  server = await serve();
  client = clientFor(server.url, { maxRetries: 0 });
});
beforeEach(() => server.script({}));

const page = (ids: string[], next: string | null) =>
  ({ body: envelope({ count: 5, next, previous: null, results: ids.map((id) => ({ id, name: id })) }) }) as const;

async function collect<T>(items: AsyncIterable<T>, limit = Infinity): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) {
    out.push(item);
    if (out.length >= limit) break;
  }
  return out;
}

test("follows pages until `next` is null", async () => {
  const before = server.requests.length;
  server.script(page(["a", "b"], "p2"), page(["c", "d"], "p3"), page(["e"], null));
  const items = await collect(client.paginate("/v1/avatars", { params: { query: { page_size: 2 } } }));
  expect(items.map((a) => a.id)).toEqual(["a", "b", "c", "d", "e"]);
  expect(server.requests.slice(before).map((r) => r.url)).toEqual([
    "/v1/avatars?page_size=2&page=1",
    "/v1/avatars?page_size=2&page=2",
    "/v1/avatars?page_size=2&page=3",
  ]);
});

test("stops on an empty page even when `next` is set", async () => {
  const before = server.requests.length;
  server.script(page(["a"], "p2"), page([], "p3"), page(["never"], null));
  const items = await collect(client.paginate("/v1/contexts"));
  expect(items.map((c) => c.id)).toEqual(["a"]);
  expect(server.requests.length - before).toBe(2);
});

test("starts at the given page, keeps required query params, and fetches nothing past a break", async () => {
  const before = server.requests.length;
  server.script(page(["x", "y"], "more"), page(["z"], "more"));
  const items = await collect(client.paginate("/v1/sessions", { params: { query: { type: "historic", page: 4 } } }), 2);
  expect(items.map((s) => (s as { id?: string }).id)).toEqual(["x", "y"]);
  expect(server.requests.slice(before).map((r) => r.url)).toEqual(["/v1/sessions?type=historic&page=4"]);
});

test("an error on a later page reaches the loop as a typed error", async () => {
  server.script(page(["a"], "p2"), { status: 404, body: envelope(null, 404, "gone") });
  const seen: string[] = [];
  const error = await (async () => {
    for await (const avatar of client.paginate("/v1/avatars")) seen.push(avatar.id);
  })().catch((e: unknown) => e);
  expect(seen).toEqual(["a"]);
  expect(error).toBeInstanceOf(NotFoundError);
});

test("a page whose `results` is not a list fails naming the operation and the page", async () => {
  server.script({ body: envelope({ count: 1, next: null, previous: null, results: "a" }) });
  const error = await collect(client.paginate("/v1/avatars", { params: { query: { page: 3 } } })).catch(
    (e: unknown) => e as Error,
  );
  expect(error).toBeInstanceOf(LiveAvatarError);
  expect((error as Error).message).toBe("GET /v1/avatars: page 3 has `results` that is not an array");
});
