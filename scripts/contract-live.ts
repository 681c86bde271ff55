// npm run contract:live [-- --report FILE] [--json FILE]
// Runs the read-only part of the contract suite (GET operations) against a live server
// through `prism proxy`, and reports, per operation, where the live answers break the
// vendored spec. Needs LIVEAVATAR_BASE_URL and LIVEAVATAR_API_KEY.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DEFAULT_BASE_URL } from "../src/index.ts";
import { resolveWebSocket } from "../src/realtime/socket.ts";
import { renderRealtimeText, runLiveSession, type RealtimeRun } from "./lib/realtime-live.ts";
import { buildLiveReport, renderLiveMarkdown, renderLiveText, type TestOutcome } from "./lib/live-report.ts";
import { startPrism, type PrismServer } from "./lib/prism.ts";
import { isReadOnly, listOperations, normaliseSpec, readSpec } from "./lib/spec.ts";
import { operationMatcher, startRecorder, type Recorder } from "./lib/violation-recorder.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SUITE = "test/contract/operations.test.ts";
/** The whole suite run; a live server that hangs must not hang the check. */
const SUITE_TIMEOUT_MS = 10 * 60_000;

export const EXIT = { clean: 0, violations: 1, config: 2, failed: 3 } as const;

const NEEDS = `contract:live checks a live LiveAvatar server against openapi.json and needs:
  LIVEAVATAR_BASE_URL  the server to check, e.g. https://api.liveavatar.com
  LIVEAVATAR_API_KEY   an API key for it (sent as X-API-KEY; never printed)
It runs only GET operations (nothing is created, changed, deleted or billed) through
\`prism proxy openapi.json $LIVEAVATAR_BASE_URL\` and reports Prism's violations per operation.
Options: --report FILE (Markdown), --json FILE (machine-readable).

With --realtime it checks the LITE WebSocket protocol instead: a free sandbox LITE session
(LIVEAVATAR_API_KEY; LIVEAVATAR_BASE_URL defaults to https://api.liveavatar.com; the avatar is
LIVEAVATAR_AVATAR_ID or the first public one), one short speech, an interrupt, a stop. Every
frame is recorded and each inbound one checked against asyncapi.yaml; exit 1 on any drift.`;

