// Shared by the FULL-mode tests. No LiveKit server runs here: handles attach to the in-memory room
// of createFullModeFake (or to a room object a test builds), and are detached after each test.
import { afterEach, vi } from "vitest";
import {
  FullModeConnection,
  type FullModeAttachOptions,
  type FullModeDataListener,
  type FullModeDisconnectListener,
  type FullModeEvent,
  type FullModeRoom,
} from "../../src/realtime/index.ts";
import { createFullModeFake, type FullModeFakeOptions } from "../../src/testing/index.ts";

const attached: FullModeConnection[] = [];
afterEach(() => {
  for (const events of attached.splice(0)) events.detach();
  vi.useRealTimers();
});

/**
 * Fake timers for a test whose outcome depends on time (timeouts, the fake's speech length, the
 * order of deliveries): advance with `await advance(ms)`. Restored after each test.
 */
export function fakeClock(): void {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
}

/**
 * Moves the fake clock `ms` on, running the timers due and the microtasks between them. The default
 * 10 ms delivers what the fake has in flight: it sends each packet on a 0 ms timer, which fake
 * timers schedule 1 ms on when it is set by another timer, so a chain of hops needs a few ms.
 */
export const advance = (ms = 10) => vi.advanceTimersByTimeAsync(ms);

/** FullModeConnection.attach, detached again after the test. */
export function attach(room: FullModeRoom, options?: FullModeAttachOptions): FullModeConnection {
  const events = FullModeConnection.attach(room, options);
  attached.push(events);
  return events;
}

/** A fresh mock room and a handle attached to it. */
export function setup(options?: FullModeFakeOptions, attachOptions?: FullModeAttachOptions) {
  const mock = createFullModeFake(options);
  return { mock, events: attach(mock.room, attachOptions) };
}

/** Events from the iterator until one of type `last` arrives (included). */
export async function collectUntil(events: FullModeConnection, last: FullModeEvent["type"]): Promise<FullModeEvent[]> {
  const seen: FullModeEvent[] = [];
  for await (const event of events) {
    seen.push(event);
    if (event.type === last) break;
  }
  return seen;
}

/** UTF-8 bytes of a string, or of a value's JSON. */
export const bytes = (value: unknown) =>
  new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));

/**
 * A room the test drives by hand: `deliver` calls the data listeners synchronously (as LiveKit's
 * emitter does), `publishData` answers as `publish` says (default: resolves; `hang`: never settles).
 */
export function handRoom(publish: "resolve" | "hang" = "resolve") {
  const data = new Set<FullModeDataListener>();
  const disconnected = new Set<FullModeDisconnectListener>();
  const published: Uint8Array[] = [];
  const room: FullModeRoom = {
    localParticipant: {
      publishData: (payload) => {
        published.push(payload);
        return publish === "hang" ? new Promise<void>(() => {}) : Promise.resolve();
      },
    },
    on: (event: string, listener: never) => void (event === "dataReceived" ? data : disconnected).add(listener),
    off: (event: string, listener: never) => void (event === "dataReceived" ? data : disconnected).delete(listener),
  };
  return {
    room,
    published,
    listeners: () => data.size + disconnected.size,
    deliver: (payload: unknown, topic = "agent-response") => {
      for (const listener of data) listener(payload as Uint8Array, undefined, undefined, topic);
    },
    disconnect: () => {
      for (const listener of Array.from(disconnected)) listener("CLIENT_INITIATED");
    },
  };
}
