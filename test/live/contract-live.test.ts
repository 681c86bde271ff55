// `npm run contract:live` against a local stand-in for the live server that breaks the spec on
// purpose: the report must name each break under the operation that broke it, and only
// read-only requests may reach the server.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { EXIT } from "../../scripts/contract-live.ts";
import type { LiveReport } from "../../scripts/lib/live-report.ts";
import { isReadOnly } from "../../scripts/lib/spec.ts";
import { runScript, type RunResult } from "../spec/project-copy.ts";
import { ROOT, spec, specOperations } from "../support/spec.ts";
import { startBrokenUpstream, type Upstream } from "./broken-upstream.ts";

const API_KEY = "live-key-must-not-leak-7f3a";

const BREAKS = {
  // A wrong type: `code` is a string in LanguageSchema.
  "GET /v1/languages": { status: 200, body: { code: 1000, data: [{ language: "English", code: 7 }], message: "ok" } },
  // A missing required field: UserCreditsSchema requires credits_left.
  "GET /v1/users/credits": { status: 200, body: { code: 1000, data: {}, message: "ok" } },
  // A status the spec does not declare (only 200 and 422 are).
  "GET /v1/avatars/{avatar_id}": { status: 503, body: { detail: "maintenance" } },
  // What a real server does with a sampled id: reported, not fatal.
  "GET /v1/voices/{voice_id}": { status: 404, body: { detail: "Voice not found" } },
};

/** The lines of the text report that belong to one operation (its heading up to the next heading). */
function section(text: string, key: string): string {
  const lines = text.split("\n");
  const start = lines.findIndex((line) => line.startsWith(`${key} (`));
  if (start === -1) return "";
  const end = lines.findIndex((line, i) => i > start && !line.startsWith(" "));
  return lines.slice(start, end === -1 ? undefined : end).join("\n");
}

describe("contract:live", () => {
  let upstream: Upstream;
  let work: string;
  let run: RunResult;
  let report: LiveReport;

  beforeAll(async () => {
    upstream = await startBrokenUpstream(spec, BREAKS);
    work = await mkdtemp(join(tmpdir(), "contract-live-test-"));
    const outputs = ["--json", join(work, "report.json"), "--report", join(work, "report.md")];
    run = await runScript(ROOT, "scripts/contract-live.ts", outputs, {
      LIVEAVATAR_BASE_URL: upstream.url,
      LIVEAVATAR_API_KEY: API_KEY,
    });
    report = JSON.parse(await readFile(join(work, "report.json"), "utf8")) as LiveReport;
  }, 240_000);

  afterAll(async () => {
    await upstream?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test("exits with the violations code, not a crash", () => {
    expect(run.stderr).not.toMatch(/TypeError|contract:live failed/);
    expect(run.code).toBe(EXIT.violations);
  });

  test("names the wrong type under its operation", () => {
    expect(section(run.stdout, "GET /v1/languages")).toContain(
      "error   response.body.data.0.code: Response body property data.0.code must be string",
    );
  });

  test("names the missing required field under its operation", () => {
    expect(section(run.stdout, "GET /v1/users/credits")).toContain(
      "error   response.body.data: Response body property data must have required property 'credits_left'",
    );
  });

  test("names the undeclared status under its operation, and the 404 on a sampled id too", () => {
    const avatar = section(run.stdout, "GET /v1/avatars/{avatar_id}");
    expect(avatar).toContain("statuses: 503");
    expect(avatar).toContain(
      "warning response: Unable to match the returned status code with those defined in the document: 200,422",
    );
    const voice = section(run.stdout, "GET /v1/voices/{voice_id}");
    expect(voice).toContain("statuses: 404");
    expect(voice).toContain("test: failed");
  });

  test("reports the other read-only operations as clean, with their tests passed", () => {
    const readOnly = specOperations.filter(isReadOnly).map((op) => op.key);
    expect(report.operations.map((op) => op.key)).toEqual(readOnly);
    const withViolations = report.operations.filter((op) => op.violations.length > 0).map((op) => op.key);
    expect(withViolations.sort()).toEqual(Object.keys(BREAKS).sort());
    for (const op of report.operations.filter((o) => !(o.key in BREAKS))) {
      expect(op.test?.status, op.key).toBe("passed");
    }
    expect(report.errorCount).toBeGreaterThanOrEqual(2);
    expect(report.warningCount).toBe(2);
  });

  test("writes the same findings as Markdown, one heading per operation", async () => {
    const markdown = await readFile(join(work, "report.md"), "utf8");
    const languages = markdown.slice(markdown.indexOf("### `GET /v1/languages`"));
    expect(languages).toMatch(/^### `GET \/v1\/languages`\n\nStatuses: 200 · test: failed/);
    expect(languages).toContain(
      "- Error: `response.body.data.0.code` Response body property data.0.code must be string",
    );
    expect(markdown).toContain("### `GET /v1/avatars`\n\nStatuses: 200 · test: passed\n\nNo violations.");
  });

  test("sends only GET requests upstream, with the key, and never prints the key", () => {
    expect(upstream.requests.length).toBeGreaterThan(0);
    expect(upstream.requests.filter((r) => !r.line.startsWith("GET "))).toEqual([]);
    // Public operations (no security in the spec: languages, public avatars, LLM models) go without it.
    const publicPaths = specOperations
      .filter((op) => !(Array.isArray(op.operation.security) && op.operation.security.length > 0))
      .map((op) => `${op.method} ${op.path}`);
    expect(publicPaths).toContain("GET /v1/llm-models");
    const secured = upstream.requests.filter((r) => !publicPaths.some((p) => r.line.split("?")[0] === p));
    expect(secured.every((r) => r.apiKey === API_KEY)).toBe(true);
    expect(run.stdout + run.stderr + JSON.stringify(report)).not.toContain(API_KEY);
  });
});

test("contract:live without its variables explains what it needs and exits non-zero", { timeout: 60_000 }, async () => {
  const result = await runScript(ROOT, "scripts/contract-live.ts", [], {
    LIVEAVATAR_BASE_URL: "",
    LIVEAVATAR_API_KEY: "",
  });
  expect(result.code).toBe(EXIT.config);
  expect(result.stderr).toContain("missing LIVEAVATAR_BASE_URL and LIVEAVATAR_API_KEY");
  expect(result.stderr).toContain("LIVEAVATAR_BASE_URL  the server to check");
});
