// The testing kit's fake as a second contract target: the same contract tests run against it and
// against Prism. It accepts the suite's credentials and holds one record of each resource under
// FIXTURE_ID, the id the suite's sampled requests use; its clock is fixed so that two identical
// calls after a reset give identical answers.
import { startFakeServer, type FakeServer } from "../../src/testing/index.ts";
import { API_KEY, SESSION_TOKEN } from "./credentials.ts";

/** openapi-sampler's uuid: what the suite's sampled bodies carry as `session_id` and similar. */
export const FIXTURE_ID = "497f6eca-6276-4993-bfeb-53cbbbba6f08";
/** A session token the fake accepts without minting: the suite's browser-side credential. */
export const FIXTURE_SESSION_ID = "6f1c2a43-7b8d-4e9f-a0b1-c2d3e4f5a6b7";

export function startFakeTarget(): Promise<FakeServer> {
  const one = [{ id: FIXTURE_ID }];
  return startFakeServer({
    apiKey: API_KEY,
    now: () => new Date("2026-01-01T00:00:00.000Z"),
    fixtures: {
      avatars: [...one, {}, {}],
      voices: one,
      contexts: one,
      memories: one,
      secrets: one,
      llmConfigurations: one,
      voiceAgents: one,
      sessions: [
        { session_id: FIXTURE_ID, state: "active" },
        {
          session_id: FIXTURE_SESSION_ID,
          session_token: SESSION_TOKEN,
          state: "minted",
        },
      ],
    },
  });
}
