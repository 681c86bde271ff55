// Push-to-talk settles on the server's answer: started/stopped resolve, *_failed rejects with
// PushToTalkError, silence with PushToTalkTimeoutError, and the handle ending with FullModeEndedError.
// No LiveKit server runs here: the in-memory room of createFullModeFake plays the avatar.
import { expect, test } from "vitest";
import { APIConnectionTimeoutError, APIUserAbortError, LiveAvatarError } from "../../src/errors.ts";
import {
  FullModeEndedError,
  FullModeConnection,
  PushToTalkError,
  PushToTalkTimeoutError,
  RealtimeArgumentError,
  RealtimeServerError,
} from "../../src/realtime/index.ts";
import type { FullModeFake } from "../../src/testing/index.ts";
import { advance, fakeClock, setup as setupWith } from "./full-helpers.ts";
import { rejectionOf } from "../support/client.ts";

const setup = (options?: Parameters<typeof setupWith>[0], timeout?: number) =>
  setupWith(options, { pushToTalkTimeout: timeout });

test("start and stop resolve with the server's started/stopped events, which name the command", async () => {
  const { mock, events } = setup();
  const started = await events.startPushToTalk();
  expect(started).toMatchObject({ type: "user.push_to_talk_started", event_type: "user.push_to_talk_started" });
  expect(started.source_event_id).toBe(mock.received[0]!.event_id);
  const stopped = await events.stopPushToTalk();
  expect(stopped.type).toBe("user.push_to_talk_stopped");
  expect(mock.violations()).toEqual([]);
});

test("answers without source_event_id settle the oldest wait of their kind", async () => {
  const { events } = setup({ sourceEventId: false });
  const [a, b] = await Promise.all([events.startPushToTalk(), events.startPushToTalk()]);
  expect([a.type, b.type]).toEqual(["user.push_to_talk_started", "user.push_to_talk_started"]);
  expect(a.source_event_id).toBeUndefined();
});

test("a *_failed answer rejects with PushToTalkError carrying the server's reason", async () => {
  const { mock, events } = setup({ pushToTalk: "fail" });
  const error = await rejectionOf(events.startPushToTalk());
  expect(error).toBeInstanceOf(PushToTalkError);
  expect(error).toBeInstanceOf(RealtimeServerError);
  expect(error).toBeInstanceOf(LiveAvatarError);
  const ptt = error as PushToTalkError;
  expect(ptt.operation).toBe("start");
  expect(ptt.serverMessage).toBe("push-to-talk is not enabled for this session");
  expect(ptt.eventId).toBe(mock.received[0]!.event_id);
  expect(ptt.message).toMatch(/^push-to-talk start failed: push-to-talk is not enabled/);
  const stop = await rejectionOf(events.stopPushToTalk());
  expect(stop).toBeInstanceOf(PushToTalkError);
  expect((stop as PushToTalkError).operation).toBe("stop");
  expect(events.state).toBe("attached"); // a refused push-to-talk does not end anything
});

test("no answer: PushToTalkTimeoutError after the timeout (option, then per call)", async () => {
  fakeClock();
  const { mock, events } = setup({ pushToTalk: "silent" }, 40);
  const outcome = rejectionOf(events.startPushToTalk());
  await advance(39);
  expect(mock.received).toHaveLength(1);
  let settled = false;
  void outcome.then(() => (settled = true));
  await advance(0);
  expect(settled).toBe(false); // not a millisecond early
  await advance(1);
  const error = await outcome;
  expect(error).toBeInstanceOf(PushToTalkTimeoutError);
  expect(error).toBeInstanceOf(APIConnectionTimeoutError);
  expect((error as PushToTalkTimeoutError).eventId).toBe(mock.received[0]!.event_id);
  expect((error as Error).message).toBe("no answer to push-to-talk start within 40 ms");
  const stop = rejectionOf(events.stopPushToTalk({ timeout: 30 }));
  await advance(30);
  expect(await stop).toMatchObject({ message: "no answer to push-to-talk stop within 30 ms" });
  await expect(events.startPushToTalk({ timeout: -1 })).rejects.toThrow(RealtimeArgumentError);
});

test("a late answer to a command that timed out does not settle the next one", async () => {
  fakeClock();
  const { mock, events } = setup({ pushToTalk: "silent" }, 30);
  const timedOut = rejectionOf(events.startPushToTalk());
  await advance(30);
  expect(await timedOut).toBeInstanceOf(PushToTalkTimeoutError);
  const second = events.startPushToTalk({ timeout: 200 });
  await advance();
  const [first, latest] = mock.received;
  mock.send({ event_type: "user.push_to_talk_start_failed", source_event_id: first!.event_id, error: "late" });
  mock.send({ event_type: "user.push_to_talk_started", source_event_id: latest!.event_id });
  await advance();
  expect((await second).source_event_id).toBe(latest!.event_id);
});

test("a started event does not settle a stop, and vice versa", async () => {
  fakeClock();
  const { events, mock } = setup({ pushToTalk: "silent" });
  const stop = events.stopPushToTalk({ timeout: 200 });
  mock.send({ event_type: "user.push_to_talk_started" });
  mock.send({ event_type: "user.push_to_talk_stopped" });
  await advance();
  expect((await stop).type).toBe("user.push_to_talk_stopped");
});

test("the caller's signal stops the wait with APIUserAbortError", async () => {
  const { events, mock } = setup({ pushToTalk: "silent" });
  const controller = new AbortController();
  const wait = events.startPushToTalk({ signal: controller.signal, timeout: 10_000 });
  controller.abort();
  await expect(wait).rejects.toThrow(APIUserAbortError);
  await expect(events.startPushToTalk({ signal: controller.signal })).rejects.toThrow(APIUserAbortError);
  expect(mock.received).toHaveLength(1); // the already-aborted call sent nothing
});

test("waits still open when the handle ends reject with FullModeEndedError naming why", async () => {
  for (const [end, reason] of [
    [(events: FullModeConnection) => events.detach(), "detached"],
    [(_: FullModeConnection, mock: FullModeFake) => mock.disconnect(), "room_disconnected"],
    [(_: FullModeConnection, mock: FullModeFake) => mock.stopSession(), "session_stopped"],
  ] as const) {
    fakeClock();
    const { events, mock } = setup({ pushToTalk: "silent" });
    const outcome = rejectionOf(events.startPushToTalk({ timeout: 10_000 }));
    await advance();
    expect(mock.received).toHaveLength(1);
    end(events, mock);
    await advance();
    const error = await outcome;
    expect(error).toBeInstanceOf(FullModeEndedError);
    expect((error as FullModeEndedError).reason).toBe(reason);
  }
});
