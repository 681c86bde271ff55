// The generator: deterministic, normalises the vendor's spec in memory only, and `--check`
// names the stale files when generated/ and openapi.json drift apart.
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, expect, test } from "vitest";
import { renderGenerated } from "../scripts/generate.ts";
import { readSpec } from "../scripts/lib/spec.ts";
import type { components } from "../generated/schema.ts";
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

test("npm run generate rewrites generated/ only, and --check names stale files", { timeout: 180_000 }, async () => {
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

/** A spec with a vendor extension at every level the generator reads, and one reconstructed schema. */
const extended = {
  openapi: "3.1.0",
  info: { title: "x", version: "1", "x-logo": { url: "logo.png" } },
  "x-tagGroups": [{ name: "all", tags: ["Widgets"] }],
  paths: {
    "/widgets/{id}": {
      "x-path-note": "path item",
      post: {
        operationId: "post_widget",
        "x-codeSamples": [{ lang: "sh", source: "curl" }],
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" }, "x-param": true }],
        requestBody: {
          "x-body": 1,
          content: { "application/json": { schema: { $ref: "#/components/schemas/Widget" }, "x-media": "m" } },
        },
        responses: {
          "200": {
            description: "ok",
            "x-response": { a: 1 },
            content: { "application/json": { schema: { $ref: "#/components/schemas/Stub" } } },
          },
        },
      },
    },
  },
  components: {
    schemas: {
      Widget: {
        type: "object",
        "x-reconstructed-from": "https://example.test/widget",
        properties: { meta: { type: "object", "x-field": ["a"] }, name: { type: "string", "x-order": 2 } },
      },
      Stub: { "x-reconstructed-from": "https://example.test/stub" },
    },
  },
};

test("vendor x- extensions anywhere pass through generation and type-check; a reconstructed schema says so", async () => {
  const files = await renderGenerated(extended as never);
  expect(files["generated/testing-tables.ts"]).toContain('"x-reconstructed-from": "https://example.test/widget"');
  expect(files["generated/schema.ts"]).toContain("Rebuilt from the vendor's rendered page https://example.test/widget");
  expect(files["generated/schema.ts"]).toContain(
    "Known by name only, rebuilt from the vendor's rendered page https://example.test/stub",
  );
  const dir = await mkdtemp(join(tmpdir(), "liveavatar-gen-"));
  try {
    await mkdir(join(dir, "generated"));
    await symlink(join(ROOT, "src"), join(dir, "src"), "dir");
    for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
    const program = ts.createProgram(
      Object.keys(files).map((name) => join(dir, name)),
      {
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
        types: [],
      },
    );
    const messages = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(messages).toEqual([]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("`type: object` and nothing more is generated as an object with unknown values", async () => {
  const files = await renderGenerated(extended as never);
  expect(files["generated/schema.ts"]).toMatch(/meta\?: Record<string, unknown>;/);
  // Compiles only with unknown values: under Record<string, never> `ctx` could hold nothing.
  const detail: components["schemas"]["ValidationError"] = { loc: ["body", "x"], msg: "m", type: "t", ctx: { le: 5 } };
  expect(detail.ctx?.le).toBe(5);
});

test("the generated TSDoc marks avatar_persona deprecated and says voice_agent is the way", () => {
  const file = join(ROOT, "generated", "schema.ts");
  const program = ts.createProgram([file], { noEmit: true, types: [], lib: ["lib.es2022.d.ts"] });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  const components = checker
    .getExportsOfModule(checker.getSymbolAtLocation(source)!)
    .find((symbol) => symbol.name === "components")!;
  const schemas = checker.getTypeOfSymbol(checker.getDeclaredTypeOfSymbol(components).getProperty("schemas")!);
  const full = checker.getTypeOfSymbol(schemas.getProperty("FullSDKSessionTokenConfigDataSchema")!);
  const tags = (name: string) =>
    full
      .getProperty(name)!
      .getJsDocTags(checker)
      .map((tag) => `@${tag.name} ${ts.displayPartsToString(tag.text)}`.trim());
  expect(tags("avatar_persona")).toEqual([
    "@deprecated",
    "@description Inline voice / context / voice_settings. Mutually exclusive with voice_agent.",
  ]);
  expect(tags("voice_agent").join("\n")).toContain("Reference a stored voice_agent by id");
});

test("the operation table decoded from its compact rows holds exactly what the generator derived from the spec", async () => {
  const { operations } = await import("../generated/operations.ts");
  const { buildOperationTable } = await import("../scripts/lib/operation-table.ts");
  const { normaliseSpec } = await import("../scripts/lib/spec.ts");
  const derived = buildOperationTable(normaliseSpec(readSpec(join(ROOT, "openapi.json"))).spec);
  expect(operations).toEqual(Object.fromEntries(derived.map((op) => [`${op.method} ${op.path}`, op])));
  expect(Object.keys(operations)).toEqual(derived.map((op) => `${op.method} ${op.path}`));
});
