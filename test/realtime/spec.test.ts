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
