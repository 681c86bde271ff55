// The runtime matrix: the packed tarball, installed into a fresh project like a user installs it,
// imported and making a real call against the mock (plus one the mock refuses, which must be an
// `AuthenticationError`) under Node 22 and 24, Bun, Deno, Cloudflare's workerd (through
// miniflare) and the Vercel edge runtime. Every runtime comes from npm as a pinned dev dependency.
// The consumer reports which runtime it ran in, so a wrong binary cannot pass for another.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { clientFor, contractUrl } from "../support/client.ts";
import { removeProject, ROOT, scratchProject } from "./pack.ts";

const run = promisify(execFile);
const FIXTURES = join(import.meta.dirname, "runtimes");
const BIN = join(ROOT, "node_modules");
const avatar_id = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
const version = (name: string) =>
  (JSON.parse(readFileSync(join(BIN, name, "package.json"), "utf8")) as { version: string }).version;

interface Runtime {
  name: string;
  /** The runtime's own report of itself, e.g. "node 24.21.0". */
  expected: RegExp;
  command: (dir: string) => [file: string, args: string[]];
}

const runtimes: Runtime[] = [
  {
    name: "Node 22",
    expected: new RegExp(`^node ${version("node22")}$`),
    command: (dir) => [join(BIN, "node22", "bin", "node"), [join(dir, "main-node.mjs"), contractUrl]],
  },
  {
    name: "Node 24",
    expected: new RegExp(`^node ${version("node24")}$`),
    command: (dir) => [join(BIN, "node24", "bin", "node"), [join(dir, "main-node.mjs"), contractUrl]],
  },
  {
    name: "Bun",
    expected: new RegExp(`^bun ${version("bun")}$`),
    command: (dir) => [join(BIN, ".bin", "bun"), [join(dir, "main-node.mjs"), contractUrl]],
  },
  {
    name: "Deno",
    expected: new RegExp(`^deno ${version("deno")}$`),
    command: (dir) => [
      join(BIN, ".bin", "deno"),
      ["run", "--no-lock", "--allow-net=127.0.0.1", join(dir, "main-deno.mjs"), contractUrl],
    ],
  },
  {
    name: "Cloudflare Workers (workerd via miniflare)",
    expected: /^workerd$/,
    // Miniflare needs Node 22 or later.
    command: (dir) => [join(BIN, "node24", "bin", "node"), [join(FIXTURES, "run-workerd.mjs"), dir, contractUrl]],
  },
  {
    name: "Vercel edge runtime (edge-runtime)",
    expected: /^edge-runtime$/,
    command: (dir) => [process.execPath, [join(FIXTURES, "run-edge.mjs"), dir, contractUrl]],
  },
];

let project: string | undefined;
let expectedAvatar: unknown;

beforeAll(async () => {
  const files = ["consumer.mjs", "main-node.mjs", "main-deno.mjs", "worker.mjs"];
  project = await scratchProject("runtimes", {
    "package.json": JSON.stringify({ name: "runtime-consumer", private: true, type: "module" }),
    ...Object.fromEntries(files.map((file) => [file, readFileSync(join(FIXTURES, file), "utf8")])),
  });
  expectedAvatar = await clientFor(contractUrl, { maxRetries: 0 }).GET("/v1/avatars/{avatar_id}", {
    params: { path: { avatar_id } },
  });
}, 180_000);

afterAll(() => removeProject(project));

describe("the packed tarball in every runtime the README names", () => {
  test.each(runtimes)(
    "$name: imports the package and calls the mock",
    async (runtime) => {
      const [file, args] = runtime.command(project!);
      const { stdout } = await run(file, args, {
        cwd: project,
        // Only what a user's shell would have: no credentials or base URL from this process.
        env: { PATH: process.env.PATH, HOME: process.env.HOME, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
        timeout: 60_000,
      });
      const printed = JSON.parse(stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
      expect(printed.runtime).toMatch(runtime.expected);
      expect(printed.avatar).toEqual(expectedAvatar);
      expect(printed.refused).toEqual({ isAuthError: true, isBase: true, status: 401 });
    },
    90_000,
  );
});
