// `liveavatar-api/testing/msw`: the same fake as MSW request handlers, for `setupServer` (Node)
// and `setupWorker` (browser, Storybook). No Node import here, so it bundles for the browser.
// MSW is an optional peer dependency (^2.15 || ^3): only this entry imports it.
import { http, HttpResponse, type HttpHandler } from "msw";
import { DEFAULT_BASE_URL } from "liveavatar-api";
import { createLiveAvatarFake, type LiveAvatarFake } from "./fake.js";
import { ConnectionDropped } from "./faults.js";
import { FakeConfigError } from "./errors.js";
import type { FakeOptions } from "./types.js";

export interface HandlersOptions extends FakeOptions {
  /** The API origin the handlers intercept (default the client's, https://api.liveavatar.com). */
  baseUrl?: string;
}

/** MSW handlers that also carry the fake's controls: `calls`, `inject`, `reset`, `apiKey`. */
export type LiveAvatarHandlers = HttpHandler[] & Omit<LiveAvatarFake, "handle"> & { readonly fake: LiveAvatarFake };

export function liveAvatarHandlers(options: HandlersOptions = {}): LiveAvatarHandlers {
  const { baseUrl = DEFAULT_BASE_URL, ...fakeOptions } = options;
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new FakeConfigError(`baseUrl must be an absolute URL, got ${JSON.stringify(baseUrl)}`);
  }
  const fake = createLiveAvatarFake(fakeOptions);
  const handler = http.all(`${base.origin}${base.pathname.replace(/\/$/, "")}/*`, async ({ request }) => {
    try {
      return await fake.handle(request);
    } catch (error) {
      // MSW's way of dropping the connection: the caller's fetch rejects as with a network error.
      if (error instanceof ConnectionDropped) return HttpResponse.error();
      throw error;
    }
  });
  return Object.assign([handler], {
    fake,
    apiKey: fake.apiKey,
    calls: fake.calls,
    inject: fake.inject,
    reset: fake.reset,
  });
}

export { createLiveAvatarFake, type LiveAvatarFake } from "./fake.js";
export { FakeConfigError } from "./errors.js";
export type { Fault, FaultTarget, FakeOptions, Fixtures, RecordedCall } from "./types.js";
// The FULL-mode room fake is in-memory too (no LiveKit, no Node import): usable in a page.
export { createFullModeFake, type FullModeFake, type FullModeFakeOptions } from "./full-fake.js";
