// `npm run contract:live -- --realtime`, offline: the check it runs on a live session's ws_url,
// played against the package's LITE fake. A session that follows asyncapi.yaml gives a clean
// report; junk frames give drifts (by type, never content); the command needs a key.
import WebSocket from "ws";
import { afterAll, beforeAll, expect, test } from "vitest";
import { EXIT } from "../../scripts/contract-live.ts";
import { renderRealtimeText, runRealtimeCheck } from "../../scripts/lib/realtime-live.ts";
import type { WebSocketConstructor } from "../../src/realtime/socket.ts";
import { startLiteFake, type LiteFake } from "../../src/testing/index.ts";
import { runScript } from "../spec/project-copy.ts";
import { ROOT } from "../support/spec.ts";

let lite: LiteFake;
beforeAll(async () => {
  lite = await startLiteFake();
});
afterAll(() => lite.close());

const options = { WebSocket: WebSocket as unknown as WebSocketConstructor, stepTimeoutMs: 5_000 };

test("a session that follows asyncapi.yaml: every frame recorded, speech, interrupt and close, no drift", async () => {
  const run = await runRealtimeCheck(lite.wsUrlFor("clean"), options);
  expect(run.failure).toBeUndefined();
  expect(run.drifts).toEqual([]);
  const types = run.frames.map((f) => `${f.direction} ${f.type}`);
  expect(types).toContain("in session.state_updated");
  expect(types).toContain("out agent.speak");
  expect(types).toContain("out agent.interrupt");
  expect(types).toContain("in agent.speak_started");
  expect(renderRealtimeText(run)).toContain("no drift from asyncapi.yaml");
  expect(lite.violations()).toEqual([]);
});

test("frames the spec does not have are drifts, reported by type and never by content", async () => {
  const run = await runRealtimeCheck(lite.wsUrlFor("junk", { junk: true }), options);
  expect(run.drifts.length).toBeGreaterThan(0);
  expect(run.drifts.map((d) => d.kind)).toContain("unknown_event");
  const text = renderRealtimeText(run);
  expect(text).toMatch(/\d+ drift\(s\) from asyncapi.yaml/);
  expect(text).not.toMatch(/\{|"type"/);
});

test("without an API key the command says what it needs and exits 2", { timeout: 60_000 }, async () => {
  const result = await runScript(ROOT, "scripts/contract-live.ts", ["--realtime"], { LIVEAVATAR_API_KEY: "" });
  expect(result.code).toBe(EXIT.config);
  expect(result.stderr).toContain("missing LIVEAVATAR_API_KEY");
  expect(result.stderr).toContain("--realtime");
});
