// The generator: deterministic, normalises the vendor's spec in memory only, and `--check`
// names the stale files when generated/ and openapi.json drift apart.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { renderGenerated } from "../scripts/generate.ts";
import { readSpec } from "../scripts/lib/spec.ts";
import { copyProject, runScript, snapshot, type ProjectCopy } from "./spec/project-copy.ts";
import { ROOT } from "./support/spec.ts";

test("two renders give identical bytes, equal to what is committed, and say what they normalised", async () => {
  const notes: string[] = [];
  const first = await renderGenerated(readSpec(join(ROOT, "openapi.json")), (line) => notes.push(line));
  const second = await renderGenerated(readSpec(join(ROOT, "openapi.json")));
  expect(second).toEqual(first);
  for (const [name, content] of Object.entries(first)) expect(await readFile(join(ROOT, name), "utf8")).toBe(content);
  expect(notes).toEqual([
    expect.stringMatching(/^normalised discriminator mapping .*\/voice_settings\/.*\/mapping\/elevenLabs/),
    expect.stringMatching(/^normalised discriminator mapping .*\/voice_settings\/.*\/mapping\/fish/),
  ]);
});

let copy: ProjectCopy;
beforeAll(async () => {
  copy = await copyProject();
});
afterAll(() => copy.remove());

test("npm run generate rewrites generated/ only, and --check names stale files", { timeout: 60_000 }, async () => {
  const specBefore = await readFile(join(copy.dir, "openapi.json"));
  await writeFile(join(copy.dir, "generated", "operations.ts"), "// edited by hand\n");
  const stale = await runScript(copy.dir, "scripts/generate.ts", ["--check"]);
  expect(stale.code).toBe(1);
  expect(stale.stderr).toContain("generated/operations.ts");
  expect(stale.stderr).not.toContain("generated/schema.ts");
  expect(stale.stderr).toContain("npm run generate");

  const before = await snapshot(copy.dir);
  const generate = await runScript(copy.dir, "scripts/generate.ts", []);
  expect(generate.code).toBe(0);
  expect(generate.stdout.match(/^normalised /gm)).toHaveLength(2);
  const after = await snapshot(copy.dir);
  expect(after["generated/schema.ts"]).toBe(before["generated/schema.ts"]);
  expect(after["generated/operations.ts"]).not.toBe(before["generated/operations.ts"]);
  expect(await readFile(join(copy.dir, "openapi.json"))).toEqual(specBefore);
  expect((await runScript(copy.dir, "scripts/generate.ts", ["--check"])).code).toBe(0);
});
