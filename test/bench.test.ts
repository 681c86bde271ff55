// `npm run bench` must keep running and printing its tables. Its timings are not checked here:
// a benchmark is not a test, and these runs are far too short to mean anything.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { measureBundle, measureImport, ROOT } from "../scripts/bench/extras.ts";
import { CALL_TABLE_HEADER } from "../scripts/bench/report.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "bench-test-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const CLIENTS = ["fetch", "openapi-fetch", "LiveAvatar"];

describe("npm run bench", () => {
  test("a tiny run prints the per-call table, the heap trace and the targets, and writes the JSON", async () => {
    const json = join(dir, "bench.json");
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        "--expose-gc",
        "--import",
        "tsx",
        "scripts/bench.ts",
        "--quick",
        "--calls",
        "8",
        "--skip-extras",
        "--json",
        json,
      ],
      { cwd: ROOT },
    );

    const header = stdout.split("\n").find((line) => line.startsWith("| body "));
    expect(
      header
        ?.split("|")
        .map((cell) => cell.trim())
        .filter(Boolean),
    ).toEqual(CALL_TABLE_HEADER);
    const rows = stdout
      .split("\n")
      .filter((line) => /^\| (small|large) /.test(line))
      .map((line) =>
        line
          .split("|")
          .map((cell) => cell.trim())
          .filter(Boolean),
      );
    // Two bodies, sequential and 32 in flight, three clients each.
    expect(rows).toHaveLength(12);
    for (const row of rows) {
      expect(row).toHaveLength(CALL_TABLE_HEADER.length);
      expect(CLIENTS).toContain(row[3]);
      expect(["1", "32"]).toContain(row[2]);
      for (const cell of [row[4], row[5], row[6]]) expect(cell).toMatch(/^[\d,]+(\.\d)?$/);
      expect(row[7]).toMatch(/^\d+\.\d\dx$/);
    }
    expect(rows.filter((row) => row[3] === "fetch").every((row) => row[7] === "1.00x" && row[8] === "-")).toBe(true);
    expect(stdout).toMatch(/the server answered exactly one request per call/);
    expect(stdout).toMatch(
      /LiveAvatar, small body, 32 in flight: heap after GC [\d.]+ MB before, [\d.]+ MB after 100 calls/,
    );
    expect(stdout).toContain("| LiveAvatar vs openapi-fetch, small body, sequential ");
    expect(stdout).not.toContain("## Outside the call path");

    const report = JSON.parse(await readFile(json, "utf8"));
    expect(report.rows).toHaveLength(12);
    for (const row of report.rows) {
      expect(row.rounds).toHaveLength(6);
      for (const key of ["callsPerSecond", "usPerCall", "cpuUsPerCall", "vsFetch", "vsOpenapiFetch", "cpuVsFetch"])
        expect(row[key]).toBeGreaterThan(0);
    }
    expect(report.heap.LiveAvatar.checkpoints).toHaveLength(11);
    expect(report.heap.fetch.checkpoints).toHaveLength(11);
    expect(report.targets).toHaveLength(5);
  }, 90_000);

  test("the bench's import probe loads the package and its bundle measure finds the client's parts", async () => {
    const load = await measureImport(1);
    expect(existsSync(join(ROOT, load.module))).toBe(true);
    expect(load.importMs).toBeGreaterThan(0);
    expect(load.emptyProcessMs).toBeGreaterThan(0);
    const bundle = await measureBundle();
    expect(bundle.gzipBytes).toBeGreaterThan(0);
    expect(bundle.gzipBytes).toBeLessThan(bundle.minifiedBytes);
    // openapi-fetch gives the client its types; none of its runtime is bundled.
    expect(bundle.inputs.some((input) => input.path.includes("openapi-fetch"))).toBe(false);
  }, 60_000);
});
