// `npm run check:package`: packs the package as a publish would (prepack builds it), then lints
// the tarball with publint (package.json fields, exports, files) and Are the Types Wrong (types
// for every resolution mode: node10, node16 from CJS and from ESM, bundler). Any problem fails.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { packReport } from "./lib/pack-json.ts";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..");

export interface ToolReport {
  tool: "publint" | "attw";
  ok: boolean;
  output: string;
}

/** A dev dependency's command, run with this Node. */
function bin(name: string): string {
  return join(ROOT, "node_modules", ".bin", name);
}

async function runTool(tool: ToolReport["tool"], args: string[]): Promise<ToolReport> {
  const env = { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" };
  try {
    const { stdout, stderr } = await run(process.execPath, args, { env, maxBuffer: 16 * 1024 * 1024 });
    return { tool, ok: true, output: stdout + stderr };
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    return { tool, ok: false, output: stdout + stderr || String(error) };
  }
}

/** Runs publint (warnings count as problems) and attw on a packed tarball. */
export function lintTarball(tarball: string): Promise<ToolReport[]> {
  return Promise.all([
    runTool("publint", [bin("publint"), "run", tarball, "--strict"]),
    runTool("attw", [bin("attw"), tarball, "--no-color", "--no-emoji"]),
  ]);
}

/** `npm pack` into `destination`; returns the tarball's path. */
export async function pack(destination: string): Promise<string> {
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", destination], {
    cwd: ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
  return join(destination, packReport(stdout).filename);
}

async function main(): Promise<void> {
  const destination = mkdtempSync(join(tmpdir(), "liveavatar-api-check-"));
  try {
    const tarball = await pack(destination);
    console.log(`packed ${tarball} (${statSync(tarball).size} bytes)`);
    const reports = await lintTarball(tarball);
    for (const report of reports)
      console.log(`\n== ${report.tool}: ${report.ok ? "ok" : "PROBLEMS"}\n${report.output}`);
    if (reports.some((report) => !report.ok)) process.exitCode = 1;
  } finally {
    rmSync(destination, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
