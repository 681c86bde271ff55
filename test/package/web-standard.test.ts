// The shipped code runs in Node, browsers, workers and edge runtimes, so it may use only
// web-standard APIs (fetch, AbortController, URL, timers). Two checks: no module it imports is a
// Node builtin, and it type-checks with no Node types at all (tsconfig.build.json, `types: []`).
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import ts from "typescript";
import { expect, test } from "vitest";
import { ROOT } from "./pack.ts";

const RUNTIME_DIRS = ["src", "generated"];
/** The testing kit's Node entry (its HTTP server, LITE fake and CLI) is for Node only, by design. */
const NODE_ONLY = [
  join("src", "testing", "index.ts"),
  join("src", "testing", "node"),
  join("src", "testing", "lite-fake"),
  join("src", "testing", "lite-mock.ts"),
];

function runtimeFiles(): string[] {
  return RUNTIME_DIRS.flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
      .map((entry) => join(entry.parentPath, entry.name))
      .filter((file) => !NODE_ONLY.some((path) => relative(ROOT, file).startsWith(path))),
  );
}

function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith("node:") || builtinModules.includes(specifier.split("/")[0]!);
}

test("src/ and generated/ import no Node builtin (static, dynamic or require)", () => {
  const files = runtimeFiles();
  expect(files.length).toBeGreaterThan(5);
  const offenders = files.flatMap((file) =>
    ts
      .preProcessFile(readFileSync(file, "utf8"), true, true)
      .importedFiles.filter((imported) => isNodeBuiltin(imported.fileName))
      .map((imported) => `${relative(ROOT, file)} imports ${imported.fileName}`),
  );
  expect(offenders).toEqual([]);
});

test("the builtin check recognises every form of a Node import", () => {
  const sample = `import a from "node:fs"; import "path"; export * from "fs/promises";
    const b = require("crypto"); const c = await import("node:http"); import d from "openapi-fetch";`;
  const found = ts.preProcessFile(sample, true, true).importedFiles.map((i) => i.fileName);
  expect(found.filter(isNodeBuiltin)).toEqual(["node:fs", "path", "fs/promises", "crypto", "node:http"]);
});

test("src/ and generated/ type-check with no Node types", async () => {
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const result = await promisify(execFile)(process.execPath, [tsc, "-p", "tsconfig.build.json", "--pretty", "false"], {
    cwd: ROOT,
  }).then(
    () => "",
    (error: { stdout?: string }) => error.stdout || String(error),
  );
  expect(result).toBe("");
}, 60_000);
