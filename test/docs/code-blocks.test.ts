// Every ```ts block in README.md and docs/*.md is type-checked, as a user's file would be: it
// imports `liveavatar-api` (and its subpath entries) by name, mapped here to the sources. So no
// example in the documentation can stop compiling without this test failing. Blocks run in
// one `tsc` process; each block is its own module, reported under its file and line.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { extractBlocks, type CodeBlock } from "./extract.ts";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..", "..");

/** How a user's import names map to this repository's sources. */
const ENTRIES: Record<string, string> = {
  "liveavatar-api": "src/index.ts",
  "liveavatar-api/schema": "generated/schema.ts",
  "liveavatar-api/realtime": "src/realtime/index.ts",
  "liveavatar-api/drift": "src/drift/index.ts",
  "liveavatar-api/testing": "src/testing/index.ts",
  "liveavatar-api/testing/msw": "src/testing/msw.ts",
};

const documents = [
  "README.md",
  ...readdirSync(join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];
const blocks: CodeBlock[] = documents.flatMap((doc) => extractBlocks(doc, readFileSync(join(ROOT, doc), "utf8")));

let dir: string;
/** Compiler errors per block file name. */
const errors = new Map<string, string[]>();
const fileOf = (block: CodeBlock) => `${block.id}.ts`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "liveavatar-docs-blocks-"));
  mkdirSync(join(dir, "blocks"));
  // `export {}` makes every block a module (top-level await, no clashes between blocks).
  for (const block of blocks) writeFileSync(join(dir, "blocks", fileOf(block)), `${block.code}\nexport {};\n`);
  const paths = Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, [join(ROOT, file)]]));
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "ESNext",
        moduleResolution: "Bundler",
        lib: ["ES2023", "DOM", "DOM.Iterable", "ESNext.Disposable"],
        // Backend blocks read process.env; framework blocks need their own types from node_modules.
        types: ["node"],
        baseUrl: ROOT,
        paths,
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        allowImportingTsExtensions: true,
        verbatimModuleSyntax: false,
      },
      include: ["blocks/*.ts"],
    }),
  );
  // Packages the blocks use (livekit-client, express's types) resolve from the repository's node_modules.
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const output = await run(process.execPath, [tsc, "-p", dir, "--pretty", "false"], { cwd: ROOT }).then(
    ({ stdout }) => stdout,
    (error: { stdout?: string }) => error.stdout || String(error),
  );
  for (const line of output.split("\n")) {
    const match = /blocks\/([^/(]+)\.ts\((\d+),\d+\): (error TS\d+: .*)$/.exec(line);
    if (!match) continue;
    const block = blocks.find((b) => b.id === match[1]);
    const where = block ? `${block.document}:${block.line + Number(match[2])}` : match[1];
    errors.set(`${match[1]}.ts`, [...(errors.get(`${match[1]}.ts`) ?? []), `${where}: ${match[3]}`]);
  }
  // A line the parser could not attribute to a block still fails the run below.
  const unattributed = output.split("\n").filter((l) => / error TS\d+/.test(l) && !/blocks\//.test(l));
  if (unattributed.length > 0) errors.set("(config)", unattributed);
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("code blocks in README.md and docs/ type-check", () => {
  test("the documents have code blocks to check", () => {
    expect(blocks.length).toBeGreaterThan(10);
    expect(errors.get("(config)") ?? []).toEqual([]);
  });

  test.each(blocks.map((b) => [`${b.document}:${b.line}`, b] as const))("%s", (_, block) => {
    expect(errors.get(fileOf(block)) ?? []).toEqual([]);
  });

  test("blocks import only the package's entries (or other installed packages)", () => {
    const unknown = blocks.flatMap((b) =>
      b.imports
        .filter((name) => name.startsWith("liveavatar-api") && !(name in ENTRIES))
        .map((n) => `${b.document}:${b.line} ${n}`),
    );
    expect(unknown).toEqual([]);
  });
});
