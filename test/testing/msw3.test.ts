// The MSW handlers with MSW 3 under Node 24 (MSW 3 needs Node 22.12+; the repository's own Node
// is 20 with MSW 2.15). The handlers entry is bundled as the package ships it (msw external), put
// in a scratch project whose `msw` is MSW 3, and run by Node 24 from the node24 dev dependency.
// (That package declares a `node` bin: the `prepare` script removes node_modules/.bin/node after
// an install, or every npm script and npx call would silently run on Node 24.)
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import { afterAll, expect, test } from "vitest";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..", "..");
const NODE24 = join(ROOT, "node_modules", "node24", "bin", "node");
const dir = mkdtempSync(join(tmpdir(), "liveavatar-msw3-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCRIPT = `
import { setupServer } from "msw/node";
import { LiveAvatar } from "${join(ROOT, "src", "index.ts").replace(/\\/g, "/")}";
import { liveAvatarHandlers } from "${join(ROOT, "src", "testing", "msw.ts").replace(/\\/g, "/")}";
import mswPackage from "msw/package.json" with { type: "json" };

const liveavatar = liveAvatarHandlers({ apiKey: "k" });
const server = setupServer(...liveavatar);
server.listen({ onUnhandledRequest: "error" });
const client = new LiveAvatar({ apiKey: "k" });
liveavatar.inject("GET /v1/avatars", { status: 503, times: 2 });
const page = await client.GET("/v1/avatars");
liveavatar.inject("GET /v1/languages", { reset: true });
const dropped = await client.GET("/v1/languages", { maxRetries: 0 }).catch((e) => e.name);
server.close();
console.log(JSON.stringify({
  msw: mswPackage.version,
  node: process.versions.node.split(".")[0],
  count: page.count,
  statuses: liveavatar.calls("GET /v1/avatars").map((c) => c.status),
  dropped,
}));
`;

test("liveAvatarHandlers works with MSW 3 on Node 24", async () => {
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  symlinkSync(join(ROOT, "node_modules", "msw3"), join(dir, "node_modules", "msw"), "dir");
  const bundle = await build({
    stdin: { contents: SCRIPT, resolveDir: dir, loader: "ts" },
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node22",
    external: ["msw", "msw/*"],
    write: false,
    logLevel: "silent",
  });
  writeFileSync(join(dir, "run.mjs"), bundle.outputFiles[0]!.text);
  const { stdout } = await run(NODE24, ["run.mjs"], { cwd: dir });
  expect(JSON.parse(stdout)).toEqual({
    msw: expect.stringMatching(/^3\./),
    node: "24",
    count: 3,
    statuses: [503, 503, 200],
    dropped: "APIConnectionError",
  });
}, 60_000);
