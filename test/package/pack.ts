// Builds and packs the package once, the way `npm publish` would, and installs the tarball into
// scratch projects. Test files run in separate workers, so "once" is enforced across processes:
// the tarball lives in a temp directory named after a hash of everything that goes into it, and
// a lock directory (mkdir is atomic) makes one worker build while the others wait. Packing
// happens in a staging copy of the sources, so it never races with a `dist/` in the tree.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { packReport } from "../../scripts/lib/pack-json.ts";

export const ROOT = join(import.meta.dirname, "..", "..");

/** What the packed package is made from; a change to any of these makes a new tarball. */
const INPUTS = [
  "package.json",
  "package-lock.json",
  "README.md",
  "CHANGELOG.md",
  "LICENSE",
  "tsup.config.ts",
  "tsconfig.build.json",
  "tsconfig.testing.json",
  "openapi.json",
];
const INPUT_DIRS = ["src", "generated", "docs"];

const run = promisify(execFile);

export interface Packed {
  /** Absolute path of the .tgz. */
  tarball: string;
  /** Its size in bytes. */
  bytes: number;
  /** Paths inside the package, e.g. "dist/index.js". */
  files: string[];
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function inputsHash(): string {
  const hash = createHash("sha256");
  const files = [
    ...INPUTS.map((name) => join(ROOT, name)).filter((path) => existsSync(path)),
    ...INPUT_DIRS.flatMap((dir) => listFiles(join(ROOT, dir))),
  ];
  for (const file of files) hash.update(relative(ROOT, file)).update("\0").update(readFileSync(file)).update("\0");
  return hash.digest("hex").slice(0, 16);
}

async function buildAndPack(workDir: string): Promise<void> {
  const stage = join(workDir, "stage");
  mkdirSync(stage, { recursive: true });
  for (const name of [...INPUTS, ...INPUT_DIRS]) {
    if (existsSync(join(ROOT, name))) cpSync(join(ROOT, name), join(stage, name), { recursive: true });
  }
  symlinkSync(join(ROOT, "node_modules"), join(stage, "node_modules"), "dir");
  // `prepack` runs the build, exactly as it does before a publish.
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", workDir], {
    cwd: stage,
    maxBuffer: 16 * 1024 * 1024,
  });
  const info = packReport(stdout);
  const tarball = join(workDir, info.filename);
  const packed: Packed = { tarball, bytes: statSync(tarball).size, files: info.files.map((f) => f.path).sort() };
  rmSync(stage, { recursive: true, force: true });
  await writeFile(join(workDir, "packed.json"), JSON.stringify(packed));
}

/** Tarballs of sources older than a day are no longer useful. */
function sweepOldPacks(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith("liveavatar-api-pack-")) continue;
    const path = join(tmpdir(), name);
    const since = statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
    if (Date.now() - since > 86_400_000) rmSync(path, { recursive: true, force: true });
  }
}

let memo: Promise<Packed> | undefined;

/** The packed tarball of the current sources, built at most once across all test workers. */
export function packedPackage(): Promise<Packed> {
  return (memo ??= packOnce());
}

async function packOnce(): Promise<Packed> {
  const workDir = join(tmpdir(), `liveavatar-api-pack-${inputsHash()}`);
  const done = join(workDir, "packed.json");
  const lock = `${workDir}.lock`;
  const deadline = Date.now() + 180_000;
  while (!existsSync(done)) {
    let owner = false;
    try {
      mkdirSync(lock);
      owner = true;
    } catch {
      // Another worker is building; a lock older than the deadline is left over from a crash.
      const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - since > 180_000) rmSync(lock, { recursive: true, force: true });
    }
    if (owner) {
      try {
        rmSync(workDir, { recursive: true, force: true });
        mkdirSync(workDir, { recursive: true });
        sweepOldPacks();
        await buildAndPack(workDir);
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
      break;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for another worker to pack into ${workDir}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return JSON.parse(readFileSync(done, "utf8")) as Packed;
}

/**
 * A fresh project in a temp directory with the tarball installed from its path, as a user
 * would install it from the registry. `files` are written first (package.json included).
 */
export async function scratchProject(name: string, files: Record<string, string>): Promise<string> {
  const { tarball } = await packedPackage();
  const dir = join(tmpdir(), `liveavatar-api-${name}-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  // openapi-fetch comes from the registry (or the local cache), like any dependency would.
  await run("npm", ["install", tarball, "--prefer-offline", "--no-audit", "--no-fund"], {
    cwd: dir,
  });
  return dir;
}

export function removeProject(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}
