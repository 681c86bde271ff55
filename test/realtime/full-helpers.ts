// Shared by the FULL-mode tests. No LiveKit server runs here: handles attach to the in-memory room
// of createFullModeFake (or to a room object a test builds), and are detached after each test.
import { afterEach } from "vitest";
import {
  FullModeConnection,
  type FullModeAttachOptions,
  type FullModeEvent,
  type FullModeRoom,
} from "../../src/realtime/index.ts";
import { createFullModeFake, type FullModeFakeOptions } from "../../src/testing/index.ts";

const attached: FullModeConnection[] = [];
afterEach(() => {
  for (const events of attached.splice(0)) events.detach();
});

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

/** The rejection reason of `promise`, or undefined when it resolves. */
export const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );
