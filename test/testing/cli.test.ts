// `liveavatar-api mock`: the fake from a terminal. Started as a child process, it prints its URL
// and the credentials it accepts, serves the seed file's fixtures and stops on SIGTERM.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const CLI = join(ROOT, "src", "testing", "node", "cli.ts");
const dir = mkdtempSync(join(tmpdir(), "liveavatar-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(args: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(output: () => string, pattern: RegExp, exited: Promise<unknown>): Promise<RegExpMatchArray> {
  let done = false;
  void exited.then(() => (done = true));
  for (let i = 0; i < 300; i++) {
    const found = output().match(pattern);
    if (found) return found;
    if (done) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${pattern} in:\n${output()}`);
}

test("fake --seed FILE --api-key: prints URL and key, serves the fixtures, stops on SIGTERM", async () => {
  const seed = join(dir, "seed.json");
  const avatar = { id: "11111111-1111-4111-8111-111111111111", name: "From the seed file" };
  writeFileSync(seed, JSON.stringify({ seed: 7, avatars: [avatar] }));
  const cli = start(["fake", "--port", "0", "--seed", seed, "--api-key", "cli-key"]);
  try {
    // The banner's lines may arrive in separate chunks: wait for its last line, then read it whole.
    await waitFor(cli.output, /control: POST/, cli.exited);
    const [, url] = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(cli.output()) ?? [];
    expect(url).toBeDefined();
    expect(cli.output()).toContain("X-API-KEY: cli-key");
    const answer = await fetch(`${url}/v1/avatars`, { headers: { "x-api-key": "cli-key" } }).then((r) => r.json());
    expect(answer).toMatchObject({ code: 1000, data: { count: 1, results: [avatar] } });
    expect((await fetch(`${url}/v1/avatars`)).status).toBe(401);
  } finally {
    cli.child.kill("SIGTERM");
  }
  expect(await cli.exited).toBe(0);
});

test("bad arguments and unreadable seed files exit 2 with a message", async () => {
  for (const [args, expected] of [
    [["serve"], /usage: liveavatar-api fake/],
    [["mock", "--port"], /--port/],
    [["mock", "--seed", join(dir, "missing.json")], /cannot read --seed/],
    [["mock", "--port", "99999"], /port must be an integer from 0 to 65535/],
  ] as const) {
    const cli = start([...args]);
    const code = await cli.exited;
    expect(cli.output(), args.join(" ")).toMatch(expected);
    expect(code, args.join(" ")).not.toBe(0);
  }
});
