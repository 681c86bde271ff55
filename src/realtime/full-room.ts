// The part of a livekit-client `Room` that FULL mode uses, typed structurally so that the package
// does not depend on livekit-client: a real `Room` (2.x) fits without a cast, and so does any
// object with the same shape (the in-memory room of `createFullModeFake` in `liveavatar-api/testing`, a React Native room).

/** The options FULL mode publishes with: always `{ reliable: true, topic: "agent-control" }`. */
export interface FullModePublishOptions {
  reliable: boolean;
  topic: string;
}

/** `room.localParticipant`: only `publishData` is used. */
export interface FullModeLocalParticipant {
  publishData(data: Uint8Array, options: FullModePublishOptions): Promise<void>;
}

/**
 * The `RoomEvent.DataReceived` listener: (payload, participant, kind, topic). Only `payload` and
 * `topic` are read; `participant` and `kind` are livekit-client classes, left `unknown` here.
 */
export type FullModeDataListener = (payload: Uint8Array, participant?: unknown, kind?: unknown, topic?: string) => void;

/** The `RoomEvent.Disconnected` listener; the reason is livekit's `DisconnectReason` enum. */
export type FullModeDisconnectListener = (reason?: unknown) => void;

/** A LiveKit room as FULL mode sees it. livekit-client's `Room` satisfies it. */
export interface FullModeRoom {
  readonly localParticipant: FullModeLocalParticipant;
  on(event: "dataReceived", listener: FullModeDataListener): unknown;
  on(event: "disconnected", listener: FullModeDisconnectListener): unknown;
  off(event: "dataReceived", listener: FullModeDataListener): unknown;
  off(event: "disconnected", listener: FullModeDisconnectListener): unknown;
}

/** Topic of the commands the page publishes. */
export const CONTROL_TOPIC = "agent-control";
/** Topic of the events the avatar publishes; every other topic is someone else's data. */
export const RESPONSE_TOPIC = "agent-response";
/**
 * LiveKit's limit for one reliable data packet's user data (docs.livekit.io, "Data packets":
 * 15 KiB of the 16 KiB protocol limit; the rest is routing headers). Commands over it are refused.
 */
export const MAX_LIVEKIT_DATA_BYTES = 15 * 1024;
