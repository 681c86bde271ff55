// The LITE fake's options: a port in use or a bad setting is a FakeConfigError worded as the HTTP
// fake words it, raised by startLiteFake itself.
import { expect, test } from "vitest";
import { FakeConfigError, startFakeServer, startLiteFake } from "../../src/testing/index.ts";
import { rejectionOf } from "../support/client.ts";

test("a port in use is a FakeConfigError naming the address, the same words as the HTTP fake's", async () => {
  const first = await startLiteFake();
  const port = Number(new URL(first.url).port);
  try {
    const lite = await rejectionOf(startLiteFake({ port }));
    const http = await rejectionOf(startFakeServer({ port }));
    expect(lite).toBeInstanceOf(FakeConfigError);
    expect((lite as Error).message).toBe(`cannot listen on 127.0.0.1:${port} (EADDRINUSE)`);
    expect((lite as Error).message).toBe((http as Error).message);
  } finally {
    await first.close();
  }
});

test("bad settings are FakeConfigErrors naming the option and the value given", async () => {
  const cases: [Parameters<typeof startLiteFake>[0], RegExp][] = [
    [{ port: -1 }, /^port must be an integer from 0 to 65535, got -1$/],
    [{ port: 1.5 }, /got 1.5$/],
    [{ playMsPerSecond: Number.NaN }, /^playMsPerSecond must be a number of at least 0, got NaN$/],
    [{ connectDelayMs: -5 }, /^connectDelayMs .* got -5$/],
    [{ maxFrameBytes: 0 }, /^maxFrameBytes must be an integer of at least 1, got 0$/],
    [{ maxReceived: 2.5 }, /^maxReceived .* got 2.5$/],
    [{ closeMidSpeech: 1005 }, /^closeMidSpeech must be a close code .* got 1005$/],
    [{ serverErrorOnSpeech: 0 }, /^serverErrorOnSpeech .* got 0$/],
  ];
  for (const [options, message] of cases) {
    const error = await rejectionOf(startLiteFake(options));
    expect(error, JSON.stringify(options)).toBeInstanceOf(FakeConfigError);
    expect((error as Error).message).toMatch(message);
  }
  const fake = await startLiteFake();
  try {
    expect(() => fake.wsUrlFor("s", { playMsPerSecond: -1 })).toThrow(FakeConfigError);
    expect(() => fake.endSession("s", { code: 1006 })).toThrow(FakeConfigError);
    expect(() => fake.send("s", { type: "agent.future_event" } as never)).toThrow(FakeConfigError);
  } finally {
    await fake.close();
  }
});
