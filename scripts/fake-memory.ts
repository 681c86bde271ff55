// `npm run bench:fake-memory`: the fake's memory under large request bodies and many calls, the
// two limits docs/testing.md names (maxBodyBytes, maxRecordedCalls).
import { createLiveAvatarFake, startFakeServer } from "../src/testing/index.ts";

const MiB = 1024 * 1024;
const rssMiB = (since: number) => Math.round((process.memoryUsage().rss - since) / MiB);

/** A body of `size` MiB, produced as it is read (so the sender holds one MiB at a time). */
function streamOf(size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent++ >= size) controller.close();
      else controller.enqueue(new Uint8Array(MiB));
    },
  });
}

const server = await startFakeServer();
globalThis.gc?.();
const base = process.memoryUsage().rss;
for (const size of [100, 400]) {
  let outcome: string;
  try {
    const response = await fetch(`${server.url}/v1/contexts`, {
      method: "POST",
      headers: { "x-api-key": server.apiKey, "content-type": "application/json" },
      body: streamOf(size),
      duplex: "half",
    } as RequestInit);
    outcome = String(response.status);
  } catch (error) {
    outcome = `connection closed (${(error as Error).message})`;
  }
  console.log(`${size} MiB request body: ${outcome}, RSS +${rssMiB(base)} MiB`);
}
await server.close();

const fake = createLiveAvatarFake();
globalThis.gc?.();
const before = process.memoryUsage().rss;
for (let i = 0; i < 100_000; i++) await fake.handle(new Request("http://fake.test/v1/languages"));
globalThis.gc?.();
console.log(
  `100000 calls: ${fake.calls().length} kept, ${fake.droppedCalls} dropped, RSS +${rssMiB(before)} MiB after GC`,
);
