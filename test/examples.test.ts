// Every script in examples/ runs against the mock and prints what it promises, so the examples
// cannot rot. They import "liveavatar-api", mapped to the sources by examples/tsconfig.json.
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
import { clientFor, contractUrl, TEST_API_KEY } from "./support/client.ts";
import { ROOT } from "./support/spec.ts";

const run = promisify(execFile);
const DIR = join(ROOT, "examples");
const TSCONFIG = join(DIR, "tsconfig.json");

/** What each example must print (one pattern per line of interest). */
const EXPECTED: Record<string, RegExp[]> = {
  "backend-mint-token": [/^session \S+$/m, /^token {3}.{1,6}… \(\d+ characters\)$/m],
  "list-avatars": [
    /^page 1: \d+ of \S+ avatars \(HTTP 200, code \d+\)$/m,
    /^avatar \S+ {2}/m,
    /^listed [1-5] avatars$/m,
  ],
  "session-lifecycle": [
    /^started session \S+$/m,
    /^LiveKit room: \S+$/m,
    /^kept alive$/m,
    /^stopped$/m,
    /^stopped: true$/m,
  ],
  "lite-agent": [
    /^started session \S+$/m,
    /^connected \(open\)$/m,
    /^spoke 1 s of tone as \S+$/m,
    /^interrupted: SpeechInterruptedError$/m,
    /^spoke again$/m,
    /^stopped$/m,
  ],
  "full-mode-browser": [
    /^started session \S+$/m,
    /^avatar says: Hello! I am your avatar\.$/m,
    /^interrupted$/m,
    /^no push-to-talk: PushToTalkError$/m,
    /^stopped: detached$/m,
  ],
  "error-handling": [
    /^invalid body: UnprocessableEntityError 422, /m,
    /^no credential sent: AuthenticationError 401 from GET \/v1\/avatars\/\{avatar_id\}$/m,
    /^no API key in the client: MissingCredentialError, needs apiKey$/m,
    /^server unreachable: APIConnectionError after 1 attempt\(s\)$/m,
    /^aborted: APIUserAbortError after 0 attempt\(s\)$/m,
  ],
};

const examples = readdirSync(DIR)
  .filter((file) => file.endsWith(".ts") && file !== "run.ts")
  .map((file) => file.slice(0, -3))
  .sort();

function runExample(args: string[], env: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, ["--import", "tsx", ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH!, TSX_TSCONFIG_PATH: TSCONFIG, ...env },
  });
}

test("every example has expectations here", () => {
  expect(examples).toEqual(Object.keys(EXPECTED).sort());
});

describe.concurrent("each example against the mock", () => {
  test.each(examples)(
    "%s",
    async (name) => {
      const { stdout, stderr } = await runExample([join(DIR, `${name}.ts`)], {
        LIVEAVATAR_BASE_URL: contractUrl,
        LIVEAVATAR_API_KEY: TEST_API_KEY,
      });
      for (const pattern of EXPECTED[name] ?? []) expect(stdout).toMatch(pattern);
      expect(stderr).toBe("");
      if (name === "list-avatars") {
        const first = await clientFor(contractUrl, { maxRetries: 0 }).GET("/v1/avatars", {
          params: { query: { page: 1, page_size: 20 } },
        });
        expect(stdout).toContain(`avatar ${first.results![0]!.id}`);
      }
    },
    60_000,
  );
});

test("npm run example -- <name> starts its own mock and runs the example", async () => {
  const { stdout } = await runExample([join(DIR, "run.ts"), "backend-mint-token"], {});
  expect(stdout).toMatch(/^\(against a Prism mock of openapi\.json at http:\/\/127\.0\.0\.1:\d+\)$/m);
  for (const pattern of EXPECTED["backend-mint-token"]!) expect(stdout).toMatch(pattern);
}, 60_000);

test("npm run example with an unknown name lists the examples and fails", async () => {
  const failure = await runExample([join(DIR, "run.ts"), "no-such-example"], {}).then(
    () => undefined,
    (error: { code?: number; stderr?: string }) => error,
  );
  expect(failure?.code).toBe(2);
  expect(failure?.stderr).toContain(examples.join(", "));
});

test("the examples type-check", async () => {
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const output = await run(process.execPath, [tsc, "-p", TSCONFIG, "--pretty", "false"], { cwd: ROOT }).then(
    () => "",
    (error: { stdout?: string }) => error.stdout || String(error),
  );
  expect(output).toBe("");
}, 60_000);
