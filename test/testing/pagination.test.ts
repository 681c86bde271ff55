// Lists on the fake page like the API: `count` is the total, `next`/`previous` link the
// neighbouring pages and are absent where there is none, so paginate() ends. Seed data is
// deterministic: same seed, same records; fixtures replace a collection.
import { expect, test } from "vitest";
import { LiveAvatar } from "../../src/index.ts";
import { startFakeServer } from "../../src/testing/index.ts";
import { useFake } from "./helpers.ts";

const { server, backend } = useFake({ seedCount: 7 });

test("paginate() walks every page once and stops after the last", async () => {
  const seen: string[] = [];
  const client = backend({
    fetch: (input, init) => {
      seen.push(new Request(input, init).url);
      return fetch(input, init);
    },
  });
  const ids: string[] = [];
  for await (const avatar of client.paginate("/v1/avatars", { params: { query: { page_size: 3 } } }))
    ids.push(avatar.id);
  expect(ids).toHaveLength(7);
  expect(new Set(ids).size).toBe(7);
  expect(seen.map((url) => new URL(url).searchParams.get("page"))).toEqual(["1", "2", "3"]);
});

test("count, next and previous agree on every page", async () => {
  const api = backend();
  const page = (n: number) => api.GET("/v1/contexts", { params: { query: { page: n, page_size: 3 } } });
  const [one, two, three, four] = await Promise.all([page(1), page(2), page(3), page(4)]);
  for (const p of [one, two, three, four]) expect(p.count).toBe(7);
  expect(one.previous).toBeUndefined();
  expect(new URL(one.next!).searchParams.get("page")).toBe("2");
  expect(new URL(two.previous!).searchParams.get("page")).toBe("1");
  expect(new URL(two.next!).searchParams.get("page")).toBe("3");
  expect(three.results).toHaveLength(1);
  expect(three.next).toBeUndefined();
  expect(four.results).toEqual([]);
  expect(new URL(four.previous!).searchParams.get("page")).toBe("3");
  // Following `next` from page 1 reaches the same pages.
  const followed = await fetch(one.next!, { headers: { "x-api-key": server().apiKey } }).then((r) => r.json());
  expect(followed.data).toEqual(two);
});

test("the same seed gives the same data; another seed, other data; fixtures replace a collection", async () => {
  const ids = async (options: Parameters<typeof startFakeServer>[0]) => {
    const other = await startFakeServer(options);
    try {
      const client = new LiveAvatar({ baseUrl: other.url, apiKey: other.apiKey });
      return (await client.GET("/v1/avatars")).results!.map((a) => a.id);
    } finally {
      await other.close();
    }
  };
  const a = await ids({ seed: 42 });
  expect(await ids({ seed: 42 })).toEqual(a);
  expect(await ids({ seed: 43 })).not.toEqual(a);
  const fixed = "11111111-1111-4111-8111-111111111111";
  expect(await ids({ fixtures: { avatars: [{ id: fixed, name: "Mine" }] } })).toEqual([fixed]);
});
