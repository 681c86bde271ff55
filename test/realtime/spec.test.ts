// asyncapi.yaml -> generated/events.ts + event-schemas.ts: validated at generate time,
// deterministic, equal to what is committed, and every message typed and tabled.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as prettier from "prettier";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { expect, test } from "vitest";
import { renderEventFiles, renderEvents } from "../../scripts/lib/events.ts";
import {
  liteCommandSchemas,
  liteEventSchemas,
  fullCommandSchemas,
  fullEventSchemas,
} from "../../generated/event-schemas.ts";
import { fullCommandTypes, fullEventTypes, liteCommandTypes, liteEventTypes } from "../../generated/events.ts";
import { ROOT } from "../support/spec.ts";

const SPEC = join(ROOT, "asyncapi.yaml");

async function format(name: string, source: string): Promise<string> {
  const config = await prettier.resolveConfig(join(ROOT, name));
  return prettier.format(source, { ...config, parser: "typescript" });
}

test("asyncapi.yaml validates, and two renders equal the committed files", { timeout: 60_000 }, async () => {
  const first = await renderEventFiles(SPEC, { format });
  const second = await renderEventFiles(SPEC, { format, skipValidation: true });
  expect(second).toEqual(first);
  for (const [name, content] of Object.entries(first)) expect(await readFile(join(ROOT, name), "utf8")).toBe(content);
});

test("the LITE channel and both FULL topics are there, with a schema per message type", () => {
  expect(liteCommandTypes).toEqual([
    "agent.speak",
    "agent.speak_end",
    "agent.interrupt",
    "agent.start_listening",
    "agent.stop_listening",
    "session.keep_alive",
  ]);
  expect(liteEventTypes).toContain("agent.state_updated");
  expect(liteEventTypes).toContain("agent.audio_buffer_cleared");
  expect(liteEventTypes).toContain("error");
  expect(fullCommandTypes).toContain("user.start_push_to_talk");
  expect(fullEventTypes).toContain("session.stopped");
  for (const [types, schemas] of [
    [liteCommandTypes, liteCommandSchemas],
    [liteEventTypes, liteEventSchemas],
    [fullCommandTypes, fullCommandSchemas],
    [fullEventTypes, fullEventSchemas],
  ] as const) {
    expect(Object.keys(schemas)).toEqual([...types]);
    // $refs are inlined: the shipped mock resolves nothing at run time.
    expect(JSON.stringify(schemas)).not.toContain("$ref");
  }
  // session.stopped: end_reason (docs) and stop_reason (web SDK) are alternatives; either or both may come.
  expect(fullEventSchemas["session.stopped"]!.anyOf).toHaveLength(2);
});

test("a malformed asyncapi.yaml fails generation with a message naming the problem", { timeout: 60_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), "asyncapi-"));
  try {
    const doc = parseYaml(await readFile(SPEC, "utf8")) as Record<string, any>;
    doc.operations.liteCommand.action = "shout";
    const file = join(dir, "asyncapi.yaml");
    await writeFile(file, stringifyYaml(doc));
    await expect(renderEventFiles(file, { format })).rejects.toThrow(
      /asyncapi\.yaml is not a valid AsyncAPI document:\n.*operations\/liteCommand\/action/,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("the emitter refuses what it cannot type instead of widening it", async () => {
  const doc = parseYaml(await readFile(SPEC, "utf8")) as Record<string, any>;
  doc.components.messages.LiteAgentSpeak.payload.properties.audio = { type: "file" };
  expect(() => renderEvents(doc)).toThrow(/unsupported schema/);
  const renamed = parseYaml(await readFile(SPEC, "utf8")) as Record<string, any>;
  renamed.components.messages.LiteAgentSpeak.name = "agent.talk";
  expect(() => renderEvents(renamed)).toThrow(/name "agent.talk" differs/);
});

test("LITE 2026-12: fresh speak ids with source_event_id, idle events, error event_id and types, warnings", async () => {
  const { validateEvent } = await import("../../src/testing/lite-validate.ts");
  const valid = (event: Record<string, unknown>) => validateEvent(liteEventSchemas[String(event.type)]!, event);
  expect(liteEventTypes).toEqual(expect.arrayContaining(["agent.idle_started", "agent.idle_ended", "warning"]));
  for (const type of ["agent.speak_started", "agent.speak_ended", "agent.speak_interrupted", "agent.state_updated"]) {
    const base = type === "agent.state_updated" ? { new_state: "talking" } : {};
    expect(valid({ type, ...base, event_id: "srv-1", source_event_id: "ours" })).toEqual([]);
    expect(valid({ type, ...base, event_id: "srv-1", source_event_id: null })).toEqual([]);
    expect(valid({ type, ...base, source_event_id: 5 })).not.toEqual([]);
  }
  expect(valid({ type: "agent.audio_buffer_committed", task: { id: "ours" }, source_event_id: null })).toEqual([]);
  expect(valid({ type: "agent.idle_started", event_id: "srv-2" })).toEqual([]);
  expect(valid({ type: "agent.idle_ended" })).toEqual([]);
  for (const type of ["invalid_request_error", "server_error", "video_starvation", "a_newer_one"]) {
    expect(valid({ type: "error", event_id: "ours", error: { type, message: "m" } })).toEqual([]);
  }
  expect(valid({ type: "error", event_id: 7, error: { message: "m" } })).not.toEqual([]);
  expect(valid({ type: "warning", event_id: "ours", warning: { type: "slow", message: "m" } })).toEqual([]);
  expect(valid({ type: "warning", warning: {} })).not.toEqual([]);
});

test("an open enum (known strings beside any string) keeps its literals in the type", async () => {
  const types = await readFile(join(ROOT, "generated/events.ts"), "utf8");
  expect(types).toContain(
    'export type LiteErrorType = ("invalid_request_error" | "server_error" | "video_starvation") | (string & {});',
  );
  // Its docs say what starvation means.
  expect(types).toMatch(/`video_starvation`: audio arrives slower than real time/);
});
