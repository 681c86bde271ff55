// Options and fixtures: a bad one is a FakeConfigError where it is given; a fixture that breaks
// the spec is caught when it is served, by the fake's own response validation.
import { expect, test } from "vitest";
import {
  createLiveAvatarFake,
  FakeConfigError,
  startFakeServer,
  startMockServer,
  type FakeServer,
  type FakeServerOptions,
  type MockServer,
  type MockServerOptions,
} from "../../src/testing/index.ts";

test("a fixture that breaks the spec is caught when it is served, naming the field", async () => {
  const fake = createLiveAvatarFake({ fixtures: { avatars: [{ id: "not-a-uuid" }] } });
  const response = await fake.handle(
    new Request("http://fake.test/v1/avatars", { headers: { "x-api-key": fake.apiKey } }),
  );
  expect(response.status).toBe(500);
  const body = (await response.json()) as { message: string };
  expect(body.message).toContain("does not match openapi.json");
  expect(body.message).toContain("response.data.results.0.id: must be a string (uuid format)");
});

test("bad options are FakeConfigError, not a TypeError later", async () => {
  const bad: unknown[] = [
    { seedCount: -1 },
    { fixtures: [] },
    { fixtures: { sessions: {} } },
    { fixtures: { avatars: "x" } },
    { apiKey: "" },
    { successCode: 1.5 },
    { maxBodyBytes: 0 },
    { maxRecordedCalls: -1 },
    { maxRecordedCalls: 1.5 },
    { fixtures: { voiceAgents: {} } },
    { fixtures: { voiceAgents: [{ agent_type: "robot" }] } },
    { fixtures: { llmModels: { openai: "gpt-4o" } } },
  ];
  for (const options of bad) {
    expect(() => createLiveAvatarFake(options as never), JSON.stringify(options)).toThrow(FakeConfigError);
  }
  const taken = await startFakeServer();
  try {
    const port = Number(new URL(taken.url).port);
    await expect(startFakeServer({ port })).rejects.toThrow(/cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)/);
  } finally {
    await taken.close();
  }
});

test("`await using` closes the mock server at the end of the block", async () => {
  let url = "";
  {
    await using mock = await startFakeServer();
    url = mock.url;
    expect((await fetch(`${url}/v1/avatars`, { headers: { "x-api-key": mock.apiKey } })).status).toBe(200);
  }
  const refused = await fetch(`${url}/v1/avatars`).catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(TypeError); // fetch's "fetch failed": nothing listens any more
  expect(((refused as TypeError).cause as NodeJS.ErrnoException).code).toBe("ECONNREFUSED");
});

test("the old names stay as deprecated aliases for one minor version", () => {
  expect(startMockServer).toBe(startFakeServer);
  const options: MockServerOptions = { port: undefined } satisfies FakeServerOptions;
  const sameType = (server: MockServer): FakeServer => server;
  expect([options, typeof sameType]).toEqual([{ port: undefined }, "function"]);
});
