// The three entries share one core. `liveavatar-api/realtime` and `liveavatar-api/testing` import
// the error classes from "liveavatar-api" itself (the build keeps that import external), so an
// error thrown by one entry is an `instanceof` the classes another entry exports, under `import`
// and under `require`, and no entry ships a second copy of the core.
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";
import { packedPackage, removeProject, scratchProject } from "./pack.ts";

const run = promisify(execFile);
let dir: string | undefined;

/** One line of JSON: for each error, its name and which classes of the other entries it is an instance of. */
const body = `
async function main() {
  const badUrl = await LiteConnection.connect("not a url").catch((e) => e);
  const aborted = await LiteConnection.connect("ws://127.0.0.1:1/", { signal: AbortSignal.abort() }).catch((e) => e);
  let fake;
  try {
    createLiveAvatarFake().inject("GET /no-such-operation", { status: 500 });
  } catch (e) {
    fake = e;
  }
  console.log(JSON.stringify({
    badUrl: [badUrl.name, badUrl instanceof RealtimeArgumentError, badUrl instanceof LiveAvatarError],
    aborted: [aborted.name, aborted instanceof APIUserAbortError, aborted instanceof LiveAvatarError],
    fake: [fake.name, fake instanceof FakeConfigError, fake instanceof LiveAvatarError],
  }));
}
`;

const expected = {
  badUrl: ["RealtimeArgumentError", true, true],
  aborted: ["APIUserAbortError", true, true],
  fake: ["FakeConfigError", true, true],
};

beforeAll(async () => {
  await packedPackage();
  dir = await scratchProject("entries", {
    "package.json": JSON.stringify({ name: "entries-consumer", private: true }),
    "esm.mjs": `import { APIUserAbortError, LiveAvatarError } from "liveavatar-api";
import { LiteConnection, RealtimeArgumentError } from "liveavatar-api/realtime";
import { createLiveAvatarFake, FakeConfigError } from "liveavatar-api/testing";
${body}
await main();
`,
    "cjs.cjs": `const { APIUserAbortError, LiveAvatarError } = require("liveavatar-api");
const { LiteConnection, RealtimeArgumentError } = require("liveavatar-api/realtime");
const { createLiveAvatarFake, FakeConfigError } = require("liveavatar-api/testing");
${body}
main().catch((error) => { console.error(error); process.exitCode = 1; });
`,
  });
}, 180_000);

afterAll(() => removeProject(dir));

test.each(["esm.mjs", "cjs.cjs"])(
  "%s: errors from /realtime and /testing are instances of the core's classes",
  async (file) => {
    const { stdout } = await run(process.execPath, [file], { cwd: dir!, env: { PATH: process.env.PATH } });
    expect(JSON.parse(stdout.trim())).toEqual(expected);
  },
);

test("no entry but the core defines the core's classes; the others import it by the package's name", () => {
  const distDir = join(dir!, "node_modules", "liveavatar-api", "dist");
  const files = readdirSync(distDir, { recursive: true, encoding: "utf8" }).filter((f) => /\.c?js$/.test(f));
  const defining = files.filter((f) =>
    /\b(class LiveAvatarError|LiveAvatarError = class)\b/.test(readFileSync(join(distDir, f), "utf8")),
  );
  expect(defining.sort()).toEqual(["index.cjs", "index.js"]);
  for (const entry of ["realtime.js", "testing/index.js", "testing/msw.js"])
    expect(readFileSync(join(distDir, entry), "utf8")).toMatch(/^import \{[^}]*\} from "liveavatar-api";$/m);
  for (const entry of ["realtime.cjs", "testing/index.cjs", "testing/msw.cjs"])
    expect(readFileSync(join(distDir, entry), "utf8")).toContain('require("liveavatar-api")');
});
