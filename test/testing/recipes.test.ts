// The recipes in docs/testing.md are real test files (examples/testing/*.test.ts) that import
// the package by name. Here they run as a user's own Vitest suite (their own config maps the
// names to the sources) and type-check with their own tsconfig.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, test } from "vitest";
import { chromiumExecutable } from "../support/chromium.ts";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..", "..");
const bin = (name: string) => join(ROOT, "node_modules", ".bin", name);

interface VitestReport {
  numTotalTests: number;
  numFailedTests: number;
  numPendingTests: number;
  testResults: { name: string; assertionResults: { title: string; status: string }[] }[];
}

test.concurrent(
  "every recipe passes, none skipped",
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "liveavatar-recipes-"));
    try {
      const output = join(dir, "report.json");
      await run(
        bin("vitest"),
        ["run", "--config", "examples/testing/vitest.config.ts", "--reporter=json", `--outputFile=${output}`],
        {
          cwd: ROOT,
          // The browser recipes launch LIVEAVATAR_CHROMIUM: the machine's Chromium or the one npm ci brought.
          env: {
            ...process.env,
            LIVEAVATAR_BASE_URL: "",
            LIVEAVATAR_API_KEY: "",
            LIVEAVATAR_CHROMIUM: await chromiumExecutable(),
          },
        },
      ).catch((error: { stdout?: string; stderr?: string }) => {
        throw new Error(`recipes failed:\n${error.stdout ?? ""}\n${error.stderr ?? ""}`);
      });
      const report = JSON.parse(readFileSync(output, "utf8")) as VitestReport;
      const files = report.testResults.map((r) => r.name.slice(r.name.lastIndexOf("/") + 1)).sort();
      expect(files).toEqual([
        "browser-worker.test.ts",
        "msw-node.test.ts",
        "playwright.test.ts",
        "token-endpoint.test.ts",
      ]);
      expect(report.numFailedTests).toBe(0);
      expect(report.numPendingTests).toBe(0);
      expect(report.numTotalTests).toBe(7);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  180_000,
);

test.concurrent(
  "the recipes type-check as a user's files would",
  async () => {
    const result = await run(bin("tsc"), ["-p", "examples/testing/tsconfig.json", "--pretty", "false"], {
      cwd: ROOT,
    }).then(
      () => "",
      (error: { stdout?: string }) => error.stdout || String(error),
    );
    expect(result).toBe("");
  },
  180_000,
);
