// `liveavatar-api/realtime`: the LITE WebSocket client and the realtime event types generated
// from asyncapi.yaml. Kept out of the core entry so REST-only apps do not pay for it.
export {
  LiteConnection,
  type LiteConnectOptions,
  type LiteConnectionEvent,
  type LiteConnectionEventMap,
  type LiteConnectionState,
  type LiteEndReason,
  type LiteEndedEvent,
  type LiteUnknownEvent,
  type SpeakOptions,
} from "./lite.js";
export { Speech } from "./speech.js";
export type { Listener } from "./emitter.js";
export type { AudioChunk, AudioInput, FramingOptions } from "./audio.js";
export type { WebSocketConstructor, WebSocketLike } from "./socket.js";
export {
  InvalidAudioError,
  RealtimeArgumentError,
  RealtimeConnectTimeoutError,
  RealtimeConnectionError,
  RealtimeServerError,
  SpeechInterruptedError,
  WebSocketUnavailableError,
} from "./errors.js";
export * from "../../generated/events.js";
