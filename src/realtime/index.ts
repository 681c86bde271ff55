// `liveavatar-api/realtime`: the LITE WebSocket client, FULL-mode events over a LiveKit room, and
// the realtime event types generated from asyncapi.yaml. Kept out of the core entry so REST-only
// apps do not pay for it.
export { LiteConnection } from "./lite.js";
export type {
  LiteConnectOptions,
  LiteConnectionEvent,
  LiteConnectionEventMap,
  LiteConnectionState,
  LiteDriftEvent,
  LiteEndReason,
  LiteEndedEvent,
  LiteKeepAliveFailedEvent,
  LiteUnknownEvent,
  SpeakOptions,
} from "./lite-types.js";
export { isSessionGoneMessage } from "../session-gone.js";
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
  EventBufferOverflowError,
} from "./errors.js";
export { FullModeConnection, FullModeEvents } from "./full.js";
export type {
  FullModeAttachOptions,
  FullModeDriftEvent,
  FullModeEndedEvent,
  FullModeEvent,
  FullModeEventMap,
  FullModeState,
  PushToTalkOptions,
} from "./full-types.js";
export type { FullModeEventType, FullModeMessage, FullModeUnknownEvent } from "./full-parse.js";
export type {
  FullModeDataListener,
  FullModeDisconnectListener,
  FullModeLocalParticipant,
  FullModePublishOptions,
  FullModeRoom,
} from "./full-room.js";
export {
  FullModeEndedError,
  FullModePublishError,
  PushToTalkError,
  PushToTalkTimeoutError,
  type FullModeEndReason,
} from "./full-errors.js";
export * from "../../generated/events.js";
