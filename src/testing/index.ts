// `liveavatar-api/testing`: a stateful, in-memory fake of the LiveAvatar API for your own tests.
// This entry is for Node (it includes the node:http server); in a browser or with MSW, use
// `liveavatar-api/testing/msw`, which has the same fake without any Node import.
export { createLiveAvatarFake, DEFAULT_API_KEY, type LiveAvatarFake } from "./fake.js";
export {
  startFakeServer,
  CONTROL_PREFIX,
  type FakeServer,
  type FakeServerOptions,
  startMockServer,
  type MockServer,
  type MockServerOptions,
} from "./node/server.js";
export { FakeConfigError } from "./errors.js";
export type {
  Credential,
  Fault,
  FaultTarget,
  FakeOptions,
  Fixtures,
  FixtureSession,
  FixtureVoiceAgent,
  RealtimeSeam,
  RecordedCall,
  ResetOptions,
} from "./types.js";
export { startLiteFake } from "./lite-fake/server.js";
export type {
  LiteEndSessionOptions,
  LiteFake,
  LiteFakeOptions,
  LiteFakeWarning,
  LiteReceived,
  LiteVariant,
} from "./lite-fake/types.js";
export { startLiteMock, type LiteMock, type LiteMockOptions } from "./lite-mock.js";
export { createFullModeFake, type FullModeFake, type FullModeFakeOptions } from "./full-fake.js";
