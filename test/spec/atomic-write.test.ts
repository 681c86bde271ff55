// writeFileAtomic: the new content replaces the file in one rename, the file keeps its
// permissions (openapi.json is read-only on purpose), and a failed write leaves no temp file.
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { writeFileAtomic } from "../../scripts/lib/atomic-write.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "atomic-write-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

test("replaces a read-only file and keeps its mode", async () => {
  const file = join(dir, "openapi.json");
  await writeFile(file, "old\n");
  await chmod(file, 0o444);
  await writeFileAtomic(file, "new\n");
  expect(await readFile(file, "utf8")).toBe("new\n");
  expect((await stat(file)).mode & 0o777).toBe(0o444);
  expect(await readdir(dir)).toEqual(["openapi.json"]);
});

test("creates a missing file", async () => {
  await writeFileAtomic(join(dir, "fresh.ts"), "x\n");
  expect(await readFile(join(dir, "fresh.ts"), "utf8")).toBe("x\n");
});

test("a write that cannot complete throws and leaves the old file and no temp file", async () => {
  // Renaming a file over a non-empty directory fails after the temp file was written.
  const target = join(dir, "generated");
  await mkdir(target);
  await writeFile(join(target, "keep.ts"), "kept\n");
  await expect(writeFileAtomic(target, "content")).rejects.toThrow();
  expect(await readdir(dir)).toEqual(["generated"]);
  expect(await readFile(join(target, "keep.ts"), "utf8")).toBe("kept\n");
});
