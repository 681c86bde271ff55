// `npm run bench:scale` must keep running and printing its figures. Its timings are not checked
// (a benchmark is not a test, and this run is far too short to mean anything); what is checked is
// what holds at any size: each connection holds one timer, unref'd, and speeches settle.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, test } from "vitest";
import type { ScaleResult } from "../scripts/bench/scale-client.ts";

const ROOT = join(import.meta.dirname, "..");
const TINY = ["--sizes", "1,3", "--seconds", "4", "--idle-seconds", "1", "--keep-alive", "300", "--json"];

test("a tiny run reports both phases per size, one unref'd timer per connection, and settled speeches", async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "scripts/bench-scale.ts", ...TINY],
    { cwd: ROOT, timeout: 120_000 },
  );
  expect(stdout).toMatch(/^N = 1 \.\.\. .* % CPU streaming/m);
  expect(stdout).toMatch(/^\| +N \| audio s\/s sent \|/m);
  const { results } = JSON.parse(stdout.slice(stdout.indexOf("\n{") + 1)) as { results: ScaleResult[] };
  expect(results.map((r) => r.config.sessions)).toEqual([1, 3]);
  for (const { idle, streaming } of results) {
    // The keep-alive timer, and nothing that keeps the host process alive.
    expect(idle.timersPerSession).toBe(1);
    expect(idle.refTimersPerSession).toBe(0);
    expect(streaming.refTimersPerSession).toBe(0);
    expect(streaming.speeches).toBeGreaterThan(0);
    expect(streaming.failures).toBe(0);
    expect(streaming.settleP99).toBeGreaterThan(0);
    expect(streaming.cpuPercent).toBeGreaterThan(0);
    expect(idle.mockCpuPercent).toBeGreaterThan(0);
  }
}, 180_000);
