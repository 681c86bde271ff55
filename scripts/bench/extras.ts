// Costs outside the per-call path: regenerating from the spec, importing the built package
// cold, and the bundle size of `import { LiveAvatar }`.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { measureBundleSize } from "../lib/bundle-size.ts";
import { median } from "./measure.ts";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SCRATCH = join(ROOT, ".scratch", "bench");

/** Runs a command to completion and returns its wall time in ms and its stdout. */
function timed(command: string, args: string[]): Promise<{ ms: number; stdout: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    child.once("error", reject);
    child.once("close", (code) => {
      const ms = performance.now() - started;
      if (code !== 0 && !stdout) reject(new Error(`${command} ${args.join(" ")} failed (${code}): ${stderr.trim()}`));
      else resolve({ ms, stdout, code });
    });
  });
}

export interface GenerateTime {
  runs: number;
  /** A fresh `tsx scripts/generate.ts --check` process: the whole pipeline, without writing files. */
  processMs: number;
  /** renderGenerated() called again in this process (modules loaded, caches warm). */
  inProcessMs: number;
}

export async function measureGenerate(runs: number): Promise<GenerateTime> {
  const processTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { ms } = await timed(process.execPath, [
      "--import",
      import.meta.resolve("tsx"),
      "scripts/generate.ts",
      "--check",
    ]);
    processTimes.push(ms);
  }
  const { renderGenerated } = await import("../generate.ts");
  const { readSpec } = await import("../lib/spec.ts");
  const spec = join(ROOT, "openapi.json");
  const inProcess: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const started = performance.now();
    await renderGenerated(readSpec(spec));
    if (i > 0) inProcess.push(performance.now() - started); // the first run loads the modules
  }
  return { runs, processMs: median(processTimes), inProcessMs: median(inProcess) };
}

export interface ImportTime {
  /** What was imported, relative to the project. */
  module: string;
  /** Whether `module` is a bundle made here because the package has no build yet. */
  temporaryBundle: boolean;
  runs: number;
  /** Median wall time of `node -e "import(module)"` minus that of an empty `node -e`. */
  processMs: number;
  emptyProcessMs: number;
  /** Median duration of the `import()` itself, timed inside the child. */
  importMs: number;
}

/** The built package's ESM entry: its own `exports` when it has them, else dist/index.js. */
async function builtEntry(): Promise<{ file: string; temporaryBundle: boolean }> {
  try {
    const file = fileURLToPath(import.meta.resolve("liveavatar-api"));
    if (existsSync(file) && !file.endsWith(".ts")) return { file, temporaryBundle: false };
  } catch {
    // no "exports" yet
  }
  const dist = join(ROOT, "dist", "index.js");
  if (existsSync(dist)) return { file: dist, temporaryBundle: false };
  // No build yet: an ESM bundle of src/index.ts with dependencies left external, as a package build would.
  const file = join(SCRATCH, "import-probe", "index.js");
  await mkdir(dirname(file), { recursive: true });
  await build({
    entryPoints: [join(ROOT, "src", "index.ts")],
    outfile: file,
    bundle: true,
    format: "esm",
    platform: "node",
    packages: "external",
    logLevel: "silent",
  });
  return { file, temporaryBundle: true };
}

export async function measureImport(runs: number): Promise<ImportTime> {
  const { file, temporaryBundle } = await builtEntry();
  const url = pathToFileURL(file).href;
  const probe = `const t=performance.now();import(${JSON.stringify(url)}).then(()=>process.stdout.write(String(performance.now()-t)))`;
  const withImport: number[] = [];
  const empty: number[] = [];
  const inside: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const loaded = await timed(process.execPath, ["-e", probe]);
    const bare = await timed(process.execPath, ["-e", ""]);
    if (i === 0) continue; // the first pair warms the OS file cache
    withImport.push(loaded.ms);
    empty.push(bare.ms);
    inside.push(Number(loaded.stdout));
  }
  return {
    module: relative(ROOT, file),
    temporaryBundle,
    runs,
    processMs: median(withImport) - median(empty),
    emptyProcessMs: median(empty),
    importMs: median(inside),
  };
}

export interface BundleSize {
  minifiedBytes: number;
  gzipBytes: number;
  /** The largest contributors to the minified bundle. */
  inputs: { path: string; bytes: number }[];
}

/** Minified and gzipped size of an application that does `import { LiveAvatar }`. */
export async function measureBundle(): Promise<BundleSize> {
  const { minified, gzip, inputs } = await measureBundleSize();
  return { minifiedBytes: minified, gzipBytes: gzip, inputs: inputs.slice(0, 5) };
}
