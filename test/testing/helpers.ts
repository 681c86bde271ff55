// A started fake and clients for it, closed after the file's tests.
import { afterAll, beforeEach } from "vitest";
import { LiveAvatar, type ClientOptions } from "../../src/index.ts";
import { startFakeServer, type FakeServer, type FakeServerOptions } from "../../src/testing/index.ts";

export const AVATAR_ID = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

/** Starts one fake for the test file, reset before each test, closed after all. */
export function useFake(options: FakeServerOptions = {}): {
  server: () => FakeServer;
  backend: (o?: ClientOptions) => LiveAvatar;
} {
  let server: FakeServer | undefined;
  const started = startFakeServer(options).then((s) => (server = s));
  beforeEach(async () => {
    await started;
    server!.reset();
  });
  // A fake that failed to start already failed the tests; closing it must not add a second error.
  afterAll(() =>
    started.then(
      (s) => s.close(),
      () => {},
    ),
  );
  return {
    server: () => server!,
    backend: (o = {}) =>
      new LiveAvatar({ baseUrl: server!.url, apiKey: server!.apiKey, sessionToken: null, maxRetries: 0, ...o }),
  };
}

/** Plain fetch against the fake, for what the client would refuse to send. */
export async function send(
  url: string,
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: unknown; raw?: string } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(url + path, {
    method,
    headers: {
      ...(init.body !== undefined || init.raw ? { "content-type": "application/json" } : {}),
      ...init.headers,
    },
    body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // HTML or other text stays a string.
  }
  return { status: response.status, body, headers: response.headers };
}