async function main(argv: string[]): Promise<number> {
  let values: { report?: string; json?: string; help?: boolean; realtime?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        report: { type: "string" },
        json: { type: "string" },
        realtime: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${NEEDS}`);
    return EXIT.config;
  }
  if (values.help) {
    console.log(NEEDS);
    return EXIT.clean;
  }
  if (values.realtime) return realtime(values);
  const upstream = process.env.LIVEAVATAR_BASE_URL?.trim();
  const apiKey = process.env.LIVEAVATAR_API_KEY;
  const missing = [!upstream && "LIVEAVATAR_BASE_URL", !apiKey?.trim() && "LIVEAVATAR_API_KEY"].filter(Boolean);
  if (missing.length > 0) {
    console.error(`missing ${missing.join(" and ")}\n\n${NEEDS}`);
    return EXIT.config;
  }
  if (!/^https?:\/\/[^/]/i.test(upstream!)) {
    console.error(`LIVEAVATAR_BASE_URL must be an http(s) URL, got ${JSON.stringify(upstream)}\n\n${NEEDS}`);
    return EXIT.config;
  }
  const secrets = [apiKey!, process.env.LIVEAVATAR_SESSION_TOKEN].filter((s): s is string => !!s);
  const redact = (text: string) => secrets.reduce((t, s) => t.split(s).join("[redacted]"), text);

  const specFile = join(ROOT, "openapi.json");
  const spec = normaliseSpec(readSpec(specFile)).spec;
  const operations = listOperations(spec)
    .filter(isReadOnly)
    .map(({ method, path, operation }) => ({ key: `${method} ${path}`, operationId: String(operation.operationId) }));

  let prism: PrismServer | undefined;
  let recorder: Recorder | undefined;
  const work = await mkdtemp(join(tmpdir(), "contract-live-"));
  try {
    prism = await startPrism({ spec: specFile, mode: "proxy", upstream });
    recorder = await startRecorder(prism.url, operationMatcher(spec));
    console.log(`checking ${upstream} through prism proxy: ${operations.length} read-only operations`);
    const resultsFile = join(work, "results.json");
    const run = await runSuite(recorder.url, resultsFile);
    const outcomes = await readOutcomes(resultsFile, operations, redact);
    if (!outcomes) {
      console.error(`the contract suite produced no results (exit ${run.code}):\n${redact(run.output).slice(-4000)}`);
      return EXIT.failed;
    }
    const report = buildLiveReport(upstream!, operations, recorder.exchanges, outcomes);
    console.log(redact(renderLiveText(report)));
    if (values.report) await writeFile(values.report, redact(renderLiveMarkdown(report)));
    if (values.json) await writeFile(values.json, redact(JSON.stringify(report, null, 2)));
    return report.errorCount > 0 ? EXIT.violations : EXIT.clean;
  } finally {
    await recorder?.stop();
    await prism?.stop();
    await rm(work, { recursive: true, force: true });
  }
}

/** `--realtime`: a sandbox LITE session checked against asyncapi.yaml (scripts/lib/realtime-live.ts). */
async function realtime(values: { report?: string; json?: string }): Promise<number> {
  const apiKey = process.env.LIVEAVATAR_API_KEY?.trim();
  const baseUrl = process.env.LIVEAVATAR_BASE_URL?.trim() || DEFAULT_BASE_URL;
  if (!apiKey) {
    console.error(`missing LIVEAVATAR_API_KEY\n\n${NEEDS}`);
    return EXIT.config;
  }
  const secrets = [apiKey];
  const redact = (text: string) => secrets.reduce((t, s) => t.split(s).join("[redacted]"), text);
  let run: RealtimeRun;
  try {
    run = await runLiveSession({
      baseUrl,
      apiKey,
      avatarId: process.env.LIVEAVATAR_AVATAR_ID?.trim() || undefined,
      WebSocket: await resolveWebSocket(undefined),
      log: (line) => console.log(line),
    });
  } catch (error) {
    console.error(
      `contract:live --realtime could not run: ${redact(error instanceof Error ? error.message : String(error))}`,
    );
    return EXIT.failed;
  }
  const text = redact(renderRealtimeText(run));
  console.log(text);
  if (values.report) await writeFile(values.report, `## Realtime drift report\n\n\`\`\`text\n${text}\`\`\`\n`);
  if (values.json) await writeFile(values.json, redact(JSON.stringify(run, null, 2)));
  if (run.failure && run.frames.length === 0) return EXIT.failed;
  return run.drifts.length > 0 ? EXIT.violations : EXIT.clean;
}

/** Runs the contract suite in read-only mode against `url`, with vitest's JSON results in `resultsFile`. */
function runSuite(url: string, resultsFile: string): Promise<{ code: number | null; output: string }> {
  const vitest = join(dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");
  const child = spawn(process.execPath, [vitest, "run", SUITE, "--reporter=json", `--outputFile=${resultsFile}`], {
    cwd: ROOT,
    env: { ...process.env, LIVEAVATAR_CONTRACT_URL: url, LIVEAVATAR_CONTRACT_READONLY: "1", FORCE_COLOR: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), SUITE_TIMEOUT_MS);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

interface VitestJson {
  testResults?: Array<{
    assertionResults?: Array<{ ancestorTitles?: string[]; status?: string; failureMessages?: string[] }>;
  }>;
}

/** Test outcome per operation key, from the describe title "METHOD /path (operationId)". */
async function readOutcomes(
  file: string,
  operations: Array<{ key: string }>,
  redact: (text: string) => string,
): Promise<Map<string, TestOutcome> | null> {
  let results: VitestJson;
  try {
    results = JSON.parse(await readFile(file, "utf8")) as VitestJson;
  } catch {
    return null;
  }
  const outcomes = new Map<string, TestOutcome>();
  for (const test of (results.testResults ?? []).flatMap((f) => f.assertionResults ?? [])) {
    const title = test.ancestorTitles?.[0] ?? "";
    const op = operations.find((o) => title.startsWith(`${o.key} (`));
    if (!op) continue;
    const failure = test.failureMessages?.[0]?.split("\n")[0];
    outcomes.set(op.key, {
      status: test.status ?? "unknown",
      ...(failure ? { failure: redact(failure).slice(0, 200) } : {}),
    });
  }
  return outcomes;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`contract:live failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(EXIT.failed);
    },
  );
}
