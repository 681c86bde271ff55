// A throw-away copy of the project for running `spec:update` (which rewrites openapi.json and
// generated/) without touching the real working tree, plus helpers to run scripts in it.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, mkdtemp, readdir, readFile, rm, symlink } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../support/spec.ts";

const COPIED = [
  "package.json",
  "tsconfig.json",
  "vitest.config.ts",
  ".prettierrc.json",
  "openapi.json",
  "asyncapi.yaml",
  "scripts",
  "src",
  "generated",
  "test",
];

export interface ProjectCopy {
  dir: string;
  remove: () => Promise<void>;
}

export async function copyProject(): Promise<ProjectCopy> {
  const dir = await mkdtemp(join(tmpdir(), "liveavatar-spec-"));
  for (const entry of COPIED) await cp(join(ROOT, entry), join(dir, entry), { recursive: true });
  await symlink(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Content hashes of everything spec:update may write: openapi.json and generated/*. */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const files = ["openapi.json", ...(await readdir(join(dir, "generated"))).map((f) => `generated/${f}`)];
  const out: Record<string, string> = {};
  for (const file of files.sort()) {
    out[file] = createHash("sha256")
      .update(await readFile(join(dir, file)))
      .digest("hex");
  }
  return out;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const require = createRequire(import.meta.url);
const tsxCli = join(require.resolve("tsx/package.json"), "..", "dist", "cli.mjs");
export const vitestCli = join(require.resolve("vitest/package.json"), "..", "vitest.mjs");
export const tscCli = join(require.resolve("typescript/package.json"), "..", "bin", "tsc");

/** Runs a TypeScript script of the copy with tsx, as `npm run` would, and collects its output. */
export function runScript(
  dir: string,
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<RunResult> {
  return runNode(dir, [tsxCli, script, ...args], env);
}

/** Runs node with `args` in the copy (e.g. a package's bin file) and collects its output. */
export function runNode(dir: string, args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  const child = spawn(process.execPath, args, {
    cwd: dir,
    env: { ...process.env, FORCE_COLOR: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}
