// npm run spec:update -- [<url-or-file>] [--fail-on-breaking] [--report FILE] [--timeout MS]
// Takes a new vendor spec: checks it, renders generated/ from it in memory, prints what changed
// for callers, then replaces openapi.json and generated/. Any refusal leaves both untouched.
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { writeFileAtomic } from "./lib/atomic-write.ts";
import { hasBreaking, renderMarkdown, renderText } from "./lib/change-report.ts";
import { diffSpecs } from "./lib/spec-diff.ts";
import { DEFAULT_DOWNLOAD_TIMEOUT_MS, DEFAULT_SPEC_URL, loadSpec, SpecInputError } from "./lib/spec-source.ts";
import { readSpec, type OpenAPISpec } from "./lib/spec.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Exit codes, one per kind of outcome; documented in the README. */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  download: 3,
  parse: 4,
  notOpenAPI: 5,
  unresolvedRef: 6,
  generator: 7,
  breaking: 8,
} as const;

const INPUT_EXIT: Record<SpecInputError["kind"], number> = {
  fetch: EXIT.download,
  parse: EXIT.parse,
  "not-openapi": EXIT.notOpenAPI,
  ref: EXIT.unresolvedRef,
};

const USAGE = `usage: npm run spec:update -- [<url-or-file>] [--fail-on-breaking] [--report FILE] [--timeout MS]
  <url-or-file>       JSON or YAML spec; default $LIVEAVATAR_SPEC_URL or ${DEFAULT_SPEC_URL}
  --fail-on-breaking  exit ${EXIT.breaking} and write nothing when a change breaks callers
  --report FILE       also write the change report as Markdown to FILE
  --timeout MS        download timeout (default $LIVEAVATAR_SPEC_TIMEOUT_MS or ${DEFAULT_DOWNLOAD_TIMEOUT_MS})`;

/** The vendored file's formatting: two-space JSON and a final newline, so reviews diff cleanly. */
export function formatSpec(spec: OpenAPISpec): string {
  return `${JSON.stringify(spec, null, 2)}\n`;
}

/** Where spec:update works and writes its messages; tests point it at a scratch copy. */
export interface UpdateContext {
  root: string;
  log: (text: string) => void;
  error: (text: string) => void;
}

export async function main(argv: string[], context: Partial<UpdateContext> = {}): Promise<number> {
  const { root = ROOT, log = console.log, error: fail = console.error } = context;
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        "fail-on-breaking": { type: "boolean", default: false },
        report: { type: "string" },
        timeout: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  const { values, positionals } = args;
  if (values.help) {
    log(USAGE);
    return EXIT.ok;
  }
  const timeout = Number(values.timeout ?? process.env.LIVEAVATAR_SPEC_TIMEOUT_MS ?? DEFAULT_DOWNLOAD_TIMEOUT_MS);
  if (positionals.length > 1 || !Number.isInteger(timeout) || timeout <= 0) {
    fail(USAGE);
    return EXIT.usage;
  }
  const source = positionals[0] ?? (process.env.LIVEAVATAR_SPEC_URL || DEFAULT_SPEC_URL);
  const specFile = join(root, "openapi.json");

  log(`reading ${source}`);
  let next: OpenAPISpec;
  let files: Record<string, string>;
  try {
    next = await loadSpec(source, timeout);
  } catch (error) {
    if (!(error instanceof SpecInputError)) throw error;
    fail(`spec:update refused the spec: ${error.message}`);
    fail("openapi.json and generated/ are unchanged.");
    return INPUT_EXIT[error.kind];
  }
  try {
    // Loaded here, not at the top: a refused spec is reported without loading the generator.
    const { renderGenerated } = await import("./generate.ts");
    files = await renderGenerated(next, (line) => log(line));
  } catch (error) {
    fail(`spec:update refused the spec: the generator failed on it: ${(error as Error).message}`);
    fail("openapi.json and generated/ are unchanged.");
    return EXIT.generator;
  }

  const previous: OpenAPISpec = existsSync(specFile) ? readSpec(specFile) : { openapi: "3.1.0", paths: {} };
  const diff = diffSpecs(previous, next);
  log(`\n${renderText(diff)}`);
  if (values.report) {
    await writeFile(values.report, renderMarkdown(diff));
    log(`wrote the Markdown report to ${values.report}`);
  }
  if (values["fail-on-breaking"] && hasBreaking(diff)) {
    fail(`--fail-on-breaking: ${diff.breaking} breaking change(s); openapi.json and generated/ are unchanged.`);
    return EXIT.breaking;
  }

  // Generated files first, the spec last: an interrupted run leaves a stale generated/ that
  // `npm run generate -- --check` reports, never a new spec with old types that looks current.
  const written: string[] = [];
  const wanted: Record<string, string> = { ...files, "openapi.json": formatSpec(next) };
  for (const [name, content] of Object.entries(wanted)) {
    const file = join(root, name);
    const current = await readFile(file, "utf8").catch(() => null);
    if (current === content) continue;
    await writeFileAtomic(file, content);
    written.push(name);
  }
  log(written.length > 0 ? `updated ${written.join(", ")}` : "openapi.json and generated/ were already up to date");
  return EXIT.ok;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`spec:update failed: ${error instanceof Error ? error.stack : String(error)}`);
      process.exit(EXIT.failed);
    },
  );
}
